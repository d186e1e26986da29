package workflows_test

import (
	"testing"

	"github.com/traject-ocmw/traject/workflows"
)

// An Article 60 contract from 1 December 2026 (312 days since March 2026)
// ends on 29 November 2027. An absence pushes it later, a coordinator then
// shortens it to 15 October: every reminder, host check and referral
// follows the new date and nothing fires at an old one. The host records
// the first check, signals a problem, leaves the second check late (the
// counsellor is alerted) and, after the end, records that it hires the
// worker. At the end the participant moves to post-Article-60 by itself;
// without an outcome the coordinator is alerted, and after the grace
// period the trajectory closes as "unknown".
func TestArticle60LifeWithMovedEndDate(t *testing.T) {
	d := newDriver(t, at("2026-11-02 09:00"))
	d.at(at("2026-11-03 10:00"), func() { d.must(workflows.UpdateTransition, d.request(workflows.PhaseWork)) })
	d.at(at("2026-11-04 10:00"), func() {
		req := d.request(workflows.PhaseArticle60)
		req.Contract = &workflows.ContractInput{
			HostID: "host-1", Function: "kitchen_help", Regime: "full_time", Start: at("2026-12-01"), AgeAtStart: 41,
			Trainings: []workflows.TrainingInput{{Code: "first_aid", Due: at("2027-01-15")}, {Code: "hygiene", Due: at("2027-02-01")}},
		}
		d.must(workflows.UpdateTransition, req, func(s workflows.State) {
			if c := s.Contract; c == nil || c.End.Format("2006-01-02") != "2027-11-29" || c.RequiredDays != 312 {
				t.Errorf("contract = %+v, want 312 days ending 2027-11-29", c)
			}
		})
	})
	d.at(at("2027-01-10 10:00"), func() {
		d.must(workflows.UpdateRecordTraining, workflows.TrainingDoneRequest{By: d.counsellor(), Code: "first_aid", DoneOn: at("2027-01-10")})
		d.refused(workflows.UpdateRecordTraining, workflows.TrainingDoneRequest{By: d.counsellor(), Code: "forklift", DoneOn: at("2027-01-10")}, workflows.ErrTypeInvalidData)
	})
	d.at(at("2027-03-01 10:00"), func() {
		d.must(workflows.UpdateRecordAbsence, workflows.AbsenceRequest{By: d.counsellor(), Kind: "unjustified", Days: 6}, func(s workflows.State) {
			if got := s.Contract.End.Format("2006-01-02"); got != "2027-12-06" {
				t.Errorf("after 6 non-counting days the end is %s, want 2027-12-06", got)
			}
		})
	})
	d.at(at("2027-06-01 10:00"), func() {
		d.refused(workflows.UpdateChangeContractEnd, workflows.ChangeContractEndRequest{By: d.counsellor(), End: at("2027-10-15")}, workflows.ErrTypeNotPermitted)
		d.must(workflows.UpdateChangeContractEnd, workflows.ChangeContractEndRequest{By: d.coordinator(), End: at("2027-10-15"), ReasonCode: "host_closes"})
	})
	d.at(at("2027-06-20 10:00"), func() {
		check := workflows.HostCheckRequest{By: d.host(), N: 1, HeldOn: at("2027-06-19"), Attendance: "good", Skills: "partly", HiringChance: "possible"}
		d.refused(workflows.UpdateRecordHostCheck, workflows.HostCheckRequest{By: d.host(), N: 3, HeldOn: at("2027-06-19"), Attendance: "good", Skills: "partly", HiringChance: "possible"}, workflows.ErrTypeInvalidData)
		d.refused(workflows.UpdateRecordHostCheck, workflows.HostCheckRequest{By: d.host(), N: 1, HeldOn: at("2027-06-19"), Attendance: "fine"}, workflows.ErrTypeInvalidData, func(err error) {
			if got := fieldsOf(t, err); len(got) != 3 || got[0].Field != "attendance" || got[1].Field != "skills" || got[2].Field != "hiring_chance" {
				t.Errorf("fields at fault %v, want attendance, skills and hiring_chance", got)
			}
		})
		d.must(workflows.UpdateRecordHostCheck, check, func(s workflows.State) {
			if len(s.Contract.Checks) != 1 || s.Contract.Checks[0].By != d.host().ActorID {
				t.Errorf("checks %+v", s.Contract.Checks)
			}
		})
		d.refused(workflows.UpdateRecordHostCheck, check, workflows.ErrTypeNotAllowed)
		d.refused(workflows.UpdateSignalProblem, workflows.SignalRequest{By: d.counsellor(), Category: "health", SignalID: "signal-1"}, workflows.ErrTypeNotPermitted)
		d.must(workflows.UpdateSignalProblem, workflows.SignalRequest{By: d.host(), Category: "health", SignalID: "signal-1"})
	})
	d.at(at("2027-10-16 12:00"), func() {
		if s := d.state(); s.Phase != workflows.PhasePostArticle60 || !s.PhaseSince.Equal(at("2027-10-16 00:00")) {
			t.Errorf("after the end date: phase %s since %s, want post_article60 since 2027-10-16 00:00", s.Phase, s.PhaseSince.In(brussels))
		}
		d.refused(workflows.UpdateSignalProblem, workflows.SignalRequest{By: d.host(), Category: "health", SignalID: "signal-2"}, workflows.ErrTypeNotAllowed)
		d.refused(workflows.UpdateRecordHiring, workflows.HiringRequest{By: d.host(), Start: at("2026-11-01"), Employment: "open_ended"}, workflows.ErrTypeInvalidData)
		hiring := workflows.HiringRequest{By: d.host(), Start: at("2027-11-02"), Employment: "open_ended"}
		d.must(workflows.UpdateRecordHiring, hiring, func(s workflows.State) {
			if h := s.Contract.Hiring; h == nil || h.Employment != "open_ended" {
				t.Errorf("hiring %+v", h)
			}
		})
		d.refused(workflows.UpdateRecordHiring, hiring, workflows.ErrTypeNotAllowed)
	})
	d.run(d.input())

	wantTimes(t, "contract end reminders", d.noticesOf("a60_contract_end_reminder"),
		"2027-08-16 08:00 coordinator", "2027-08-16 08:00 counsellor", "2027-08-16 08:00 host",
		"2027-09-15 08:00 coordinator", "2027-09-15 08:00 counsellor", "2027-09-15 08:00 host",
		"2027-10-08 08:00 coordinator", "2027-10-08 08:00 counsellor", "2027-10-08 08:00 host")
	if host := d.noticesOf("a60_contract_end_reminder")[2]; host.RecipientID != "host-1" {
		t.Errorf("host reminder addressed to %q", host.RecipientID)
	}
	wantTimes(t, "the counsellor's attendance checks (before the host was a party)", d.noticesOf("a60_attendance_check_reminder"))
	wantTimes(t, "host checks", d.noticesOf("a60_host_check_reminder"),
		"2027-06-15 08:00 host", "2027-09-15 08:00 host", "2027-09-26 08:00 host")
	wantTimes(t, "host check late", d.noticesOf("a60_host_check_overdue"), "2027-09-30 00:00 counsellor")
	wantTimes(t, "problem", d.noticesOf("a60_host_signal"), "2027-06-20 10:00 counsellor")
	wantTimes(t, "hiring", d.noticesOf("a60_host_hiring"), "2027-10-16 12:00 counsellor")
	if n := d.noticesOf("a60_host_hiring"); len(n) == 1 && !n[0].Due.Equal(at("2027-11-03")) {
		t.Errorf("the hiring notice is dated %s, want the end of 2 November", n[0].Due.In(brussels))
	}
	wantTimes(t, "referral", d.noticesOf("a60_employment_referral_reminder"), "2027-08-15 08:00 counsellor")
	wantTimes(t, "training reminders", d.noticesOf("a60_training_reminder"),
		"2027-01-01 08:00 counsellor", "2027-01-01 08:00 host", "2027-01-18 08:00 counsellor", "2027-01-18 08:00 host")
	wantTimes(t, "training overdue", d.noticesOf("a60_training_overdue"), "2027-02-02 00:00 coordinator")
	wantTimes(t, "check-ins", d.noticesOf("post_a60_check_in_reminder"),
		"2027-11-16 08:00 counsellor", "2027-12-16 08:00 counsellor", "2028-01-16 08:00 counsellor")
	wantTimes(t, "outcome reminder", d.noticesOf("post_a60_outcome_reminder"), "2028-01-09 08:00 counsellor")
	wantTimes(t, "outcome overdue", d.noticesOf("post_a60_outcome_overdue"), "2028-01-17 00:00 coordinator")

	var final workflows.State
	if err := d.env.GetWorkflowResult(nil); err != nil {
		t.Fatal(err)
	}
	v, err := d.env.QueryWorkflow(workflows.QueryState)
	if err != nil {
		t.Fatal(err)
	}
	if err := v.Get(&final); err != nil {
		t.Fatal(err)
	}
	if final.Phase != workflows.PhaseClosed || final.Outcome != workflows.OutcomeUnknown || !final.PhaseSince.Equal(at("2028-02-16 00:00")) {
		t.Errorf("final: %s %s since %s; want closed, unknown, since 2028-02-16 00:00", final.Phase, final.Outcome, final.PhaseSince.In(brussels))
	}
}

