package stats_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/traject-ocmw/traject/stats"
	"github.com/traject-ocmw/traject/testenv"
)

// BenchmarkMonthlyTable computes the 24-month trajectory table of a centre
// with 50,000 participants and two years of timeline (about 6 phase events
// and 40 other events per participant, 2.3 million rows), and logs the
// query plan. Run it with
//
//	go test ./stats -run '^$' -bench MonthlyTable -benchtime 10x
//
// The target is under one second per table on the 2-core machine.
func BenchmarkMonthlyTable(b *testing.B) {
	db := testenv.Database(b)
	ctx := context.Background()
	start := time.Now()
	for _, q := range []string{
		`INSERT INTO centres (id, name, region) VALUES ('molenbeek', 'OCMW Molenbeek', 'brussels'), ('anderlecht', 'OCMW Anderlecht', 'brussels')`,
		`INSERT INTO participants (id, centre_id, given_name, family_name, birth_date, national_number, language, leefloon_decision_date)
		 SELECT gen_random_uuid(), CASE WHEN i % 5 = 0 THEN 'anderlecht' ELSE 'molenbeek' END, '', '', '1980-01-01', lpad(i::text, 11, '0'), 'nl', '2024-01-01'
		 FROM generate_series(1, 62500) i`,
		// Each participant starts at a random moment of the two years and
		// changes phase every one to four months.
		`INSERT INTO timeline_events (event_key, participant_id, centre_id, occurred_at, seq, kind, phase_to)
		 SELECT p.id || '/' || n, p.id, p.centre_id,
		        timestamptz '2024-11-01' + (hashint4(hashtext(p.id::text)) & 511) * interval '1 day' + n * interval '45 days', n,
		        CASE WHEN n = 0 THEN 'trajectory_started' ELSE 'phase_changed' END,
		        CASE WHEN n = 0 THEN NULL
		             ELSE (ARRAY['facilitator','literacy','studies','work','exempt','work','article60','post_article60','closed'])[1 + (abs(hashint4(n + hashtext(p.id::text))) % 9)] END
		 FROM participants p, generate_series(0, 5) n`,
		// What the rest of a trajectory writes: reminders, tasks, GPMI.
		`INSERT INTO timeline_events (event_key, participant_id, centre_id, occurred_at, kind, data)
		 SELECT p.id || '/x' || n, p.id, p.centre_id,
		        timestamptz '2024-11-01' + (hashint4(hashtext(p.id::text)) & 511) * interval '1 day' + n * interval '6 days',
		        (ARRAY['task_due','deadline_overdue','gpmi_evaluated','check_in_recorded','notice_undelivered'])[1 + n % 5],
		        jsonb_build_object('deadline_id', 'gpmi.evaluation.' || n)
		 FROM participants p, generate_series(1, 40) n`,
		`DELETE FROM timeline_events WHERE occurred_at > now()`,
		`VACUUM ANALYZE`, // as autovacuum leaves a table: statistics and visibility map
	} {
		if _, err := db.Exec(ctx, q); err != nil {
			b.Fatal(err)
		}
	}
	var events, phaseEvents int
	if err := db.QueryRow(ctx, `SELECT count(*), count(*) FILTER (WHERE kind IN ('trajectory_started', 'phase_changed')) FROM timeline_events`).Scan(&events, &phaseEvents); err != nil {
		b.Fatal(err)
	}
	fmt.Printf("loaded 62,500 participants (50,000 in the centre measured), %d timeline events (%d phase events) in %s\n",
		events, phaseEvents, time.Since(start).Round(time.Millisecond))

	loc, _ := time.LoadLocation("Europe/Brussels")
	months := stats.MonthEnds(time.Date(2024, 12, 1, 0, 0, 0, 0, loc), time.Date(2026, 11, 1, 0, 0, 0, 0, loc), loc)
	reports := stats.Reports{DB: db}
	now := time.Date(2026, 11, 28, 12, 0, 0, 0, loc)
	var rows []stats.TrajectoryRow
	for b.Loop() {
		var err error
		if rows, err = reports.Trajectories(ctx, "molenbeek", months, now); err != nil {
			b.Fatal(err)
		}
	}
	last := rows[len(rows)-1]
	fmt.Printf("%s: %d leefloon dossiers, %d SPI (%s%%)\n", last.Month, last.LeefloonDossiers, last.SPIDossiers, last.SPIPct.Format('.'))

	plan, err := stats.ExplainTrajectories(ctx, db, "molenbeek", months)
	if err != nil {
		b.Fatal(err)
	}
	// to stdout: the benchmark log truncates long output
	fmt.Println("plan of the monthly table:\n" + strings.Join(plan, "\n"))
}
