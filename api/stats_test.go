package api_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/traject-ocmw/traject/stats"
	"github.com/traject-ocmw/traject/testenv"
)

// loader drives many dossiers through the API at once, as a coordinator.
// Unlike apiTest.do it is safe from several goroutines and skips the
// OpenAPI check, which the single-dossier tests already make.
type loader struct {
	a      *apiTest
	client *http.Client
	mu     sync.Mutex
	serial int
	// keys numbers the writes' Idempotency-Keys, after prefix.
	keys   atomic.Int64
	prefix string
}

func newLoader(a *apiTest) *loader {
	return &loader{a: a, client: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}, prefix: fmt.Sprintf("load-%d", time.Now().UnixNano())}
}

// call sends a write as the OpenAPI document tells clients to: with an
// Idempotency-Key, and again with it after a 503 (a busy machine can let an
// update wait past the API's bound).
func (l *loader) call(method, path string, body any) ([]byte, error) {
	return l.callAs("coordinator", method, path, body)
}

func (l *loader) callAs(who, method, path string, body any) ([]byte, error) {
	raw, err := json.Marshal(body)
	if err != nil {
		return nil, err
	}
	key := fmt.Sprintf("%s-%d", l.prefix, l.keys.Add(1))
	for attempt := 1; ; attempt++ {
		req, err := http.NewRequest(method, l.a.url+path, bytes.NewReader(raw))
		if err != nil {
			return nil, err
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+l.a.tokens[who])
		req.Header.Set("Idempotency-Key", key)
		resp, err := l.client.Do(req)
		if err != nil {
			return nil, err
		}
		out, err := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		if err != nil {
			return nil, err
		}
		if resp.StatusCode == http.StatusServiceUnavailable && attempt < 10 {
			time.Sleep(2 * time.Second)
			continue
		}
		if resp.StatusCode >= 300 {
			return out, fmt.Errorf("%s %s: %d %s", method, path, resp.StatusCode, out)
		}
		return out, nil
	}
}

// dossier is one participant to create, with the transitions to apply.
type dossier struct {
	gender string
	steps  []map[string]any
	// outcome, when set, is recorded after the steps (post-Article-60).
	outcome string
	// who creates and moves the dossier (default coordinator), for which
	// counsellor (default the fixture's).
	who, counsellor string
	// hiredBy, when set, is the host user who records, after the steps,
	// that the host hires the worker.
	hiredBy string
}

// nationalNumber makes the n-th valid, distinct national register number.
// nationalNumber is the nth number that agrees with the birth date
// a.participant() gives (1990-05-17): 997 serials for each way the
// register may write that date (a bis number's month +20 or +40, a month
// or day it does not know as 00), about 12,000 in all.
func nationalNumber(n int) string {
	dates := []string{"05-17", "25-17", "45-17", "00-17", "20-17", "40-17", "05-00", "25-00", "45-00", "00-00", "20-00", "40-00"}
	return validNN("1990-"+dates[(n/997)%len(dates)], n%997+1)
}

