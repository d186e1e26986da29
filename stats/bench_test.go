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
