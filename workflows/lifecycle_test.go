package workflows_test

import (
	"errors"
	"slices"
	"testing"

	"go.temporal.io/sdk/workflow"

	"github.com/traject-ocmw/traject/workflows"
)

// After a reassignment every later reminder goes to the new counsellor;
// the ones already sent stay with the old one.
func TestReassignmentMovesEveryFutureReminder(t *testing.T) {
	d := newDriver(t, at("2026-11-02 09:00"))
	d.at(at("2027-01-10 10:00"), func() {
		d.refused(workflows.UpdateReassignCounsellor, workflows.ReassignRequest{By: d.counsellor(), CounsellorID: d.fx.Counsellor2ID}, workflows.ErrTypeNotPermitted)
		d.must(workflows.UpdateReassignCounsellor, workflows.ReassignRequest{By: d.coordinator(), CounsellorID: d.fx.Counsellor2ID})
	})
	d.closeAt(at("2027-02-10 12:00"))
	d.run(d.input())

	got := d.noticesOf("gpmi_sign_reminder")
	if len(got) != 2 {
		t.Fatalf("reminders: %v", got)
	}
	if got[0].RecipientID != d.fx.CounsellorID || got[1].RecipientID != d.fx.Counsellor2ID {
		t.Errorf("reminders went to %s then %s; want the first counsellor, then the second", got[0].RecipientID, got[1].RecipientID)
	}
}

// When the server suggests it, the trajectory continues as new with its
// whole state: every open deadline and sent reminder carries over, and the
// next run fires what is left at the same instants.
func TestContinueAsNewKeepsEveryOpenDeadline(t *testing.T) {
	d := newDriver(t, at("2026-11-02 09:00"))
	d.at(at("2026-11-03 10:00"), func() { d.must(workflows.UpdateTransition, d.request(workflows.PhaseWork)) })
	d.at(at("2026-11-04 10:00"), func() { d.must(workflows.UpdateTransition, d.request(workflows.PhaseArticle60)) })
	var before workflows.State
	d.at(at("2027-01-05 10:00"), func() {
		before = d.state()
		d.env.SetContinueAsNewSuggested(true)
		d.must(workflows.UpdateRecordAbsence, workflows.AbsenceRequest{By: d.counsellor(), Kind: "unpaid_leave", Days: 1})
	})
	d.env.ExecuteWorkflow(workflows.TrajectoryWorkflowName, d.input())
	var can *workflow.ContinueAsNewError
	if err := d.env.GetWorkflowError(); !errors.As(err, &can) {
		t.Fatalf("want continue-as-new, got %v", err)
	}
	var next workflows.TrajectoryInput
	if err := decodeInput(can, &next); err != nil {
		t.Fatal(err)
	}
	carried := next.Resume
	if carried == nil {
		t.Fatal("continue-as-new carried no state")
	}
	if carried.Version != before.Version+1 || carried.Run != 0 {
		t.Errorf("carried version %d (run %d), want %d", carried.Version, carried.Run, before.Version+1)
	}
	var ids []string
	for _, dl := range carried.Deadlines {
		ids = append(ids, dl.ID)
	}
	for _, want := range []string{"gpmi.sign", "a60.end", "a60.host_check.1", "a60.host_check.2", "a60.employment_referral"} {
		if !slices.Contains(ids, want) {
			t.Errorf("deadline %s lost across continue-as-new; carried %v", want, ids)
		}
	}
	for _, dl := range carried.Deadlines {
		if dl.ID == "gpmi.sign" && (len(dl.Reminders) != 2 || !dl.Reminders[0].Sent || dl.Reminders[1].Sent) {
			t.Errorf("gpmi.sign reminders carried as %+v; want the first sent, the second not", dl.Reminders)
		}
	}

	// The next run picks up where the first stopped.
	d2 := newDriverOn(t, d.db, d.fx, at("2027-01-05 10:00"))
	d2.closeAt(at("2027-02-10 12:00"))
	d2.run(next)
	wantTimes(t, "second run sign reminder", d2.noticesOf("gpmi_sign_reminder"), "2027-01-26 08:00 counsellor")
	wantTimes(t, "second run sign overdue", d2.noticesOf("gpmi_sign_overdue"), "2027-02-03 00:00 coordinator")
}

// A closed participant re-enters: a new trajectory counts on from the old
// one's version, the read model shows the new one, and the timeline keeps
// both.
func TestReentryKeepsTheHistoryAndMovesTheReadModel(t *testing.T) {
	d := newDriver(t, at("2026-11-02 09:00"))
	d.closeAt(at("2026-11-03 10:00"))
	d.run(d.input())
	closed := d.state()

	d2 := newDriverOn(t, d.db, d.fx, at("2027-03-01 09:00"))
	in := d2.input()
	in.LeefloonDecisionDate = at("2027-02-20")
	in.Reentry = &workflows.Reentry{PreviousRunID: "first", PreviousVersion: closed.Version}
	d2.closeAt(at("2027-03-02 10:00"))
	d2.run(in)

	var events, version int64
	var phase string
	ctx := t.Context()
	if err := d.db.QueryRow(ctx, `SELECT count(*) FROM timeline_events WHERE participant_id = $1`, d.fx.ParticipantID).Scan(&events); err != nil {
		t.Fatal(err)
	}
	if err := d.db.QueryRow(ctx, `SELECT phase, version FROM trajectories WHERE participant_id = $1`, d.fx.ParticipantID).Scan(&phase, &version); err != nil {
		t.Fatal(err)
	}
	if events != 4 {
		t.Errorf("timeline holds %d events, want 4 (started and closed, twice)", events)
	}
	if version != closed.Version+2 {
		t.Errorf("read model at version %d, want %d: the re-entry's writes were dropped", version, closed.Version+2)
	}
}
