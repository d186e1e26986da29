package workflows_test

import (
	"testing"
	"time"

	"github.com/traject-ocmw/traject/domain"
	"github.com/traject-ocmw/traject/workflows"
)

func (d *driver) sanctionMust(n int, name string, req any) {
	id := workflows.SanctionWorkflowID(d.fx.ParticipantID, n)
	when := d.env.Now().In(brussels).Format("2006-01-02 15:04")
	d.updateByID(id, name, req, func(_ any, err error) {
		if err != nil {
			d.t.Errorf("%s on procedure %d at %s: %v", name, n, when, err)
		}
	})
}

func (d *driver) sanctionRefused(n int, name string, req any, wantType string) {
	id := workflows.SanctionWorkflowID(d.fx.ParticipantID, n)
	when := d.env.Now().In(brussels).Format("2006-01-02 15:04")
	d.updateByID(id, name, req, func(_ any, err error) {
		if got := errType(err); got != wantType {
			d.t.Errorf("%s on procedure %d at %s: got %q (%v), want %s", name, n, when, got, err, wantType)
		}
	})
}

func (d *driver) report(reportID string) {
	d.must(workflows.UpdateReportNonCooperation, workflows.NonCooperationRequest{By: d.counsellor(), ReportID: reportID})
}

// A first procedure: warning, a hearing at least 8 days after the
// invitation, the decision deadline passing (escalated), a suspension of at
// most one month starting on the first day of the second month after the
// decision, ending by itself. A repeat within 12 months allows 3 months.
func TestSanctionProcedureAndRepeatWithinTwelveMonths(t *testing.T) {
	d := newDriver(t, at("2026-11-02 09:00"))
	d.at(at("2026-11-10 10:00"), func() {
		d.report("rep-1")
	})
	d.at(at("2026-11-11 10:00"), func() {
		d.refused(workflows.UpdateReportNonCooperation, workflows.NonCooperationRequest{By: d.counsellor(), ReportID: "rep-2"}, workflows.ErrTypeNotAllowed)
		// The trajectory's own next step stays its own (the procedure's
		// steps are the procedure's, read beside it).
		if s := d.state(); s.NextActor == domain.ActorBCSD || s.NextByActor[s.NextActor].IsZero() || s.Sanction.ActiveProcedureID == "" {
			t.Errorf("during the procedure: next actor %s (%v), procedure %q", s.NextActor, s.NextByActor, s.Sanction.ActiveProcedureID)
		}
	})
	d.at(at("2026-11-12 10:00"), func() {
		d.sanctionRefused(1, workflows.UpdateScheduleHearing, workflows.HearingRequest{By: d.bcsd(), InvitedOn: at("2026-11-12"), HearingOn: at("2026-11-18 14:00")}, workflows.ErrTypeInvalidData)
		// The secretariat's step, not a counsellor's, unless the policy
		// says so.
		d.sanctionRefused(1, workflows.UpdateScheduleHearing, workflows.HearingRequest{By: d.counsellor(), InvitedOn: at("2026-11-12"), HearingOn: at("2026-11-24 14:00")}, workflows.ErrTypeNotPermitted)
		d.sanctionMust(1, workflows.UpdateScheduleHearing, workflows.HearingRequest{By: d.bcsd(), InvitedOn: at("2026-11-12"), HearingOn: at("2026-11-24 14:00")})
	})
	d.at(at("2026-11-24 16:00"), func() {
		d.sanctionMust(1, workflows.UpdateRecordHearing, workflows.HearingHeldRequest{By: d.bcsd(), Held: true})
	})
	d.at(at("2027-01-05 10:00"), func() {
		d.sanctionRefused(1, workflows.UpdateRecordDecision, workflows.DecisionRequest{By: d.bcsd(), Kind: workflows.DecisionSuspend, Months: 3, DecidedOn: at("2027-01-05")}, workflows.ErrTypeInvalidData)
		d.sanctionRefused(1, workflows.UpdateRecordDecision, workflows.DecisionRequest{By: d.counsellor(), Kind: workflows.DecisionSuspend, Months: 1, DecidedOn: at("2027-01-05")}, workflows.ErrTypeNotPermitted)
		d.sanctionMust(1, workflows.UpdateRecordDecision, workflows.DecisionRequest{By: d.bcsd(), Kind: workflows.DecisionSuspend, Months: 1, DecidedOn: at("2027-01-05")})
	})
	d.at(at("2027-01-08 10:00"), func() {
		d.sanctionMust(1, workflows.UpdateRecordNotification, workflows.NotificationRequest{By: d.bcsd(), NotifiedOn: at("2027-01-08")})
	})
	d.at(at("2027-02-27 12:00"), func() {
		if s := d.state(); s.Sanction.Suspended {
			t.Error("suspended before the first day of the second month after the decision")
		}
	})
	d.at(at("2027-03-15 12:00"), func() {
		s := d.state()
		if !s.Sanction.Suspended || !s.Sanction.SuspendedFrom.Equal(at("2027-03-01 00:00")) || !s.Sanction.SuspendedUntil.Equal(at("2027-04-01 00:00")) {
			t.Errorf("in March: %+v, want suspended 1 March to 1 April", s.Sanction)
		}
		if s.Phase != workflows.PhaseIntake {
			t.Errorf("the trajectory should carry on underneath, phase %s", s.Phase)
		}
	})
	d.at(at("2027-04-02 12:00"), func() {
		if s := d.state(); s.Sanction.Suspended {
			t.Error("the suspension did not end by itself")
		}
	})
	d.at(at("2027-04-10 12:00"), func() {
		s := d.state()
		if s.Sanction.ActiveProcedureID != "" {
			t.Errorf("procedure still active after the appeal window: %q", s.Sanction.ActiveProcedureID)
		}
		if s.Sanction.LastSuspensionDecidedAt == nil || !s.Sanction.LastSuspensionDecidedAt.Equal(at("2027-01-05")) {
			t.Errorf("last suspension decided at %v", s.Sanction.LastSuspensionDecidedAt)
		}
		d.report("rep-2")
	})
	d.at(at("2027-04-12 10:00"), func() {
		d.sanctionMust(2, workflows.UpdateScheduleHearing, workflows.HearingRequest{By: d.bcsd(), InvitedOn: at("2027-04-12"), HearingOn: at("2027-04-22 10:00")})
	})
	d.at(at("2027-04-22 12:00"), func() {
		d.sanctionMust(2, workflows.UpdateRecordHearing, workflows.HearingHeldRequest{By: d.bcsd(), Held: false})
	})
	d.at(at("2027-05-03 10:00"), func() {
		d.sanctionRefused(2, workflows.UpdateRecordDecision, workflows.DecisionRequest{By: d.bcsd(), Kind: workflows.DecisionSuspend, Months: 4, DecidedOn: at("2027-05-03")}, workflows.ErrTypeInvalidData)
		d.sanctionMust(2, workflows.UpdateRecordDecision, workflows.DecisionRequest{By: d.bcsd(), Kind: workflows.DecisionSuspend, Months: 3, DecidedOn: at("2027-05-03")})
	})
	d.closeAt(at("2027-05-10 12:00"))
	d.run(d.input())

	wantTimes(t, "warning", d.noticesOf("sanction_warning"), "2026-11-10 10:00 bcsd", "2026-11-10 10:00 participant", "2027-04-10 12:00 bcsd", "2027-04-10 12:00 participant")
	wantTimes(t, "invitations", d.noticesOf("sanction_hearing_invitation"), "2026-11-12 10:00 participant", "2027-04-12 10:00 participant")
	wantTimes(t, "hearing reminders", d.noticesOf("sanction_hearing_reminder"),
		"2026-11-22 08:00 bcsd", "2026-11-22 08:00 counsellor", "2026-11-22 08:00 participant",
		"2027-04-20 08:00 bcsd", "2027-04-20 08:00 counsellor", "2027-04-20 08:00 participant")
	wantTimes(t, "decision reminders", d.noticesOf("sanction_decision_reminder"),
		"2026-12-17 08:00 bcsd", "2026-12-17 08:00 counsellor")
	// 30 days after 24 November is 24 December; the decision was late.
	wantTimes(t, "decision escalation", d.noticesOf("sanction_decision_overdue"), "2026-12-25 00:00 coordinator")
	if n := d.noticesOf("sanction_notification_overdue"); len(n) != 0 {
		t.Errorf("notified in time but escalated: %v", n)
	}
}

