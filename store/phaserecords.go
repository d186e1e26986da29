package store

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// StudyResults are how a programme of studies or training ends: a diploma,
// a certificate or an attest obtained, not obtained, or stopped.
var StudyResults = []string{"diploma", "certificate", "attest", "not_obtained", "stopped"}

// PlacementKinds are the work placements of phase 4 that lead to a job:
// an in-company training (IBO) and an entry traineeship.
var PlacementKinds = []string{"ibo", "entry_traineeship"}

// PhaseRecordEvents are the timeline events of these records; their data
// holds IDs, days and codes, never the names of a school or employer.
var PhaseRecordEvents = []string{"programme_started", "programme_result", "student_job_recorded", "placement_started", "placement_ended", "civic_integration_recorded"}

// CivicObligations are how a person takes part in civic integration:
// obliged to, or voluntarily.
var CivicObligations = []string{"obliged", "voluntary"}

// CivicStatuses are where a person stands in civic integration.
var CivicStatuses = []string{"enrolled", "following", "completed", "exempt"}

// Civic is a dossier's civic integration: obliged or voluntary, the day of
// the referral (if known) and the status.
type Civic struct {
	Obligation string  `json:"obligation"`
	ReferredOn *string `json:"referred_on"`
	Status     string  `json:"status"`
}

// Programme is a programme of studies or training: at a school or a
// training body, from a day to the day it is expected to end, and its
// result on a day once known.
type Programme struct {
	ID            string  `json:"id"`
	School        string  `json:"school"`
	Name          string  `json:"name"`
	StartsOn      string  `json:"starts_on"`
	ExpectedEndOn string  `json:"expected_end_on"`
	Result        *string `json:"result"`
	ResultOn      *string `json:"result_on"`
}

// StudentJob is a student job: the employer and the period.
type StudentJob struct {
	ID       string `json:"id"`
	Employer string `json:"employer"`
	From     string `json:"from"`
	To       string `json:"to"`
}

// Placement is an in-company training or an entry traineeship: its kind,
// the company, the planned period, and once ended, the day and whether it
// ended early.
type Placement struct {
	ID         string  `json:"id"`
	Kind       string  `json:"kind"`
	Company    string  `json:"company"`
	From       string  `json:"from"`
	To         string  `json:"to"`
	EndedOn    *string `json:"ended_on"`
	EndedEarly *bool   `json:"ended_early"`
}

// PhaseRecords are a dossier's records of phases 3 and 4, newest first.
type PhaseRecords struct {
	Programmes  []Programme  `json:"programmes"`
	StudentJobs []StudentJob `json:"student_jobs"`
	Placements  []Placement  `json:"placements"`
	// Civic is the civic integration, nil when not recorded.
	Civic *Civic `json:"civic_integration"`
	// EmploymentReferral is the Article 60 contract's referral to the
	// employment service, nil before the workflow took one.
	EmploymentReferral *EmploymentReferral `json:"employment_referral"`
}

// CheckRecordName names a school, programme, employer or company name at
// fault, trimmed in place.
func CheckRecordName(field string, v *string) []FieldProblem {
	*v = strings.TrimSpace(*v)
	return checkName(field, *v)
}

// NewProgramme is a programme as staff record it.
type NewProgramme struct {
	ID, ParticipantID, CentreID, AuthorID string
	School, Name                          string
	StartsOn, ExpectedEndOn               time.Time
}

// NewStudentJob is a student job as staff record it.
type NewStudentJob struct {
	ID, ParticipantID, CentreID, AuthorID string
	Employer                              string
	From, To                              time.Time
}

// NewPlacement is a work placement as staff record it.
type NewPlacement struct {
	ID, ParticipantID, CentreID, AuthorID string
	Kind, Company                         string
	From, To                              time.Time
}

const recordEvent = `
	INSERT INTO timeline_events (event_key, participant_id, centre_id, occurred_at, kind, actor_id, data)
	VALUES ($1, $2, $3, now(), $4, $5, $6) ON CONFLICT (event_key) DO NOTHING`

