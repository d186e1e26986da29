package filecheck

import (
	"time"

	"github.com/traject-ocmw/traject/policy"
)

// State is how an element of the file stands on the day judged.
type State string

const (
	Met           State = "met"            // there, in time
	Due           State = "due"            // not there yet, its day still to come
	Late          State = "late"           // its day passed without it, or it came after
	Missing       State = "missing"        // required now, not there
	NotApplicable State = "not_applicable" // the file does not need it
	// NotRecorded: traject has no place for it yet; the inspection asks for
	// it, so it is never shown as met.
	NotRecorded State = "not_recorded"
)

// Element names, in the order the inspection reads a file.
const (
	NeedsAnalysis   = "needs_analysis"
	GPMISigned      = "gpmi_signed"
	Acknowledgement = "acknowledgement"
	Evaluations     = "evaluations"
	FaceToFace      = "face_to_face"
	Reports         = "evaluation_reports"
	ExemptionReason = "exemption_reason"
	ExemptionReview = "exemption_review"
	Extension       = "extension_motivation"
)

// Element is one thing the inspection looks for.
type Element struct {
	Name  string `json:"element"`
	State State  `json:"state"`
	// On is the day it was met (or came late); Due the day it is or was
	// due.
	On  *time.Time `json:"on,omitempty"`
	Due *time.Time `json:"due,omitempty"`
	// Count and Needed say how many were there of how many needed, for
	// the elements that count (evaluations in a year, reports).
	Count  *int `json:"count,omitempty"`
	Needed *int `json:"needed,omitempty"`
	// Since is the first day of the twelve months counted, for the
	// elements counted per year since signature: the year judged runs
	// from Since to Due.
	Since *time.Time `json:"since,omitempty"`
	// Part is the dossier's section that holds it.
	Part string `json:"part"`
}

// Report is a dossier's file check as of a day.
type Report struct {
	AsOf     time.Time `json:"as_of"`
	Elements []Element `json:"elements"`
	// AtRisk: an element is late or missing, or due within the policy's
	// horizon.
	AtRisk bool `json:"at_risk"`
}

// Check judges the file as it stood at the end of day asOf.
func Check(f Facts, p policy.Policy, asOf time.Time) Report {
	// Room for every element at once: a centre's files at risk judge
	// 50,000 files, and growing each list was a tenth of the time.
	rep := Report{AsOf: asOf, Elements: make([]Element, 0, len(Elements))}
	i := f.runOn(asOf)
	if i < 0 {
		return rep
	}
	run := f.Runs[i]
	phase := run.PhaseOn(asOf)
	var signed *time.Time
	if run.Signed != nil && !run.Signed.After(asOf) {
		signed = run.Signed
	}
	add := func(e Element) { rep.Elements = append(rep.Elements, e) }

	signDue := f.signDue(p)
	exempt := phase == phaseExempt
	add(needsAnalysis(f.NeedsAnalyses, signed, asOf, signDue, exempt))
	add(signature(signed, asOf, signDue, exempt))
	ack := Element{Name: Acknowledgement, State: NotApplicable, Part: "gpmi"}
	if signed != nil {
		ack.State, ack.On = Missing, nil
		if run.Acknowledged {
			ack.State, ack.On = Met, signed
		}
	}
	add(ack)
	held := make([]Evaluation, 0, len(run.Evaluations))
	for _, e := range run.Evaluations {
		if !e.HeldOn.After(asOf) {
			held = append(held, e)
		}
	}
	end := asOf
	if c := run.Closed(); !c.IsZero() && c.Before(end) {
		end = c
	}
	add(yearly(Evaluations, held, signed, end, p.Inspection.EvaluationsPerYear, func(Evaluation) bool { return true }))
	add(yearly(FaceToFace, held, signed, end, p.GPMI.FaceToFacePerYear, func(e Evaluation) bool { return e.FaceToFace }))
	add(reports(held))
	reason, review := exemption(f, run, asOf, p)
	add(reason)
	add(review)
	ext := Element{Name: Extension, State: NotApplicable, Part: "gpmi"}
	if signed != nil && !p.Claims.FirstPeriod.After(*signed).After(end) {
		// The GPMI has outrun its first period: an extension needs its
		// written motivation.
		due := p.Claims.FirstPeriod.After(*signed)
		ext.State, ext.Due = Missing, &due
		if _, x := f.extension(*signed, asOf); x != nil {
			on := x.On
			ext.State, ext.On = Met, &on
		}
	}
	add(ext)

	horizon := p.Inspection.AtRiskHorizon.After(asOf)
	for _, e := range rep.Elements {
		if e.AtRisk(horizon) {
			rep.AtRisk = true
		}
	}
	return rep
}

// AtRisk tells whether the element puts the file at risk: late or
// missing, or due by horizon (the last day the policy's at-risk horizon
// reaches).
func (e Element) AtRisk(horizon time.Time) bool {
	switch {
	case e.State == Late || e.State == Missing:
		return true
	case e.State == Due && e.Due != nil && !e.Due.After(horizon):
		return true
	}
	return false
}

