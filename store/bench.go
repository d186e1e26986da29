package store

import (
	"context"

	"github.com/jackc/pgx/v5"
)

// The bench's bulk operations: participants made by the thousand, and the
// counts it waits on. They name participants by a tag in the given name,
// so a bench run finds its own.

// InsertTaggedParticipants inserts n participants of a centre whose given
// name is tag (no national number: they never leave the bench's centre)
// and answers their IDs.
func (s *Store) InsertTaggedParticipants(ctx context.Context, centreID, tag string, n int) ([]string, error) {
	rows, err := s.db.Query(ctx, `
		INSERT INTO participants (id, centre_id, given_name, family_name, birth_date, language, leefloon_decision_date)
		SELECT gen_random_uuid(), $1, $2, i::text, '1985-01-01', 'nl', current_date FROM generate_series(1, $3) i
		RETURNING id::text`, centreID, tag, n)
	if err != nil {
		return nil, classify("insert participants", err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
	return ids, classify("insert participants", err)
}

// TrajectoryCount narrows CountTrajectories; empty fields do not.
type TrajectoryCount struct {
	CentreID      string
	ParticipantID string
	Phase         string
	// Tag: participants whose given name it is.
	Tag string
	// OpenOnly leaves closed trajectories out.
	OpenOnly bool
}

// CountTrajectories counts a centre's trajectories in the read model.
func (s *Store) CountTrajectories(ctx context.Context, c TrajectoryCount) (int, error) {
	var n int
	err := s.db.QueryRow(ctx, `
		SELECT count(*) FROM trajectories t JOIN participants p ON p.id = t.participant_id
		WHERE t.centre_id = $1 AND ($2 = '' OR t.participant_id::text = $2) AND ($3 = '' OR t.phase = $3)
		  AND ($4 = '' OR p.given_name = $4) AND (NOT $5 OR t.phase <> 'closed')`,
		c.CentreID, c.ParticipantID, c.Phase, c.Tag, c.OpenOnly).Scan(&n)
	return n, classify("count trajectories", err)
}

// CountQuiet counts a centre's participants with a tag that have no mail
// pending.
func (s *Store) CountQuiet(ctx context.Context, centreID, tag string) (int, error) {
	var n int
	err := s.db.QueryRow(ctx, `SELECT count(*) FROM participants p WHERE p.centre_id = $1 AND p.given_name = $2
		AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.participant_id = p.id AND o.status = 'pending')`, centreID, tag).Scan(&n)
	return n, classify("count quiet participants", err)
}
