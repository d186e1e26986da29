package store

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
)

// NoteKinds are what a case note records.
var NoteKinds = []string{"conversation", "phone_call", "home_visit", "email", "third_party", "other"}

// Note is a case note of a dossier. Corrections are the notes added later
// that correct it, oldest first.
type Note struct {
	ID            string     `json:"id"`
	ParticipantID string     `json:"participant_id"`
	Kind          string     `json:"kind"`
	HappenedOn    string     `json:"happened_on"`
	Text          string     `json:"text"`
	AuthorID      string     `json:"author_id"`
	WrittenAt     time.Time  `json:"written_at"`
	EditedAt      *time.Time `json:"edited_at"`
	// Corrects names the note this one corrects, if it is a correction.
	Corrects    *string `json:"corrects"`
	Corrections []Note  `json:"corrections,omitempty"`
}

// NewNote is a note to write (Corrects set for a correction).
type NewNote struct {
	ID, ParticipantID, CentreID string
	Kind                        string
	HappenedOn                  time.Time
	Text, AuthorID              string
	Corrects                    string
}

// InsertNote writes a note and its timeline event (the kind, never the
// text) in one transaction; a note of the same ID is left as it is (a
// retried write), and created tells which happened.
func (s *Store) InsertNote(ctx context.Context, n NewNote) (created bool, err error) {
	err = pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `
			INSERT INTO notes (id, participant_id, centre_id, kind, happened_on, body, author_id, corrects)
			VALUES ($1, $2, $3, $4, $5, $6, $7, NULLIF($8, '')::uuid)
			ON CONFLICT (id) DO NOTHING`,
			n.ID, n.ParticipantID, n.CentreID, n.Kind, n.HappenedOn, n.Text, n.AuthorID, n.Corrects)
		if err != nil || tag.RowsAffected() == 0 {
			return err
		}
		created = true
		kind := "note_written"
		if n.Corrects != "" {
			kind = "note_corrected"
		}
		_, err = tx.Exec(ctx, `
			INSERT INTO timeline_events (event_key, participant_id, centre_id, occurred_at, kind, actor_id, data)
			VALUES ('note/' || $1::text, $2, $3, now(), $4, $5, jsonb_build_object('note_id', $1::text, 'note_kind', $6::text))`,
			n.ID, n.ParticipantID, n.CentreID, kind, n.AuthorID, n.Kind)
		return err
	})
	return created, classify("note", err)
}

// noteColumns are a note's columns, as scanNote reads them.
const noteColumns = `id::text, participant_id::text, kind, to_char(happened_on, 'YYYY-MM-DD'), body, author_id::text, written_at, edited_at, corrects::text`

func scanNote(row pgx.Row) (Note, error) {
	var n Note
	err := row.Scan(&n.ID, &n.ParticipantID, &n.Kind, &n.HappenedOn, &n.Text, &n.AuthorID, &n.WrittenAt, &n.EditedAt, &n.Corrects)
	return n, err
}

// Note reads one note of a participant.
func (s *Store) Note(ctx context.Context, participantID, id string) (Note, error) {
	n, err := scanNote(s.db.QueryRow(ctx, `SELECT `+noteColumns+` FROM notes WHERE participant_id = $1 AND id = $2`, participantID, id))
	return n, classify("note", err)
}

// EditNote replaces a note's text, if its author asks before the time
// after which it may only be corrected; false when that time has passed.
func (s *Store) EditNote(ctx context.Context, participantID, id, authorID, text string, writtenAfter time.Time) (bool, error) {
	tag, err := s.db.Exec(ctx, `
		UPDATE notes SET body = $4, edited_at = now()
		WHERE participant_id = $1 AND id = $2 AND author_id = $3 AND written_at > $5`,
		participantID, id, authorID, text, writtenAfter)
	return err == nil && tag.RowsAffected() == 1, classify("note", err)
}

// Notes lists a participant's notes newest first, each with its
// corrections, limit at a time; before is the last note of the page
// before (zero: the first page). Corrections are listed with the note
// they correct, not on their own.
func (s *Store) Notes(ctx context.Context, participantID string, before NoteCursor, limit int) ([]Note, error) {
	rows, err := s.db.Query(ctx, `
		SELECT `+noteColumns+` FROM notes
		WHERE participant_id = $1 AND corrects IS NULL
		  AND ($2::timestamptz IS NULL OR (written_at, id) < ($2, $3::uuid))
		ORDER BY written_at DESC, id DESC LIMIT $4`,
		participantID, before.at(), before.id(), limit)
	if err != nil {
		return nil, classify("notes", err)
	}
	notes, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Note, error) { return scanNote(r) })
	if err != nil || len(notes) == 0 {
		return notes, classify("notes", err)
	}
	ids := make([]string, len(notes))
	at := map[string]int{}
	for i, n := range notes {
		ids[i], at[n.ID] = n.ID, i
	}
	rows, err = s.db.Query(ctx, `SELECT `+noteColumns+` FROM notes WHERE corrects = ANY($1::uuid[]) ORDER BY written_at, id`, ids)
	if err != nil {
		return nil, classify("notes", err)
	}
	corrections, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Note, error) { return scanNote(r) })
	for _, c := range corrections {
		i := at[*c.Corrects]
		notes[i].Corrections = append(notes[i].Corrections, c)
	}
	return notes, classify("notes", err)
}

// NoteCursor is where a page of notes ends: the last note's time and ID.
type NoteCursor struct {
	WrittenAt time.Time
	ID        string
}

func (c NoteCursor) at() any {
	if c.WrittenAt.IsZero() {
		return nil
	}
	return c.WrittenAt
}

func (c NoteCursor) id() any {
	if c.ID == "" {
		return nil
	}
	return c.ID
}

// ProcedureOpen tells whether a BCSD procedure runs on the participant:
// the BCSD reads the notes only then.
func (s *Store) ProcedureOpen(ctx context.Context, participantID string) (bool, error) {
	var open bool
	err := s.db.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM sanction_procedures WHERE participant_id = $1 AND stage <> 'closed')`, participantID).Scan(&open)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, nil
	}
	return open, classify("procedures", err)
}