// A recorded outcome closes the follow-up at once.
func TestPostArticle60OutcomeCloses(t *testing.T) {
	d := newDriver(t, at("2026-11-02 09:00"))
	d.at(at("2026-11-03 10:00"), func() { d.must(workflows.UpdateTransition, d.request(workflows.PhaseWork)) })
	d.at(at("2026-11-04 10:00"), func() { d.must(workflows.UpdateTransition, d.request(workflows.PhaseArticle60)) })
	d.at(at("2027-02-01 10:00"), func() {
		d.refused(workflows.UpdateRecordOutcome, workflows.OutcomeRequest{By: d.counsellor(), Outcome: workflows.OutcomeHiredByHost}, workflows.ErrTypeNotAllowed)
		d.must(workflows.UpdateTransition, d.request(workflows.PhasePostArticle60))
	})
	d.at(at("2027-02-15 10:00"), func() {
		d.must(workflows.UpdateRecordCheckIn, workflows.CheckInRequest{By: d.counsellor(), On: at("2027-02-15")})
		d.refused(workflows.UpdateRecordOutcome, workflows.OutcomeRequest{By: d.counsellor(), Outcome: workflows.OutcomeUnknown}, workflows.ErrTypeInvalidData)
		d.must(workflows.UpdateRecordOutcome, workflows.OutcomeRequest{By: d.counsellor(), Outcome: workflows.OutcomeHiredByHost})
	})
	d.run(d.input())
	if n := d.noticesOf("post_a60_outcome_overdue"); len(n) != 0 {
		t.Errorf("outcome recorded but alerted: %v", n)
	}
}