// load creates the dossiers with workers goroutines and returns their IDs
// in order.
func (l *loader) load(t *testing.T, dossiers []dossier, workers int) []string {
	t.Helper()
	ids := make([]string, len(dossiers))
	jobs := make(chan int)
	var wg sync.WaitGroup
	var failed sync.Once
	for range workers {
		wg.Go(func() {
			for i := range jobs {
				if err := l.one(&ids[i], dossiers[i]); err != nil {
					failed.Do(func() { t.Errorf("dossier %d: %v", i, err) })
				}
			}
		})
	}
	for i := range dossiers {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	return ids
}

func (l *loader) one(id *string, d dossier) error {
	l.mu.Lock()
	l.serial++
	n := l.serial
	l.mu.Unlock()
	who := d.who
	if who == "" {
		who = "coordinator"
	}
	body := l.a.participant()
	body["national_number"] = nationalNumber(n)
	body["given_name"] = fmt.Sprintf("Deelnemer %d", n)
	if d.counsellor != "" {
		body["counsellor_id"] = d.counsellor
	}
	if d.gender == "" {
		delete(body, "gender")
	} else {
		body["gender"] = d.gender
	}
	raw, err := l.callAs(who, "POST", "/v1/participants", body)
	if err != nil {
		return err
	}
	var created struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(raw, &created); err != nil {
		return err
	}
	*id = created.ID
	for _, step := range d.steps {
		if step["to"] == "exempt" && step["exemption"] == nil {
			step = maps.Clone(step)
			step["exemption"] = map[string]any{"ground": "health", "reason": "Attest van de arts."}
		}
		if _, err := l.callAs(who, "POST", "/v1/participants/"+created.ID+"/transitions", step); err != nil {
			return err
		}
	}
	if d.hiredBy != "" {
		hiring := map[string]any{"start": time.Now().AddDate(0, 0, 1).Format(time.DateOnly), "employment": "open_ended"}
		if _, err := l.callAs(d.hiredBy, "POST", "/v1/host/workers/"+created.ID+"/hiring", hiring); err != nil {
			return err
		}
	}
	if d.outcome != "" {
		if _, err := l.callAs(who, "POST", "/v1/participants/"+created.ID+"/follow-up/outcome", map[string]any{"outcome": d.outcome}); err != nil {
			return err
		}
	}
	return nil
}

// repeat returns n copies of d.
func repeat(n int, d dossier) []dossier {
	out := make([]dossier, n)
	for i := range out {
		out[i] = d
	}
	return out
}

func to(phase string) map[string]any { return map[string]any{"to": phase} }

func toArticle60(hostID, function string) map[string]any {
	return map[string]any{"to": "article60", "contract": map[string]any{
		"host_id": hostID, "function": function, "regime": "full_time", "start": time.Now().Format(time.DateOnly),
	}}
}

// waitForReadModel waits until the timeline holds want phase events.
func (a *apiTest) waitForPhaseEvents(want int) {
	a.t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for {
		var n int
		if err := a.db.QueryRow(context.Background(), `
			SELECT count(*) FROM timeline_events WHERE kind IN ('trajectory_started', 'phase_changed')`).Scan(&n); err != nil {
			a.t.Fatal(err)
		}
		if n == want {
			return
		}
		if n > want || time.Now().After(deadline) {
			a.t.Fatalf("%d phase events in the timeline, want %d", n, want)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func (a *apiTest) getJSON(path, who string, v any) {
	a.t.Helper()
	status, raw := a.do("GET", path, who, nil)
	if status != http.StatusOK {
		a.t.Fatalf("GET %s: %d %s", path, status, raw)
	}
	if err := json.Unmarshal(raw, v); err != nil {
		a.t.Fatalf("GET %s: %v", path, err)
	}
}

// The Molenbeek table of December 2012 (seed 003), rebuilt through the API
// and the real workflows: 5,744 dossiers, 4,465 transitions. The report
// must give the published row to the unit, the shares rounded as printed,
// and give it again for the same instant after the dossiers moved on.
func TestTrajectoryTableReproducesDecember2012(t *testing.T) {
	a := newAPITest(t)
	hostID := a.host()
	if status, raw := a.do("PUT", "/v1/hosts/"+hostID, "coordinator", map[string]any{
		"name": "Restaurant Social", "positions": []map[string]any{{"function": "kitchen_help", "positions": 400}},
	}); status != http.StatusOK {
		t.Fatalf("host: %d %s", status, raw)
	}
	var dossiers []dossier
	for _, g := range []struct {
		n     int
		steps []map[string]any
	}{
		{1604, nil}, // intake: leefloon dossiers not yet in a trajectory
		{418, []map[string]any{to("exempt")}},
		{1078, []map[string]any{to("facilitator")}},
		{947, []map[string]any{to("literacy")}},
		{877, []map[string]any{to("studies")}},
		{495, []map[string]any{to("work")}},
		{325, []map[string]any{to("work"), toArticle60(hostID, "kitchen_help")}},
	} {
		dossiers = append(dossiers, repeat(g.n, dossier{steps: g.steps})...)
	}
	start := time.Now()
	ids := newLoader(a).load(t, dossiers, 16)
	a.waitForPhaseEvents(5744 + 418 + 1078 + 947 + 877 + 495 + 2*325)
	loaded := time.Since(start)

	want := stats.TrajectoryRow{
		LeefloonDossiers: 5419, InTrajectory: 3815, InTrajectoryPct: 7040,
		Exempt: 418, Facilitator: 1078, Literacy: 947, Studies: 877, Work: 495, Article60: 325,
		SPIDossiers: 3722, SPIPct: 6868, Intake: 1604,
	}
	same := func(label string, got stats.TrajectoryRow) {
		t.Helper()
		got.Month, got.AsOf, got.Partial = "", time.Time{}, false
		if got != want {
			t.Errorf("%s:\n got %+v\nwant %+v", label, got, want)
		}
	}
	computeStart := time.Now()
	var today struct{ Rows []stats.TrajectoryRow }
	a.getJSON("/v1/stats/trajectories", "coordinator", &today)
	computed := time.Since(computeStart)
	t.Logf("loaded 5,744 dossiers and 4,465 transitions through the API in %s (%.0f requests/s); table computed in %s",
		loaded.Round(time.Millisecond), float64(5744+4465)/loaded.Seconds(), computed.Round(time.Microsecond))
	if len(today.Rows) != 1 {
		t.Fatalf("rows: %+v", today.Rows)
	}
	same("as of now", today.Rows[0])

	month := time.Now().Format("2006-01")
	var monthly struct{ Rows []stats.TrajectoryRow }
	a.getJSON("/v1/stats/trajectories?from="+month+"&to="+month, "coordinator", &monthly)
	if len(monthly.Rows) != 1 || monthly.Rows[0].Month != month || !monthly.Rows[0].Partial {
		t.Fatalf("monthly rows: %+v", monthly.Rows)
	}
	same("this month so far", monthly.Rows[0])

	status, raw := a.do("GET", "/v1/stats/trajectories?format=csv&delimiter=semicolon", "coordinator", nil)
	if status != http.StatusOK || !bytes.HasPrefix(raw, []byte("\ufeffmonth;as_of;")) {
		t.Fatalf("csv: %d %q", status, raw)
	}
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(raw, []byte("\ufeff"))))
	r.Comma = ';'
	records, err := r.ReadAll()
	if err != nil || len(records) != 2 {
		t.Fatalf("csv: %v %q", err, raw)
	}
	if got := strings.Join(records[1][3:14], ";"); got != "5419;3815;70,40;418;1078;947;877;495;325;3722;68,68" {
		t.Errorf("csv row: %q", records[1])
	}

	// The dossiers move on; the table of the instant before does not.
	frozen := time.Now()
	time.Sleep(10 * time.Millisecond)
	moved := newLoader(a)
	for _, id := range ids[1604 : 1604+20] { // 20 exempt dossiers start phase 1
		if _, err := moved.call("POST", "/v1/participants/"+id+"/transitions", to("facilitator")); err != nil {
			t.Fatal(err)
		}
	}
	a.waitForPhaseEvents(5744 + 418 + 1078 + 947 + 877 + 495 + 2*325 + 20)
	rows, err := (stats.Reports{DB: a.db}).Trajectories(context.Background(), "molenbeek", []stats.Instant{{At: frozen}, {At: time.Now()}}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	same("the instant before the moves", rows[0])
	if rows[1].Exempt != 398 || rows[1].Facilitator != 1098 || rows[1].InTrajectory != 3815 {
		t.Errorf("after the moves: %+v", rows[1])
	}
}

// The host organisation's year (seed 001): 114 people supported under
// Article 60, 68 contracts ended, 25 of them hired by the host afterwards,
// beside a second, smaller host; per host, function and gender; then the
// placements the running contracts occupy against the agreed positions
// and the 20% ceiling.
func TestOutcomesAndPlacementsReproduceTheHostReport(t *testing.T) {
	a := newAPITest(t)
	functions := []struct {
		name                 string
		positions, contracts int
	}{
		{"driver", 10, 18}, {"it_support", 4, 8}, {"kitchen_help", 14, 22}, {"maintenance", 16, 24},
		{"multi_purpose", 8, 14}, {"night_watch", 10, 16}, {"receptionist", 8, 12},
	}
	var positions []map[string]any
	for _, f := range functions {
		positions = append(positions, map[string]any{"function": f.name, "positions": f.positions})
	}
	samusocial := a.createHost(map[string]any{"name": "New Samusocial", "staff": 200, "positions": positions})
	kringwinkel := a.createHost(map[string]any{"name": "Kringwinkel", "positions": []map[string]any{{"function": "sorter", "positions": 10}}})

	// 114 contracts at New Samusocial, the functions dealt in turn; the
	// first 68 end: 25 hired by the host, 20 regular jobs, 13 unemployment
	// benefits, 10 still in the follow-up.
	var dossiers []dossier
	left := map[string]int{}
	for _, f := range functions {
		left[f.name] = f.contracts
	}
	running := map[string]int{}
	genders := []string{"m", "m", "f", "m", "f", "m", "x", "m", ""}
	for i := 0; len(dossiers) < 114; i++ {
		f := functions[i%len(functions)]
		if left[f.name] == 0 {
			continue
		}
		left[f.name]--
		d := dossier{gender: genders[len(dossiers)%len(genders)], steps: []map[string]any{to("work"), toArticle60(samusocial, f.name)}}
		switch n := len(dossiers); {
		case n < 25:
			d.outcome = "hired_by_host"
		case n < 45:
			d.outcome = "regular_job"
		case n < 58:
			d.outcome = "unemployment_benefits"
		}
		if len(dossiers) < 68 {
			d.steps = append(d.steps, to("post_article60"))
		} else {
			running[f.name]++
		}
		dossiers = append(dossiers, d)
	}
	// 6 at the Kringwinkel; 2 end, one into a regular job.
	for i := range 6 {
		d := dossier{gender: "f", steps: []map[string]any{to("literacy"), toArticle60(kringwinkel, "sorter")}}
		if i < 2 {
			d.steps = append(d.steps, to("post_article60"))
		}
		if i == 0 {
			d.outcome = "regular_job"
		}
		dossiers = append(dossiers, d)
	}
	start := time.Now()
	newLoader(a).load(t, dossiers, 16)
	a.waitForPhaseEvents(120 + 2*120 + 70 + 59)
	t.Logf("loaded 120 Article 60 dossiers through the API in %s", time.Since(start).Round(time.Millisecond))

	from := time.Now().AddDate(0, 0, -1).Format(time.DateOnly)
	until := time.Now().AddDate(0, 0, 2).Format(time.DateOnly)
	var outcomes struct{ Rows []stats.OutcomeRow }
	a.getJSON("/v1/stats/outcomes?from="+from+"&to="+until, "coordinator", &outcomes)
	rows := map[string]stats.OutcomeRow{}
	genderSupported := 0
	for _, r := range outcomes.Rows {
		rows[r.Group+"/"+r.Key] = r
		if r.Group == "gender" {
			genderSupported += r.Supported
		}
	}
	host := rows["host/"+samusocial]
	if host.Name != "New Samusocial" || host.Supported != 114 || host.Ended != 68 || host.Outcomes["hired_by_host"] != 25 ||
		host.Outcomes["regular_job"] != 20 || host.Outcomes["unemployment_benefits"] != 13 || host.Outcomes[stats.OutcomePending] != 10 ||
		host.HiredShare != 3676 {
		t.Errorf("New Samusocial: %+v", host)
	}
	total := rows["total/"]
	if total.Supported != 120 || total.Ended != 70 || total.Outcomes["hired_by_host"] != 25 || total.Outcomes["regular_job"] != 21 {
		t.Errorf("total: %+v", total)
	}
	if d := rows["function/driver"]; d.Supported != 18 || d.Ended+running["driver"] != 18 {
		t.Errorf("drivers: %+v, %d running", d, running["driver"])
	}
	if genderSupported != 120 || rows["gender/unknown"].Supported == 0 || rows["gender/f"].Supported == 0 {
		t.Errorf("the genders add up to %d of 120: %+v", genderSupported, outcomes.Rows)
	}
	status, raw := a.do("GET", "/v1/stats/outcomes?format=csv&from="+from+"&to="+until, "coordinator", nil)
	if status != http.StatusOK || !strings.HasPrefix(string(raw), "group,key,name,supported,ended,hired_by_host_pct,hired_by_host,pending,regular_job,unemployment_benefits\n") ||
		!strings.Contains(string(raw), ",New Samusocial,114,68,36.76,25,10,20,13\n") {
		t.Errorf("outcomes csv: %d %s", status, raw)
	}

	var placements struct {
		Hosts []stats.Placement
	}
	a.getJSON("/v1/stats/placements", "coordinator", &placements)
	if len(placements.Hosts) != 2 {
		t.Fatalf("placements: %+v", placements.Hosts)
	}
	kw, ns := placements.Hosts[0], placements.Hosts[1]
	if ns.Name != "New Samusocial" || ns.Positions != 70 || ns.Occupied != 46 || ns.Article60Share == nil ||
		*ns.Article60Share != 2300 || ns.CeilingPct != 2000 || !ns.AboveCeiling {
		t.Errorf("New Samusocial: %+v", ns)
	}
	for _, f := range ns.Functions {
		if f.Occupied != running[f.Function] || f.Open != max(f.Positions-f.Occupied, 0) {
			t.Errorf("%s: %+v, want %d occupied", f.Function, f, running[f.Function])
		}
	}
	if kw.Occupied != 4 || kw.Positions != 10 || kw.Open != 6 || kw.Staff != nil || kw.Article60Share != nil || kw.AboveCeiling {
		t.Errorf("Kringwinkel: %+v", kw)
	}
	// A centre with a higher ceiling sees the site within it.
	if status, raw := a.do("PUT", "/v1/policy", "coordinator", map[string]any{"article60": map[string]any{"max_share_of_site_staff_pct": 25}}); status != http.StatusOK {
		t.Fatalf("policy: %d %s", status, raw)
	}
	a.getJSON("/v1/stats/placements", "coordinator", &placements)
	if ns := placements.Hosts[1]; ns.CeilingPct != 2500 || ns.AboveCeiling {
		t.Errorf("with a 25%% ceiling: %+v", ns)
	}
	// Yesterday, nothing ran yet.
	a.getJSON("/v1/stats/placements?as_of="+time.Now().AddDate(0, 0, -1).Format(time.DateOnly), "coordinator", &placements)
	if placements.Hosts[1].Occupied != 0 {
		t.Errorf("occupied yesterday: %+v", placements.Hosts[1])
	}
}

func (a *apiTest) createHost(body map[string]any) string {
	a.t.Helper()
	status, raw := a.do("POST", "/v1/hosts", "coordinator", body)
	if status != http.StatusCreated {
		a.t.Fatalf("host: %d %s", status, raw)
	}
	var h struct{ ID string }
	_ = json.Unmarshal(raw, &h)
	return h.ID
}

// Workload counts each counsellor's open dossiers and the deadlines they
// own, as the dossiers themselves list them; the BCSD report counts a
// procedure from report to decision.
func TestWorkloadAndBCSDStatistics(t *testing.T) {
	a := newAPITest(t)
	late := a.participant()
	late["leefloon_decision_date"] = "2026-01-05" // GPMI signature overdue since April
	lateID := a.create(late)
	recent := a.participant()
	recent["national_number"] = nationalNumber(1)
	recent["leefloon_decision_date"] = time.Now().AddDate(0, -3, 2).Format(time.DateOnly) // due within days
	recentID := a.create(recent)
	other := a.participant()
	other["national_number"] = nationalNumber(2)
	other["counsellor_id"] = a.fx.Counsellor2ID
	a.create(other)

	var body struct {
		WeekEnds    time.Time `json:"week_ends"`
		Counsellors []stats.Workload
	}
	a.getJSON("/v1/stats/workload", "admin", &body)
	// what the dossiers themselves say
	dueThisWeek, overdue := 0, 0
	for _, id := range []string{lateID, recentID} {
		var d struct {
			Trajectory struct {
				Deadlines []struct {
					Due   time.Time
					Actor string
				}
			}
		}
		a.getJSON("/v1/participants/"+id, "coordinator", &d)
		for _, dl := range d.Trajectory.Deadlines {
			switch {
			case dl.Actor != "counsellor":
			case dl.Due.Before(time.Now()):
				overdue++
			case dl.Due.Before(body.WeekEnds):
				dueThisWeek++
			}
		}
	}
	byID := map[string]stats.Workload{}
	for _, c := range body.Counsellors {
		byID[c.CounsellorID] = c
	}
	if an := byID[a.fx.CounsellorID]; an.Caseload != 2 || an.Overdue != overdue || overdue == 0 || an.DueThisWeek != dueThisWeek {
		t.Errorf("An: %+v; the dossiers say %d overdue, %d due this week", an, overdue, dueThisWeek)
	}
	if bram := byID[a.fx.Counsellor2ID]; bram.Caseload != 1 || bram.Overdue != 0 {
		t.Errorf("Bram: %+v", bram)
	}
	var elsewhere struct{ Counsellors []stats.Workload }
	a.getJSON("/v1/stats/workload", "other", &elsewhere)
	if len(elsewhere.Counsellors) != 0 {
		t.Errorf("another centre's coordinator sees this centre's counsellors: %+v", elsewhere.Counsellors)
	}
	if status, _ := a.do("GET", "/v1/stats/workload", "an", nil); status != http.StatusForbidden {
		t.Errorf("a counsellor read the workload statistics: %d", status)
	}

	base := "/v1/participants/" + lateID
	today := time.Now().Format(time.DateOnly)
	for _, s := range []struct {
		who, path string
		body      map[string]any
	}{
		{"an", "/non-cooperation", map[string]any{"description": "Drie afspraken gemist."}},
		{"bcsd", "/procedures/1/hearing", map[string]any{"invited_on": today, "hearing_at": time.Now().AddDate(0, 0, 10).Format(time.RFC3339)}},
		{"bcsd", "/procedures/1/hearing-outcome", map[string]any{"held": true}},
		{"bcsd", "/procedures/1/decision", map[string]any{"kind": "no_sanction", "decided_on": today}},
	} {
		if status, raw := a.do("POST", base+s.path, s.who, s.body); status != http.StatusOK {
			t.Fatalf("%s: %d %s", s.path, status, raw)
		}
	}
	var bcsd stats.Sanctions
	testenv.Eventually(t, "the decision, the procedure's last write, in the BCSD statistics", func() bool {
		a.getJSON("/v1/stats/bcsd", "coordinator", &bcsd)
		return bcsd.Decisions["no_sanction"] == 1
	})
	if bcsd.Opened != 1 || bcsd.HearingsHeld != 1 || bcsd.HearingsMissed != 0 || bcsd.Decisions["no_sanction"] != 1 ||
		bcsd.AverageDaysToDecision == nil || *bcsd.AverageDaysToDecision != 0 {
		t.Errorf("bcsd: %+v", bcsd)
	}
	status, raw := a.do("GET", "/v1/stats/bcsd?format=csv&delimiter=semicolon", "coordinator", nil)
	if status != http.StatusOK || !strings.Contains(string(raw), "opened;1\n") || !strings.Contains(string(raw), "average_days_to_decision;0,0\n") {
		t.Errorf("bcsd csv: %d %q", status, raw)
	}
}

// Bad report options are problems naming the parameter.
func TestStatisticsRefuseBadOptions(t *testing.T) {
	a := newAPITest(t)
	for _, c := range []struct {
		path, who string
		status    int
		field     string
	}{
		{"/v1/stats/trajectories", "an", http.StatusForbidden, ""},
		{"/v1/stats/trajectories", "bcsd", http.StatusForbidden, ""},
		{"/v1/stats/trajectories?format=xlsx", "coordinator", http.StatusBadRequest, "format"},
		{"/v1/stats/trajectories?delimiter=tab&format=csv", "coordinator", http.StatusBadRequest, "delimiter"},
		{"/v1/stats/trajectories?delimiter=semicolon", "coordinator", http.StatusBadRequest, "delimiter"},
		{"/v1/stats/trajectories?as_of=31-12-2012", "coordinator", http.StatusBadRequest, "as_of"},
		{"/v1/stats/trajectories?from=2012-12", "coordinator", http.StatusBadRequest, "to"},
		{"/v1/stats/trajectories?from=2013-01&to=2012-12", "coordinator", http.StatusBadRequest, "to"},
		{"/v1/stats/trajectories?from=2000-01&to=2012-12", "coordinator", http.StatusBadRequest, "to"},
		{"/v1/stats/trajectories?from=2012-12&to=2012-12&as_of=2012-12-31", "coordinator", http.StatusBadRequest, "as_of"},
		{"/v1/stats/outcomes?from=2020-13-01", "admin", http.StatusBadRequest, "from"},
		{"/v1/stats/outcomes?from=2021-01-01&to=2020-01-01", "admin", http.StatusBadRequest, "to"},
		{"/v1/stats/bcsd?to=never", "admin", http.StatusBadRequest, "to"},
		{"/v1/stats/placements?as_of=tomorrow", "admin", http.StatusBadRequest, "as_of"},
		{"/v1/stats/workload?format=pdf", "admin", http.StatusBadRequest, "format"},
	} {
		status, raw := a.do("GET", c.path, c.who, nil)
		if status != c.status {
			t.Errorf("%s as %s: %d, want %d: %s", c.path, c.who, status, c.status, raw)
			continue
		}
		if _, fields := problem(t, raw); c.field != "" && !strings.Contains(strings.Join(fields, ","), c.field) {
			t.Errorf("%s: fields %v, want %s", c.path, fields, c.field)
		}
	}
	// An empty centre answers zeros, not errors.
	var table struct{ Rows []stats.TrajectoryRow }
	a.getJSON("/v1/stats/trajectories?from=2012-01&to=2012-12", "coordinator", &table)
	if len(table.Rows) != 12 || table.Rows[11].Month != "2012-12" || table.Rows[11].LeefloonDossiers != 0 || table.Rows[11].Partial {
		t.Errorf("empty table: %+v", table.Rows)
	}
}

// Seed 003: "350 positions, 121 of them in the social economy". The
// placements report counts the positions at hosts of the social economy
// apart, in the API and its CSV; a trajectory that ends in a social
// workplace (seed 004) has its own outcome in the outcomes report.
func TestPlacementsCountTheSocialEconomy(t *testing.T) {
	a := newAPITest(t)
	hosts := []struct {
		name      string
		social    bool
		positions int
	}{
		{"De Kringwinkel", true, 60}, {"Groep Intro", true, 40}, {"Atelier du Midi", true, 21},
		{"Rusthuis Zonnebloem", false, 120}, {"Stadsdiensten", false, 75}, {"Brasserie Nova", false, 34},
	}
	ids := map[string]string{}
	for _, h := range hosts {
		body := map[string]any{"name": h.name, "positions": []map[string]any{{"function": "multi_purpose", "positions": h.positions}}}
		if h.social {
			body["social_economy"] = true
		}
		ids[h.name] = a.createHost(body)
	}
	var host struct {
		SocialEconomy bool `json:"social_economy"`
	}
	a.getJSON("/v1/hosts/"+ids["Groep Intro"], "coordinator", &host)
	if !host.SocialEconomy {
		t.Errorf("Groep Intro is not read back as social economy")
	}

	// Two workers at the Kringwinkel: one ends in a social workplace, the
	// other still works there; one at the rest home.
	dossiers := []dossier{
		{gender: "f", steps: []map[string]any{to("work"), toArticle60(ids["De Kringwinkel"], "multi_purpose"), to("post_article60")}, outcome: "social_workplace"},
		{gender: "m", steps: []map[string]any{to("work"), toArticle60(ids["De Kringwinkel"], "multi_purpose")}},
		{gender: "m", steps: []map[string]any{to("work"), toArticle60(ids["Rusthuis Zonnebloem"], "multi_purpose")}},
	}
	newLoader(a).load(t, dossiers, 3)
	a.waitForPhaseEvents(3 + 2*3 + 2)

	var placements struct {
		Hosts  []stats.Placement
		Totals stats.PlacementTotals
	}
	a.getJSON("/v1/stats/placements", "coordinator", &placements)
	tot := placements.Totals
	if tot.Positions != 350 || tot.SocialEconomy.Positions != 121 || tot.Occupied != 2 || tot.SocialEconomy.Occupied != 1 ||
		tot.SocialEconomy.Open != 120 {
		t.Errorf("totals: %+v, want 350 positions, 121 in the social economy, 2 occupied, 1 of them there", tot)
	}
	social := 0
	for _, h := range placements.Hosts {
		if h.SocialEconomy {
			social++
		}
	}
	if social != 3 {
		t.Errorf("%d hosts of the social economy, want 3: %+v", social, placements.Hosts)
	}
	status, raw := a.do("GET", "/v1/stats/placements?format=csv", "coordinator", nil)
	if status != http.StatusOK || !strings.Contains(string(raw), ",De Kringwinkel,,60,1,59,,,20.00,false,1,true\n") ||
		!strings.Contains(string(raw), ",Brasserie Nova,,34,0,34,,,20.00,false,0,false\n") {
		t.Errorf("placements csv: %d %s", status, raw)
	}

	from := time.Now().AddDate(0, 0, -1).Format(time.DateOnly)
	until := time.Now().AddDate(0, 0, 2).Format(time.DateOnly)
	var outcomes struct{ Rows []stats.OutcomeRow }
	a.getJSON("/v1/stats/outcomes?from="+from+"&to="+until, "coordinator", &outcomes)
	for _, r := range outcomes.Rows {
		if r.Group == "total" && (r.Ended != 1 || r.Outcomes["social_workplace"] != 1) {
			t.Errorf("total: %+v, want one contract ended in a social workplace", r)
		}
	}
}
