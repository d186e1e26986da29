package api_test

import (
	"encoding/csv"
	"encoding/json"
	"net/http"
	"strings"
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

	// The same page as CSV for Excel: the dossier's entries alone, with
	// their codes, each time to the second with Brussels' offset; the
	// download is itself in the log; a coordinator gets none.
	resp, raw := a.exchange("GET", "/v1/audit?format=csv&object_id="+id, "admin", nil)
	body := string(raw)
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") ||
		!strings.HasPrefix(body, "\ufeffid;at;actor_id;actor_role;action;object_type;object_id;request_id;outcome\n") ||
		!strings.Contains(resp.Header.Get("Content-Disposition"), `filename="traject-audit-`+a.fx.CentreID+`-`) {
		t.Fatalf("CSV: %d %s %s\n%s", resp.StatusCode, resp.Header.Get("Content-Type"), resp.Header.Get("Content-Disposition"), body)
	}
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\ufeff")))
	r.Comma = ';'
	records, err := r.ReadAll()
	if err != nil || len(records) < 2 {
		t.Fatalf("CSV: %v %q", err, records)
	}
	brussels, _ := time.LoadLocation("Europe/Brussels")
	found = false
	for _, row := range records[1:] {
		at, err := time.Parse(time.RFC3339, row[1])
		_, offset := at.Zone()
		_, want := at.In(brussels).Zone()
		if err != nil || offset != want || row[6] != id {
			t.Errorf("a row: %q", row)
		}
		found = found || row[4] == "read_dossier" && row[2] == a.fx.CounsellorID && row[3] == "counsellor" && row[8] == "ok"
	}
	if !found {
		t.Errorf("An's read is not in the CSV:\n%s", body)
	}
	status, raw = a.do("GET", "/v1/audit?object_id="+a.fx.CentreID, "admin", nil)
	var entries struct {
		Entries []struct {
			Action  string  `json:"action"`
			ActorID *string `json:"actor_id"`
		} `json:"entries"`
	}
	_ = json.Unmarshal(raw, &entries)
	exports := 0
	for _, e := range entries.Entries {
		if e.Action == "export_audit" && e.ActorID != nil {
			exports++
		}
	}
	if status != 200 || exports != 1 {
		t.Errorf("the CSV download in the log: %d, %d entries\n%s", status, exports, raw)
	}
	if status, raw := a.do("GET", "/v1/audit?format=xml", "admin", nil); status != http.StatusBadRequest {
		t.Errorf("an unknown format: %d %s", status, raw)
	}
	if resp, raw := a.exchange("GET", "/v1/audit?format=csv", "coordinator", nil); resp.StatusCode != http.StatusForbidden || strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") {
		t.Errorf("a coordinator's CSV: %d %s", resp.StatusCode, raw)
	}
}
