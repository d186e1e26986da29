package filecheck

import (
	"time"

	"github.com/traject-ocmw/traject/policy"
)

// Why a month does not qualify for the GPMI special subsidy.
const (
	NoGPMI              = "no_gpmi"                // no GPMI signed and in force on the month's last day
	TrajectoryClosed    = "closed"                 // the trajectory closed by the month's last day
	Exempted            = "exempt"                 // exempted from the GPMI on the month's last day
	OnArticle60         = "article60"              // salaried under Article 60 or after it: not on the leefloon
	BreakWithoutNewGPMI = "break_without_new_gpmi" // re-entered after a long break, no new GPMI signed yet
	// Past the first period, code 17 needs all of: the GPMI in force on
	// the first period's last day, and an extension with its motivation.
	NotInForceEndFirstPeriod   = "not_in_force_end_first_period"
	NoExtension                = "no_extension"
	ExtensionWithoutMotivation = "extension_without_motivation" // cannot come from traject's records: see ExtensionFact
	Article60PastMaximum       = "article60_past_maximum"       // the region pays no more months for this person
	Article60NotFunded         = "article60_not_configured"     // the centre's region has no funding configured
)

// ClaimLine is one beneficiary's GPMI special subsidy for a month: its
// code when the month qualifies, else why not.
type ClaimLine struct {
	ParticipantID  string `json:"participant_id"`
	NationalNumber string `json:"national_number"`
	GivenName      string `json:"given_name"`
	FamilyName     string `json:"family_name"`
	Qualifies      bool   `json:"qualifies"`
	Code           string `json:"code,omitempty"`
	Reason         string `json:"reason,omitempty"`
	// SignedOn is the signature of the GPMI in force (or last signed).
	SignedOn *time.Time `json:"signed_on,omitempty"`
}

// InForce tells whether a GPMI is in force at the end of day d, and
// since which signature; when it is not, why. A GPMI is in force while
// its run is open, on the leefloon (not exempted, not on an Article 60
// contract or its follow-up) and signed; after a re-entry, the previous
// run's GPMI goes on until a new one is signed, unless the break was
// longer than the policy's break_needs_new_gpmi.
func (f Facts) InForce(d time.Time, p policy.Policy) (signed *time.Time, reason string) {
	i := f.runOn(d)
	if i < 0 {
		return nil, NoGPMI
	}
	run := f.Runs[i]
	switch run.PhaseOn(d) {
	case phaseClosed:
		return f.lastSigned(i, d), TrajectoryClosed
	case phaseExempt:
		return f.lastSigned(i, d), Exempted
	case phaseArticle60, phasePostA60:
		return f.lastSigned(i, d), OnArticle60
	}
	if run.Signed != nil && !run.Signed.After(d) {
		return run.Signed, ""
	}
	if i > 0 {
		prev := f.Runs[i-1]
		if prev.Signed != nil {
			if closed := prev.Closed(); !closed.IsZero() && p.Claims.BreakNeedsNewGPMI.After(closed).Before(run.Started) {
				return prev.Signed, BreakWithoutNewGPMI
			}
			return prev.Signed, ""
		}
	}
	return nil, NoGPMI
}

// lastSigned is the latest signature by day d, in run i or before.
func (f Facts) lastSigned(i int, d time.Time) *time.Time {
	for ; i >= 0; i-- {
		if s := f.Runs[i].Signed; s != nil && !s.After(d) {
			return s
		}
	}
	return nil
}

// Concerned tells whether the dossier belongs on a month's claim list: a
// GPMI was signed by the month's last day, and the trajectory had not
// closed before the month began.
func (f Facts) Concerned(first, last time.Time) bool {
	i := f.runOn(last)
	if i < 0 || f.lastSigned(i, last) == nil {
		return false
	}
	closed := f.Runs[i].Closed()
	return closed.IsZero() || !closed.Before(first)
}

// Claim is the dossier's line for the month that ends on day last.
func (f Facts) Claim(last time.Time, p policy.Policy) ClaimLine {
	l := ClaimLine{ParticipantID: f.ParticipantID, NationalNumber: f.NationalNumber, GivenName: f.GivenName, FamilyName: f.FamilyName}
	signed, reason := f.InForce(last, p)
	l.SignedOn = signed
	switch {
	case reason != "":
		l.Reason = reason
	case p.Claims.FirstPeriod.After(*signed).After(last):
		l.Qualifies, l.Code = true, p.Claims.GeneralCode
	default:
		l.Reason = f.extensionReason(*signed, last, p)
		if l.Reason == "" {
			l.Qualifies, l.Code = true, p.Claims.ExtensionCode
		}
	}
	return l
}

// extensionReason tells why a month past the GPMI's first period (signed
// on signed, the month ending on last) cannot be claimed as an extension,
// or "" when it can: the GPMI was in force on the first period's last day
// and an extension with its motivation was recorded by the month's end.
func (f Facts) extensionReason(signed, last time.Time, p policy.Policy) string {
	firstEnd := p.Claims.FirstPeriod.After(signed)
	if s, why := f.InForce(firstEnd, p); why != "" || s == nil || !s.Equal(signed) {
		return NotInForceEndFirstPeriod
	}
	latest, motivated := f.extension(signed, last)
	switch {
	case motivated != nil:
		return ""
	case latest != nil:
		return ExtensionWithoutMotivation
	}
	return NoExtension
}

// Article60Line is one person's Article 60 month for the region's
// funding: the contract with guidance ran on the month's last day.
type Article60Line struct {
	ParticipantID  string `json:"participant_id"`
	NationalNumber string `json:"national_number"`
	GivenName      string `json:"given_name"`
	FamilyName     string `json:"family_name"`
	// Month counts this person's months so far, this one included.
	Month             int    `json:"month"`
	Qualifies         bool   `json:"qualifies"`
	Reason            string `json:"reason,omitempty"`
	MonthlyFeeCents   int    `json:"monthly_fee_cents"`
	CompensationCents int    `json:"compensation_cents"`
}

// Article60Month is the dossier's Article 60 line for the month ending on
// last, and whether there is one: each month since the first whose last
// day found the person on an Article 60 contract counts.
func (f Facts) Article60Month(last time.Time, p policy.Policy, region string) (Article60Line, bool) {
	if !onArticle60(f, last) {
		return Article60Line{}, false
	}
	l := Article60Line{ParticipantID: f.ParticipantID, NationalNumber: f.NationalNumber, GivenName: f.GivenName, FamilyName: f.FamilyName}
	for m := f.firstMonthEnd(); !m.After(last); m = monthEnd(m.AddDate(0, 0, 1)) {
		if onArticle60(f, m) {
			l.Month++
		}
	}
	funding := p.Claims.Article60
	switch {
	case !funding.Funds(region):
		l.Reason = Article60NotFunded
	case l.Month > funding.MaxMonths:
		l.Reason = Article60PastMaximum
	default:
		l.Qualifies, l.MonthlyFeeCents, l.CompensationCents = true, funding.MonthlyFeeCents, funding.CompensationCents
	}
	return l, true
}

func onArticle60(f Facts, d time.Time) bool {
	i := f.runOn(d)
	return i >= 0 && f.Runs[i].PhaseOn(d) == phaseArticle60
}

func (f Facts) firstMonthEnd() time.Time {
	if len(f.Runs) == 0 {
		return time.Time{}
	}
	return monthEnd(f.Runs[0].Started)
}

// MonthEnd is the last day of d's month.
func MonthEnd(d time.Time) time.Time { return monthEnd(d) }

func monthEnd(d time.Time) time.Time {
	return time.Date(d.Year(), d.Month()+1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, -1)
}
