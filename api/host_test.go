package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/traject-ocmw/traject/api"
	"github.com/traject-ocmw/traject/domain"
	"github.com/traject-ocmw/traject/stats"
	"github.com/traject-ocmw/traject/store"
)

// hostWorld is two centres, a host working with both (hostA) and another
// host (hostB), a worker of each centre at hostA and one of Molenbeek at
// hostB, and a user with a token at each host.
type hostWorld struct {
	a                       *apiTest
	hostA, hostB            string
	molenbeekA, anderlechtA string // workers at hostA
	molenbeekB              string // worker at hostB
	hostAUser               string
}

const anderlechtCounsellor = "6e7f8091-2222-4333-8444-a55566677788"

func newHostWorld(t *testing.T) *hostWorld {
	a := newAPITest(t)
	ctx := context.Background()
	w := &hostWorld{a: a, hostA: a.host()}
	status, raw := a.do("POST", "/v1/hosts", "coordinator", map[string]any{"name": "Kringwinkel", "positions": []map[string]any{{"function": "shop_help", "positions": 2}}})
	if status != http.StatusCreated {
		t.Fatalf("host B: %d %s", status, raw)
	}
	var hb struct{ ID string }
	_ = json.Unmarshal(raw, &hb)
	w.hostB = hb.ID
	// Anderlecht's own agreement with host A, and a counsellor there.
	for _, q := range []string{
		`INSERT INTO host_agreements (id, host_id, centre_id, valid_from) VALUES ('7f809102-3333-4444-8555-b66677788899', '` + w.hostA + `', 'anderlecht', '2026-01-01')`,
		`INSERT INTO host_agreement_positions (agreement_id, function, positions) VALUES ('7f809102-3333-4444-8555-b66677788899', 'kitchen_help', 5)`,
		`INSERT INTO staff_users (id, centre_id, email, display_name, role) VALUES ('` + anderlechtCounsellor + `', 'anderlecht', 'eva@anderlecht.example', 'Eva', 'counsellor')`,
	} {
		if _, err := a.db.Exec(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	st := store.New(a.db)
	for who, host := range map[string]string{"hostA": w.hostA, "hostB": w.hostB, "hostAdmin": w.hostA} {
		role := domain.RoleHost
		if who == "hostAdmin" {
			role = domain.RoleHostAdmin
		}
		id, err := st.CreateUser(ctx, store.User{HostID: host, Email: who + "@host.example", DisplayName: who, Role: role, Language: "nl"})
		if err != nil {
			t.Fatal(err)
		}
		if who == "hostA" {
			w.hostAUser = id
		}
		_, token, err := st.CreateToken(ctx, id, "test")
		if err != nil {
			t.Fatal(err)
		}
		a.tokens[who] = token
	}
	w.molenbeekA = w.place("coordinator", "90.05.17-125.29", a.fx.CounsellorID, w.hostA, "kitchen_help")
	w.anderlechtA = w.place("other", validNN("1990-05-17", 45), anderlechtCounsellor, w.hostA, "kitchen_help")
	w.molenbeekB = w.place("coordinator", validNN("1990-05-17", 77), a.fx.CounsellorID, w.hostB, "shop_help")
	return w
}

// place creates a participant as who, for the counsellor, and moves them
// to an Article 60 contract at host starting on 1 December 2026.
func (w *hostWorld) place(who, nn, counsellor, host, function string) string {
	return w.placeFrom(who, nn, counsellor, host, function, "2026-12-01")
}

// placeFrom is place with the contract's first day.
func (w *hostWorld) placeFrom(who, nn, counsellor, host, function, start string) string {
	a, t := w.a, w.a.t
	t.Helper()
	body := a.participant()
	body["national_number"], body["counsellor_id"] = nn, counsellor
	status, raw := a.do("POST", "/v1/participants", who, body)
	if status != http.StatusCreated {
		t.Fatalf("create: %d %s", status, raw)
	}
	var p struct{ ID string }
	_ = json.Unmarshal(raw, &p)
	waitForTrajectory(t, a, p.ID)
	if status, raw = a.do("POST", "/v1/participants/"+p.ID+"/transitions", who, map[string]any{"to": "work"}); status != http.StatusOK {
		t.Fatalf("to work: %d %s", status, raw)
	}
	status, raw = a.do("POST", "/v1/participants/"+p.ID+"/transitions", who, map[string]any{
		"to": "article60", "contract": map[string]any{"host_id": host, "function": function, "regime": "full_time", "start": start}})
	if status != http.StatusOK {
		t.Fatalf("to article60: %d %s", status, raw)
	}
	return p.ID
}

func workerIDs(t *testing.T, raw []byte) []string {
	t.Helper()
	var list struct {
		Workers []struct{ ID string } `json:"workers"`
	}
	if err := json.Unmarshal(raw, &list); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, w := range list.Workers {
		ids = append(ids, w.ID)
	}
	return ids
}

// The isolation matrix: a host sees its workers of every centre and
// nothing of them but what a host may; host A never sees host B's
// workers; a host user gets no centre endpoint; no centre user gets a host
// endpoint; and a centre never sees another centre's workers at the same
// host.
func TestHostIsolation(t *testing.T) {
	w := newHostWorld(t)
	a := w.a

	status, raw := a.do("GET", "/v1/host/workers", "hostA", nil)
	ids := strings.Join(workerIDs(t, raw), ",")
	if status != 200 || !strings.Contains(ids, w.molenbeekA) || !strings.Contains(ids, w.anderlechtA) || strings.Contains(ids, w.molenbeekB) {
		t.Fatalf("host A's workers: %d %s", status, raw)
	}
	for _, secret := range []string{"national_number", "90051712529", "leefloon", "gpmi", "birth_date", "sara.peeters@example.be", "counsellor"} {
		if strings.Contains(strings.ToLower(string(raw)), secret) {
			t.Errorf("host A's list shows %q:\n%s", secret, raw)
		}
	}
	if _, raw := a.do("GET", "/v1/host/workers", "hostB", nil); strings.Join(workerIDs(t, raw), ",") != w.molenbeekB {
		t.Errorf("host B's workers: %s", raw)
	}
	for _, c := range []struct{ who, worker string }{{"hostA", w.molenbeekB}, {"hostB", w.molenbeekA}, {"hostB", w.anderlechtA}} {
		for _, req := range []struct{ method, path string }{
			{"GET", "/v1/host/workers/" + c.worker},
			{"POST", "/v1/host/workers/" + c.worker + "/absences"},
			{"POST", "/v1/host/workers/" + c.worker + "/trainings"},
			{"POST", "/v1/host/workers/" + c.worker + "/checks"},
			{"POST", "/v1/host/workers/" + c.worker + "/problems"},
			{"POST", "/v1/host/workers/" + c.worker + "/hiring"},
		} {
			if status, raw := a.do(req.method, req.path, c.who, map[string]any{"kind": "unpaid_sickness", "days": 1, "code": "x", "done_on": "2026-12-02"}); status != http.StatusNotFound {
				t.Errorf("%s %s %s: %d %s", c.who, req.method, req.path, status, raw)
			}
		}
	}
	// Every other operation refuses a host user before it looks; every
	// host operation refuses the centre's staff.
	for _, rt := range api.Routes() {
		path := strings.NewReplacer("{id}", w.molenbeekA, "{n}", "1").Replace(rt.Path)
		isHost := strings.HasPrefix(rt.Path, "/v1/host/")
		for _, who := range []string{"hostA", "an", "coordinator", "admin", "bcsd"} {
			if isHost == strings.HasPrefix(who, "host") {
				continue
			}
			if status, raw := a.do(rt.Method, path, who, map[string]any{}); status != http.StatusForbidden {
				t.Errorf("%s %s %s: %d %s", who, rt.Method, rt.Path, status, raw)
			}
		}
	}
	// The host sees its agreements with both centres, each with its own
	// occupancy, and the totals; host B only its own.
	var agreements struct {
		Agreements          []store.Agreement
		Positions, Occupied int
	}
	a.getJSON("/v1/host/agreements", "hostA", &agreements)
	if len(agreements.Agreements) != 2 || agreements.Positions != 9 || agreements.Occupied != 2 {
		t.Errorf("host A's agreements: %+v", agreements)
	}
	a.getJSON("/v1/host/agreements", "hostB", &agreements)
	if len(agreements.Agreements) != 1 || agreements.Agreements[0].CentreID != a.fx.CentreID || agreements.Occupied != 1 {
		t.Errorf("host B's agreements: %+v", agreements)
	}
	// The centres at the same host: each sees its own worker and its own
	// agreement's occupancy.
	if status, _ := a.do("GET", "/v1/participants/"+w.anderlechtA, "coordinator", nil); status != http.StatusNotFound {
		t.Errorf("Molenbeek reads Anderlecht's worker: %d", status)
	}
	if status, _ := a.do("GET", "/v1/participants/"+w.molenbeekA, "other", nil); status != http.StatusNotFound {
		t.Errorf("Anderlecht reads Molenbeek's worker: %d", status)
	}
	for who, want := range map[string]store.HostPosition{"coordinator": {Function: "kitchen_help", Positions: 3, Occupied: 1}, "other": {Function: "kitchen_help", Positions: 5, Occupied: 1}} {
		_, raw := a.do("GET", "/v1/hosts/"+w.hostA, who, nil)
		var h store.Host
		_ = json.Unmarshal(raw, &h)
		found := false
		for _, p := range h.Positions {
			found = found || p == want
		}
		if !found {
			t.Errorf("%s's view of host A: %s, want %+v", who, raw, want)
		}
	}
}

// A host user records two non-counting sick days for a worker of one
// centre: the contract end moves by two counted days, and the centre's
// timeline shows the host's entry with the host user as its actor.
func TestHostRecordsAbsence(t *testing.T) {
	w := newHostWorld(t)
	a := w.a
	_, raw := a.do("GET", "/v1/host/workers/"+w.molenbeekA, "hostA", nil)
	var before struct {
		End     time.Time `json:"contract_end"`
		Version int64     `json:"version"`
	}
	_ = json.Unmarshal(raw, &before)
	status, raw := a.do("POST", "/v1/host/workers/"+w.molenbeekA+"/absences", "hostA", map[string]any{"kind": "unpaid_sickness", "days": 2, "expected_version": before.Version})
	if status != 200 {
		t.Fatalf("absence: %d %s", status, raw)
	}
	var after struct {
		End time.Time `json:"contract_end"`
	}
	_ = json.Unmarshal(raw, &after)
	if !after.End.After(before.End) || after.End.Sub(before.End) > 4*24*time.Hour {
		t.Errorf("the end moved from %s to %s, want two counted days later", before.End, after.End)
	}
	_, raw = a.do("GET", "/v1/participants/"+w.molenbeekA+"/timeline", "coordinator", nil)
	if !strings.Contains(string(raw), w.hostAUser) {
		t.Errorf("the centre's timeline lacks the host's entry:\n%s", raw)
	}
	if status, raw := a.do("POST", "/v1/host/workers/"+w.molenbeekA+"/absences", "hostA", map[string]any{"kind": "holiday", "days": 0}); status != http.StatusUnprocessableEntity {
		t.Errorf("bad absence: %d %s", status, raw)
	}
}

// A host's administrator manages the host's users and their tokens, and
// only those: another host's users and tokens are 404, and a centre role
// cannot be given to a host's user. A plain host user cannot manage any.
func TestHostAdministratorManagesHostUsers(t *testing.T) {
	w := newHostWorld(t)
	a := w.a
	ctx := context.Background()

	status, raw := a.do("POST", "/v1/host/users", "hostAdmin", map[string]any{"email": "new@resto.example", "display_name": "Nieuw", "role": "coordinator", "language": "nl"})
	if _, fields := problem(t, raw); status != http.StatusUnprocessableEntity || strings.Join(fields, ",") != "role" {
		t.Errorf("a centre role for a host user: %d %s", status, raw)
	}
	status, raw = a.do("POST", "/v1/host/users", "hostAdmin", map[string]any{"email": "new@resto.example", "display_name": "Nieuw", "role": "host", "language": "nl"})
	var u store.User
	_ = json.Unmarshal(raw, &u)
	if status != http.StatusCreated || u.HostID != w.hostA || u.CentreID != "" {
		t.Fatalf("add a host user: %d %s", status, raw)
	}
	if _, raw := a.do("GET", "/v1/host/users", "hostAdmin", nil); !strings.Contains(string(raw), "new@resto.example") || strings.Contains(string(raw), "hostB@") || strings.Contains(string(raw), "an@ocmw.example") {
		t.Errorf("the host's users: %s", raw)
	}
	status, raw = a.do("POST", "/v1/host/users/"+u.ID+"/tokens", "hostAdmin", map[string]any{"name": "tablet"})
	var tk struct{ ID, Token string }
	_ = json.Unmarshal(raw, &tk)
	if status != http.StatusCreated || tk.Token == "" {
		t.Fatalf("token: %d %s", status, raw)
	}
	a.tokens["nieuw"] = tk.Token
	if status, _ := a.do("GET", "/v1/host/workers", "nieuw", nil); status != 200 {
		t.Errorf("the new host user's token: %d", status)
	}
	// Host B's users and tokens are out of reach.
	var hostBUser string
	_ = a.db.QueryRow(ctx, `SELECT id::text FROM staff_users WHERE host_id = $1`, w.hostB).Scan(&hostBUser)
	var hostBToken string
	_ = a.db.QueryRow(ctx, `SELECT t.id::text FROM api_tokens t JOIN staff_users u ON u.id = t.user_id WHERE u.host_id = $1`, w.hostB).Scan(&hostBToken)
	for _, c := range []struct{ method, path string }{
		{"PUT", "/v1/host/users/" + hostBUser}, {"POST", "/v1/host/users/" + hostBUser + "/tokens"}, {"DELETE", "/v1/host/tokens/" + hostBToken},
		{"PUT", "/v1/host/users/" + a.fx.CounsellorID},
	} {
		if status, raw := a.do(c.method, c.path, "hostAdmin", map[string]any{"name": "x", "display_name": "X"}); status != http.StatusNotFound {
			t.Errorf("%s %s: %d %s", c.method, c.path, status, raw)
		}
	}
	if status, _ := a.do("DELETE", "/v1/host/tokens/"+tk.ID, "hostAdmin", nil); status != http.StatusNoContent {
		t.Errorf("revoke: %d", status)
	}
	if status, _ := a.do("GET", "/v1/host/workers", "nieuw", nil); status != http.StatusUnauthorized {
		t.Errorf("a revoked token: %d", status)
	}
	if status, _ := a.do("GET", "/v1/host/users", "hostA", nil); status != http.StatusForbidden {
		t.Errorf("a plain host user manages users: %d", status)
	}
}

// A host records a worker's days: two sick days that do not count move the
// contract end by two counted days (once, however often the request is
// sent); they cannot be turned back into worked days here; and the
// monthly sheet, the host's and the centre's, has the days and totals,
// as CSV for Belgian Excel too.
func TestHostAttendance(t *testing.T) {
	w := newHostWorld(t)
	a := w.a
	_, raw := a.do("GET", "/v1/host/workers/"+w.molenbeekA, "hostA", nil)
	var before struct {
		End time.Time `json:"contract_end"`
	}
	_ = json.Unmarshal(raw, &before)
	body := map[string]any{"days": []map[string]any{{"day": "2026-12-01", "status": "unpaid_sickness"}, {"day": "2026-12-02", "status": "unpaid_sickness"}}}
	var first []byte
	for i := range 2 {
		status, raw, _ := a.postWithKey("/v1/host/workers/"+w.molenbeekA+"/attendance", "hostA", "month-2026-12", body)
		if status != 200 {
			t.Fatalf("attendance (try %d): %d %s", i, status, raw)
		}
		if i == 0 {
			first = raw
		} else if string(raw) != string(first) {
			t.Errorf("the retry answered differently:\n%s\n%s", first, raw)
		}
	}
	var after struct {
		End time.Time `json:"contract_end"`
	}
	_ = json.Unmarshal(first, &after)
	if days := after.End.Sub(before.End).Hours() / 24; days < 2 || days > 3 {
		t.Errorf("the end moved %v days (from %s to %s), want two counted days", days, before.End, after.End)
	}
	var absences int
	_ = a.db.QueryRow(context.Background(), `SELECT count(*) FROM timeline_events WHERE participant_id = $1 AND kind = 'absence_recorded'`, w.molenbeekA).Scan(&absences)
	if absences != 2 { // one a day, each its own update
		t.Errorf("absences on the timeline: %d, want 2", absences)
	}
	status, raw := a.do("POST", "/v1/host/workers/"+w.molenbeekA+"/attendance", "hostA", map[string]any{"days": []map[string]any{{"day": "2026-12-01", "status": "present"}}})
	if status != http.StatusConflict {
		t.Errorf("turning a sick day into a worked one: %d %s", status, raw)
	}
	if status, raw := a.do("POST", "/v1/host/workers/"+w.molenbeekA+"/attendance", "hostA", map[string]any{"days": []map[string]any{{"day": "2026-11-30", "status": "present"}, {"day": "2026-12-01", "status": "holiday"}}}); status != http.StatusUnprocessableEntity {
		t.Errorf("a day before the contract and an unknown status: %d %s", status, raw)
	}

	_, raw = a.do("GET", "/v1/host/attendance?centre=molenbeek&month=2026-12&format=csv&delimiter=semicolon", "hostA", nil)
	sheet := string(raw)
	if !strings.HasPrefix(sheet, "\ufeffworker_id;family_name;given_name;function;2026-12-01;2026-12-02;2026-12-03;2026-12-04;2026-12-05;2026-12-07") ||
		strings.Contains(sheet, "2026-12-06") || !strings.Contains(sheet, w.molenbeekA+";Peeters;Sara;kitchen_help;unpaid_sickness;unpaid_sickness;") ||
		!strings.Contains(sheet, ";0;0;2\n") || strings.Contains(sheet, w.anderlechtA) {
		t.Errorf("the host's sheet for Molenbeek:\n%s", sheet)
	}
	if status, raw := a.do("GET", "/v1/host/attendance?centre=anderlecht&month=2026-12", "hostB", nil); status != http.StatusBadRequest {
		t.Errorf("host B's sheet of a centre it has no agreement with: %d %s", status, raw)
	}
	_, raw = a.do("GET", "/v1/attendance?month=2026-12", "coordinator", nil)
	if !strings.Contains(string(raw), `"2026-12-01":"unpaid_sickness"`) || strings.Contains(string(raw), w.anderlechtA) {
		t.Errorf("the centre's sheet: %s", raw)
	}
}

// A host records its first check, signals a problem and says it hires the
// worker: each lands on the worker's trajectory with the host user as the
// actor; the host sees what it recorded, and the centre reads the
// problem's text. Bad input names its field; a second hiring conflicts.
func TestHostChecksProblemsAndHiring(t *testing.T) {
	w := newHostWorld(t)
	a := w.a
	path := "/v1/host/workers/" + w.molenbeekA
	var seen store.HostWorker
	_, raw := a.do("GET", path, "hostA", nil)
	_ = json.Unmarshal(raw, &seen)
	if len(seen.ChecksDue) != 2 || seen.ChecksDue[0].N != 1 || seen.ChecksDue[1].N != 2 {
		t.Fatalf("checks due: %s", raw)
	}
	status, raw := a.do("POST", path+"/checks", "hostA", map[string]any{"n": 3, "held_on": "2026-12-02", "attendance": "good", "skills": "partly", "hiring_chance": "maybe"})
	if _, fields := problem(t, raw); status != http.StatusUnprocessableEntity || strings.Join(fields, ",") != "n" {
		t.Errorf("check 3: %d %s", status, raw)
	}
	status, raw = a.do("POST", path+"/checks", "hostA", map[string]any{"n": 1, "held_on": "2026-12-02", "attendance": "good", "skills": "partly", "hiring_chance": "maybe"})
	if _, fields := problem(t, raw); status != http.StatusUnprocessableEntity || strings.Join(fields, ",") != "hiring_chance" {
		t.Errorf("a bad hiring chance: %d %s", status, raw)
	}
	status, raw = a.do("POST", path+"/checks", "hostA", map[string]any{"n": 1, "held_on": "2026-12-02", "attendance": "good", "skills": "partly", "hiring_chance": "possible"})
	seen = store.HostWorker{}
	_ = json.Unmarshal(raw, &seen)
	if status != 200 || len(seen.Checks) != 1 || seen.Checks[0].HiringChance != "possible" || len(seen.ChecksDue) != 1 || seen.ChecksDue[0].N != 2 {
		t.Errorf("check 1: %d %s", status, raw)
	}

	if status, raw := a.do("POST", path+"/problems", "hostA", map[string]any{"category": "health", "text": "  "}); status != http.StatusUnprocessableEntity {
		t.Errorf("a problem without text: %d %s", status, raw)
	}
	text := "Rugklachten: kan voorlopig niet tillen."
	status, raw = a.do("POST", path+"/problems", "hostA", map[string]any{"category": "health", "text": text})
	seen = store.HostWorker{}
	_ = json.Unmarshal(raw, &seen)
	if status != 200 || len(seen.Signals) != 1 || seen.Signals[0].Text != text || seen.Signals[0].By != w.hostAUser {
		t.Errorf("problem: %d %s", status, raw)
	}
	_, raw = a.do("GET", "/v1/participants/"+w.molenbeekA+"/signals", "coordinator", nil)
	if !strings.Contains(string(raw), text) {
		t.Errorf("the centre does not read the problem: %s", raw)
	}
	if status, _ := a.do("GET", "/v1/participants/"+w.anderlechtA+"/signals", "coordinator", nil); status != http.StatusNotFound {
		t.Errorf("Molenbeek reads Anderlecht's worker's signals: %d", status)
	}

	hiring := map[string]any{"start": "2027-12-01", "employment": "open_ended"}
	status, raw = a.do("POST", path+"/hiring", "hostA", hiring)
	seen = store.HostWorker{}
	_ = json.Unmarshal(raw, &seen)
	if status != 200 || seen.Hiring == nil || seen.Hiring.Employment != "open_ended" {
		t.Errorf("hiring: %d %s", status, raw)
	}
	if status, raw := a.do("POST", path+"/hiring", "hostA", hiring); status != http.StatusConflict {
		t.Errorf("a second hiring: %d %s", status, raw)
	}
	_, raw = a.do("GET", "/v1/participants/"+w.molenbeekA+"/timeline", "coordinator", nil)
	for _, kind := range []string{"host_check_recorded", "problem_signalled", "hiring_recorded"} {
		if !strings.Contains(string(raw), kind) {
			t.Errorf("the timeline lacks %s", kind)
		}
	}
	if strings.Contains(string(raw), text) {
		t.Errorf("the problem's text is in the timeline: it stays in its own table")
	}
}

// The host's year of seed 001 across two centres: 114 people supported (59
// of Molenbeek, 55 of Anderlecht), 68 contracts ended, 25 of them hired by
// the host afterwards; recorded as it happens, by the centres (the
// transitions, the outcomes) and by the host (its hirings through its own
// endpoint; five of those the centre also closed as hired_by_host, counted
// once). Host B's report holds its own worker only.
func TestHostReportAcrossCentres(t *testing.T) {
	w := newHostWorld(t)
	a := w.a
	var dossiers []dossier
	add := func(who, counsellor string, n, ended, hostHired, centreHired, overlap int, other string, others int) {
		for i := range n {
			d := dossier{who: who, counsellor: counsellor, steps: []map[string]any{to("work"), toArticle60(w.hostA, "kitchen_help")}}
			if i < ended {
				d.steps = append(d.steps, to("post_article60"))
			}
			switch {
			case i < hostHired:
				d.hiredBy = "hostA"
				if i < overlap {
					d.outcome = "hired_by_host"
				}
			case i < hostHired+centreHired:
				d.outcome = "hired_by_host"
			case i < hostHired+centreHired+others:
				d.outcome = other
			}
			dossiers = append(dossiers, d)
		}
	}
	add("coordinator", a.fx.CounsellorID, 58, 40, 9, 6, 3, "regular_job", 15)
	add("other", anderlechtCounsellor, 54, 28, 6, 4, 0, "unemployment_benefits", 10)
	start := time.Now()
	newLoader(a).load(t, dossiers, 16)
	a.waitForPhaseEvents(9 + 112*3 + 68 + (3 + 6 + 15) + (4 + 10))
	t.Logf("loaded 112 Article 60 dossiers of two centres through the API in %s", time.Since(start).Round(time.Millisecond))

	from := time.Now().AddDate(0, 0, -1).Format(time.DateOnly)
	until := time.Now().AddDate(0, 0, 2).Format(time.DateOnly)
	var report struct{ Rows []stats.HostRow }
	a.getJSON("/v1/host/report?from="+from+"&to="+until, "hostA", &report)
	rows := map[string]stats.HostRow{}
	for _, r := range report.Rows {
		rows[r.Group+"/"+r.Key] = r
	}
	if total := rows["total/"]; total.Supported != 114 || total.Ended != 68 || total.Hired != 25 || total.HiredShare != 3676 {
		t.Errorf("host A's year: %+v, want 114 supported, 68 ended, 25 hired (36.76%%)", total)
	}
	if m := rows["centre/"+a.fx.CentreID]; m.Supported != 59 || m.Ended != 40 || m.Hired != 15 || m.Name == "" {
		t.Errorf("Molenbeek's part: %+v", m)
	}
	if an := rows["centre/anderlecht"]; an.Supported != 55 || an.Ended != 28 || an.Hired != 10 {
		t.Errorf("Anderlecht's part: %+v", an)
	}
	status, raw := a.do("GET", "/v1/host/report?format=csv&delimiter=semicolon&from="+from+"&to="+until, "hostA", nil)
	if status != http.StatusOK || !strings.Contains(string(raw), "total;;;114;68;25;36,76\r\n") && !strings.Contains(string(raw), "total;;;114;68;25;36,76\n") {
		t.Errorf("the report as CSV: %d %s", status, raw)
	}
	// The ceiling counts every centre's workers at the host: Molenbeek
	// occupies 19 of its positions, the host runs 46 contracts in all
	// (27 of Anderlecht), 23% of its 200 staff.
	if status, raw := a.do("PUT", "/v1/hosts/"+w.hostA, "coordinator", map[string]any{"name": "Restaurant Social", "language": "fr", "staff": 200,
		"positions": []map[string]any{{"function": "kitchen_help", "positions": 30}}}); status != http.StatusOK {
		t.Fatalf("the host's staff: %d %s", status, raw)
	}
	var placements struct{ Hosts []stats.Placement }
	a.getJSON("/v1/stats/placements", "coordinator", &placements)
	for _, p := range placements.Hosts {
		if p.HostID == w.hostA && (p.Occupied != 19 || p.AllCentres != 46 || p.Article60Share == nil || *p.Article60Share != 2300 || !p.AboveCeiling) {
			t.Errorf("host A's placements as Molenbeek sees them: %+v", p)
		}
	}
	a.getJSON("/v1/host/report?from="+from+"&to="+until, "hostB", &report)
	if len(report.Rows) == 0 || report.Rows[0].Supported != 1 || report.Rows[0].Ended != 0 {
		t.Errorf("host B's year: %+v", report.Rows)
	}
	if status, _ := a.do("GET", "/v1/host/report", "coordinator", nil); status != http.StatusForbidden {
		t.Errorf("a coordinator reads a host's report: %d", status)
	}
}

// Anderlecht kept its own record of host A's organisation (with a worker
// and the host's user there) and merges it into host A: the worker's
// contract moves to host A by its workflow, Anderlecht sees host A with
// the positions of both its agreements, the old record is gone, the
// host's user sees both centres' workers, and host A's report counts the
// moved worker. Molenbeek cannot merge a record others work with, and a
// merge into nothing names its field.
func TestMergeTwoRecordsOfOneHost(t *testing.T) {
	w := newHostWorld(t)
	a := w.a
	status, raw := a.do("POST", "/v1/hosts", "other", map[string]any{"name": "Restaurant Social (Anderlecht)", "language": "fr",
		"positions": []map[string]any{{"function": "kitchen_help", "positions": 2}, {"function": "driver", "positions": 1}}})
	if status != http.StatusCreated {
		t.Fatalf("Anderlecht's copy: %d %s", status, raw)
	}
	var copyOf struct{ ID string }
	_ = json.Unmarshal(raw, &copyOf)
	worker := w.place("other", nationalNumber(4242), anderlechtCounsellor, copyOf.ID, "driver")
	ctx := context.Background()
	st := store.New(a.db)
	chef, err := st.CreateUser(ctx, store.User{HostID: copyOf.ID, Email: "chef@resto-anderlecht.example", DisplayName: "Chef", Role: domain.RoleHost, Language: "fr"})
	if err != nil {
		t.Fatal(err)
	}
	_, token, err := st.CreateToken(ctx, chef, "test")
	if err != nil {
		t.Fatal(err)
	}
	a.tokens["chef"] = token

	if status, raw := a.do("POST", "/v1/hosts/"+copyOf.ID+"/merge", "other", map[string]any{"into": "not-a-host"}); status != http.StatusUnprocessableEntity || !strings.Contains(string(raw), `"into"`) {
		t.Errorf("a merge into nothing: %d %s", status, raw)
	}
	if status, raw := a.do("POST", "/v1/hosts/"+w.hostA+"/merge", "coordinator", map[string]any{"into": w.hostB}); status != http.StatusUnprocessableEntity {
		t.Errorf("Molenbeek merges a record Anderlecht works with: %d %s", status, raw)
	}
	if status, _ := a.do("POST", "/v1/hosts/"+copyOf.ID+"/merge", "coordinator", map[string]any{"into": w.hostA}); status != http.StatusNotFound {
		t.Errorf("Molenbeek merges Anderlecht's record: %d", status)
	}
	status, raw = a.do("POST", "/v1/hosts/"+copyOf.ID+"/merge", "other", map[string]any{"into": w.hostA})
	var merged store.Host
	_ = json.Unmarshal(raw, &merged)
	positions := map[string]int{}
	for _, p := range merged.Positions {
		positions[p.Function] = p.Positions
	}
	if status != http.StatusOK || merged.ID != w.hostA || positions["kitchen_help"] != 7 || positions["driver"] != 1 {
		t.Fatalf("merge: %d %s", status, raw)
	}
	if status, _ := a.do("GET", "/v1/hosts/"+copyOf.ID, "other", nil); status != http.StatusNotFound {
		t.Errorf("the merged record is still Anderlecht's: %d", status)
	}
	_, raw = a.do("GET", "/v1/participants/"+worker, "other", nil)
	if !strings.Contains(string(raw), `"host_id":"`+w.hostA+`"`) {
		t.Errorf("the worker's contract did not move:\n%s", raw)
	}
	_, raw = a.do("GET", "/v1/host/workers", "chef", nil)
	if ids := strings.Join(workerIDs(t, raw), ","); !strings.Contains(ids, worker) || !strings.Contains(ids, w.molenbeekA) || !strings.Contains(ids, w.anderlechtA) {
		t.Errorf("the host's user after the merge: %s", raw)
	}
	var report struct{ Rows []stats.HostRow }
	a.getJSON("/v1/host/report", "chef", &report)
	if len(report.Rows) == 0 || report.Rows[0].Supported != 3 {
		t.Errorf("host A's report after the merge: %+v", report.Rows)
	}
	// Sent again, the merge finds nothing left to do.
	if status, _ := a.do("POST", "/v1/hosts/"+copyOf.ID+"/merge", "other", map[string]any{"into": w.hostA}); status != http.StatusNotFound {
		t.Errorf("the merge sent again: %d", status)
	}
}

// A host declares last month of its worker at a centre complete: refused
// while days are missing (409, naming how many), then, once every counted
// day is entered, declared with who and when (201), the same declaration
// again (200); the month's days no longer change. This month is not over
// (409), next month has not come (422), a centre without an agreement is
// refused (422). The centre reads the declaration on its sheet, the
// counsellor too with their own workers only; another host sees neither
// the worker nor the declaration.
func TestHostDeclaresAttendanceMonth(t *testing.T) {
	w := newHostWorld(t)
	a := w.a
	ctx := context.Background()
	brussels, _ := time.LoadLocation("Europe/Brussels")
	now := time.Now().In(brussels)
	last := time.Date(now.Year(), now.Month()-1, 1, 0, 0, 0, 0, brussels)
	month := last.Format("2006-01")
	worker := w.placeFrom("coordinator", validNN("1990-05-17", 61), a.fx.CounsellorID, w.hostA, "kitchen_help", last.Format(time.DateOnly))
	declare := func(who, centre, month string) (int, []byte) {
		t.Helper()
		return a.do("POST", "/v1/host/attendance/declarations", who, map[string]any{"centre_id": centre, "month": month})
	}

	status, raw := declare("hostA", "molenbeek", month)
	if status != http.StatusConflict || !strings.Contains(string(raw), "still to enter") {
		t.Fatalf("a month not entered: %d %s", status, raw)
	}
	// Every counted day (Monday to Saturday) of last month: worked, but
	// for one day sick without pay.
	var days []map[string]any
	for d := last; d.Month() == last.Month(); d = d.AddDate(0, 0, 1) {
		if d.Weekday() == time.Sunday {
			continue
		}
		st := "present"
		if len(days) == 3 {
			st = "unpaid_sickness"
		}
		days = append(days, map[string]any{"day": d.Format(time.DateOnly), "status": st})
	}
	if status, raw := a.do("POST", "/v1/host/workers/"+worker+"/attendance", "hostA", map[string]any{"days": days}); status != http.StatusOK {
		t.Fatalf("the month's days: %d %s", status, raw)
	}
	status, raw = declare("hostA", "molenbeek", month)
	var d store.AttendanceDeclaration
	if err := json.Unmarshal(raw, &d); status != http.StatusCreated || err != nil || d.DeclaredBy != w.hostAUser || d.HostID != w.hostA ||
		d.MonthText != month || d.CentreID != "molenbeek" || d.DeclaredByName != "hostA" || time.Since(d.DeclaredAt) > time.Minute {
		t.Fatalf("the declaration: %d %s", status, raw)
	}
	status, again := declare("hostA", "molenbeek", month)
	if status != http.StatusOK || string(again) != string(raw) {
		t.Errorf("declared again: %d %s, want the first declaration %s", status, again, raw)
	}
	if status, raw := a.do("POST", "/v1/host/workers/"+worker+"/attendance", "hostA", map[string]any{"days": []map[string]any{days[0]}}); status != http.StatusConflict || !strings.Contains(string(raw), "month_declared") {
		t.Errorf("a day of a declared month changed: %d %s", status, raw)
	}
	if status, raw := declare("hostA", "molenbeek", now.Format("2006-01")); status != http.StatusConflict || !strings.Contains(string(raw), "month_not_over") {
		t.Errorf("this month: %d %s", status, raw)
	}
	for _, c := range []struct{ who, centre, month, field string }{
		{"hostA", "molenbeek", now.AddDate(0, 2, 0).Format("2006-01"), "month"},
		{"hostA", "molenbeek", "2026-13", "month"},
		{"hostB", "anderlecht", month, "centre_id"},
		{"hostA", "", month, "centre_id"},
	} {
		status, raw := declare(c.who, c.centre, c.month)
		if _, fields := problem(t, raw); status != http.StatusUnprocessableEntity || !slices.Contains(fields, c.field) {
			t.Errorf("%s declares %s %q: %d %s", c.who, c.centre, c.month, status, raw)
		}
	}

	var sheet struct {
		Workers      []struct{ ID string }
		Declarations []store.AttendanceDeclaration
	}
	for _, who := range []string{"coordinator", "an", "admin"} {
		sheet.Workers, sheet.Declarations = nil, nil
		a.getJSON("/v1/attendance?month="+month, who, &sheet)
		if len(sheet.Declarations) != 1 || sheet.Declarations[0].HostName != "Restaurant Social" || sheet.Declarations[0].DeclaredByName != "hostA" {
			t.Errorf("%s's sheet lacks host A's declaration: %+v", who, sheet.Declarations)
		}
		if len(sheet.Workers) != 1 || sheet.Workers[0].ID != worker {
			t.Errorf("%s's sheet: %+v", who, sheet.Workers)
		}
	}
	sheet.Workers = nil
	a.getJSON("/v1/attendance?month="+month, "bram", &sheet)
	if len(sheet.Workers) != 0 {
		t.Errorf("another counsellor reads the worker's days: %+v", sheet.Workers)
	}
	sheet.Workers, sheet.Declarations = nil, nil
	a.getJSON("/v1/host/attendance?centre=molenbeek&month="+month, "hostB", &sheet)
	if len(sheet.Declarations) != 0 || len(sheet.Workers) != 0 {
		t.Errorf("host B reads host A's month: %+v", sheet)
	}
	var audited int
	if err := a.db.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE action = 'declare_attendance_month' AND centre_id = 'molenbeek' AND actor_id = $1 AND outcome = 'ok'`, w.hostAUser).Scan(&audited); err != nil || audited != 1 {
		t.Errorf("%d audit entries of the declaration (%v)", audited, err)
	}
}
