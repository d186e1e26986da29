package store

import (
	"context"

	"github.com/jackc/pgx/v5"
)

// OpenCount is how many open trajectories a centre has in one phase, and
// how many of them have a deadline that passed.
type OpenCount struct {
	CentreID, Phase string
	Open, Overdue   int
}

// OutboxBacklog is the mail not delivered yet, over all centres.
type OutboxBacklog struct {
	Pending, Failed int
	// OldestPendingSeconds is the age of the oldest pending message.
	OldestPendingSeconds float64
}

// OpenCounts counts the open trajectories per centre and phase.
func (s *Store) OpenCounts(ctx context.Context) ([]OpenCount, error) {
	rows, err := s.db.Query(ctx, `
		SELECT centre_id, phase, count(*), count(*) FILTER (WHERE next_deadline < now())
		FROM trajectories WHERE phase <> 'closed' GROUP BY centre_id, phase`)
	if err != nil {
		return nil, classify("open counts", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (OpenCount, error) {
		var c OpenCount
		err := row.Scan(&c.CentreID, &c.Phase, &c.Open, &c.Overdue)
		return c, err
	})
	return out, classify("open counts", err)
}

// OutboxBacklog counts the mail pending and failed.
func (s *Store) OutboxBacklog(ctx context.Context) (OutboxBacklog, error) {
	var b OutboxBacklog
	err := s.db.QueryRow(ctx, `
		SELECT count(*) FILTER (WHERE status = 'pending'), count(*) FILTER (WHERE status = 'failed'),
		       COALESCE(extract(epoch FROM now() - min(created_at) FILTER (WHERE status = 'pending')), 0)
		FROM outbox WHERE status <> 'sent'`).Scan(&b.Pending, &b.Failed, &b.OldestPendingSeconds)
	return b, classify("outbox backlog", err)
}
