package casework_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/traject-ocmw/traject/casework"
	"github.com/traject-ocmw/traject/domain"
	"github.com/traject-ocmw/traject/store"
	"github.com/traject-ocmw/traject/testenv"
)

// BenchmarkFilesAtRisk reads the file checks of a centre with 50,000
// participants and two years of timeline (testenv.SeedStatistics), each
// with a signed GPMI, its evaluations dated and a needs analysis: the
// centre's files at risk and a month's claims (targets p99 <= 2 s) and one
// dossier's file check (p99 <= 20 ms) on the 2-core machine (issue 27).
// Run it with
//
//	go test ./casework -run '^$' -bench FilesAtRisk -benchtime 20x
func BenchmarkFilesAtRisk(b *testing.B) {
	db := testenv.Database(b)
	ctx := context.Background()
	testenv.SeedStatistics(b, db)
	for _, q := range []string{
		// A signature a month after the start, and dated evaluations.
		`INSERT INTO timeline_events (event_key, participant_id, centre_id, occurred_at, kind, data)
		 SELECT e.participant_id || '/signed', e.participant_id, e.centre_id, e.occurred_at + interval '30 days', 'gpmi_signed',
		        jsonb_build_object('signed_on', to_char(e.occurred_at + interval '30 days', 'YYYY-MM-DD') || 'T00:00:00Z', 'acknowledged', true)
		 FROM timeline_events e WHERE e.kind = 'trajectory_started' AND e.occurred_at + interval '30 days' < now()`,
		`UPDATE timeline_events SET data = data || jsonb_build_object('held_on', to_char(occurred_at, 'YYYY-MM-DD') || 'T00:00:00Z', 'face_to_face', id % 2 = 0)
		 WHERE kind = 'gpmi_evaluated'`,
		`INSERT INTO needs_analyses (id, participant_id, centre_id, done_on, domains, author_id, written_at)
		 SELECT gen_random_uuid(), e.participant_id, e.centre_id, e.occurred_at::date + 20, '[]', gen_random_uuid(), e.occurred_at + interval '20 days'
		 FROM timeline_events e WHERE e.kind = 'trajectory_started' AND e.occurred_at + interval '20 days' < now()`,
		`VACUUM ANALYZE`,
	} {
		if _, err := db.Exec(ctx, q); err != nil {
			b.Fatal(err)
		}
	}
	work := casework.New(casework.Options{Store: store.New(db), Logger: testenv.Discard()})
	measureFileChecks(b, db, work)
}

// measureFileChecks times the three reads of issue 27 on molenbeek's
// 50,000 dossiers: the centre's files at risk, last month's claims, and
// one dossier's file check (the first of every hundred, in turn).
func measureFileChecks(b *testing.B, db *pgxpool.Pool, work *casework.Service) {
	ctx := context.Background()
	coordinator := casework.Caller{UserID: "8b3e4c74-9f90-4f77-9e30-2d9d0a20bc33", CentreID: "molenbeek", Role: domain.RoleCoordinator}
	rows, err := db.Query(ctx, `SELECT id::text FROM participants WHERE centre_id = 'molenbeek' ORDER BY id`)
	if err != nil {
		b.Fatal(err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		b.Fatal(err)
	}
	lastMonth := time.Now().AddDate(0, -1, 0).Format("2006-01")
	for _, read := range []struct {
		name string
		run  func(i int) (string, error)
	}{
		{"files at risk of 50,000 dossiers", func(int) (string, error) {
			list, err := work.FilesAtRisk(ctx, coordinator, casework.FileCheckQuery{})
			return fmt.Sprintf("%d files at risk", len(list.Files)), err
		}},
		{"claims of a month, 50,000 dossiers", func(int) (string, error) {
			claims, err := work.Claims(ctx, coordinator, lastMonth, "")
			return fmt.Sprintf("%d GPMI lines, %d qualifying", len(claims.GPMI), claims.Qualifying), err
		}},
		{"one dossier's file check", func(i int) (string, error) {
			_, err := work.FileCheck(ctx, coordinator, ids[(i*100)%len(ids)], "")
			return "", err
		}},
	} {
		b.Run(read.name, func(b *testing.B) {
			var took []time.Duration
			var said string
			for i := 0; b.Loop(); i++ {
				start := time.Now()
				var err error
				if said, err = read.run(i); err != nil {
					b.Fatal(err)
				}
				took = append(took, time.Since(start))
			}
			slices.Sort(took)
			p99 := took[min(len(took)-1, len(took)*99/100)]
			b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(p99.Microseconds())/1000, "p99-ms")
			fmt.Printf("%s: %s; p50 %s, p99 %s over %d runs; the slowest three %v\n", read.name, said, took[len(took)/2], p99, len(took), took[max(0, len(took)-3):])
		})
	}
}
