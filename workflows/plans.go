package workflows

import (
	"fmt"
	"time"

	"github.com/traject-ocmw/traject/policy"
)

// Dates and instants. A deadline counted in months or days is a date: it
// passes at the end of that day, centre time, after moving to a working day
// when it is a legal deadline. Its reminders go out at 08:00 on their day.
// A period with an exact part (how tests shrink deadlines to seconds) is
// used as is.

const reminderHour = 8

func (t *trajectory) dueAfter(from time.Time, p policy.Period, legal bool) time.Time {
	loc := t.policy.Location()
	at := p.After(from.In(loc))
	if p.Exact != 0 {
		if legal {
			return t.policy.LegalDeadline(at)
		}
		return at
	}
	day := startOfDay(at, loc)
	if legal {
		day = t.policy.LegalDeadline(day)
	}
	return day.AddDate(0, 0, 1)
}

// endOfDate is the instant a date (such as a contract's last day) is over.
func (t *trajectory) endOfDate(date time.Time) time.Time {
	loc := t.policy.Location()
	return startOfDay(date.In(loc), loc).AddDate(0, 0, 1)
}

// reminders plans notices before due, dropping those already in the past.
func (t *trajectory) reminders(due time.Time, before []policy.Period, now time.Time, to ...Actor) []Reminder {
	var out []Reminder
	for _, b := range before {
		at := t.remindAt(due, b)
		if at.Before(now) {
			continue
		}
		out = append(out, Reminder{At: at, To: to})
	}
	return out
}

func (t *trajectory) remindAt(due time.Time, before policy.Period) time.Time {
	if before.Exact != 0 {
		return before.Before(due)
	}
	// A date-based deadline passes at the end of its day: count back from
	// that day (4 months before 28 February is 28 October).
	loc := t.policy.Location()
	day := before.Before(startOfDay(due.In(loc).Add(-time.Nanosecond), loc))
	y, m, d := day.Date()
	return time.Date(y, m, d, reminderHour, 0, 0, 0, loc)
}

// onTheDay is a task notice on the day itself.
func (t *trajectory) onTheDay(due time.Time, to ...Actor) []Reminder {
	return []Reminder{{At: due, To: to}}
}

func startOfDay(t time.Time, loc *time.Location) time.Time {
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, loc)
}

// GPMI

// planGPMISignature: the GPMI is concluded within the policy period of the
// notification of the leefloon decision.
func (t *trajectory) planGPMISignature() { t.planGPMISignatureFrom(t.state.LeefloonDecisionDate) }

func (t *trajectory) planGPMISignatureFrom(from time.Time) {
	g := t.policy.GPMI
	due := t.dueAfter(from, g.SignWithin, true)
	t.state.Deadlines.set(Deadline{
		ID: "gpmi.sign", Kind: KindGPMISign, Due: due, Actor: ActorCounsellor, PolicyVersion: t.policy.Version,
		Reminders: t.reminders(due, g.SignReminders, t.now, ActorCounsellor),
	})
}

// planNextEvaluation: the next evaluation falls one policy interval after
// the signature or the latest evaluation.
func (t *trajectory) planNextEvaluation(from time.Time) {
	g := t.policy.GPMI
	t.state.Deadlines.removeKinds(KindGPMIEvaluation)
	n := len(t.state.GPMI.Evaluations) + 1
	due := t.dueAfter(from, g.EvaluationEvery, false)
	d := Deadline{
		ID: fmt.Sprintf("gpmi.evaluation.%d", n), Kind: KindGPMIEvaluation, Due: due, Actor: ActorCounsellor,
		PolicyVersion: t.policy.Version, Reminders: t.reminders(due, g.EvaluationReminders, t.now, ActorCounsellor),
	}
	if t.faceToFaceNeeded(due) {
		d.Note = "face_to_face"
	}
	t.state.Deadlines.set(d)
}

// faceToFaceNeeded reports whether the evaluation due then must be held in
// person: over the year before it, the evaluations still to come are no
// more than the face-to-face ones missing from the quota.
func (t *trajectory) faceToFaceNeeded(due time.Time) bool {
	g := t.policy.GPMI
	yearStart := due.AddDate(-1, 0, 0)
	perYear := 0
	for at := yearStart; at.Before(due); at = g.EvaluationEvery.After(at) {
		perYear++
	}
	held, inPerson := 0, 0
	for _, e := range t.state.GPMI.Evaluations {
		if e.HeldOn.After(yearStart) {
			held++
			if e.FaceToFace {
				inPerson++
			}
		}
	}
	missing := g.FaceToFacePerYear - inPerson
	toCome := perYear - held
	return missing > 0 && toCome <= missing
}

// Article 60