// A run started before the host became a party (LogicLean) takes the new
// logic for a contract it starts now, by its version marker: the host's
// checks are planned. (A contract such a run started before keeps the
// counsellor's attendance checks: the v7 histories replay that.)
func TestARunFromBeforeTheHostPartyTakesItForANewContract(t *testing.T) {
	d := newDriver(t, at("2026-11-02 09:00"))
	d.at(at("2026-11-03 10:00"), func() { d.must(workflows.UpdateTransition, d.request(workflows.PhaseWork)) })
	d.at(at("2026-11-04 10:00"), func() {
		d.must(workflows.UpdateTransition, d.request(workflows.PhaseArticle60), func(s workflows.State) {
			var checks []string
			for _, dl := range s.Deadlines {
				if dl.Kind == workflows.KindHostCheck || dl.Kind == workflows.KindAttendanceCheck {
					checks = append(checks, dl.ID)
				}
			}
			if !s.Contract.HostParty || len(checks) != 2 || checks[0] != "a60.host_check.1" {
				t.Errorf("host party %v, checks %v; want the host's two checks", s.Contract.HostParty, checks)
			}
		})
	})
	d.closeAt(at("2026-11-05 10:00"))
	in := d.input()
	in.Logic = workflows.LogicLean
	d.run(in)
}

