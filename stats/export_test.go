package stats

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// ExplainTrajectories runs the monthly table's query under EXPLAIN ANALYZE,
// for the benchmark's log.
func ExplainTrajectories(ctx context.Context, db *pgxpool.Pool, centre string, instants []Instant) ([]string, error) {
	at := make([]time.Time, len(instants))
	for i, in := range instants {
		at[i] = in.At
	}
	rows, err := db.Query(ctx, "EXPLAIN (ANALYZE, BUFFERS) "+phaseCountsQuery, centre, at[len(at)-1], at)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[string])
}
