package api_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestFileCheckAndClaimsThroughTheAPI signs a GPMI with its needs analysis
// and one evaluation without a report face to face, then reads the file
// check and the month's claims, today and as the log stood yesterday.
func TestFileCheckAndClaimsThroughTheAPI(t *testing.T) {
	a := newAPITest(t)
	id := a.create(a.participant())
	base := "/v1/participants/" + id
	today := time.Now().Format(time.DateOnly)
	if status, raw := a.do("POST", base+"/needs-analyses", "an", map[string]any{"done_on": today, "domains": []map[string]any{
		{"domain": "language", "situation": "Spreekt weinig Nederlands.", "goal": "Niveau 1 halen."}}}); status != 201 {
		t.Fatalf("needs analysis: %d %s", status, raw)
	}
	if status, raw := a.do("POST", base+"/gpmi/signature", "an", map[string]any{"signed_on": today, "acknowledged": true, "agreements": []map[string]any{
		{"domain": "language", "person_does": "Volgt de cursus Nederlands.", "centre_does": "Schrijft in."}}}); status != 200 {
		t.Fatalf("signature: %d %s", status, raw)
	}
	if status, raw := a.do("POST", base+"/gpmi/evaluations", "an", map[string]any{"held_on": today, "face_to_face": true, "report": "Goed op weg."}); status != 200 {
		t.Fatalf("evaluation: %d %s", status, raw)
	}

	var check struct {
		AtRisk   bool `json:"at_risk"`
		Elements []struct {
			Element, State string
			Count, Needed  *int
		}
	}
	status, raw := a.do("GET", base+"/file-check", "an", nil)
	if status != 200 {
		t.Fatalf("file check: %d %s", status, raw)
	}
	if err := json.Unmarshal(raw, &check); err != nil {
		t.Fatal(err)
	}
	states := map[string]string{}
	for _, e := range check.Elements {
		states[e.Element] = e.State
		if e.Element == "evaluations" && (e.Count == nil || *e.Count != 1 || *e.Needed != 3) {
			t.Errorf("evaluations counted %v of %v, want 1 of 3", e.Count, e.Needed)
		}
	}
	want := map[string]string{"needs_analysis": "met", "gpmi_signed": "met", "acknowledgement": "met", "evaluations": "due",
		"face_to_face": "due", "evaluation_reports": "met", "exemption_reason": "not_applicable", "extension_motivation": "not_applicable"}
	for el, st := range want {
		if states[el] != st {
			t.Errorf("%s: %q, want %q (all: %v)", el, states[el], st, states)
		}
	}
	yesterday := time.Now().AddDate(0, 0, -1).Format(time.DateOnly)
	if status, raw := a.do("GET", base+"/file-check?as_of="+yesterday, "coordinator", nil); status != 200 || strings.Contains(string(raw), `"met"`) {
		t.Errorf("as of yesterday, before the dossier: %d %s", status, raw)
	}
	if status, raw := a.do("GET", base+"/file-check?as_of=gisteren", "an", nil); status != 400 || !strings.Contains(string(raw), `"as_of"`) {
		t.Errorf("a malformed day: %d %s", status, raw)
	}
	for _, who := range []string{"bcsd", "admin"} {
		if status, _ := a.do("GET", base+"/file-check", who, nil); status != http.StatusForbidden {
			t.Errorf("%s reads the file check: %d", who, status)
		}
	}
	if status, _ := a.do("GET", base+"/file-check", "other", nil); status != http.StatusNotFound && status != http.StatusForbidden {
		t.Errorf("another centre reads the file check: %d", status)
	}

	month := time.Now().Format("2006-01")
	var claims struct {
		Qualifying int
		GPMI       []struct {
			ParticipantID string `json:"participant_id"`
			Qualifies     bool
			Code, Reason  string
		}
		Article60 *json.RawMessage
	}
	status, raw = a.do("GET", "/v1/claims?month="+month, "coordinator", nil)
	if status != 200 {
		t.Fatalf("claims: %d %s", status, raw)
	}
	if err := json.Unmarshal(raw, &claims); err != nil {
		t.Fatal(err)
	}
	if claims.Qualifying != 1 || len(claims.GPMI) != 1 || claims.GPMI[0].ParticipantID != id || claims.GPMI[0].Code != "11" {
		t.Errorf("this month's claims: %s", raw)
	}
	if claims.Article60 != nil && string(*claims.Article60) != "null" {
		t.Errorf("Brussels has no Article 60 funding configured: %s", *claims.Article60)
	}
	status, raw = a.do("GET", "/v1/claims?month="+month+"&as_of="+yesterday, "admin", nil)
	if status != 200 || strings.Contains(string(raw), id) {
		t.Errorf("the month as the log stood yesterday: %d %s", status, raw)
	}
	resp, csv := a.exchange("GET", "/v1/claims?month="+month+"&format=csv", "coordinator", nil)
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") ||
		!strings.Contains(string(csv), "90051712331;Peeters;Sara;true;11;;"+today) {
		t.Errorf("CSV: %d %s\n%s", resp.StatusCode, resp.Header.Get("Content-Type"), csv)
	}
	for q, field := range map[string]string{"": "month", "?month=2026-13": "month", "?month=" + month + "&format=xml": "format"} {
		if status, raw := a.do("GET", "/v1/claims"+q, "coordinator", nil); status != 400 || !strings.Contains(string(raw), `"`+field+`"`) {
			t.Errorf("claims%s: %d %s", q, status, raw)
		}
	}
	if status, _ := a.do("GET", "/v1/claims?month="+month, "an", nil); status != http.StatusForbidden {
		t.Errorf("a counsellor reads the claims: %d", status)
	}
}
