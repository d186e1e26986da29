package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

// The records of phases 3 and 4 through the API: a counsellor records a
// programme, its result, a student job and an IBO that ends early; each
// is listed, on the timeline without the names written, audited, and bad
// input is refused naming each field at fault.
func TestPhaseRecordsThroughTheAPI(t *testing.T) {
	a := newAPITest(t)
	ctx := context.Background()
	sara := a.create(a.participant())
	p := "/v1/participants/" + sara
	brussels, err := time.LoadLocation("Europe/Brussels")
	if err != nil {
		t.Fatal(err)
	}
	today := time.Now().In(brussels).Format(time.DateOnly) // the service's day

	refused := func(what, path string, body map[string]any, fields ...string) {
		t.Helper()
		status, raw := a.do("POST", path, "an", body)
		_, named := problem(t, raw)
		if status != http.StatusUnprocessableEntity {
			t.Errorf("%s: %d, want 422: %s", what, status, raw)
		}
		for _, f := range fields {
			if !slices.Contains(named, f) {
				t.Errorf("%s: %s not named: %s", what, f, raw)
			}
		}
	}
	refused("an empty programme", p+"/programmes", map[string]any{}, "school", "name", "starts_on", "expected_end_on")
	refused("a programme ending before it starts", p+"/programmes",
		map[string]any{"school": "CVO Brussel", "name": "Zorgkundige", "starts_on": "2026-09-01", "expected_end_on": "2026-08-31"}, "expected_end_on")
	refused("a malformed day", p+"/programmes",
		map[string]any{"school": "CVO Brussel", "name": "Zorgkundige", "starts_on": "1 september", "expected_end_on": "2027-06-30"}, "starts_on")

	status, raw := a.do("POST", p+"/programmes", "an",
		map[string]any{"school": " CVO Brussel ", "name": "Zorgkundige", "starts_on": "2025-09-01", "expected_end_on": "2026-06-30"})
	var prog struct {
		ID, School string
		Result     *string
	}
	if _ = json.Unmarshal(raw, &prog); status != http.StatusCreated || prog.ID == "" || prog.School != "CVO Brussel" || prog.Result != nil {
		t.Fatalf("a programme: %d %s", status, raw)
	}
	refused("an unknown result", p+"/programmes/"+prog.ID+"/result", map[string]any{"result": "honours"}, "result")
	refused("a result before the start", p+"/programmes/"+prog.ID+"/result", map[string]any{"result": "diploma", "on": "2025-08-01"}, "on")
	refused("a result to come", p+"/programmes/"+prog.ID+"/result", map[string]any{"result": "diploma", "on": "2999-01-01"}, "on")
	status, raw = a.do("POST", p+"/programmes/"+prog.ID+"/result", "an", map[string]any{"result": "certificate", "on": "2026-06-30"})
	if _ = json.Unmarshal(raw, &prog); status != http.StatusOK || prog.Result == nil || *prog.Result != "certificate" {
		t.Fatalf("a result: %d %s", status, raw)
	}
	if status, raw := a.do("POST", p+"/programmes/00000000-0000-0000-0000-000000000000/result", "an", map[string]any{"result": "diploma"}); status != http.StatusNotFound {
		t.Errorf("an unknown programme: %d %s", status, raw)
	}

	refused("an empty student job", p+"/student-jobs", map[string]any{}, "employer", "from", "to")
	refused("a student job ending before it starts", p+"/student-jobs",
		map[string]any{"employer": "Delhaize", "from": "2026-07-10", "to": "2026-07-01"}, "to")
	if status, raw := a.do("POST", p+"/student-jobs", "an", map[string]any{"employer": "Delhaize", "from": "2026-07-01", "to": "2026-07-31"}); status != http.StatusCreated {
		t.Fatalf("a student job: %d %s", status, raw)
	}

	refused("an unknown placement", p+"/placements", map[string]any{"kind": "internship"}, "kind", "company", "from", "to")
	refused("a placement ending before it starts", p+"/placements",
		map[string]any{"kind": "ibo", "company": "Bakkerij Peeters", "from": "2026-03-01", "to": "2026-02-01"}, "to")
	status, raw = a.do("POST", p+"/placements", "an",
		map[string]any{"kind": "ibo", "company": "Bakkerij Peeters", "from": "2026-03-01", "to": "2099-02-28"})
	var pl struct {
		ID         string
		EndedOn    *string `json:"ended_on"`
		EndedEarly *bool   `json:"ended_early"`
	}
	if _ = json.Unmarshal(raw, &pl); status != http.StatusCreated || pl.ID == "" || pl.EndedOn != nil {
		t.Fatalf("a placement: %d %s", status, raw)
	}
	refused("an end without early", p+"/placements/"+pl.ID+"/end", map[string]any{}, "ended_early")
	refused("an end before the start", p+"/placements/"+pl.ID+"/end", map[string]any{"on": "2026-02-01", "ended_early": true}, "on")
	status, raw = a.do("POST", p+"/placements/"+pl.ID+"/end", "an", map[string]any{"ended_early": true})
	if _ = json.Unmarshal(raw, &pl); status != http.StatusOK || pl.EndedOn == nil || *pl.EndedOn != today || pl.EndedEarly == nil || !*pl.EndedEarly {
		t.Fatalf("an end: %d %s", status, raw)
	}

	// Bram holds another caseload: the dossier is not his to write.
	if status, raw := a.do("POST", p+"/student-jobs", "bram", map[string]any{"employer": "X", "from": "2026-07-01", "to": "2026-07-31"}); status != http.StatusNotFound {
		t.Errorf("another counsellor: %d %s", status, raw)
	}

	status, raw = a.do("GET", p+"/phase-records", "an", nil)
	var recs struct {
		Programmes  []json.RawMessage
		StudentJobs []json.RawMessage `json:"student_jobs"`
		Placements  []json.RawMessage
	}
	if _ = json.Unmarshal(raw, &recs); status != http.StatusOK || len(recs.Programmes) != 1 || len(recs.StudentJobs) != 1 || len(recs.Placements) != 1 {
		t.Fatalf("the records: %d %s", status, raw)
	}

	// The timeline has each step, and none of the names written.
	var kinds []string
	rows, err := a.db.Query(ctx, `SELECT kind, data::text FROM timeline_events WHERE participant_id = $1`, sara)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var kind, data string
		if err := rows.Scan(&kind, &data); err != nil {
			t.Fatal(err)
		}
		kinds = append(kinds, kind)
		for _, name := range []string{"CVO", "Zorgkundige", "Delhaize", "Bakkerij"} {
			if strings.Contains(data, name) {
				t.Errorf("the timeline holds %q: %s", name, data)
			}
		}
	}
	for _, k := range []string{"programme_started", "programme_result", "student_job_recorded", "placement_started", "placement_ended"} {
		if !slices.Contains(kinds, k) {
			t.Errorf("no %s on the timeline: %v", k, kinds)
		}
	}
	// Each write and the read are audited.
	var audited int
	if err := a.db.QueryRow(ctx, `SELECT count(DISTINCT action) FROM audit_log WHERE outcome = 'ok' AND action IN
		('add_programme', 'record_programme_result', 'add_student_job', 'add_placement', 'end_placement', 'read_phase_records')`).Scan(&audited); err != nil {
		t.Fatal(err)
	}
	if audited != 6 {
		t.Errorf("%d actions audited, want 6", audited)
	}
}

