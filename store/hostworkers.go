package store

import (
	"context"
	"encoding/json"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// HostWorker is what a host organisation sees of an Article 60 worker
// placed with it, and nothing more: name, the centre that employs them,
// function, contract dates and trainings. Never the national number, the
// leefloon decision, the GPMI, BCSD procedures or the centre's notes.
type HostWorker struct {
	ID         string     `json:"id"`
	GivenName  string     `json:"given_name"`
	FamilyName string     `json:"family_name"`
	CentreID   string     `json:"centre_id"`
	CentreName string     `json:"centre_name"`
	Function   string     `json:"function"`
	Start      time.Time  `json:"contract_start"`
	End        time.Time  `json:"contract_end"`
	Trainings  []Training `json:"trainings"`
	// Version is the trajectory's, for expected_version on a write.
	Version int64 `json:"version"`
}

// Training is a mandatory training of a worker's skills plan.
type Training struct {
	Code   string     `json:"code"`
	Due    time.Time  `json:"due"`
	DoneOn *time.Time `json:"done_on,omitempty"`
}

const hostWorkersSQL = `
	SELECT p.id::text, p.given_name, p.family_name, t.centre_id, c.name, COALESCE(t.contract_function, ''),
	       COALESCE(t.state->'contract', '{}'::jsonb), t.version
	FROM trajectories t
	JOIN participants p ON p.id = t.participant_id
	JOIN centres c ON c.id = t.centre_id
	WHERE t.phase = 'article60' AND t.contract_host_id = $1`

func scanHostWorker(row pgx.CollectableRow) (HostWorker, error) {
	var w HostWorker
	var contract []byte
	if err := row.Scan(&w.ID, &w.GivenName, &w.FamilyName, &w.CentreID, &w.CentreName, &w.Function, &contract, &w.Version); err != nil {
		return w, err
	}
	var c struct {
		Start     time.Time  `json:"start"`
		End       time.Time  `json:"end"`
		Trainings []Training `json:"trainings"`
	}
	if err := json.Unmarshal(contract, &c); err != nil {
		return w, err
	}
	w.Start, w.End, w.Trainings = c.Start, c.End, c.Trainings
	if w.Trainings == nil {
		w.Trainings = []Training{}
	}
	return w, nil
}

// HostWorkers lists the workers running an Article 60 contract at the
// host, of every centre, by contract end.
func (s *Store) HostWorkers(ctx context.Context, hostID string) ([]HostWorker, error) {
	if _, err := uuid.Parse(hostID); err != nil {
		return []HostWorker{}, nil
	}
	rows, err := s.db.Query(ctx, hostWorkersSQL+` ORDER BY t.state->'contract'->>'end', p.id`, hostID)
	if err != nil {
		return nil, classify("host workers", err)
	}
	out, err := pgx.CollectRows(rows, scanHostWorker)
	if out == nil {
		out = []HostWorker{}
	}
	return out, classify("host workers", err)
}

// HostWorkerByID reads one worker placed with the host: ErrNotFound for
// anyone else, whoever they are.
func (s *Store) HostWorkerByID(ctx context.Context, hostID, participantID string) (HostWorker, error) {
	if _, err := uuid.Parse(participantID); err != nil {
		return HostWorker{}, notFound("worker")
	}
	if _, err := uuid.Parse(hostID); err != nil {
		return HostWorker{}, notFound("worker")
	}
	rows, err := s.db.Query(ctx, hostWorkersSQL+` AND p.id = $2`, hostID, participantID)
	if err != nil {
		return HostWorker{}, classify("worker", err)
	}
	w, err := pgx.CollectExactlyOneRow(rows, scanHostWorker)
	if err != nil {
		return HostWorker{}, classify("worker", err)
	}
	return w, nil
}
