package testenv

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// SeedStatistics loads what the statistics benchmarks measure: two
// centres, molenbeek with 50,000 participants and anderlecht with 12,500,
// and two years of timeline (about 6 phase events and 40 other events per
// participant, 2.3 million rows), then analyses the tables.
func SeedStatistics(tb testing.TB, db *pgxpool.Pool) {
	tb.Helper()
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
			tb.Fatal(err)
		}
	}
	var events, phaseEvents int
	if err := db.QueryRow(ctx, `SELECT count(*), count(*) FILTER (WHERE kind IN ('trajectory_started', 'phase_changed')) FROM timeline_events`).Scan(&events, &phaseEvents); err != nil {
		tb.Fatal(err)
	}
	fmt.Printf("loaded 62,500 participants (50,000 in molenbeek), %d timeline events (%d phase events) in %s\n",
		events, phaseEvents, time.Since(start).Round(time.Millisecond))
}
