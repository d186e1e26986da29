package api_test

import (
	"context"
	"net/http"
	"slices"
	"testing"
	"time"
)

// BenchmarkAPI measures, on the dev setup (embedded Temporal on SQLite, the
// local PostgreSQL), with 10,000 participants in the read model:
// GET /v1/participants/{id} and transition latency (p50, p99), and how many
// caseload rows a second the list pages out. Run it with
//
//	go test ./api -run '^$' -bench API -benchtime 1x
//
// The figures go in the issue notes, not in a timed test.
func BenchmarkAPI(b *testing.B) {
	a := newAPITest(b)
	a.validate = false
	ctx := context.Background()
	const loaded = 10000
	start := time.Now()
	_, err := a.db.Exec(ctx, `
		INSERT INTO participants (id, centre_id, given_name, family_name, birth_date, national_number, language, leefloon_decision_date)
		SELECT gen_random_uuid(), 'molenbeek', 'Voornaam' || i, 'Familienaam' || i, '1980-01-01', lpad(i::text, 11, '0'), 'nl', '2026-01-01'
		FROM generate_series(1, $1) i`, loaded)
	if err != nil {
		b.Fatal(err)
	}
	_, err = a.db.Exec(ctx, `
		INSERT INTO trajectories (participant_id, centre_id, workflow_id, phase, phase_since, counsellor_id, next_actor, next_deadline, state, version)
		SELECT id, centre_id, 'trajectory:' || id, (ARRAY['facilitator','literacy','studies','work'])[1 + (random() * 3)::int], now(), $1, 'counsellor',
		       now() + (random() * 90) * interval '1 day', '{"phase":"work"}', 1
		FROM participants WHERE given_name LIKE 'Voornaam%'`, a.fx.CounsellorID)
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("loaded %d participants in %s", loaded, time.Since(start).Round(time.Millisecond))
	id := a.create(a.participant())

	for b.Loop() {
		reads := measure(b, 2000, func(int) { a.must("GET", "/v1/participants/"+id, "coordinator", nil, http.StatusOK) })
		phases := []string{"facilitator", "literacy"}
		moves := measure(b, 200, func(i int) {
			a.must("POST", "/v1/participants/"+id+"/transitions", "coordinator", map[string]any{"to": phases[i%2]}, http.StatusOK)
		})
		listStart := time.Now()
		rows := 0
		for query := "?limit=200"; query != ""; {
			_, p := a.list("coordinator", query)
			rows += len(p.Participants)
			query = ""
			if p.Next != "" {
				query = p.Next[len("/v1/participants"):]
			}
		}
		listed := time.Since(listStart)
		b.ReportMetric(ms(reads[len(reads)/2]), "read-p50-ms")
		b.ReportMetric(ms(reads[len(reads)*99/100]), "read-p99-ms")
		b.ReportMetric(ms(moves[len(moves)/2]), "transition-p50-ms")
		b.ReportMetric(ms(moves[len(moves)*99/100]), "transition-p99-ms")
		b.ReportMetric(float64(rows)/listed.Seconds(), "list-rows/s")
		b.Logf("listed %d rows in %s", rows, listed.Round(time.Millisecond))
	}
}

func (a *apiTest) must(method, path, who string, body any, want int) {
	a.t.Helper()
	if status, raw := a.do(method, path, who, body); status != want {
		a.t.Fatalf("%s %s: %d %s", method, path, status, raw)
	}
}

// measure runs fn n times and returns the sorted durations.
func measure(b *testing.B, n int, fn func(i int)) []time.Duration {
	b.Helper()
	out := make([]time.Duration, n)
	for i := range n {
		start := time.Now()
		fn(i)
		out[i] = time.Since(start)
	}
	slices.Sort(out)
	return out
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