// Outside the 12-month repeat window, only one month.
func TestRepeatOutsideTwelveMonthsAllowsOneMonth(t *testing.T) {
	d := newDriver(t, at("2026-11-02 09:00"))
	in := d.input()
	previous := at("2025-10-01")
	in.Reentry = &workflows.Reentry{PreviousRunID: "earlier", LastSuspensionDecidedAt: &previous, SanctionProcedures: 1}
	d.at(at("2026-11-03 10:00"), func() { d.report("rep-9") })
	d.at(at("2026-11-04 10:00"), func() {
		d.sanctionMust(2, workflows.UpdateScheduleHearing, workflows.HearingRequest{By: d.bcsd(), InvitedOn: at("2026-11-04"), HearingOn: at("2026-11-16 10:00")})
	})
	d.at(at("2026-11-16 12:00"), func() {
		d.sanctionMust(2, workflows.UpdateRecordHearing, workflows.HearingHeldRequest{By: d.bcsd(), Held: true})
	})
	d.at(at("2026-11-20 10:00"), func() {
		d.sanctionRefused(2, workflows.UpdateRecordDecision, workflows.DecisionRequest{By: d.bcsd(), Kind: workflows.DecisionSuspend, Months: 2, DecidedOn: at("2026-11-20")}, workflows.ErrTypeInvalidData)
		d.sanctionMust(2, workflows.UpdateRecordDecision, workflows.DecisionRequest{By: d.bcsd(), Kind: workflows.DecisionSuspended, Months: 1, DecidedOn: at("2026-11-20")})
	})
	d.closeAt(at("2026-11-21 12:00"))
	d.run(in)
	_ = time.Second
}
