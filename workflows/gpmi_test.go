package workflows_test

import (
	"testing"

	"github.com/traject-ocmw/traject/notify"
	"github.com/traject-ocmw/traject/policy"
	"github.com/traject-ocmw/traject/testenv"
	"github.com/traject-ocmw/traject/worker"
	"github.com/traject-ocmw/traject/workflows"
)

// The GPMI is due 3 months after the leefloon decision (2 Nov -> 2 Feb),
// with reminders to the counsellor 30 and 7 days before at 08:00, and an
// overdue alert to the coordinator once the day is over.
func TestGPMISignatureRemindersThenOverdueAlert(t *testing.T) {
	d := newDriver(t, at("2026-11-02 09:00"))
	d.closeAt(at("2027-02-10 12:00"))
	d.run(d.input())

	wantTimes(t, "sign reminders", d.noticesOf("gpmi_sign_reminder"),
		"2027-01-03 08:00 counsellor", "2027-01-26 08:00 counsellor")
	wantTimes(t, "sign overdue", d.noticesOf("gpmi_sign_overdue"),
		"2027-02-03 00:00 coordinator")
}

// Once signed, no further signature reminder; evaluations every 4 months
// with a reminder 14 days before, an alert when one is missed, and the next
// one counted from the evaluation actually held.
func TestGPMIEvaluationsAndMissedEvaluationAlert(t *testing.T) {
	d := newDriver(t, at("2026-11-02 09:00"))
	d.at(at("2027-01-15 10:00"), func() {
		d.must(workflows.UpdateSignGPMI, workflows.SignGPMIRequest{By: d.counsellor(), SignedOn: at("2027-01-15")}, func(s workflows.State) {
			if len(s.Deadlines) != 1 || s.Deadlines[0].ID != "gpmi.evaluation.1" {
				t.Errorf("after signing, deadlines = %+v", s.Deadlines)
			}
		})
	})
	d.at(at("2027-05-20 10:00"), func() {
		d.must(workflows.UpdateRecordEvaluation, workflows.EvaluationRequest{By: d.counsellor(), HeldOn: at("2027-05-20"), FaceToFace: true})
	})
	d.at(at("2027-06-01 10:00"), func() {
		d.refused(workflows.UpdateSignGPMI, workflows.SignGPMIRequest{By: d.counsellor(), SignedOn: at("2027-06-01")}, workflows.ErrTypeNotAllowed)
		d.must(workflows.UpdateAmendGPMI, workflows.AmendGPMIRequest{By: d.counsellor(), AmendedOn: at("2027-06-01"), AmendmentID: "amend-1"})
	})
	d.closeAt(at("2027-09-15 12:00"))
	d.run(d.input())

	wantTimes(t, "sign reminders", d.noticesOf("gpmi_sign_reminder"), "2027-01-03 08:00 counsellor")
	if n := d.noticesOf("gpmi_sign_overdue"); len(n) != 0 {
		t.Errorf("signed in time but alerted: %v", n)
	}
	wantTimes(t, "evaluation reminders", d.noticesOf("gpmi_evaluation_reminder"),
		"2027-05-01 08:00 counsellor", "2027-09-06 08:00 counsellor")
	wantTimes(t, "evaluation overdue", d.noticesOf("gpmi_evaluation_overdue"),
		"2027-05-16 00:00 coordinator")
}

// Three evaluations a year, two of them face to face: once the remaining
// evaluations of the year are all needed in person, their reminders say so.
func TestEvaluationMarkedFaceToFaceWhenTheQuotaNeedsIt(t *testing.T) {
	d := newDriver(t, at("2026-11-02 09:00"))
	d.at(at("2027-01-15 10:00"), func() {
		d.must(workflows.UpdateSignGPMI, workflows.SignGPMIRequest{By: d.counsellor(), SignedOn: at("2027-01-15")})
	})
	d.at(at("2027-05-10 10:00"), func() {
		d.must(workflows.UpdateRecordEvaluation, workflows.EvaluationRequest{By: d.counsellor(), HeldOn: at("2027-05-10"), FaceToFace: false})
	})
	d.closeAt(at("2027-09-01 12:00"))
	d.run(d.input())

	got := d.noticesOf("gpmi_evaluation_reminder")
	wantTimes(t, "evaluation reminders", got, "2027-05-01 08:00 counsellor", "2027-08-27 08:00 counsellor")
	if got[0].Note != "" || got[1].Note != "face_to_face" {
		t.Errorf("notes %q, %q; want none, then face_to_face (two in person still needed, two evaluations left)", got[0].Note, got[1].Note)
	}
}

