package store

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/traject-ocmw/traject/filecheck"
)

// Extension is a GPMI's extension as PostgreSQL keeps it: the day it was
// extended and its written motivation.
type Extension struct {
	ID         string    `json:"id"`
	ExtendedOn string    `json:"extended_on"`
	Motivation string    `json:"motivation"`
	AuthorID   string    `json:"author_id"`
	WrittenAt  time.Time `json:"written_at"`
}

// AddExtension writes an extension and its timeline event (its day, never
// the motivation) in one transaction; the same ID again is left as it is
// (a retried write).
func (s *Store) AddExtension(ctx context.Context, id, participantID, centreID, authorID string, extendedOn time.Time, motivation string) error {
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `
			INSERT INTO gpmi_extensions (id, participant_id, centre_id, extended_on, motivation, author_id)
			VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING`,
			id, participantID, centreID, extendedOn, motivation, authorID)
		if err != nil || tag.RowsAffected() == 0 {
			return err
		}
		_, err = tx.Exec(ctx, `
			INSERT INTO timeline_events (event_key, participant_id, centre_id, occurred_at, kind, actor_id, data)
			VALUES ('gpmi_extension/' || $1::text, $2, $3, now(), $6, $4,
			        jsonb_build_object('extension_id', $1::text, 'extended_on', to_char($5::date, 'YYYY-MM-DD')))`,
			id, participantID, centreID, authorID, extendedOn, "gpmi_extended")
		return err
	})
	return classify("extension", err)
}

// Extensions lists a participant's extensions, the latest day first.
func (s *Store) Extensions(ctx context.Context, participantID string) ([]Extension, error) {
	rows, err := s.db.Query(ctx, `
		SELECT id::text, to_char(extended_on, 'YYYY-MM-DD'), motivation, author_id::text, written_at
		FROM gpmi_extensions WHERE participant_id = $1 ORDER BY extended_on DESC, written_at DESC`, participantID)
	if err != nil {
		return nil, classify("extensions", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Extension, error) {
		var e Extension
		err := r.Scan(&e.ID, &e.ExtendedOn, &e.Motivation, &e.AuthorID, &e.WrittenAt)
		return e, err
	})
	if out == nil {
		out = []Extension{}
	}
	return out, classify("extensions", err)
}

// extensionFactsSQL selects the extensions' facts by participant, written
// by $2, of the dossiers scope names with $1.
func extensionFactsSQL(scope string) string {
	return `SELECT participant_id::text, extended_on, btrim(motivation) <> '' FROM gpmi_extensions
		WHERE ` + scope + ` AND written_at <= $2 ORDER BY participant_id, extended_on, written_at`
}

// extensionFacts reads the extensions written by asOf of one participant
// (participantID) or of a centre's (centreID), by participant.
func (s *Store) extensionFacts(ctx context.Context, participantID, centreID string, asOf time.Time) (map[string][]filecheck.ExtensionFact, error) {
	// One dossier's by its index, or a centre's: two scopes, so that each
	// uses its own index.
	q, key := extensionFactsSQL(`participant_id = $1::uuid`), participantID
	if participantID == "" {
		q, key = extensionFactsSQL(`centre_id = $1`), centreID
	}
	rows, err := s.db.Query(ctx, q, key, asOf)
	if err != nil {
		return nil, classify("extension facts", err)
	}
	defer rows.Close()
	out := map[string][]filecheck.ExtensionFact{}
	for rows.Next() {
		var id string
		var x filecheck.ExtensionFact
		if err := rows.Scan(&id, &x.On, &x.Motivated); err != nil {
			return nil, classify("extension facts", err)
		}
		out[id] = append(out[id], x)
	}
	return out, classify("extension facts", rows.Err())
}