func day(t time.Time) string { return t.Format(time.DateOnly) }

// InsertProgramme records a programme and its timeline event in one
// transaction; a retried write (same ID) is left as it is.
func (s *Store) InsertProgramme(ctx context.Context, p NewProgramme) error {
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `INSERT INTO study_programmes (id, participant_id, centre_id, school, name, starts_on, expected_end_on, author_id)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (id) DO NOTHING`,
			p.ID, p.ParticipantID, p.CentreID, p.School, p.Name, p.StartsOn, p.ExpectedEndOn, p.AuthorID)
		if err != nil || tag.RowsAffected() == 0 {
			return err
		}
		_, err = tx.Exec(ctx, recordEvent, "programme/"+p.ID, p.ParticipantID, p.CentreID, "programme_started", p.AuthorID,
			map[string]string{"programme_id": p.ID, "starts_on": day(p.StartsOn), "expected_end_on": day(p.ExpectedEndOn)})
		return err
	})
	return classify("programme", err)
}

// SetProgrammeResult records (or corrects) a programme's result on a day,
// with its timeline event.
func (s *Store) SetProgrammeResult(ctx context.Context, participantID, id, actorID, result string, on time.Time) error {
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		var centreID string
		err := tx.QueryRow(ctx, `UPDATE study_programmes SET result = $3, result_on = $4
			WHERE id = $1 AND participant_id = $2 RETURNING centre_id`, id, participantID, result, on).Scan(&centreID)
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, recordEvent, "programme/"+id+"/"+result+"/"+day(on), participantID, centreID, "programme_result", actorID,
			map[string]string{"programme_id": id, "result": result, "on": day(on)})
		return err
	})
	return classify("programme", err)
}

// InsertStudentJob records a student job and its timeline event.
func (s *Store) InsertStudentJob(ctx context.Context, j NewStudentJob) error {
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `INSERT INTO student_jobs (id, participant_id, centre_id, employer, from_on, to_on, author_id)
			VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING`,
			j.ID, j.ParticipantID, j.CentreID, j.Employer, j.From, j.To, j.AuthorID)
		if err != nil || tag.RowsAffected() == 0 {
			return err
		}
		_, err = tx.Exec(ctx, recordEvent, "student-job/"+j.ID, j.ParticipantID, j.CentreID, "student_job_recorded", j.AuthorID,
			map[string]string{"student_job_id": j.ID, "from": day(j.From), "to": day(j.To)})
		return err
	})
	return classify("student job", err)
}

// InsertPlacement records a work placement and its timeline event.
func (s *Store) InsertPlacement(ctx context.Context, p NewPlacement) error {
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `INSERT INTO work_placements (id, participant_id, centre_id, kind, company, from_on, to_on, author_id)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (id) DO NOTHING`,
			p.ID, p.ParticipantID, p.CentreID, p.Kind, p.Company, p.From, p.To, p.AuthorID)
		if err != nil || tag.RowsAffected() == 0 {
			return err
		}
		_, err = tx.Exec(ctx, recordEvent, "placement/"+p.ID, p.ParticipantID, p.CentreID, "placement_started", p.AuthorID,
			map[string]string{"placement_id": p.ID, "kind": p.Kind, "from": day(p.From), "to": day(p.To)})
		return err
	})
	return classify("placement", err)
}

// EndPlacement records (or corrects) the end of a placement: the day and
// whether it ended before its planned end.
func (s *Store) EndPlacement(ctx context.Context, participantID, id, actorID string, on time.Time, early bool) error {
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		var centreID string
		err := tx.QueryRow(ctx, `UPDATE work_placements SET ended_on = $3, ended_early = $4
			WHERE id = $1 AND participant_id = $2 RETURNING centre_id`, id, participantID, on, early).Scan(&centreID)
		if err != nil {
			return err
		}
		data := map[string]any{"placement_id": id, "on": day(on), "ended_early": early}
		key := "placement/" + id + "/end/" + day(on)
		_, err = tx.Exec(ctx, recordEvent, key, participantID, centreID, "placement_ended", actorID, data)
		return err
	})
	return classify("placement", err)
}

