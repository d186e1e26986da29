// Package filecheck judges a GPMI file as the federal inspection would and
// lists the months a centre may claim, from the event log and the
// dossier's records as they stood on any day. It is the one place that
// says what "a GPMI in force" means. Nothing here does I/O: the store
// gathers the facts, this package applies the centre's policy to them.
package filecheck

import "time"

// Dates here are civil days: midnight UTC of the centre's local day, so
// that comparing and adding months never meets a time zone.

// Day is the civil day of t in loc.
func Day(t time.Time, loc *time.Location) time.Time {
	t = t.In(loc)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// Facts are what one dossier's file held on a day.
type Facts struct {
	ParticipantID  string
	GivenName      string
	FamilyName     string
	NationalNumber string
	// Decision is the leefloon decision's day, Notified its notification's
	// (zero when the intake did not record it). They belong to the latest
	// run: a re-entry records a new decision.
	Decision, Notified time.Time
	// Runs are the trajectory's runs, oldest first: a re-entry starts a
	// new one under the same dossier.
	Runs []Run
	// NeedsAnalyses are the days the analyses recorded were done.
	NeedsAnalyses []time.Time
	// Exemptions are the exemption decisions recorded, oldest first.
	Exemptions []Exemption
	// Extensions are the GPMI's extensions recorded, oldest day first.
	Extensions []ExtensionFact
}

// ExtensionFact is an extension of the GPMI past its first period.
type ExtensionFact struct {
	On time.Time
	// Motivated: its written motivation is kept. traject's own write
	// requires one (and PostgreSQL refuses an empty one), so from
	// traject's records this is always true; the model keeps it because
	// the inspection judges it.
	Motivated bool
}

// extension is the latest extension of the GPMI signed on signed, made
// by day d (on or after the signature: a new GPMI needs its own), and
// whether one with a motivation exists; nil when none.
func (f Facts) extension(signed, d time.Time) (latest *ExtensionFact, motivated *ExtensionFact) {
	for i := range f.Extensions {
		x := &f.Extensions[i]
		if x.On.Before(signed) || x.On.After(d) {
			continue
		}
		latest = x
		if x.Motivated {
			motivated = x
		}
	}
	return latest, motivated
}

// Run is one run of the trajectory, from its start to its close.
type Run struct {
	Started time.Time
	// Phases are its phase changes in order; it starts in intake.
	Phases []PhaseChange
	// Signed is the GPMI's signature day, nil while unsigned.
	Signed *time.Time
	// Acknowledged: the person was told the content, the consequences and
	// the right to be heard (recorded with the signature).
	Acknowledged bool
	Evaluations  []Evaluation
}

// PhaseChange is the day a run entered a phase.
type PhaseChange struct {
	On time.Time
	To string
}

// Evaluation is one evaluation of the GPMI.
type Evaluation struct {
	HeldOn     time.Time
	FaceToFace bool
	// Report: its written report was kept by the day judged.
	Report bool
}

// Exemption is an exemption's decision: health or equity.
type Exemption struct {
	Written time.Time
	Ground  string
	// Reason: its written reason is kept.
	Reason bool
	// ReviewOn is the day it is reviewed, zero when the decision named
	// none (the policy's exemption_review_after then applies).
	ReviewOn time.Time
}

// Phases that matter here.
const (
	phaseIntake    = "intake"
	phaseExempt    = "exempt"
	phaseArticle60 = "article60"
	phasePostA60   = "post_article60"
	phaseClosed    = "closed"
)

// PhaseOn is the run's phase at the end of day d.
func (r Run) PhaseOn(d time.Time) string {
	phase := phaseIntake
	for _, c := range r.Phases {
		if c.On.After(d) {
			break
		}
		phase = c.To
	}
	return phase
}

// Closed is the day the run closed, zero while open.
func (r Run) Closed() time.Time {
	for _, c := range r.Phases {
		if c.To == phaseClosed {
			return c.On
		}
	}
	return time.Time{}
}

// runOn returns the index of the run going on at day d, or -1 before the
// first started. A closed run still answers for the days after its close
// until the next starts.
func (f Facts) runOn(d time.Time) int {
	at := -1
	for i, r := range f.Runs {
		if r.Started.After(d) {
			break
		}
		at = i
	}
	return at
}