// startContract computes the end date from the working days the rule in
// force requires and plans every dependent deadline.
func (t *trajectory) startContract(in ContractInput) error {
	required, rule, err := t.policy.Article60.RequiredWorkingDays(in.Start, in.AgeAtStart)
	if err != nil {
		return err
	}
	c := &Contract{
		HostID: in.HostID, Function: in.Function, Regime: in.Regime, Start: in.Start, AgeAtStart: in.AgeAtStart,
		RequiredDays: required, RuleFrom: rule.From, DaysPerWeek: rule.CountedDaysPerWeek,
	}
	c.End = policy.ContractEnd(in.Start, required, 0, rule.CountedDaysPerWeek)
	for _, tr := range in.Trainings {
		c.Trainings = append(c.Trainings, Training{Code: tr.Code, Due: tr.Due})
	}
	t.state.Contract = c
	t.planContract()
	t.planTrainings()
	return nil
}

// planContract (re)creates every deadline that hangs on the contract's end
// date. Moving the end date calls it again: the old deadlines go, so nothing
// fires at the old date.
func (t *trajectory) planContract() {
	c := t.state.Contract
	a := t.policy.Article60
	t.state.Deadlines.removeKinds(KindContractEnd, KindAttendanceCheck, KindEmploymentReferral)
	end := t.endOfDate(c.End)
	t.state.Deadlines.set(Deadline{
		ID: "a60.end", Kind: KindContractEnd, Due: end, Actor: ActorCoordinator, PolicyVersion: t.policy.Version,
		Reminders: t.reminders(end, a.EndReminders, t.now, ActorCounsellor, ActorCoordinator, ActorHost),
	})
	for i, before := range a.AttendanceChecksBefore {
		at := t.remindAt(end, before)
		if at.Before(t.now) {
			continue
		}
		t.state.Deadlines.set(Deadline{
			ID: fmt.Sprintf("a60.attendance_check.%d", i+1), Kind: KindAttendanceCheck, Due: at, Actor: ActorCounsellor,
			PolicyVersion: t.policy.Version, Reminders: t.onTheDay(at, ActorCounsellor),
		})
	}
	if at := t.remindAt(end, a.ReferralBefore); !at.Before(t.now) {
		t.state.Deadlines.set(Deadline{
			ID: "a60.employment_referral", Kind: KindEmploymentReferral, Due: at, Actor: ActorCounsellor,
			PolicyVersion: t.policy.Version, Reminders: t.onTheDay(at, ActorCounsellor),
		})
	}
}

// planTrainings plans the skills plan's mandatory trainings, once, when the
// contract starts: they do not move with the end date.
func (t *trajectory) planTrainings() {
	a := t.policy.Article60
	for _, tr := range t.state.Contract.Trainings {
		due := t.endOfDate(tr.Due)
		t.state.Deadlines.set(Deadline{
			ID: "a60.training." + tr.Code, Kind: KindTraining, Due: due, Actor: ActorCounsellor, PolicyVersion: t.policy.Version,
			Reminders: t.reminders(due, a.TrainingReminders, t.now, ActorCounsellor),
		})
	}
}

// Post-Article-60

func (t *trajectory) planPostArticle60(now time.Time) {
	p := t.policy.PostArticle60
	end := t.dueAfter(now, p.Length, false)
	t.state.PostArticle60 = &PostArticle60{Start: now, End: end}
	for i := 1; ; i++ {
		at := t.checkInAt(now, i)
		if !at.Before(end) {
			break
		}
		t.state.Deadlines.set(Deadline{
			ID: fmt.Sprintf("post_a60.check_in.%d", i), Kind: KindCheckIn, Due: at, Actor: ActorCounsellor,
			PolicyVersion: t.policy.Version, Reminders: t.onTheDay(at, ActorCounsellor),
		})
	}
	t.state.Deadlines.set(Deadline{
		ID: "post_a60.outcome", Kind: KindOutcomeDue, Due: end, Actor: ActorCounsellor, PolicyVersion: t.policy.Version,
		Reminders: t.reminders(end, p.OutcomeReminders, now, ActorCounsellor),
	})
}

// checkInAt is the n-th monthly check-in after start, at 08:00 on its day.
func (t *trajectory) checkInAt(start time.Time, n int) time.Time {
	every := t.policy.PostArticle60.CheckInEvery
	scaled := policy.Period{Months: every.Months * n, Days: every.Days * n, Exact: every.Exact * time.Duration(n)}
	if every.Exact != 0 {
		return scaled.After(start)
	}
	loc := t.policy.Location()
	y, m, d := scaled.After(start.In(loc)).Date()
	return time.Date(y, m, d, reminderHour, 0, 0, 0, loc)
}
