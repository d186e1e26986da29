package store

import (
	"context"
	"strconv"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// Access is one read or change of an object, as the audit log keeps it:
// IDs and action names only.
type Access struct {
	CentreID, ActorID, ActorRole string
	Action, ObjectType, ObjectID string
	RequestID, Outcome           string
}

// Audit records an access and answers its entry's ID. A caller that cannot
// record one must refuse the access: reading a dossier without a trace is
// not allowed. A write records its intent (outcome "attempted") before it
// acts and completes the entry after (see CompleteAudit), so that no change
// is ever made without its entry.
func (s *Store) Audit(ctx context.Context, a Access) (int64, error) {
	var id int64
	err := s.db.QueryRow(ctx, `
		INSERT INTO audit_log (centre_id, actor_id, actor_role, action, object_type, object_id, request_id, outcome)
		VALUES (NULLIF($1, ''), NULLIF($2, '')::uuid, NULLIF($3, ''), $4, $5, NULLIF($6, ''), $7, $8)
		RETURNING id`,
		a.CentreID, a.ActorID, a.ActorRole, a.Action, a.ObjectType, a.ObjectID, a.RequestID, a.Outcome).Scan(&id)
	return id, classify("audit", err)
}

// CompleteAudit sets the outcome of an entry recorded as attempted, and its
// object's ID when the write created the object (empty: unchanged).
func (s *Store) CompleteAudit(ctx context.Context, id int64, outcome, objectID string) error {
	_, err := s.db.Exec(ctx, `UPDATE audit_log SET outcome = $2, object_id = COALESCE(NULLIF($3, ''), object_id) WHERE id = $1`, id, outcome, objectID)
	return classify("complete audit", err)
}

// SettleLostAudit marks as failed the entries a request recorded as
// attempted for action but never learnt of: the database committed the
// insert and the connection died before its reply came back, so the
// caller refused the write without an entry ID to settle.
func (s *Store) SettleLostAudit(ctx context.Context, requestID, action string) error {
	_, err := s.db.Exec(ctx, `UPDATE audit_log SET outcome = 'failed' WHERE request_id = $1 AND action = $2 AND outcome = 'attempted'`, requestID, action)
	return classify("settle lost audit", err)
}

// AuditEntry is one line of the audit log.
type AuditEntry struct {
	ID         int64     `json:"id"`
	At         time.Time `json:"at"`
	ActorID    *string   `json:"actor_id"`
	ActorRole  *string   `json:"actor_role"`
	Action     string    `json:"action"`
	ObjectType string    `json:"object_type"`
	ObjectID   *string   `json:"object_id"`
	RequestID  *string   `json:"request_id"`
	Outcome    string    `json:"outcome"`
}

// AuditLog lists a centre's audit entries after the ID after, for one
// object when objectID is not empty.
func (s *Store) AuditLog(ctx context.Context, centreID, objectID string, after int64, limit int) ([]AuditEntry, error) {
	rows, err := s.db.Query(ctx, `
		SELECT id, at, actor_id::text, actor_role, action, object_type, object_id, request_id, outcome
		FROM audit_log WHERE centre_id = $1 AND id > $2 AND ($3 = '' OR object_id = $3)
		ORDER BY id LIMIT $4`, centreID, after, objectID, limit)
	if err != nil {
		return nil, classify("audit log", err)
	}
	entries, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (AuditEntry, error) {
		var e AuditEntry
		err := row.Scan(&e.ID, &e.At, &e.ActorID, &e.ActorRole, &e.Action, &e.ObjectType, &e.ObjectID, &e.RequestID, &e.Outcome)
		return e, err
	})
	if entries == nil {
		entries = []AuditEntry{}
	}
	return entries, classify("audit log", err)
}

// AuditQuery narrows an audit search: one object (its ID, or a dossier's
// number), one user, one action (with the value some carry after a colon:
// read_stats finds read_stats:<table> too), one outcome, and the days From to To
// (inclusive, days in Zone, the centre's time zone; empty: Europe/Brussels;
// zero: open). Before pages back from an entry ID (0: the newest); with
// Oldest the entries come oldest first instead, after the entry ID After.
type AuditQuery struct {
	ObjectID, ActorID string
	Action, Outcome   string
	From, To          time.Time
	Zone              string
	Before            int64
	Oldest            bool
	After             int64
	Limit             int
}

// AuditOutcomes are the ways an audited request ends.
var AuditOutcomes = []string{"ok", "refused", "attempted", "failed"}

// AuditLine is an audit entry as the pages list it: a dossier's entries
// carry its number, so that no one reads an internal ID.
type AuditLine struct {
	AuditEntry
	DossierNumber *int
}

// AuditSearch lists a centre's audit entries matching q, the newest first
// (the oldest first with q.Oldest).
func (s *Store) AuditSearch(ctx context.Context, centreID string, q AuditQuery) ([]AuditLine, error) {
	if q.ActorID != "" {
		if _, err := uuid.Parse(q.ActorID); err != nil {
			return []AuditLine{}, nil // no user has that ID
		}
	}
	// A dossier number stands for its participant's ID.
	number := 0
	if kind, v := Search(q.ObjectID); kind == SearchDossierNumber {
		number, _ = strconv.Atoi(v)
	}
	var from, to *time.Time
	if !q.From.IsZero() {
		from = &q.From
	}
	if !q.To.IsZero() {
		next := q.To.AddDate(0, 0, 1)
		to = &next
	}
	zone := q.Zone
	if zone == "" {
		zone = "Europe/Brussels"
	}
	rows, err := s.db.Query(ctx, `
		SELECT a.id, a.at, a.actor_id::text, a.actor_role, a.action, a.object_type, a.object_id, a.request_id, a.outcome, p.dossier_number
		FROM audit_log a
		LEFT JOIN participants p ON a.object_type = 'participant' AND p.id::text = a.object_id AND p.centre_id = a.centre_id
		WHERE a.centre_id = $1 AND ($2 = 0 OR a.id < $2)
		  AND ($3 = '' OR a.object_id = $3 OR ($9 > 0 AND a.object_type = 'participant'
		       AND a.object_id = (SELECT id::text FROM participants WHERE centre_id = $1 AND dossier_number = $9)))
		  AND ($4 = '' OR a.actor_id = NULLIF($4, '')::uuid)
		  AND ($6 = '' OR a.action = $6 OR a.action LIKE $6 || ':%')
		  AND ($7 = '' OR a.outcome = $7)
		  AND ($8::date IS NULL OR a.at >= ($8::date)::timestamp AT TIME ZONE $11)
		  AND ($10::date IS NULL OR a.at < ($10::date)::timestamp AT TIME ZONE $11)
		  AND ($12 = 0 OR a.id > $12)
		ORDER BY CASE WHEN $13 THEN a.id END, a.id DESC LIMIT $5`, centreID, q.Before, q.ObjectID, q.ActorID, q.Limit, q.Action, q.Outcome, from, number, to, zone, q.After, q.Oldest)
	if err != nil {
		return nil, classify("audit search", err)
	}
	entries, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (AuditLine, error) {
		var e AuditLine
		err := row.Scan(&e.ID, &e.At, &e.ActorID, &e.ActorRole, &e.Action, &e.ObjectType, &e.ObjectID, &e.RequestID, &e.Outcome, &e.DossierNumber)
		return e, err
	})
	if entries == nil {
		entries = []AuditLine{}
	}
	return entries, classify("audit search", err)
}
