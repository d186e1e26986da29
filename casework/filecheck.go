package casework

import (
	"context"
	"slices"
	"strconv"
	"time"

	"github.com/traject-ocmw/traject/domain"
	"github.com/traject-ocmw/traject/export"
	"github.com/traject-ocmw/traject/filecheck"
	"github.com/traject-ocmw/traject/policy"
	"github.com/traject-ocmw/traject/store"
)

// The file check and the month's claims, read alike by both doors: the
// facts as they stood at the end of a day, judged by the centre's policy.

var (
	// fileCheckReaders keep the dossiers (the BCSD sees what its
	// procedure needs, not the file's standing with the inspection).
	fileCheckReaders = []domain.Role{domain.RoleCounsellor, domain.RoleCoordinator}
	// claimReaders prepare the centre's claims.
	claimReaders = []domain.Role{domain.RoleCoordinator, domain.RoleAdmin}
)

// endOfDay is the last instant of civil day d in loc: what the file held
// when that day ended.
func endOfDay(d time.Time, loc *time.Location) time.Time {
	return time.Date(d.Year(), d.Month(), d.Day()+1, 0, 0, 0, 0, loc).Add(-time.Microsecond)
}

// asOfDay reads an optional YYYY-MM-DD (empty: today in loc).
func (s *Service) asOfDay(v string, loc *time.Location) (time.Time, error) {
	if v == "" {
		return filecheck.Day(time.Now(), loc), nil
	}
	d, err := time.Parse(time.DateOnly, v)
	if err != nil {
		return time.Time{}, &QueryError{Fields: []FieldProblem{domain.Problem("as_of", domain.NotDate)}}
	}
	return d, nil
}

// FileCheck judges a dossier's file as it stood at the end of day asOf
// (YYYY-MM-DD, empty for today).
func (s *Service) FileCheck(ctx context.Context, c Caller, participantID, asOf string) (filecheck.Report, error) {
	if !slices.Contains(fileCheckReaders, c.Role) || c.CentreID == "" {
		return filecheck.Report{}, ErrForbidden
	}
	if err := s.store.VisibleParticipant(ctx, store.ViewerOf(c.CentreID, c.UserID, c.Role), participantID); err != nil {
		return filecheck.Report{}, err
	}
	pol, err := s.store.LoadPolicy(ctx, c.CentreID)
	if err != nil {
		return filecheck.Report{}, err
	}
	loc := pol.Location()
	day, err := s.asOfDay(asOf, loc)
	if err != nil {
		return filecheck.Report{}, err
	}
	facts, err := s.store.FileFacts(ctx, participantID, endOfDay(day, loc), loc)
	if err != nil {
		return filecheck.Report{}, err
	}
	return filecheck.Check(facts, pol, day), nil
}

// MonthClaims is a month's claim list of a centre.
type MonthClaims struct {
	Month string    `json:"month"`
	AsOf  time.Time `json:"as_of"`
	// Codes are the GPMI codes the month's lines apply: those of the
	// centre's policy in force at the end of the month.
	Codes GPMICodes `json:"codes"`
	// GPMI lists every beneficiary with a GPMI that month: its code, or
	// why the month does not qualify.
	GPMI       []filecheck.ClaimLine `json:"gpmi"`
	Qualifying int                   `json:"qualifying"`
	// Article60 is the region's funding of Article 60 months; nil when
	// the centre's region has none configured.
	Article60 *Article60Claims `json:"article60"`
	// Rules are the claim rules the month applied (Codes are theirs), for
	// the words that name a threshold (the break's length).
	Rules policy.Claims `json:"-"`
}

// GPMICodes are the federal claim's GPMI codes a month applies (11 and 17
// by default).
type GPMICodes struct {
	// General is the code of a month within the GPMI's first period.
	General string `json:"general"`
	// Extension is the code of a month past it, the GPMI extended with a
	// written motivation.
	Extension string `json:"extension"`
}

// Article60Claims are the month's Article 60 lines and the quarter's
// totals so far (claimed per quarter).
type Article60Claims struct {
	Scheme string                    `json:"scheme"`
	Lines  []filecheck.Article60Line `json:"lines"`
	// Quarter is YYYY-Qn; its totals count the months of the quarter up to
	// and including this one.
	Quarter                string `json:"quarter"`
	QuarterMonths          int    `json:"quarter_months"`
	QuarterFeeCents        int    `json:"quarter_fee_cents"`
	QuarterCompensationCts int    `json:"quarter_compensation_cents"`
}