const (
	programmeColumns = `id::text, school, name, to_char(starts_on, 'YYYY-MM-DD'), to_char(expected_end_on, 'YYYY-MM-DD'), result, to_char(result_on, 'YYYY-MM-DD')`
	jobColumns       = `id::text, employer, to_char(from_on, 'YYYY-MM-DD'), to_char(to_on, 'YYYY-MM-DD')`
	placementColumns = `id::text, kind, company, to_char(from_on, 'YYYY-MM-DD'), to_char(to_on, 'YYYY-MM-DD'), to_char(ended_on, 'YYYY-MM-DD'), ended_early`
)

// ProgrammeOf reads one programme of a participant.
func (s *Store) ProgrammeOf(ctx context.Context, participantID, id string) (Programme, error) {
	if _, err := uuid.Parse(id); err != nil {
		return Programme{}, notFound("programme")
	}
	rows, _ := s.db.Query(ctx, `SELECT `+programmeColumns+` FROM study_programmes WHERE participant_id = $1 AND id = $2`, participantID, id)
	p, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByPos[Programme])
	return p, classify("programme", err)
}

// PlacementOf reads one placement of a participant.
func (s *Store) PlacementOf(ctx context.Context, participantID, id string) (Placement, error) {
	if _, err := uuid.Parse(id); err != nil {
		return Placement{}, notFound("placement")
	}
	rows, _ := s.db.Query(ctx, `SELECT `+placementColumns+` FROM work_placements WHERE participant_id = $1 AND id = $2`, participantID, id)
	p, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByPos[Placement])
	return p, classify("placement", err)
}

// StudentJobOf reads one student job of a participant.
func (s *Store) StudentJobOf(ctx context.Context, participantID, id string) (StudentJob, error) {
	rows, _ := s.db.Query(ctx, `SELECT `+jobColumns+` FROM student_jobs WHERE participant_id = $1 AND id = $2`, participantID, id)
	j, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByPos[StudentJob])
	return j, classify("student job", err)
}

// ParticipantPhaseRecords reads a dossier's programmes, student jobs and
// placements, the latest first.
func (s *Store) ParticipantPhaseRecords(ctx context.Context, participantID string) (PhaseRecords, error) {
	var out PhaseRecords
	var err error
	rows, _ := s.db.Query(ctx, `SELECT `+programmeColumns+` FROM study_programmes WHERE participant_id = $1
		ORDER BY starts_on DESC, created_at DESC, id`, participantID)
	if out.Programmes, err = pgx.CollectRows(rows, pgx.RowToStructByPos[Programme]); err != nil {
		return out, classify("programmes", err)
	}
	rows, _ = s.db.Query(ctx, `SELECT `+jobColumns+` FROM student_jobs WHERE participant_id = $1
		ORDER BY from_on DESC, created_at DESC, id`, participantID)
	if out.StudentJobs, err = pgx.CollectRows(rows, pgx.RowToStructByPos[StudentJob]); err != nil {
		return out, classify("student jobs", err)
	}
	rows, _ = s.db.Query(ctx, `SELECT `+placementColumns+` FROM work_placements WHERE participant_id = $1
		ORDER BY from_on DESC, created_at DESC, id`, participantID)
	if out.Placements, err = pgx.CollectRows(rows, pgx.RowToStructByPos[Placement]); err != nil {
		return out, classify("placements", err)
	}
	var c Civic
	err = s.db.QueryRow(ctx, `SELECT civic_integration, to_char(civic_referred_on, 'YYYY-MM-DD'), civic_status FROM participants
		WHERE id = $1 AND civic_integration IS NOT NULL`, participantID).Scan(&c.Obligation, &c.ReferredOn, &c.Status)
	switch {
	case err == nil:
		out.Civic = &c
	case !errors.Is(err, pgx.ErrNoRows):
		return out, classify("civic integration", err)
	}
	// the referral the trajectory holds (a refused one's row is not read)
	rows, _ = s.db.Query(ctx, `SELECT r.id::text, r.service, to_char(r.referred_on, 'YYYY-MM-DD'), r.contact
		FROM employment_referrals r JOIN trajectories t ON t.participant_id = r.participant_id
		WHERE r.participant_id = $1 AND r.id::text = t.state #>> '{contract,employment_referral,id}'`, participantID)
	referral, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByPos[EmploymentReferral])
	switch {
	case err == nil:
		out.EmploymentReferral = &referral
	case !errors.Is(err, pgx.ErrNoRows):
		return out, classify("employment referral", err)
	}
	if out.Programmes == nil {
		out.Programmes = []Programme{}
	}
	if out.StudentJobs == nil {
		out.StudentJobs = []StudentJob{}
	}
	if out.Placements == nil {
		out.Placements = []Placement{}
	}
	return out, nil
}

