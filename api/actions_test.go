package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"
)

// A dossier's life through the API: GPMI, a BCSD procedure, a
// reassignment, Article 60 and its follow-up, each action answered with the
// new state or refused with the workflow's reason; free text stays in
// PostgreSQL; the notifications view and the admin outbox list the mail.
func TestDossierActionsThroughTheAPI(t *testing.T) {
	a := newAPITest(t)
	id := a.create(a.participant())
	base := "/v1/participants/" + id
	step := func(who, path string, body map[string]any, want int) []byte {
		t.Helper()
		status, raw := a.do("POST", base+path, who, body)
		if status != want {
			t.Fatalf("%s POST %s: %d, want %d: %s", who, path, status, want, raw)
		}
		return raw
	}

	agreements := []map[string]any{
		{"domain": "language", "person_does": "Volgt de cursus Nederlands NT2, niveau 1.", "centre_does": "Schrijft in en betaalt het inschrijvingsgeld.", "due_on": "2027-03-01"},
		{"domain": "work", "person_does": "Solliciteert elke maand twee keer.", "centre_does": "Zoekt vacatures mee."},
		{"domain": "childcare", "person_does": "Zoekt opvang voor de jongste.", "centre_does": "Geeft de lijst van opvang in de buurt."},
	}
	signature := map[string]any{"signed_on": "2026-11-20", "agreements": agreements, "acknowledged": true}
	// The centre's policy signs a GPMI after a needs analysis.
	if raw := step("an", "/gpmi/signature", signature, 422); !strings.Contains(string(raw), "needs_analysis_first") {
		t.Errorf("a signature before the needs analysis: %s", raw)
	}
	step("an", "/needs-analyses", map[string]any{"done_on": "2026-11-18", "domains": []map[string]any{
		{"domain": "language", "situation": "Spreekt weinig Nederlands.", "barriers": "Geen opvang voor de kinderen.", "goal": "Werken in de zorg."},
	}}, 201)
	if raw := step("an", "/gpmi/signature", map[string]any{"signed_on": "2026-11-20", "agreements": []map[string]any{{"domain": "moon"}}}, 422); !strings.Contains(string(raw), "acknowledged") ||
		!strings.Contains(string(raw), "agreements[0].domain") || !strings.Contains(string(raw), "agreements[0].person_does") {
		t.Errorf("a signature without acknowledgement, with a malformed agreement: %s", raw)
	}
	step("an", "/gpmi/signature", signature, 200)
	step("an", "/gpmi/signature", map[string]any{"signed_on": "2026-11-21", "agreements": agreements, "acknowledged": true}, 409)
	var gpmi struct {
		Agreements []struct{ ID string } `json:"agreements"`
	}
	status, raw := a.do("GET", base+"/gpmi", "coordinator", nil)
	if _ = json.Unmarshal(raw, &gpmi); status != 200 || len(gpmi.Agreements) != 3 {
		t.Fatalf("the GPMI: %d %s", status, raw)
	}
	step("an", "/gpmi/evaluations", map[string]any{"held_on": "yesterday"}, 422)
	step("an", "/gpmi/evaluations", map[string]any{"held_on": "2026-11-22", "report": "Goed op weg.", "progress": map[string]string{"not-an-agreement": "reached"}}, 422)
	step("an", "/gpmi/evaluations", map[string]any{"held_on": "2026-11-22", "face_to_face": true, "report": "Volgt de cursus; zoekt nog opvang.",
		"progress": map[string]string{gpmi.Agreements[0].ID: "in_progress", gpmi.Agreements[2].ID: "not_reached"}}, 200)
	_, raw = a.do("GET", base+"/gpmi", "coordinator", nil)
	if !strings.Contains(string(raw), "Volgt de cursus; zoekt nog opvang.") || !strings.Contains(string(raw), `"not_reached"`) || !strings.Contains(string(raw), `"acknowledged":true`) {
		t.Errorf("the GPMI with its report: %s", raw)
	}
	step("an", "/gpmi/amendments", map[string]any{"amended_on": "2026-11-23", "text": "Zoekt ook deeltijds werk."}, 422) // who asked?
	step("an", "/gpmi/amendments", map[string]any{"amended_on": "2026-11-23", "requested_by": "person", "text": "Zoekt ook deeltijds werk.",
		"end_agreements": []string{gpmi.Agreements[2].ID},
		"agreements":     []map[string]any{{"domain": "work", "person_does": "Zoekt ook deeltijds werk.", "centre_does": "Zoekt mee."}}}, 200)
	_, raw = a.do("GET", base+"/gpmi", "coordinator", nil)
	gpmi.Agreements = nil
	_ = json.Unmarshal(raw, &gpmi)
	if len(gpmi.Agreements) != 3 || !strings.Contains(string(raw), `"requested_by":"person"`) || !strings.Contains(string(raw), `"ended":[{`) {
		t.Errorf("the GPMI after its amendment: %s", raw)
	}

	step("an", "/non-cooperation", map[string]any{"description": ""}, 422)
	step("an", "/non-cooperation", map[string]any{"description": "Twee afspraken gemist zonder reden."}, 200)
	hearing := time.Now().AddDate(0, 0, 10).Format(time.RFC3339)
	today := time.Now().Format(time.DateOnly)
	step("bcsd", "/procedures/1/hearing", map[string]any{"invited_on": today, "hearing_at": hearing}, 200)
	step("bcsd", "/procedures/1/hearing-outcome", map[string]any{}, 422)
	step("bcsd", "/procedures/1/hearing-outcome", map[string]any{"held": true}, 200)
	step("an", "/procedures/1/decision", map[string]any{"kind": "no_sanction", "decided_on": today}, 403)
	step("bcsd", "/procedures/1/decision", map[string]any{"kind": "suspension", "months": 3, "decided_on": today}, 422)
	step("bcsd", "/procedures/1/decision", map[string]any{"kind": "no_sanction", "decided_on": today}, 200)
	step("bcsd", "/procedures/1/notification", map[string]any{"notified_on": today}, 200)
	step("bcsd", "/procedures/9/notification", map[string]any{"notified_on": today}, 404)

	step("coordinator", "/counsellor", map[string]any{"counsellor_id": "5d6e7f80-1111-4222-8333-944455566677"}, 422)
	step("an", "/counsellor", map[string]any{"counsellor_id": a.fx.Counsellor2ID}, 403)
	step("coordinator", "/counsellor", map[string]any{"counsellor_id": a.fx.Counsellor2ID}, 200)
	if status, _ := a.do("GET", base, "an", nil); status != http.StatusNotFound {
		t.Errorf("after the reassignment the old counsellor still sees the dossier: %d", status)
	}

	step("coordinator", "/transitions", map[string]any{"to": "work"}, 200)
	hostID := a.host()
	step("coordinator", "/transitions", map[string]any{"to": "article60", "contract": map[string]any{
		"host_id": hostID, "function": "driver_of_trams", "regime": "half_time", "start": "2026-12-01",
	}}, 422)
	step("coordinator", "/transitions", map[string]any{"to": "article60", "contract": map[string]any{
		"host_id": hostID, "function": "kitchen_help", "regime": "half_time", "start": "2026-12-01",
		"trainings": []map[string]any{{"code": "hygiene", "due": "2027-01-15"}},
	}}, 200)
	raw = step("bram", "/contract/absences", map[string]any{"kind": "unjustified", "days": 6}, 200)
	if !strings.Contains(string(raw), `"non_counting_days":6`) {
		t.Errorf("absence not applied: %s", raw)
	}
	step("bram", "/contract/end", map[string]any{"end": "2027-06-30"}, 403)
	step("coordinator", "/contract/end", map[string]any{"end": "2027-06-30", "reason_code": "host_closes"}, 200)
	step("bram", "/contract/trainings", map[string]any{"code": "forklift", "done_on": "2027-01-10"}, 422)
	step("bram", "/contract/trainings", map[string]any{"code": "hygiene", "done_on": "2027-01-10"}, 200)
	step("bram", "/follow-up/check-ins", map[string]any{"on": "2027-01-10"}, 409)
	step("coordinator", "/transitions", map[string]any{"to": "post_article60"}, 200)
	step("bram", "/follow-up/check-ins", map[string]any{"on": "2027-07-15"}, 200)
	raw = step("bram", "/follow-up/outcome", map[string]any{"outcome": "hired_by_host"}, 200)
	if !strings.Contains(string(raw), `"phase":"closed"`) {
		t.Errorf("outcome did not close: %s", raw)
	}
	step("bram", "/follow-up/check-ins", map[string]any{"on": "2027-07-20"}, 409)

	ctx := context.Background()
	var amendments, reports int
	if err := a.db.QueryRow(ctx, `SELECT (SELECT count(*) FROM gpmi_amendments WHERE participant_id = $1), (SELECT count(*) FROM noncooperation_reports WHERE participant_id = $1)`, id).Scan(&amendments, &reports); err != nil {
		t.Fatal(err)
	}
	if amendments != 1 || reports != 1 {
		t.Errorf("free text stored: %d amendments, %d reports", amendments, reports)
	}

	status, raw = a.do("GET", base+"/notifications", "coordinator", nil)
	var list struct {
		Notifications []struct {
			Kind string `json:"kind"`
		} `json:"notifications"`
	}
	if err := json.Unmarshal(raw, &list); status != 200 || err != nil || len(list.Notifications) == 0 {
		t.Errorf("notifications: %d %s", status, raw)
	}
	if status, _ := a.do("GET", "/v1/outbox?status=pending", "coordinator", nil); status != http.StatusForbidden {
		t.Errorf("a coordinator reading the outbox: %d", status)
	}
	if status, raw := a.do("GET", "/v1/outbox?status=pending", "admin", nil); status != 200 || !strings.Contains(string(raw), `"status":"pending"`) {
		t.Errorf("admin outbox: %d %s", status, raw)
	}
	if status, _ := a.do("GET", "/v1/outbox?status=lost", "admin", nil); status != http.StatusBadRequest {
		t.Errorf("bad status filter: %d", status)
	}
}
