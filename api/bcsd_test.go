package api_test

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"
)

// The committee's agenda shows a scheduled hearing in its period, then the
// decision due once the hearing is held; the admins' audit log shows who
// read the dossier.
func TestBCSDAgendaAndAuditLog(t *testing.T) {
	a := newAPITest(t)
	id := a.create(a.participant())
	base := "/v1/participants/" + id
	if status, raw := a.do("POST", base+"/non-cooperation", "an", map[string]any{"description": "Afspraken gemist."}); status != 200 {
		t.Fatalf("%d %s", status, raw)
	}
	hearing := time.Now().AddDate(0, 0, 10)
	if status, raw := a.do("POST", base+"/procedures/1/hearing", "bcsd", map[string]any{"invited_on": time.Now().Format(time.DateOnly), "hearing_at": hearing.Format(time.RFC3339)}); status != 200 {
		t.Fatalf("%d %s", status, raw)
	}
	period := "?from=" + time.Now().Format(time.DateOnly) + "&to=" + time.Now().AddDate(0, 2, 0).Format(time.DateOnly)
	agenda := func() []map[string]any {
		t.Helper()
		status, raw := a.do("GET", "/v1/bcsd/agenda"+period, "bcsd", nil)
		var body struct {
			Items []map[string]any `json:"items"`
		}
		if err := json.Unmarshal(raw, &body); status != 200 || err != nil {
			t.Fatalf("agenda: %d %s", status, raw)
		}
		return body.Items
	}
	if items := agenda(); len(items) != 1 || items[0]["item"] != "hearing" || items[0]["participant"] != "Sara Peeters" {
		t.Errorf("agenda with a hearing: %v", items)
	}
	if status, raw := a.do("POST", base+"/procedures/1/hearing-outcome", "bcsd", map[string]any{"held": true}); status != 200 {
		t.Fatalf("%d %s", status, raw)
	}
	if items := agenda(); len(items) != 1 || items[0]["item"] != "decision" {
		t.Errorf("agenda after the hearing: %v", items)
	}
	if status, _ := a.do("GET", "/v1/bcsd/agenda"+period, "an", nil); status != http.StatusForbidden {
		t.Errorf("a counsellor reading the agenda: %d", status)
	}
	if status, _ := a.do("GET", "/v1/bcsd/agenda?from=2027-01-10&to=2027-01-01", "bcsd", nil); status != http.StatusBadRequest {
		t.Errorf("a period ending before it starts: %d", status)
	}

	a.do("GET", base, "an", nil)
	status, raw := a.do("GET", "/v1/audit?object_id="+id, "admin", nil)
	var log struct {
		Entries []struct {
			Action  string  `json:"action"`
			ActorID *string `json:"actor_id"`
		} `json:"entries"`
	}
	_ = json.Unmarshal(raw, &log)
	found := false
	for _, e := range log.Entries {
		found = found || e.Action == "read_dossier" && e.ActorID != nil && *e.ActorID == a.fx.CounsellorID
	}
	if status != 200 || !found {
		t.Errorf("audit log: %d %s", status, raw)
	}
	if status, _ := a.do("GET", "/v1/audit", "coordinator", nil); status != http.StatusForbidden {
		t.Errorf("a coordinator reading the audit log: %d", status)
	}
}