// Claims lists a month (YYYY-MM) of the caller's centre as the event log
// stood at the end of day asOf (empty: today), so that a month claimed
// gives the same lines when asked again with the same day. Each month is
// judged with the centre's policy in force at its end (policy.ForMonth),
// or at the end of asOf when that comes first: a centre that changes its
// codes or rules later does not rewrite the months it claimed.
func (s *Service) Claims(ctx context.Context, c Caller, month, asOf string) (MonthClaims, error) {
	if !slices.Contains(claimReaders, c.Role) || c.CentreID == "" {
		return MonthClaims{}, ErrForbidden
	}
	first, err := time.Parse("2006-01", month)
	if err != nil {
		return MonthClaims{}, &QueryError{Fields: []FieldProblem{domain.Problem("month", domain.NotMonth)}}
	}
	today, err := s.store.LoadPolicy(ctx, c.CentreID)
	if err != nil {
		return MonthClaims{}, err
	}
	centre, err := s.store.Centre(ctx, c.CentreID)
	if err != nil {
		return MonthClaims{}, err
	}
	loc := today.Location()
	day, err := s.asOfDay(asOf, loc)
	if err != nil {
		return MonthClaims{}, err
	}
	cutoff := endOfDay(day, loc)
	// forMonth is the policy the month ending on day last is judged with.
	forMonth := func(last time.Time) (policy.Policy, error) {
		at := endOfDay(last, loc)
		if at.After(cutoff) {
			at = cutoff
		}
		then, err := s.store.PolicyAt(ctx, c.CentreID, at)
		return today.ForMonth(then), err
	}
	last := filecheck.MonthEnd(first)
	pol, err := forMonth(last)
	if err != nil {
		return MonthClaims{}, err
	}
	facts, err := s.store.CentreFileFacts(ctx, c.CentreID, cutoff, loc)
	if err != nil {
		return MonthClaims{}, err
	}
	out := MonthClaims{Month: month, AsOf: day, GPMI: []filecheck.ClaimLine{},
		Codes: GPMICodes{General: pol.Claims.GeneralCode, Extension: pol.Claims.ExtensionCode}, Rules: pol.Claims}
	funded := pol.Claims.Article60.Funds(centre.Region)
	// The quarter's months so far, each with its own policy.
	type quarterMonth struct {
		last time.Time
		pol  policy.Policy
	}
	var quarter []quarterMonth
	if funded {
		q := (int(first.Month())-1)/3 + 1
		out.Article60 = &Article60Claims{Scheme: pol.Claims.Article60.Scheme, Lines: []filecheck.Article60Line{},
			Quarter: first.Format("2006") + "-Q" + string(rune('0'+q))}
		quarterStart := time.Date(first.Year(), time.Month((q-1)*3+1), 1, 0, 0, 0, 0, time.UTC)
		for m := quarterStart; m.Before(first); m = m.AddDate(0, 1, 0) {
			end := filecheck.MonthEnd(m)
			p, err := forMonth(end)
			if err != nil {
				return MonthClaims{}, err
			}
			quarter = append(quarter, quarterMonth{end, p})
		}
		quarter = append(quarter, quarterMonth{last, pol})
	}
	for _, f := range facts {
		if f.Concerned(first, last) {
			l := f.Claim(last, pol)
			out.GPMI = append(out.GPMI, l)
			if l.Qualifies {
				out.Qualifying++
			}
		}
		if !funded {
			continue
		}
		if l, ok := f.Article60Month(last, pol, centre.Region); ok {
			out.Article60.Lines = append(out.Article60.Lines, l)
		}
		for _, m := range quarter {
			if l, ok := f.Article60Month(m.last, m.pol, centre.Region); ok && l.Qualifies {
				out.Article60.QuarterMonths++
				out.Article60.QuarterFeeCents += l.MonthlyFeeCents
				out.Article60.QuarterCompensationCts += l.CompensationCents
			}
		}
	}
	return out, nil
}

// ClaimWords put the claims' codes into a reader's words: the API's
// downloads keep the codes and ISO days, the page's the words and dates
// of its language. The GPMI code (11, 17) is the federal number itself.
type ClaimWords struct {
	Header []string // national number, family name, given name, qualifies, code, reason, signed on
	Yes    func(bool) string
	Reason func(string) string
	Date   func(time.Time) string
}

// Table lays the month's GPMI lines out for export, one row a person.
func (m MonthClaims) Table(sheet string, w ClaimWords) export.Table {
	t := export.Table{Sheet: sheet, Header: w.Header, Rows: [][]string{}}
	for _, l := range m.GPMI {
		signed, reason := "", ""
		if l.SignedOn != nil {
			signed = w.Date(*l.SignedOn)
		}
		if l.Reason != "" {
			reason = w.Reason(l.Reason)
		}
		t.Rows = append(t.Rows, []string{l.NationalNumber, export.Inert(l.FamilyName), export.Inert(l.GivenName), w.Yes(l.Qualifies), l.Code, reason, signed})
	}
	return t
}

// ClaimCodes are the API's words: the codes themselves, days as
// YYYY-MM-DD.
var ClaimCodes = ClaimWords{
	Header: []string{"national_number", "family_name", "given_name", "qualifies", "code", "reason", "signed_on"},
	Yes:    strconv.FormatBool,
	Reason: func(s string) string { return s },
	Date:   func(d time.Time) string { return d.Format(time.DateOnly) },
}
