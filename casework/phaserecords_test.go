package casework_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/traject-ocmw/traject/casework"
	"github.com/traject-ocmw/traject/domain"
	"github.com/traject-ocmw/traject/workflows"
)

// The records of phases 3 and 4 and civic integration, each write through
// casework: it succeeds for the dossier's counsellor (read back, audited,
// on the timeline without the names written), names each bad field, and
// is refused to a role that does not write dossiers (the BCSD: 403) and
// to a counsellor whose dossier it is not (404).
func TestPhaseRecordWrites(t *testing.T) {
	run := t.Name() + "-" + uuid.NewString()
	e := newEnv(t)
	ctx := context.Background()
	an := e.caller(domain.RoleCounsellor, e.fx.CounsellorID)
	an.Key = run
	id, err := e.work.CreateParticipant(ctx, an, casework.NewParticipant{GivenName: "Mehdi", FamilyName: "Aziz", BirthDate: "1990-05-17",
		NationalNumber: "90051712331", Language: "fr", CounsellorID: e.fx.CounsellorID, LeefloonDecisionDate: "2026-11-02"})
	if err != nil {
		t.Fatal(err)
	}
	e.state(t, id, func(workflows.State) bool { return true })
	bcsd := e.caller(domain.RoleBCSD, e.fx.BCSDID)
	bram := e.caller(domain.RoleCounsellor, e.fx.Counsellor2ID)
	future := time.Now().AddDate(0, 0, 5).Format(time.DateOnly)
	refused := func(what string, err error) {
		t.Helper()
		if status(err) != http.StatusForbidden {
			t.Errorf("%s by the BCSD: %v, want 403", what, err)
		}
	}
	notTheirs := func(what string, err error) {
		t.Helper()
		if status(err) != http.StatusNotFound {
			t.Errorf("%s by another counsellor: %v, want 404", what, err)
		}
	}
	want := func(what string, err error, faults map[string]domain.Code) {
		t.Helper()
		got := fields(err)
		if status(err) != http.StatusUnprocessableEntity || len(got) != len(faults) {
			t.Errorf("%s: %v (%v), want 422 naming %v", what, got, err, faults)
			return
		}
		for f, code := range faults {
			if got[f] != code {
				t.Errorf("%s: %s is %q, want %q", what, f, got[f], code)
			}
		}
	}

	{ // programme
		_, err := e.work.AddProgramme(ctx, an, id, casework.ProgrammeInput{School: " ", Name: "Zorg\x00kundige", StartsOn: "2026-09-01", ExpectedEndOn: "2026-08-01"})
		want("a programme without a school, a NUL in its name, ending before it starts", err,
			map[string]domain.Code{"school": domain.Required, "name": domain.NotText, "expected_end_on": domain.NotBefore})
		_, err = e.work.AddProgramme(ctx, an, id, casework.ProgrammeInput{School: "CVO", Name: "Zorgkundige", StartsOn: "01/09/2026"})
		want("a programme with a day as typed, without an end", err, map[string]domain.Code{"starts_on": domain.NotDate, "expected_end_on": domain.Required})
		in := casework.ProgrammeInput{School: "CVO Brussel", Name: "Zorgkundige", StartsOn: "2025-09-01", ExpectedEndOn: "2026-06-30"}
		_, err = e.work.AddProgramme(ctx, bcsd, id, in)
		refused("a programme", err)
		_, err = e.work.AddProgramme(ctx, bram, id, in)
		notTheirs("a programme", err)
		c := an
		c.Key = run + "-programme"
		p, err := e.work.AddProgramme(ctx, c, id, in)
		if err != nil || p.School != "CVO Brussel" || p.StartsOn != "2025-09-01" || p.ExpectedEndOn != "2026-06-30" || p.Result != nil {
			t.Fatalf("a programme: %+v %v", p, err)
		}
		if again, err := e.work.AddProgramme(ctx, c, id, in); err != nil || again.ID != p.ID {
			t.Errorf("the same write again: %+v %v", again, err)
		}

		_, err = e.work.RecordProgrammeResult(ctx, an, id, p.ID, casework.ProgrammeResult{Result: "graduated", On: future})
		want("a result that is none, on a day to come", err, map[string]domain.Code{"result": domain.OneOf, "on": domain.InFuture})
		_, err = e.work.RecordProgrammeResult(ctx, an, id, p.ID, casework.ProgrammeResult{Result: "diploma", On: "2025-08-01"})
		want("a result before the start", err, map[string]domain.Code{"on": domain.NotBefore})
		_, err = e.work.RecordProgrammeResult(ctx, bcsd, id, p.ID, casework.ProgrammeResult{Result: "diploma"})
		refused("a result", err)
		if _, err := e.work.RecordProgrammeResult(ctx, an, id, uuid.NewString(), casework.ProgrammeResult{Result: "diploma"}); status(err) != http.StatusNotFound {
			t.Errorf("the result of another programme: %v", err)
		}
		done, err := e.work.RecordProgrammeResult(ctx, an, id, p.ID, casework.ProgrammeResult{Result: "certificate", On: "2026-06-30"})
		if err != nil || done.Result == nil || *done.Result != "certificate" || *done.ResultOn != "2026-06-30" {
			t.Errorf("a result: %+v %v", done, err)
		}
	}

	{ // student job
		_, err := e.work.AddStudentJob(ctx, an, id, casework.StudentJobInput{Employer: strings.Repeat("x", 201), From: "2026-07-31", To: "2026-07-01"})
		want("a student job with a long employer, ending before it starts", err, map[string]domain.Code{"employer": domain.TooLong, "to": domain.NotBefore})
		in := casework.StudentJobInput{Employer: "Delhaize", From: "2026-07-01", To: "2026-07-31"}
		_, err = e.work.AddStudentJob(ctx, bcsd, id, in)
		refused("a student job", err)
		_, err = e.work.AddStudentJob(ctx, bram, id, in)
		notTheirs("a student job", err)
		j, err := e.work.AddStudentJob(ctx, an, id, in)
		if err != nil || j.Employer != "Delhaize" || j.From != "2026-07-01" || j.To != "2026-07-31" {
			t.Errorf("a student job: %+v %v", j, err)
		}
	}

	{ // placement
		_, err := e.work.AddPlacement(ctx, an, id, casework.PlacementInput{Kind: "internship", Company: "", From: "2026-03-01", To: "yesterday"})
		want("a placement of no kind, without a company, with a bad end", err,
			map[string]domain.Code{"kind": domain.OneOf, "company": domain.Required, "to": domain.NotDate})
		in := casework.PlacementInput{Kind: "ibo", Company: "Bakkerij Peeters", From: "2026-03-01", To: "2026-08-31"}
		_, err = e.work.AddPlacement(ctx, bcsd, id, in)
		refused("a placement", err)
		_, err = e.work.AddPlacement(ctx, bram, id, in)
		notTheirs("a placement", err)
		p, err := e.work.AddPlacement(ctx, an, id, in)
		if err != nil || p.Kind != "ibo" || p.Company != "Bakkerij Peeters" || p.EndedOn != nil {
			t.Fatalf("a placement: %+v %v", p, err)
		}

		_, err = e.work.EndPlacement(ctx, an, id, p.ID, casework.PlacementEnd{On: "2026-02-01"})
		want("an end before the start, early or not unsaid", err, map[string]domain.Code{"on": domain.NotBefore, "ended_early": domain.Required})
		early := true
		_, err = e.work.EndPlacement(ctx, an, id, p.ID, casework.PlacementEnd{On: future, EndedEarly: &early})
		want("an end to come", err, map[string]domain.Code{"on": domain.InFuture})
		_, err = e.work.EndPlacement(ctx, bcsd, id, p.ID, casework.PlacementEnd{EndedEarly: &early})
		refused("a placement's end", err)
		ended, err := e.work.EndPlacement(ctx, an, id, p.ID, casework.PlacementEnd{On: "2026-06-30", EndedEarly: &early})
		if err != nil || ended.EndedOn == nil || *ended.EndedOn != "2026-06-30" || ended.EndedEarly == nil || !*ended.EndedEarly {
			t.Errorf("a placement's end: %+v %v", ended, err)
		}
	}

	{ // civic integration
		in := casework.CivicInput{Obligation: "obliged", ReferredOn: "2026-02-01", Status: "following"}
		// The fixture's centre is in Brussels; the default policy records
		// civic integration in Flanders only.
		_, err := e.work.SetCivicIntegration(ctx, an, id, in)
		want("civic integration outside the policy's regions", err, map[string]domain.Code{"obligation": domain.CivicNotInRegion})
		pol, err := e.st.LoadPolicy(ctx, e.fx.CentreID)
		if err != nil {
			t.Fatal(err)
		}
		pol.CivicIntegration.Regions = append(pol.CivicIntegration.Regions, "brussels")
		if _, err := e.st.SavePolicy(ctx, e.fx.CentreID, pol, e.fx.CoordinatorID); err != nil {
			t.Fatal(err)
		}
		_, err = e.work.SetCivicIntegration(ctx, an, id, casework.CivicInput{Obligation: "maybe", ReferredOn: future, Status: "done"})
		want("an obligation, a day and a status that are none", err,
			map[string]domain.Code{"obligation": domain.OneOf, "referred_on": domain.InFuture, "status": domain.OneOf})
		_, err = e.work.SetCivicIntegration(ctx, bcsd, id, in)
		refused("civic integration", err)
		_, err = e.work.SetCivicIntegration(ctx, bram, id, in)
		notTheirs("civic integration", err)
		c, err := e.work.SetCivicIntegration(ctx, an, id, in)
		if err != nil || c.Obligation != "obliged" || c.Status != "following" || c.ReferredOn == nil || *c.ReferredOn != "2026-02-01" {
			t.Errorf("civic integration: %+v %v", c, err)
		}
	}

	// Read back whole, by those who read dossiers; a host's user may not.
	recs, err := e.work.ReadPhaseRecords(ctx, e.caller(domain.RoleCoordinator, e.fx.CoordinatorID), id)
	if err != nil || len(recs.Programmes) != 1 || len(recs.StudentJobs) != 1 || len(recs.Placements) != 1 || recs.Civic == nil {
		t.Errorf("the records: %+v %v", recs, err)
	}
	if _, err := e.work.ReadPhaseRecords(ctx, casework.Caller{UserID: e.fx.CounsellorID, Role: domain.RoleHost, HostID: uuid.NewString()}, id); status(err) != http.StatusForbidden {
		t.Errorf("a host reads the records: %v", err)
	}
	// Each write on the timeline, with IDs, days and codes only; each
	// audited, the refusals as refused.
	var kinds, data string
	if err := e.db.QueryRow(ctx, `SELECT string_agg(kind, ',' ORDER BY id), string_agg(data::text, ' ') FROM timeline_events
		WHERE participant_id = $1 AND kind = ANY($2)`, id, []string{"programme_started", "programme_result", "student_job_recorded", "placement_started", "placement_ended", "civic_integration_recorded"}).Scan(&kinds, &data); err != nil {
		t.Fatal(err)
	}
	if kinds != "programme_started,programme_result,student_job_recorded,placement_started,placement_ended,civic_integration_recorded" {
		t.Errorf("the timeline's events: %s", kinds)
	}
	for _, name := range []string{"CVO", "Zorgkundige", "Delhaize", "Bakkerij"} {
		if strings.Contains(data, name) {
			t.Errorf("the timeline holds %q: %s", name, data)
		}
	}
	for action, want := range map[string]string{"add_programme": "ok", "record_programme_result": "ok", "add_student_job": "ok", "add_placement": "ok",
		"end_placement": "ok", "set_civic_integration": "ok"} {
		if got := e.outcomes(t, action); len(got) == 0 || !strings.Contains(strings.Join(got, ","), want) {
			t.Errorf("the audit of %s: %v, want an entry %s", action, got, want)
		}
	}
}