// The referral to the employment service completes its deadline: no
// notice on its day, and a moved end does not plan it again. It is the
// counsellor's or the coordinator's, follows a contract, is not dated
// before it and names a service and its contact's record.
func TestEmploymentReferralCompletesItsDeadline(t *testing.T) {
	d := newDriver(t, at("2026-11-02 09:00"))
	referral := func(by workflows.By, on string) workflows.EmploymentReferralRequest {
		return workflows.EmploymentReferralRequest{By: by, Service: "vdab", ReferredOn: at(on), ReferralID: "referral-1"}
	}
	hasReferral := func(s workflows.State) bool {
		for _, dl := range s.Deadlines {
			if dl.ID == "a60.employment_referral" {
				return true
			}
		}
		return false
	}
	d.at(at("2026-11-03 10:00"), func() {
		d.must(workflows.UpdateTransition, d.request(workflows.PhaseWork))
		d.refused(workflows.UpdateRecordEmploymentReferral, referral(d.counsellor(), "2026-11-03"), workflows.ErrTypeNotAllowed)
	})
	d.at(at("2026-11-04 10:00"), func() {
		req := d.request(workflows.PhaseArticle60)
		req.Contract = &workflows.ContractInput{HostID: "host-1", Function: "kitchen_help", Regime: "full_time", Start: at("2026-12-01"), AgeAtStart: 41}
		d.must(workflows.UpdateTransition, req, func(s workflows.State) {
			if !hasReferral(s) {
				t.Errorf("no referral deadline planned: %v", s.Deadlines)
			}
		})
	})
	d.at(at("2027-05-03 10:00"), func() {
		d.refused(workflows.UpdateRecordEmploymentReferral, referral(d.bcsd(), "2027-05-03"), workflows.ErrTypeNotPermitted)
		d.refused(workflows.UpdateRecordEmploymentReferral, workflows.EmploymentReferralRequest{By: d.counsellor(), Service: "le_forem", ReferredOn: at("2026-11-30")},
			workflows.ErrTypeInvalidData, func(err error) {
				if got := fieldsOf(t, err); len(got) != 3 || got[0].Field != "service" || got[1].Field != "referred_on" || got[2].Field != "referral_id" {
					t.Errorf("fields at fault %v, want service, referred_on and referral_id", got)
				}
			})
		d.must(workflows.UpdateRecordEmploymentReferral, referral(d.counsellor(), "2027-05-03"), func(s workflows.State) {
			if r := s.Contract.Referral; r == nil || r.Service != "vdab" || r.ID != "referral-1" || hasReferral(s) {
				t.Errorf("referral %+v, deadline still open %v", r, hasReferral(s))
			}
		})
	})
	d.at(at("2027-06-01 10:00"), func() {
		d.must(workflows.UpdateRecordAbsence, workflows.AbsenceRequest{By: d.counsellor(), Kind: "unjustified", Days: 6}, func(s workflows.State) {
			if hasReferral(s) {
				t.Errorf("a moved end planned the recorded referral again")
			}
		})
	})
	d.closeAt(at("2027-06-02 10:00"))
	d.run(d.input())
	wantTimes(t, "referral", d.noticesOf("a60_employment_referral_reminder"))
}
