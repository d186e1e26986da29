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
	testenv.SeedStatistics(b, db)
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

// BenchmarkHostReports runs the reports that read a host across centres on
// the same 62,500 participants, their Article 60 periods spread over 40
// hosts that work with both centres: one host's year (HostOutcomes) and a
// centre's placements, whose shares count every centre's workers.
//
//	go test ./stats -run '^$' -bench HostReports -benchtime 20x
func BenchmarkHostReports(b *testing.B) {
	db := testenv.Database(b)
	ctx := context.Background()
	testenv.SeedStatistics(b, db)
	for _, q := range []string{
		`INSERT INTO hosts (id, name, language) SELECT ('00000000-0000-4000-8000-' || lpad(i::text, 12, '0'))::uuid, 'Host ' || i, 'nl' FROM generate_series(1, 40) i`,
		`INSERT INTO host_sites (id, host_id, name, staff) SELECT gen_random_uuid(), id, name, 300 FROM hosts`,
		`INSERT INTO host_agreements (id, host_id, centre_id, valid_from) SELECT gen_random_uuid(), h.id, c.id, '2024-01-01' FROM hosts h, centres c`,
		`INSERT INTO host_agreement_positions (agreement_id, function, positions) SELECT id, 'kitchen_help', 50 FROM host_agreements`,
		`UPDATE timeline_events SET data = jsonb_build_object('host_id', '00000000-0000-4000-8000-' || lpad((1 + abs(hashtext(participant_id::text)) % 40)::text, 12, '0'), 'function', 'kitchen_help')
		 WHERE kind = 'phase_changed' AND phase_to = 'article60'`,
		`VACUUM ANALYZE`,
	} {
		if _, err := db.Exec(ctx, q); err != nil {
			b.Fatal(err)
		}
	}
	loc, _ := time.LoadLocation("Europe/Brussels")
	from, to := time.Date(2025, 1, 1, 0, 0, 0, 0, loc), time.Date(2026, 1, 1, 0, 0, 0, 0, loc)
	reports := stats.Reports{DB: db}
	host := "00000000-0000-4000-8000-000000000007"
	b.Run("host year", func(b *testing.B) {
		var rows []stats.HostRow
		for b.Loop() {
			var err error
			if rows, err = reports.HostOutcomes(ctx, host, from, to); err != nil {
				b.Fatal(err)
			}
		}
		fmt.Printf("host 7 in 2025: %d supported, %d ended, %d centres\n", rows[0].Supported, rows[0].Ended, len(rows)-2)
	})
	b.Run("placements", func(b *testing.B) {
		var hosts []stats.Placement
		for b.Loop() {
			var err error
			if hosts, err = reports.Placements(ctx, "molenbeek", to, 2000); err != nil {
				b.Fatal(err)
			}
		}
		fmt.Printf("placements: %d hosts, host 1 occupied %d by molenbeek, %d by all\n", len(hosts), hosts[0].Occupied, hosts[0].AllCentres)
	})
}