// SetCivicIntegration records (or changes) a dossier's civic integration
// with its timeline event (codes and the day only), keyed by eventID so
// that a retried write adds no second event.
func (s *Store) SetCivicIntegration(ctx context.Context, eventID, participantID, actorID string, c Civic, referredOn *time.Time) error {
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		var centreID string
		err := tx.QueryRow(ctx, `UPDATE participants SET civic_integration = $2, civic_referred_on = $3, civic_status = $4
			WHERE id = $1 RETURNING centre_id`, participantID, c.Obligation, referredOn, c.Status).Scan(&centreID)
		if err != nil {
			return err
		}
		data := map[string]any{"obligation": c.Obligation, "status": c.Status, "referred_on": c.ReferredOn}
		_, err = tx.Exec(ctx, `INSERT INTO timeline_events (event_key, participant_id, centre_id, occurred_at, kind, actor_id, data)
			VALUES ('civic/' || $5::text, $1, $2, now(), 'civic_integration_recorded', $3, $4) ON CONFLICT (event_key) DO NOTHING`,
			participantID, centreID, actorID, data, eventID)
		return err
	})
	return classify("participant", err)
}

// EmploymentReferral is the referral to the regional employment service:
// the service, the day and the contact there (a person or an office).
type EmploymentReferral struct {
	ID         string `json:"id"`
	Service    string `json:"service"`
	ReferredOn string `json:"referred_on"`
	Contact    string `json:"contact"`
}

// NewEmploymentReferral is a referral as staff record it.
type NewEmploymentReferral struct {
	ID, ParticipantID, CentreID, AuthorID string
	Service, Contact                      string
	ReferredOn                            time.Time
}

// AddEmploymentReferral keeps a referral's contact before the workflow
// takes the referral; a retried write (same ID) is left as it is. Its
// timeline event is the workflow's, without the contact.
func (s *Store) AddEmploymentReferral(ctx context.Context, r NewEmploymentReferral) error {
	_, err := s.db.Exec(ctx, `INSERT INTO employment_referrals (id, participant_id, centre_id, service, referred_on, contact, author_id)
		VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING`,
		r.ID, r.ParticipantID, r.CentreID, r.Service, r.ReferredOn, r.Contact, r.AuthorID)
	return classify("employment referral", err)
}

// EmploymentReferralOf reads the referral the workflow names by ID.
func (s *Store) EmploymentReferralOf(ctx context.Context, participantID, id string) (EmploymentReferral, error) {
	if _, err := uuid.Parse(id); err != nil {
		return EmploymentReferral{}, notFound("employment referral")
	}
	rows, _ := s.db.Query(ctx, `SELECT id::text, service, to_char(referred_on, 'YYYY-MM-DD'), contact
		FROM employment_referrals WHERE participant_id = $1 AND id = $2`, participantID, id)
	r, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByPos[EmploymentReferral])
	return r, classify("employment referral", err)
}
