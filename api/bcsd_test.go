package api_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
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

// The API's audit log takes the page's filters: object, actor, action (with
// the value some carry after a colon), outcome and days in the centre's
// time zone, each narrowing the entries, the CSV alike; a wrong filter is a
// 400 naming it.
func TestAuditAPIFilters(t *testing.T) {
	a := newAPITest(t)
	ctx := context.Background()
	type seed struct {
		at                        string
		actor, action, outcome, o string
	}
	for _, s := range []seed{
		{"2026-03-01T10:00:00+01:00", a.fx.CounsellorID, "read_stats:outcomes", "ok", "filt-A"},
		{"2026-03-02T23:30:00+01:00", a.fx.CoordinatorID, "read_dossier", "refused", "filt-A"},
		{"2026-03-03T00:30:00+01:00", a.fx.CoordinatorID, "read_notes", "failed", "filt-A"}, // 2 March in UTC
		{"2026-03-02T12:00:00+01:00", a.fx.CounsellorID, "read_dossier", "ok", "filt-B"},
	} {
		if _, err := a.db.Exec(ctx, `INSERT INTO audit_log (at, centre_id, actor_id, action, object_type, object_id, outcome)
			VALUES ($1, $2, $3, $4, 'page', $5, $6)`, s.at, a.fx.CentreID, s.actor, s.action, s.o, s.outcome); err != nil {
			t.Fatal(err)
		}
	}
	type entry struct {
		ID       int64  `json:"id"`
		Action   string `json:"action"`
		ObjectID string `json:"object_id"`
	}
	read := func(query string) []entry {
		t.Helper()
		status, raw := a.do("GET", "/v1/audit?"+query, "admin", nil)
		var body struct {
			Entries []entry `json:"entries"`
		}
		if err := json.Unmarshal(raw, &body); status != 200 || err != nil {
			t.Fatalf("%s: %d %s", query, status, raw)
		}
		return body.Entries
	}
	actions := func(es []entry) string {
		var out []string
		for _, e := range es {
			out = append(out, e.ObjectID+"/"+e.Action)
		}
		return strings.Join(out, ",")
	}
	for _, c := range []struct{ query, want string }{
		{"object_id=filt-A", "filt-A/read_stats:outcomes,filt-A/read_dossier,filt-A/read_notes"},
		{"object_id=filt-A&actor_id=" + a.fx.CoordinatorID, "filt-A/read_dossier,filt-A/read_notes"},
		{"object_id=filt-A&action=read_stats", "filt-A/read_stats:outcomes"},
		{"object_id=filt-A&action=read_dossier", "filt-A/read_dossier"},
		{"object_id=filt-A&outcome=refused", "filt-A/read_dossier"},
		{"object_id=filt-A&from=2026-03-02&to=2026-03-02", "filt-A/read_dossier"},
		{"object_id=filt-A&from=2026-03-03", "filt-A/read_notes"},
		{"object_id=filt-A&to=2026-03-01", "filt-A/read_stats:outcomes"},
		{"actor_id=" + a.fx.CounsellorID + "&from=2026-03-01&to=2026-03-02", "filt-A/read_stats:outcomes,filt-B/read_dossier"},
		{"action=read_dossier&to=2026-03-31", "filt-A/read_dossier,filt-B/read_dossier"},
		{"object_id=filt-A&outcome=attempted", ""},
	} {
		if got := actions(read(c.query)); got != c.want {
			t.Errorf("%s: %s, want %s", c.query, got, c.want)
		}
	}
	// Pages go on after the last ID read, the filters kept.
	first := read("object_id=filt-A&limit=2")
	if len(first) != 2 {
		t.Fatalf("first page: %v", first)
	}
	if got := actions(read("object_id=filt-A&limit=2&after=" + strconv.FormatInt(first[1].ID, 10))); got != "filt-A/read_notes" {
		t.Errorf("second page: %s", got)
	}

	// The CSV honours the filters.
	resp, raw := a.exchange("GET", "/v1/audit?format=csv&object_id=filt-A&outcome=failed", "admin", nil)
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(raw), "\ufeff")))
	r.Comma = ';'
	records, err := r.ReadAll()
	if resp.StatusCode != 200 || err != nil || len(records) != 2 || records[1][4] != "read_notes" || records[1][8] != "failed" {
		t.Errorf("filtered CSV: %d %v %q", resp.StatusCode, err, records)
	}
	resp, raw = a.exchange("GET", "/v1/audit?format=csv&from=2026-03-02&to=2026-03-02&actor_id="+a.fx.CounsellorID, "admin", nil)
	r = csv.NewReader(strings.NewReader(strings.TrimPrefix(string(raw), "\ufeff")))
	r.Comma = ';'
	records, err = r.ReadAll()
	if resp.StatusCode != 200 || err != nil || len(records) != 2 || records[1][6] != "filt-B" {
		t.Errorf("CSV of a day and a user: %d %v %q", resp.StatusCode, err, records)
	}

	// A wrong filter is a 400 naming it, the CSV's alike.
	for _, c := range []struct{ query, field string }{
		{"outcome=maybe", "outcome"},
		{"outcome=OK", "outcome"},
		{"from=2026-13-01", "from"},
		{"to=01/03/2026", "to"},
		{"from=2026-03-05&to=2026-03-01", "to"},
		{"actor_id=nobody", "actor_id"},
		{"action=Read-Stats", "action"},
		{"format=csv&outcome=maybe", "outcome"},
		{"format=csv&from=yesterday", "from"},
	} {
		resp, raw := a.exchange("GET", "/v1/audit?"+c.query, "admin", nil)
		if strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") {
			t.Errorf("%s: a CSV", c.query)
			continue
		}
		if _, fields := problem(t, raw); resp.StatusCode != http.StatusBadRequest || !slices.Contains(fields, c.field) {
			t.Errorf("%s: %d %s, want 400 naming %s", c.query, resp.StatusCode, raw, c.field)
		}
	}
	// from and to on the same day is a day.
	if status, raw := a.do("GET", "/v1/audit?from=2026-03-02&to=2026-03-02", "admin", nil); status != 200 {
		t.Errorf("one day: %d %s", status, raw)
	}
}
