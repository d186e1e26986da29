package casework_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/traject-ocmw/traject/casework"
	"github.com/traject-ocmw/traject/domain"
	"github.com/traject-ocmw/traject/store"
	"github.com/traject-ocmw/traject/testenv"
)

// BenchmarkFilesAtRisk lists the files at risk of a centre with 50,000
// participants and two years of timeline (testenv.SeedStatistics), each
// with a signed GPMI, its evaluations dated and a needs analysis: the
// store's one round trip and the judging of every file. Run it with
//
//	go test ./casework -run '^$' -bench FilesAtRisk -benchtime 20x
//
// The target is p99 <= 2 s on the 2-core machine (issue 27).
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
	coordinator := casework.Caller{UserID: "8b3e4c74-9f90-4f77-9e30-2d9d0a20bc33", CentreID: "molenbeek", Role: domain.RoleCoordinator}
	var took []time.Duration
	var list casework.FilesAtRisk
	for b.Loop() {
		start := time.Now()
		var err error
		if list, err = work.FilesAtRisk(ctx, coordinator, casework.FileCheckQuery{}); err != nil {
			b.Fatal(err)
		}
		took = append(took, time.Since(start))
	}
	slices.Sort(took)
	p99 := took[min(len(took)-1, len(took)*99/100)]
	b.ReportMetric(float64(took[len(took)/2].Milliseconds()), "p50-ms")
	b.ReportMetric(float64(p99.Milliseconds()), "p99-ms")
	fmt.Printf("files at risk: %d of molenbeek's 50,000 dossiers; p50 %s, p99 %s over %d runs\n", len(list.Files), took[len(took)/2], p99, len(took))
}