// signDue is the last day the GPMI is signed in time: the policy's months
// from the decision, or from its notification when the policy says so and
// the intake recorded it, moved to a working day as the policy's calendar
// moves the dossier's own deadline (one day on every page).
func (f Facts) signDue(p policy.Policy) time.Time {
	from := f.Decision
	if p.GPMI.SignFromNotification && !f.Notified.IsZero() {
		from = f.Notified
	}
	return p.LegalDeadline(p.GPMI.SignWithin.After(from))
}

func needsAnalysis(done []time.Time, signed *time.Time, asOf, signDue time.Time, exempt bool) Element {
	e := Element{Name: NeedsAnalysis, Part: "needs-analysis"}
	var first, before *time.Time
	for _, d := range done {
		if d.After(asOf) {
			continue
		}
		if first == nil || d.Before(*first) {
			first = &d
		}
		if signed != nil && !d.After(*signed) {
			before = &d
		}
	}
	switch {
	case signed != nil && before != nil:
		e.State, e.On = Met, before
	case signed != nil && first != nil:
		e.State, e.On, e.Due = Late, first, signed
	case signed != nil:
		e.State, e.Due = Late, signed
	case first != nil:
		e.State, e.On = Met, first
	case exempt:
		e.State = NotApplicable
	default:
		e.State, e.Due = Due, &signDue
		if asOf.After(signDue) {
			e.State = Late
		}
	}
	return e
}

func signature(signed *time.Time, asOf, due time.Time, exempt bool) Element {
	e := Element{Name: GPMISigned, Part: "gpmi", Due: &due}
	switch {
	case signed != nil && !signed.After(due):
		e.State, e.On = Met, signed
	case signed != nil:
		e.State, e.On = Late, signed
	case exempt:
		e.State, e.Due = NotApplicable, nil
	case asOf.After(due):
		e.State = Late
	default:
		e.State = Due
	}
	return e
}

// yearly judges "at least needed in every twelve months since signature":
// each full year from the signature that ended by end, then the year
// running. A year that ended short makes the element late (the first such
// year is named); the running year short is due at its end.
func yearly(name string, held []Evaluation, signed *time.Time, end time.Time, needed int, counts func(Evaluation) bool) Element {
	e := Element{Name: name, Part: "evaluations", Needed: &needed}
	if signed == nil {
		e.State, e.Needed = NotApplicable, nil
		return e
	}
	for from := *signed; ; from = from.AddDate(1, 0, 0) {
		to := from.AddDate(1, 0, 0)
		n := 0
		var last *time.Time
		for i, ev := range held {
			if counts(ev) && !ev.HeldOn.Before(from) && ev.HeldOn.Before(to) {
				n++
				last = &held[i].HeldOn // not &ev's: a copy on the heap each time
			}
		}
		due := to.AddDate(0, 0, -1)
		if !to.After(end) {
			if n < needed {
				e.State, e.Count, e.Due, e.Since = Late, &n, &due, &from
				return e
			}
			continue
		}
		e.Count, e.Due, e.Since = &n, &due, &from
		if n >= needed {
			e.State, e.On = Met, last
		} else {
			e.State = Due
		}
		return e
	}
}

func reports(held []Evaluation) Element {
	e := Element{Name: Reports, Part: "evaluations"}
	if len(held) == 0 {
		e.State = NotApplicable
		return e
	}
	n, total := 0, len(held)
	for _, ev := range held {
		if ev.Report {
			n++
		}
	}
	e.Count, e.Needed = &n, &total
	e.State = Met
	if n < total {
		e.State = Missing
	}
	return e
}

// exemption judges the latest exemption of the run: its written reason,
// and its review kept (the person left the exemption, or a new decision
// was taken, by the review day).
func exemption(f Facts, run Run, asOf time.Time, p policy.Policy) (reason, review Element) {
	reason = Element{Name: ExemptionReason, State: NotApplicable, Part: "exemption"}
	review = Element{Name: ExemptionReview, State: NotApplicable, Part: "exemption"}
	var latest *Exemption
	for i, x := range f.Exemptions {
		if !x.Written.Before(run.Started) && !x.Written.After(asOf) {
			latest = &f.Exemptions[i]
		}
	}
	if latest == nil {
		return reason, review
	}
	reason.State, reason.On = Missing, nil
	if latest.Reason {
		reason.State, reason.On = Met, &latest.Written
	}
	due := latest.ReviewOn
	if due.IsZero() {
		due = p.GPMI.ExemptionReviewAfter.After(latest.Written)
	}
	review.Due = &due
	for _, c := range run.Phases {
		if c.On.Before(latest.Written) || c.On.After(asOf) {
			continue
		}
		if c.To != phaseExempt {
			// Left the exemption: its review was kept if by the day.
			on := c.On
			review.On = &on
			review.State = Met
			if on.After(due) {
				review.State = Late
			}
			return reason, review
		}
	}
	review.State = Due
	if asOf.After(due) {
		review.State = Late
	}
	return reason, review
}