// Civic integration is recorded where the centre's policy has it: by
// default Flanders alone, so a Brussels centre is refused naming
// obligation until its coordinator adds its region; then the dossier
// carries it and the caseload filters on it.
func TestCivicIntegrationFollowsThePolicy(t *testing.T) {
	a := newAPITest(t)
	sara := a.create(a.participant())
	body := a.participant()
	body["national_number"], body["birth_date"] = validNN("1991-02-03", 200), "1991-02-03"
	other := a.create(body)
	p := "/v1/participants/" + sara
	civic := map[string]any{"obligation": "obliged", "referred_on": "2026-02-01", "status": "following"}

	status, raw := a.do("PUT", p+"/civic-integration", "an", civic)
	if _, named := problem(t, raw); status != http.StatusUnprocessableEntity || !slices.Equal(named, []string{"obligation"}) {
		t.Fatalf("in Brussels by default: %d %s", status, raw)
	}
	if status, raw := a.do("PUT", "/v1/policy", "coordinator", map[string]any{"civic_integration": map[string]any{"regions": []string{"flanders", "brussels"}}}); status != http.StatusOK {
		t.Fatalf("the policy adds Brussels: %d %s", status, raw)
	}
	status, raw = a.do("PUT", p+"/civic-integration", "an", map[string]any{"obligation": "maybe", "status": "done", "referred_on": "2999-01-01"})
	if _, named := problem(t, raw); status != http.StatusUnprocessableEntity || !slices.Equal(named, []string{"obligation", "status", "referred_on"}) {
		t.Errorf("bad values: %d %s", status, raw)
	}
	if status, raw := a.do("PUT", p+"/civic-integration", "an", civic); status != http.StatusOK {
		t.Fatalf("recorded: %d %s", status, raw)
	}
	status, raw = a.do("GET", p+"/phase-records", "an", nil)
	var recs struct {
		Civic *struct{ Obligation, Status string } `json:"civic_integration"`
	}
	if _ = json.Unmarshal(raw, &recs); status != http.StatusOK || recs.Civic == nil || recs.Civic.Obligation != "obliged" || recs.Civic.Status != "following" {
		t.Fatalf("read back: %d %s", status, raw)
	}
	if _, page := a.list("coordinator", "?civic_integration=obliged"); len(page.Participants) != 1 || page.Participants[0].ID != sara {
		t.Errorf("obliged: %+v", page.Participants)
	}
	if _, page := a.list("coordinator", "?civic_integration=voluntary"); len(page.Participants) != 0 {
		t.Errorf("voluntary: %+v", page.Participants)
	}
	if _, page := a.list("coordinator", ""); len(page.Participants) < 2 {
		t.Errorf("unfiltered: %+v (other %s)", page.Participants, other)
	}
	status, raw = a.do("GET", "/v1/participants?civic_integration=yes", "coordinator", nil)
	if _, named := problem(t, raw); status/100 != 4 || !slices.Contains(named, "civic_integration") {
		t.Errorf("a bad filter: %d %s", status, raw)
	}
}
