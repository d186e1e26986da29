package workflows

import (
	"fmt"
	"slices"
	"time"

	"github.com/traject-ocmw/traject/domain"
	"github.com/traject-ocmw/traject/policy"
)

// GPMI

// planGPMISignature: the GPMI is concluded within the policy period of the
// notification of the leefloon decision.
func (t *trajectory) planGPMISignature() { t.planGPMISignatureFrom(t.state.LeefloonDecisionDate) }

func (t *trajectory) planGPMISignatureFrom(from time.Time) {
	g := t.policy.GPMI
	due := t.dates().dueAfter(from, g.SignWithin, true)
	t.state.Deadlines.set(Deadline{
		ID: "gpmi.sign", Kind: KindGPMISign, Due: due, Actor: domain.ActorCounsellor, PolicyVersion: t.policy.Version,
		Reminders: t.dates().reminders(due, g.SignReminders, t.now, domain.ActorCounsellor),
	})
}

// planNextEvaluation: the next evaluation falls one policy interval after
// the signature or the latest evaluation.
func (t *trajectory) planNextEvaluation(from time.Time) {
	g := t.policy.GPMI
	t.state.Deadlines.removeKinds(KindGPMIEvaluation)
	n := len(t.state.GPMI.Evaluations) + 1
	due := t.dates().dueAfter(from, g.EvaluationEvery, false)
	d := Deadline{
		ID: fmt.Sprintf("gpmi.evaluation.%d", n), Kind: KindGPMIEvaluation, Due: due, Actor: domain.ActorCounsellor,
		PolicyVersion: t.policy.Version, Reminders: t.dates().reminders(due, g.EvaluationReminders, t.now, domain.ActorCounsellor),
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
func (t *trajectory) startContract(in ContractInput, hostParty bool) error {
	required, rule, err := t.policy.Article60.RequiredWorkingDays(in.Start, in.AgeAtStart)
	if err != nil {
		return err
	}
	c := &Contract{
		HostID: in.HostID, Function: in.Function, Regime: in.Regime, Start: in.Start, AgeAtStart: in.AgeAtStart,
		RequiredDays: required, RuleFrom: rule.From, DaysPerWeek: rule.CountedDaysPerWeek, HostParty: hostParty,
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
	planned := map[string]Deadline{}
	for _, d := range t.state.Deadlines {
		if d.Kind == KindHostCheck {
			planned[d.ID] = d
		}
	}
	t.state.Deadlines.removeKinds(KindContractEnd, KindAttendanceCheck, KindEmploymentReferral, KindHostCheck)
	end := t.dates().endOfDate(c.End)
	t.state.Deadlines.set(Deadline{
		ID: "a60.end", Kind: KindContractEnd, Due: end, Actor: domain.ActorCoordinator, PolicyVersion: t.policy.Version,
		Reminders: t.dates().reminders(end, a.EndReminders, t.now, domain.ActorCounsellor, domain.ActorCoordinator, domain.ActorHost),
	})
	for i, before := range a.AttendanceChecksBefore {
		at := t.dates().remindAt(end, before)
		if c.HostParty {
			t.planHostCheck(i+1, at, planned[hostCheckID(i+1)])
			continue
		}
		if at.Before(t.now) {
			continue
		}
		t.state.Deadlines.set(Deadline{
			ID: fmt.Sprintf("a60.attendance_check.%d", i+1), Kind: KindAttendanceCheck, Due: at, Actor: domain.ActorCounsellor,
			PolicyVersion: t.policy.Version, Reminders: onTheDay(at, domain.ActorCounsellor),
		})
	}
	// A referral recorded already is done: a moved end does not plan it
	// again. (Only record_employment_referral sets it, so a run that never
	// received that update plans as before.)
	if at := t.dates().remindAt(end, a.ReferralBefore); !at.Before(t.now) && c.Referral == nil {
		t.state.Deadlines.set(Deadline{
			ID: employmentReferralID, Kind: KindEmploymentReferral, Due: at, Actor: domain.ActorCounsellor,
			PolicyVersion: t.policy.Version, Reminders: onTheDay(at, domain.ActorCounsellor),
		})
	}
}

// planHostCheck plans the host's n-th check, dated at: a notice to the
// host on that day, reminders before its time to record it runs out. A
// check recorded already is not planned again, nor one dated before the
// contract started (a short contract) or whose time ran out before it was
// planned (a contract entered late). Once its notice went out or it is
// overdue, it stays where it is when the end date moves: the host was told.
func (t *trajectory) planHostCheck(n int, at time.Time, planned Deadline) {
	c := t.state.Contract
	a := t.policy.Article60
	for _, done := range c.Checks {
		if done.N == n {
			return
		}
	}
	if planned.ID != "" && (planned.Passed || slices.ContainsFunc(planned.Reminders, func(r Reminder) bool { return r.Sent })) {
		t.state.Deadlines.set(planned)
		return
	}
	due := t.dates().dueAfter(at, a.HostCheckWithin, false)
	if at.Before(c.Start) || due.Before(t.now) {
		return
	}
	var reminders []Reminder
	if !at.Before(t.now) {
		reminders = onTheDay(at, domain.ActorHost)
	}
	t.state.Deadlines.set(Deadline{
		ID: hostCheckID(n), Kind: KindHostCheck, Due: due, Actor: domain.ActorHost, PolicyVersion: t.policy.Version,
		Reminders: append(reminders, t.dates().reminders(due, a.HostCheckReminders, t.now, domain.ActorHost)...),
	})
}

func hostCheckID(n int) string { return fmt.Sprintf("a60.host_check.%d", n) }

// employmentReferralID is the referral's deadline: planned before the
// contract ends, done when the referral is recorded.
const employmentReferralID = "a60.employment_referral"

// planTrainings plans the skills plan's mandatory trainings, once, when the
// contract starts: they do not move with the end date. The host, when a
// party, is reminded too: it runs the trainings.
func (t *trajectory) planTrainings() {
	a := t.policy.Article60
	to := []domain.Actor{domain.ActorCounsellor}
	if t.state.Contract.HostParty {
		to = append(to, domain.ActorHost)
	}
	for _, tr := range t.state.Contract.Trainings {
		due := t.dates().endOfDate(tr.Due)
		t.state.Deadlines.set(Deadline{
			ID: "a60.training." + tr.Code, Kind: KindTraining, Due: due, Actor: domain.ActorCounsellor, PolicyVersion: t.policy.Version,
			Reminders: t.dates().reminders(due, a.TrainingReminders, t.now, to...),
		})
	}
}

// Post-Article-60

func (t *trajectory) planPostArticle60(now time.Time) {
	p := t.policy.PostArticle60
	end := t.dates().dueAfter(now, p.Length, false)
	t.state.PostArticle60 = &PostArticle60{Start: now, End: end}
	for i := 1; ; i++ {
		at := t.checkInAt(now, i)
		if !at.Before(end) {
			break
		}
		t.state.Deadlines.set(Deadline{
			ID: fmt.Sprintf("post_a60.check_in.%d", i), Kind: KindCheckIn, Due: at, Actor: domain.ActorCounsellor,
			PolicyVersion: t.policy.Version, Reminders: onTheDay(at, domain.ActorCounsellor),
		})
	}
	t.state.Deadlines.set(Deadline{
		ID: "post_a60.outcome", Kind: KindOutcomeDue, Due: end, Actor: domain.ActorCounsellor, PolicyVersion: t.policy.Version,
		Reminders: t.dates().reminders(end, p.OutcomeReminders, now, domain.ActorCounsellor),
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
