package store

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/traject-ocmw/traject/letters"
)

// LetterSettings reads a centre's letter settings; a centre that has none
// yet gets its name and nothing else.
func (s *Store) LetterSettings(ctx context.Context, centreID string) (letters.Centre, error) {
	var c letters.Centre
	err := s.db.QueryRow(ctx, `
		SELECT COALESCE(NULLIF(l.name, ''), c.name), COALESCE(l.street, ''), COALESCE(l.postcode, ''), COALESCE(l.municipality, ''),
		       COALESCE(l.phone, ''), COALESCE(l.email, ''), COALESCE(l.service, ''), COALESCE(l.signatory, ''),
		       COALESCE(l.signatory_title, ''), COALESCE(l.court_name, ''), COALESCE(l.court_address, ''), COALESCE(l.hearing_place, ''),
		       COALESCE(l.translations, '{}'::jsonb)
		FROM centres c LEFT JOIN centre_letter_settings l ON l.centre_id = c.id
		WHERE c.id = $1`, centreID).Scan(&c.Name, &c.Street, &c.Postcode, &c.Municipality, &c.Phone, &c.Email, &c.Service,
		&c.Signatory, &c.SignatoryTitle, &c.CourtName, &c.CourtAddress, &c.HearingPlace, &c.Translations)
	return c, classify("centre", err)
}

// SaveLetterSettings writes a centre's letter settings.
func (s *Store) SaveLetterSettings(ctx context.Context, centreID, by string, c letters.Centre) error {
	// Only the languages with a word of their own are kept.
	translations := map[string]letters.Wording{}
	for lang, w := range c.Translations {
		if w != (letters.Wording{}) {
			translations[lang] = w
		}
	}
	_, err := s.db.Exec(ctx, `
		INSERT INTO centre_letter_settings (centre_id, name, street, postcode, municipality, phone, email, service, signatory,
		                                    signatory_title, court_name, court_address, hearing_place, translations, updated_by, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $15, $14, now())
		ON CONFLICT (centre_id) DO UPDATE SET name = $2, street = $3, postcode = $4, municipality = $5, phone = $6, email = $7,
		    service = $8, signatory = $9, signatory_title = $10, court_name = $11, court_address = $12, hearing_place = $13,
		    translations = $15, updated_by = $14, updated_at = now()`,
		centreID, c.Name, c.Street, c.Postcode, c.Municipality, c.Phone, c.Email, c.Service, c.Signatory, c.SignatoryTitle,
		c.CourtName, c.CourtAddress, c.HearingPlace, by, translations)
	return classify("letter settings", err)
}

// KeptLetter is a letter kept in a dossier, without its PDF.
type KeptLetter struct {
	ID            string         `json:"id"`
	ParticipantID string         `json:"participant_id"`
	ProcedureID   string         `json:"procedure_id,omitempty"`
	Kind          letters.Kind   `json:"kind"`
	Language      string         `json:"language"`
	ProducedBy    string         `json:"produced_by"`
	ProducedAt    time.Time      `json:"produced_at"`
	SHA256        string         `json:"sha256"`
	Facts         letters.Facts  `json:"facts"`
	Letter        letters.Letter `json:"letter"`
}

// NewLetter is a letter to keep.
type NewLetter struct {
	ID, ParticipantID, CentreID, ProcedureID string
	ProducedBy                               string
	Facts                                    letters.Facts
	Letter                                   letters.Letter
	PDF                                      []byte
	SHA256                                   string
}

// InsertLetter keeps a letter and writes its line in the timeline; a
// retried write (the same ID) keeps the first.
func (s *Store) InsertLetter(ctx context.Context, n NewLetter) error {
	facts, err := json.Marshal(n.Facts)
	if err != nil {
		return err
	}
	letter, err := json.Marshal(n.Letter)
	if err != nil {
		return err
	}
	err = pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `
			INSERT INTO letters (id, participant_id, centre_id, procedure_id, kind, language, produced_by, facts, letter, pdf, sha256)
			VALUES ($1, $2, $3, NULLIF($4, ''), $5, $6, $7, $8, $9, $10, $11)
			ON CONFLICT (id) DO NOTHING`,
			n.ID, n.ParticipantID, n.CentreID, n.ProcedureID, n.Facts.Kind, n.Facts.Language, n.ProducedBy, facts, letter, n.PDF, n.SHA256)
		if err != nil || tag.RowsAffected() == 0 {
			return err
		}
		_, err = tx.Exec(ctx, `
			INSERT INTO timeline_events (event_key, participant_id, centre_id, occurred_at, kind, actor_id, data)
			VALUES ('letter/' || $1::text, $2, $3, now(), $4, $5,
			        jsonb_build_object('letter_id', $1::text, 'letter_kind', $6::text, 'procedure_id', NULLIF($7, '')))`,
			n.ID, n.ParticipantID, n.CentreID, "letter_produced", n.ProducedBy, n.Facts.Kind, n.ProcedureID)
		return err
	})
	return classify("letter", err)
}

const letterColumns = `id::text, participant_id::text, COALESCE(procedure_id, ''), kind, language, produced_by::text, produced_at, sha256, facts, letter`

func scanLetter(row pgx.CollectableRow) (KeptLetter, error) {
	var l KeptLetter
	var facts, letter []byte
	if err := row.Scan(&l.ID, &l.ParticipantID, &l.ProcedureID, &l.Kind, &l.Language, &l.ProducedBy, &l.ProducedAt, &l.SHA256, &facts, &letter); err != nil {
		return l, err
	}
	if err := json.Unmarshal(facts, &l.Facts); err != nil {
		return l, err
	}
	return l, json.Unmarshal(letter, &l.Letter)
}

// Letters lists a dossier's letters, the latest first; procedureID narrows
// them to one procedure's.
func (s *Store) Letters(ctx context.Context, participantID, procedureID string) ([]KeptLetter, error) {
	rows, err := s.db.Query(ctx, `SELECT `+letterColumns+` FROM letters
		WHERE participant_id = $1::uuid AND ($2 = '' OR procedure_id = $2) ORDER BY produced_at DESC, id`, participantID, procedureID)
	if err != nil {
		return nil, classify("letters", err)
	}
	out, err := pgx.CollectRows(rows, scanLetter)
	return out, classify("letters", err)
}

// Letter reads one letter of a dossier: ErrNotFound when it has no such letter.
func (s *Store) Letter(ctx context.Context, participantID, letterID string) (KeptLetter, error) {
	rows, err := s.db.Query(ctx, `SELECT `+letterColumns+` FROM letters WHERE participant_id = $1::uuid AND id::text = $2`, participantID, letterID)
	if err != nil {
		return KeptLetter{}, classify("letter", err)
	}
	l, err := pgx.CollectExactlyOneRow(rows, scanLetter)
	return l, classify("letter", err)
}

// LetterPDF reads a letter's PDF as it was produced.
func (s *Store) LetterPDF(ctx context.Context, participantID, letterID string) ([]byte, error) {
	var pdf []byte
	err := s.db.QueryRow(ctx, `SELECT pdf FROM letters WHERE participant_id = $1::uuid AND id::text = $2`, participantID, letterID).Scan(&pdf)
	return pdf, classify("letter", err)
}

// FileName names a letter's file without the person's name (a file name
// travels further than its content): kind, reference and day.
func (l KeptLetter) FileName() string {
	name := string(l.Kind) + "-" + l.Facts.Reference + "-" + l.ProducedAt.Format("2006-01-02") + ".pdf"
	return strings.Map(func(c rune) rune {
		if c == '/' || c == '"' || c == '\\' {
			return '-'
		}
		return c
	}, name)
}
