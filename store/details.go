package store

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/traject-ocmw/traject/domain"
)

// optionalDate is a date column's value: NULL for the zero time.
func optionalDate(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t
}

// KnownPerson is a centre's dossier of a national register number.
type KnownPerson struct {
	ParticipantID string
	CounsellorID  string
	Closed        bool
}

// KnownPerson finds the centre's dossier of a national register number;
// another centre's is never looked at.
func (s *Store) KnownPerson(ctx context.Context, centreID, nationalNumber string) (KnownPerson, bool, error) {
	var k KnownPerson
	err := s.db.QueryRow(ctx, `
		SELECT p.id::text, COALESCE(t.counsellor_id::text, ''), COALESCE(t.phase = 'closed', false)
		FROM participants p LEFT JOIN trajectories t ON t.participant_id = p.id
		WHERE p.centre_id = $1 AND p.national_number = $2`, centreID, nationalNumber).Scan(&k.ParticipantID, &k.CounsellorID, &k.Closed)
	if errors.Is(err, pgx.ErrNoRows) {
		return k, false, nil
	}
	return k, err == nil, classify("known person", err)
}

// Details are the personal details a dossier's staff may change after
// the intake, and the version they are at. An empty string is "none".
type Details struct {
	GivenName      string `json:"given_name"`
	FamilyName     string `json:"family_name"`
	BirthDate      string `json:"birth_date"`
	Gender         string `json:"gender"`
	NationalNumber string `json:"national_number"`
	Email          string `json:"email"`
	Language       string `json:"language"`
	Contact
	Version int `json:"details_version"`
}

// DetailFields are the details' field names, in the API's words and in
// the order they are shown: who the person is (to correct what the intake
// got wrong), then how to reach them.
var DetailFields = []string{"given_name", "family_name", "birth_date", "gender", "national_number", "email", "phone", "street", "postcode", "municipality", "language"}

func (d *Details) field(name string) *string {
	switch name {
	case "given_name":
		return &d.GivenName
	case "family_name":
		return &d.FamilyName
	case "birth_date":
		return &d.BirthDate
	case "gender":
		return &d.Gender
	case "national_number":
		return &d.NationalNumber
	case "email":
		return &d.Email
	case "language":
		return &d.Language
	case "phone":
		return &d.Phone
	case "street":
		return &d.Street
	case "postcode":
		return &d.Postcode
	case "municipality":
		return &d.Municipality
	}
	return nil
}

// Get is a detail by its field name.
func (d Details) Get(name string) string {
	if f := d.field(name); f != nil {
		return *f
	}
	return ""
}

// DetailsChange is one edit of a dossier's details as the log keeps it:
// who changed which fields when, never the values.
type DetailsChange struct {
	Version   int       `json:"version"`
	ChangedBy string    `json:"changed_by"`
	ChangedAt time.Time `json:"changed_at"`
	Fields    []string  `json:"fields"`
}

// StaleDetailsError is an edit of details that changed since the version
// it names: Current is how they stand, Since the edits made after it.
type StaleDetailsError struct {
	Current Details
	Since   []DetailsChange
}

func (e *StaleDetailsError) Error() string { return "the personal details changed meanwhile" }

// UpdateDetails applies the set fields of change (nil: unchanged) to the
// centre's participant if their details are still at version, and logs
// which fields changed; it answers the details as they now stand. An edit
// that changes nothing keeps the version and logs nothing.
func (s *Store) UpdateDetails(ctx context.Context, centreID, participantID, by string, version int, change map[string]string) (Details, []string, error) {
	var now Details
	var changed []string
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `
			SELECT given_name, family_name, to_char(birth_date, 'YYYY-MM-DD'), COALESCE(gender, ''), COALESCE(national_number, ''),
			       COALESCE(email, ''), language, COALESCE(phone, ''), COALESCE(street, ''), COALESCE(postcode, ''), COALESCE(municipality, ''), details_version
			FROM participants WHERE id = $1 AND centre_id = $2 FOR UPDATE`, participantID, centreID).
			Scan(&now.GivenName, &now.FamilyName, &now.BirthDate, &now.Gender, &now.NationalNumber,
				&now.Email, &now.Language, &now.Phone, &now.Street, &now.Postcode, &now.Municipality, &now.Version)
		if err != nil {
			return err
		}
		if now.Version != version {
			since, err := detailsChanges(ctx, tx, participantID, version)
			if err != nil {
				return err
			}
			return &StaleDetailsError{Current: now, Since: since}
		}
		for _, name := range DetailFields {
			if v, ok := change[name]; ok && v != now.Get(name) {
				*now.field(name) = v
				changed = append(changed, name)
			}
		}
		if len(changed) == 0 {
			return nil
		}
		now.Version++
		if _, err := tx.Exec(ctx, `
			UPDATE participants SET email = NULLIF($3, ''), language = $4, phone = NULLIF($5, ''), street = NULLIF($6, ''),
			       postcode = NULLIF($7, ''), municipality = NULLIF($8, ''), details_version = $9,
			       given_name = $10, family_name = $11, birth_date = $12::date, gender = NULLIF($13, ''), national_number = NULLIF($14, '')
			WHERE id = $1 AND centre_id = $2`,
			participantID, centreID, now.Email, now.Language, now.Phone, now.Street, now.Postcode, now.Municipality, now.Version,
			now.GivenName, now.FamilyName, now.BirthDate, now.Gender, now.NationalNumber); err != nil {
			if uniqueViolation(err) {
				return &ConflictError{Code: domain.ParticipantExists, Field: "national_number", Err: err}
			}
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO participant_changes (participant_id, version, changed_by, fields) VALUES ($1, $2, $3, $4)`,
			participantID, now.Version, by, changed)
		return err
	})
	var stale *StaleDetailsError
	if errors.As(err, &stale) {
		return stale.Current, nil, err
	}
	return now, changed, classify("personal details", err)
}

// DetailsChanges lists a participant's edits of their details, newest
// first.
func (s *Store) DetailsChanges(ctx context.Context, participantID string) ([]DetailsChange, error) {
	out, err := detailsChanges(ctx, s.db, participantID, 0)
	return out, classify("details changes", err)
}

type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

func detailsChanges(ctx context.Context, q querier, participantID string, after int) ([]DetailsChange, error) {
	rows, err := q.Query(ctx, `
		SELECT version, changed_by::text, changed_at, fields FROM participant_changes
		WHERE participant_id = $1 AND version > $2 ORDER BY version DESC`, participantID, after)
	if err != nil {
		return nil, err
	}
	out, err := pgx.CollectRows(rows, pgx.RowToStructByPos[DetailsChange])
	for i := range out {
		// The log keeps the order fields are shown in.
		slices.SortFunc(out[i].Fields, func(a, b string) int { return slices.Index(DetailFields, a) - slices.Index(DetailFields, b) })
	}
	return out, err
}

// SetLeefloonDecision records the leefloon decision a re-entry starts
// from (and its notification, zero when not known).
func (s *Store) SetLeefloonDecision(ctx context.Context, centreID, participantID string, decision, notified time.Time) error {
	tag, err := s.db.Exec(ctx, `UPDATE participants SET leefloon_decision_date = $3, leefloon_notified_date = $4 WHERE id = $1 AND centre_id = $2`,
		participantID, centreID, decision, optionalDate(notified))
	if err == nil && tag.RowsAffected() == 0 {
		return notFound("participant")
	}
	return classify("leefloon decision", err)
}
