package store

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// Procedure is a sanction procedure's read-model row: its stage, its dates
// and, when its workflow wrote it, its whole state.
type Procedure struct {
	ProcedureID     string
	ParticipantID   string
	Stage           string
	HearingAt       *time.Time
	DecisionDue     *time.Time
	NotificationDue *time.Time
	AppealUntil     *time.Time
	Decision        *string
	Version         int64
	// State is the workflow's SanctionState as JSON; nil for a procedure
	// last written before the column existed.
	State     json.RawMessage
	UpdatedAt time.Time
}

const procedureColumns = `procedure_id, participant_id::text, stage, hearing_at, decision_due, notification_due, appeal_until, decision, version, state, updated_at`

func scanProcedure(row pgx.CollectableRow) (Procedure, error) {
	var p Procedure
	err := row.Scan(&p.ProcedureID, &p.ParticipantID, &p.Stage, &p.HearingAt, &p.DecisionDue, &p.NotificationDue, &p.AppealUntil, &p.Decision, &p.Version, &p.State, &p.UpdatedAt)
	return p, err
}

// Procedures lists a participant's sanction procedures, the latest first.
func (s *Store) Procedures(ctx context.Context, participantID string) ([]Procedure, error) {
	rows, err := s.db.Query(ctx, `SELECT `+procedureColumns+` FROM sanction_procedures WHERE participant_id = $1::uuid ORDER BY updated_at DESC, procedure_id`, participantID)
	if err != nil {
		return nil, classify("procedures", err)
	}
	out, err := pgx.CollectRows(rows, scanProcedure)
	return out, classify("procedures", err)
}

// Procedure reads one procedure of a participant: ErrNotFound when the
// participant has no such procedure.
func (s *Store) Procedure(ctx context.Context, participantID, procedureID string) (Procedure, error) {
	rows, err := s.db.Query(ctx, `SELECT `+procedureColumns+` FROM sanction_procedures WHERE participant_id = $1::uuid AND procedure_id = $2`, participantID, procedureID)
	if err != nil {
		return Procedure{}, classify("procedure", err)
	}
	p, err := pgx.CollectExactlyOneRow(rows, scanProcedure)
	if err != nil {
		return Procedure{}, classify("procedure", err)
	}
	return p, nil
}

// ProcedureEvents lists the timeline events of one procedure, oldest first.
func (s *Store) ProcedureEvents(ctx context.Context, participantID, procedureID string) ([]TimelineEntry, error) {
	return s.timeline(ctx, `WHERE participant_id = $1::uuid AND data->>'procedure_id' = $2 ORDER BY occurred_at, id`, participantID, procedureID)
}

// NonCooperationReport reads the description of a participant's report of
// non-cooperation.
func (s *Store) NonCooperationReport(ctx context.Context, participantID, reportID string) (string, error) {
	var text string
	err := s.db.QueryRow(ctx, `SELECT description FROM noncooperation_reports WHERE id::text = $1 AND participant_id = $2::uuid`, reportID, participantID).Scan(&text)
	return text, classify("non-cooperation report", err)
}

// prefixed qualifies each of a column list's columns with a table alias.
func prefixed(alias, columns string) string {
	parts := strings.Split(columns, ", ")
	for i, c := range parts {
		parts[i] = alias + c
	}
	return strings.Join(parts, ", ")
}
