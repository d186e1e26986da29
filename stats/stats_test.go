package stats_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/traject-ocmw/traject/stats"
	"github.com/traject-ocmw/traject/testenv"
)

func TestShareRoundsHalfUpAsPublished(t *testing.T) {
	for _, c := range []struct {
		part, whole int
		dot, comma  string
	}{
		{3815, 5419, "70.40", "70,40"},
		{3722, 5419, "68.68", "68,68"},
		{1082, 5131, "21.09", "21,09"}, // December 2009
		{25, 68, "36.76", "36,76"},
		{1, 8, "12.50", "12,50"}, // 12.5 exactly
		{1, 200, "0.50", "0,50"},
		{1, 3, "33.33", "33,33"},
		{2, 3, "66.67", "66,67"},
		{5, 0, "0.00", "0,00"},
		{7, 7, "100.00", "100,00"},
	} {
		p := stats.Share(c.part, c.whole)
		if got := p.Format('.'); got != c.dot {
			t.Errorf("%d/%d = %s, want %s", c.part, c.whole, got, c.dot)
		}
		if got := p.Format(','); got != c.comma {
			t.Errorf("%d/%d = %s, want %s", c.part, c.whole, got, c.comma)
		}
		raw, _ := json.Marshal(map[string]stats.Percent{"p": p})
		if string(raw) != `{"p":`+c.dot+`}` {
			t.Errorf("JSON %s", raw)
		}
		var back map[string]stats.Percent
		if err := json.Unmarshal(raw, &back); err != nil || back["p"] != p {
			t.Errorf("JSON round trip of %s: %v %v", raw, back, err)
		}
	}
}

func TestMonthEndsAreTheLastInstantOfEachMonth(t *testing.T) {
	loc, _ := time.LoadLocation("Europe/Brussels")
	ends := stats.MonthEnds(time.Date(2012, 11, 1, 0, 0, 0, 0, loc), time.Date(2013, 2, 1, 0, 0, 0, 0, loc), loc)
	var got []string
	for _, e := range ends {
		got = append(got, e.Month+" "+e.At.Format("2006-01-02T15:04:05.000000Z07:00"))
	}
	want := []string{
		"2012-11 2012-11-30T23:59:59.999999+01:00", "2012-12 2012-12-31T23:59:59.999999+01:00",
		"2013-01 2013-01-31T23:59:59.999999+01:00", "2013-02 2013-02-28T23:59:59.999999+01:00",
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got %v\nwant %v", got, want)
	}
}

// timeline writes phase events straight into a database, to test the
// counting at its edges: an event exactly at an instant, two at the same
// moment inserted out of order, a closed dossier, a re-entry, a start
// recorded after an early transition, a start written before the start
// carried its phase (NULL), other centres and other kinds.
type timeline struct {
	t   *testing.T
	db  *pgxpool.Pool
	seq int
}

func (tl *timeline) participant(centre string) string {
	tl.seq++
	id := fmt.Sprintf("00000000-0000-4000-8000-%012d", tl.seq)
	if _, err := tl.db.Exec(context.Background(), `
		INSERT INTO participants (id, centre_id, given_name, family_name, birth_date, national_number, language, leefloon_decision_date)
		VALUES ($1, $2, 'X', 'Y', '1980-01-01', lpad($3::text, 11, '0'), 'nl', '2012-01-01')`, id, centre, fmt.Sprint(tl.seq)); err != nil {
		tl.t.Fatal(err)
	}
	return id
}

func (tl *timeline) event(participant, centre, kind, phase string, at time.Time, data map[string]any) {
	tl.seq++
	tl.eventSeq(participant, centre, kind, phase, at, data, tl.seq)
}