// Reminders keep 08:00 Brussels time across the daylight-saving changes:
// 28 March 2027 (clocks forward) and 31 October 2027 (clocks back).
func TestRemindersKeepLocalTimeAcrossDaylightSaving(t *testing.T) {
	d := newDriver(t, at("2027-01-20 09:00"))
	in := d.input()
	in.LeefloonDecisionDate = at("2027-01-27") // GPMI due 27 April: reminders 28 March and 20 April
	d.at(at("2027-03-29 10:00"), func() {
		d.must(workflows.UpdateSignGPMI, workflows.SignGPMIRequest{By: d.counsellor(), SignedOn: at("2027-03-29")})
	})
	// The evaluation after that falls on 29 July; the next on 29 November,
	// whose reminder is on 15 November, after the autumn change.
	d.at(at("2027-07-29 10:00"), func() {
		d.must(workflows.UpdateRecordEvaluation, workflows.EvaluationRequest{By: d.counsellor(), HeldOn: at("2027-07-29"), FaceToFace: true})
	})
	d.closeAt(at("2027-11-20 12:00"))
	d.run(in)

	got := d.noticesOf("gpmi_sign_reminder")
	wantTimes(t, "sign reminder", got, "2027-03-28 08:00 counsellor")
	if utc := got[0].At.UTC().Format("15:04"); utc != "06:00" {
		t.Errorf("summer-time reminder at %s UTC, want 06:00", utc)
	}
	evals := d.noticesOf("gpmi_evaluation_reminder")
	wantTimes(t, "evaluation reminders", evals, "2027-07-15 08:00 counsellor", "2027-11-15 08:00 counsellor")
	if utc := evals[1].At.UTC().Format("15:04"); utc != "07:00" {
		t.Errorf("winter-time reminder at %s UTC, want 07:00", utc)
	}
}

// With the mail relay unreachable, a reminder is retried for the policy's
// budget, then marked failed; the dossier records it, the coordinator's
// alert is attempted, and the trajectory carries on to its next deadline.
func TestUndeliverableReminderIsRecordedAndTheTrajectoryCarriesOn(t *testing.T) {
	db := testenv.Database(t)
	fx := testenv.Seed(t, db)
	dead, err := notify.NewMailer(notify.SMTP{Host: "127.0.0.1", Port: testenv.FreePort(t), TLS: "none", From: "traject@ocmw.example"})
	if err != nil {
		t.Fatal(err)
	}
	d := newDriverWith(t, db, fx, at("2026-11-02 09:00"), worker.Dependencies{DB: db, Mailer: dead})
	d.savePolicy(func(p *policy.Policy) { p.Notifications.RetryFor = policy.Seconds(3600) })
	d.closeAt(at("2027-02-10 12:00"))
	d.run(d.input())

	ctx := t.Context()
	var undelivered int
	if err := db.QueryRow(ctx, `SELECT count(*) FROM timeline_events WHERE kind = 'notice_undelivered'`).Scan(&undelivered); err != nil {
		t.Fatal(err)
	}
	// Two reminders and the overdue alert could not be delivered.
	if undelivered != 3 {
		t.Errorf("%d notice_undelivered events, want 3", undelivered)
	}
	var failed, pending int
	if err := db.QueryRow(ctx, `SELECT count(*) FILTER (WHERE status = 'failed'), count(*) FILTER (WHERE status = 'pending') FROM outbox`).Scan(&failed, &pending); err != nil {
		t.Fatal(err)
	}
	if pending != 0 || failed == 0 {
		t.Errorf("outbox: %d failed, %d pending; want every row failed", failed, pending)
	}
	wantTimes(t, "the overdue alert still came", d.noticesOf("gpmi_sign_overdue")[:1], "2027-02-03 00:00 coordinator")
}

// An exemption stops the GPMI's deadlines and plans its review: reminded
// to the counsellor, alerted to the coordinator when missed; leaving the
// exemption ends the review and the GPMI is due again.
func TestExemptionIsReviewed(t *testing.T) {
	d := newDriver(t, at("2026-11-02 09:00"))
	d.at(at("2026-11-10 10:00"), func() {
		d.must(workflows.UpdateTransition, workflows.TransitionRequest{By: d.coordinator(), To: workflows.PhaseExempt,
			Exemption: &workflows.ExemptionInput{Ground: "health", ReasonID: "reason-1", ReviewOn: at("2027-05-10")}}, func(s workflows.State) {
			if len(s.Deadlines) != 1 || s.Deadlines[0].Kind != workflows.KindExemptionReview || s.Exemption == nil || s.Exemption.Ground != "health" {
				t.Errorf("exempt: deadlines %+v, exemption %+v", s.Deadlines, s.Exemption)
			}
		})
	})
	d.at(at("2027-05-20 10:00"), func() {
		d.must(workflows.UpdateTransition, workflows.TransitionRequest{By: d.coordinator(), To: workflows.PhaseWork}, func(s workflows.State) {
			if s.Exemption != nil || len(s.Deadlines) != 1 || s.Deadlines[0].Kind != workflows.KindGPMISign {
				t.Errorf("back to work: deadlines %+v, exemption %+v", s.Deadlines, s.Exemption)
			}
		})
	})
	d.closeAt(at("2027-06-01 12:00"))
	d.run(d.input())

	wantTimes(t, "review reminders", d.noticesOf("exemption_review_reminder"), "2027-04-26 08:00 counsellor")
	wantTimes(t, "review overdue", d.noticesOf("exemption_review_overdue"), "2027-05-11 00:00 coordinator")
}