// eventSeq inserts an event with the given state version, as an activity
// that ran late would.
func (tl *timeline) eventSeq(participant, centre, kind, phase string, at time.Time, data map[string]any, seq int) {
	raw, _ := json.Marshal(data)
	if _, err := tl.db.Exec(context.Background(), `
		INSERT INTO timeline_events (event_key, participant_id, centre_id, occurred_at, seq, kind, phase_to, data)
		VALUES ($1, $2, $3, $4, $5, $6, NULLIF($7, ''), COALESCE($8::jsonb, '{}'))`,
		fmt.Sprintf("%s/%d", participant, seq), participant, centre, at, seq, kind, phase, string(raw)); err != nil {
		tl.t.Fatal(err)
	}
}

func TestPhaseCountsAtTheirEdges(t *testing.T) {
	db := testenv.Database(t)
	ctx := context.Background()
	if _, err := db.Exec(ctx, `INSERT INTO centres (id, name, region) VALUES ('molenbeek', 'M', 'brussels'), ('anderlecht', 'A', 'brussels')`); err != nil {
		t.Fatal(err)
	}
	tl := &timeline{t: t, db: db}
	loc, _ := time.LoadLocation("Europe/Brussels")
	day := func(m, d int) time.Time { return time.Date(2012, time.Month(m), d, 10, 0, 0, 0, loc) }
	months := stats.MonthEnds(day(10, 1), day(12, 1), loc) // October, November, December 2012

	// A: intake in October, phase 1 exactly at November's last instant
	// (it counts), literacy in December.
	a := tl.participant("molenbeek")
	tl.event(a, "molenbeek", "trajectory_started", "intake", day(10, 3), nil)
	tl.event(a, "molenbeek", "phase_changed", "facilitator", months[1].At, nil)
	tl.event(a, "molenbeek", "task_due", "", day(11, 4), nil) // not a phase event
	tl.event(a, "molenbeek", "phase_changed", "literacy", day(12, 2), nil)
	// B: Article 60 in October, follow-up in November, closed in December,
	// re-enters the same day into intake.
	b := tl.participant("molenbeek")
	tl.event(b, "molenbeek", "trajectory_started", "", day(9, 1), nil)
	tl.event(b, "molenbeek", "phase_changed", "work", day(9, 2), nil)
	tl.event(b, "molenbeek", "phase_changed", "article60", day(10, 1), map[string]any{"host_id": "h", "function": "f"})
	tl.event(b, "molenbeek", "phase_changed", "post_article60", day(11, 1), nil)
	tl.event(b, "molenbeek", "phase_changed", "closed", day(12, 1), map[string]any{"outcome": "regular_job"})
	tl.event(b, "molenbeek", "trajectory_started", "", day(12, 1), nil)
	// C: exempt from October; two changes in one workflow task in
	// November, inserted in the wrong order, end in studies.
	c := tl.participant("molenbeek")
	tl.event(c, "molenbeek", "trajectory_started", "", day(10, 10), nil)
	tl.event(c, "molenbeek", "phase_changed", "exempt", day(10, 11), nil)
	tl.eventSeq(c, "molenbeek", "phase_changed", "studies", day(11, 11), nil, tl.seq+2)
	tl.eventSeq(c, "molenbeek", "phase_changed", "work", day(11, 11), nil, tl.seq+1)
	tl.seq += 2
	// F: a transition accepted in the first workflow task, before the
	// start was recorded: the start carries the phase it found.
	f := tl.participant("molenbeek")
	tl.eventSeq(f, "molenbeek", "phase_changed", "facilitator", day(10, 20), nil, 1)
	tl.eventSeq(f, "molenbeek", "trajectory_started", "facilitator", day(10, 20), nil, 2)
	// D: another centre.
	d := tl.participant("anderlecht")
	tl.event(d, "anderlecht", "trajectory_started", "", day(10, 1), nil)
	// E: starts after the period.
	e := tl.participant("molenbeek")
	tl.event(e, "molenbeek", "trajectory_started", "", day(12, 1).AddDate(0, 1, 0), nil)

	rows, err := (stats.Reports{DB: db}).Trajectories(ctx, "molenbeek", months, day(12, 1).AddDate(1, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	type counts struct{ leefloon, intake, exempt, facilitator, literacy, studies, work, a60, post, spi int }
	got := func(r stats.TrajectoryRow) counts {
		return counts{r.LeefloonDossiers, r.Intake, r.Exempt, r.Facilitator, r.Literacy, r.Studies, r.Work, r.Article60, r.PostArticle60, r.SPIDossiers}
	}
	for i, want := range []counts{
		{leefloon: 3, intake: 1, exempt: 1, facilitator: 1, a60: 1, spi: 2},       // October
		{leefloon: 3, facilitator: 2, studies: 1, post: 1, spi: 3},                // November
		{leefloon: 4, intake: 1, facilitator: 1, literacy: 1, studies: 1, spi: 3}, // December
	} {
		if g := got(rows[i]); g != want {
			t.Errorf("%s: got %+v, want %+v", rows[i].Month, g, want)
		}
	}

	outcomes, err := (stats.Reports{DB: db}).Outcomes(ctx, "molenbeek", day(10, 1).AddDate(0, 0, -1), day(12, 1).AddDate(0, 1, 0))
	if err != nil {
		t.Fatal(err)
	}
	if len(outcomes) < 1 || outcomes[0].Group != "total" || outcomes[0].Supported != 1 || outcomes[0].Ended != 1 || outcomes[0].Outcomes["regular_job"] != 1 {
		t.Errorf("outcomes: %+v", outcomes)
	}
	// In September the contract had not started; in November it had ended.
	for _, p := range [][2]time.Time{{day(9, 1), day(10, 1)}, {day(11, 2), day(12, 31)}} {
		o, err := (stats.Reports{DB: db}).Outcomes(ctx, "molenbeek", p[0], p[1])
		if err != nil {
			t.Fatal(err)
		}
		if len(o) != 1 || o[0].Supported != 0 {
			t.Errorf("outcomes %s to %s: %+v", p[0], p[1], o)
		}
	}
}

// A counsellor's workload counts the deadlines of their open dossiers; a
// trajectory whose state holds no deadlines (null, as a workflow without
// any writes them) or none at all counts as a dossier without any, and
// does not fail the report.
func TestWorkloadsWithoutDeadlines(t *testing.T) {
	db := testenv.Database(t)
	fx := testenv.Seed(t, db)
	ctx := context.Background()
	tl := &timeline{t: t, db: db}
	now := time.Now()
	for i, state := range []string{`{"deadlines": null}`, `{}`,
		fmt.Sprintf(`{"deadlines": [{"kind": "gpmi_sign", "actor": "counsellor", "due": %q}, {"kind": "gpmi_evaluation", "actor": "participant", "due": %q}]}`,
			now.Add(-time.Hour).Format(time.RFC3339), now.Add(-time.Hour).Format(time.RFC3339))} {
		p := tl.participant(fx.CentreID)
		if _, err := db.Exec(ctx, `
			INSERT INTO trajectories (participant_id, centre_id, workflow_id, phase, phase_since, counsellor_id, state, version)
			VALUES ($1, $2, $3, 'intake', now(), $4, $5::jsonb, 1)`, p, fx.CentreID, fmt.Sprint("trajectory:", i, p), fx.Counsellor2ID, state); err != nil {
			t.Fatal(err)
		}
	}
	rows, err := (stats.Reports{DB: db}).Workloads(ctx, fx.CentreID, now, now.AddDate(0, 0, 7))
	if err != nil {
		t.Fatal(err)
	}
	var bram *stats.Workload
	for i := range rows {
		if rows[i].CounsellorID == fx.Counsellor2ID {
			bram = &rows[i]
		}
	}
	if bram == nil || bram.Caseload != 3 || bram.Overdue != 1 || bram.DueThisWeek != 0 {
		t.Errorf("the workloads: %+v", rows)
	}
}
