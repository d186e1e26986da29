package activities_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/traject-ocmw/traject/activities"
	"github.com/traject-ocmw/traject/store"
	"github.com/traject-ocmw/traject/testenv"
)

// A dossier closed longer ago than the centre's retention period keeps only
// what the statistics need; a recently closed one and an open one keep
// everything; a second run changes nothing.
func TestRetentionAnonymisesOldClosedDossiers(t *testing.T) {
	ctx := context.Background()
	db := testenv.Database(t)
	fx := testenv.Seed(t, db)
	recent := uuid.NewString()
	if _, err := db.Exec(ctx, `
		INSERT INTO participants (id, centre_id, given_name, family_name, birth_date, national_number, language, leefloon_decision_date)
		VALUES ($1, 'molenbeek', 'Sara', 'Peeters', '1990-05-17', '90051712331', 'nl', '2024-01-01')`, recent); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	rm := &activities.ReadModel{Store: store.New(db)}
	for i, c := range []struct {
		id     string
		closed time.Time
	}{{fx.ParticipantID, now.AddDate(-11, 0, 0)}, {recent, now.AddDate(-1, 0, 0)}} {
		if err := rm.RecordEvent(ctx, activities.TimelineEvent{
			EventKey: "closed-" + c.id, ParticipantID: c.id, CentreID: fx.CentreID, OccurredAt: c.closed, Kind: "phase_changed",
			Snapshot: activities.TrajectorySnapshot{WorkflowID: "w" + c.id, Phase: "closed", PhaseSince: c.closed, CounsellorID: fx.CounsellorID, Outcome: "moved", Version: int64(i + 1)},
		}); err != nil {
			t.Fatal(err)
		}
	}
	for _, q := range []string{
		`INSERT INTO gpmi_amendments (id, participant_id, text, created_by) VALUES (gen_random_uuid(), $1, 'Zoekt werk in de horeca.', $2)`,
		`INSERT INTO gpmi_extensions (id, participant_id, centre_id, extended_on, motivation, author_id) VALUES (gen_random_uuid(), $1, 'molenbeek', '2014-01-01', 'Opleiding loopt nog.', $2)`,
		`INSERT INTO study_programmes (id, participant_id, centre_id, school, name, starts_on, expected_end_on, author_id) VALUES (gen_random_uuid(), $1, 'molenbeek', 'CVO Brussel', 'Zorgkundige', '2013-09-01', '2014-06-30', $2)`,
		`INSERT INTO student_jobs (id, participant_id, centre_id, employer, from_on, to_on, author_id) VALUES (gen_random_uuid(), $1, 'molenbeek', 'Bakkerij Peeters', '2013-07-01', '2013-07-31', $2)`,
		`INSERT INTO work_placements (id, participant_id, centre_id, kind, company, from_on, to_on, author_id) VALUES (gen_random_uuid(), $1, 'molenbeek', 'ibo', 'Garage Janssens', '2014-02-01', '2014-07-31', $2)`,
	} {
		if _, err := db.Exec(ctx, q, fx.ParticipantID, fx.CounsellorID); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.Exec(ctx, `INSERT INTO idempotency_keys (user_id, key, method, path, request_hash, created_at) VALUES ($1, 'old', 'POST', '/v1/participants', '\x00', now() - interval '2 days')`, fx.CoordinatorID); err != nil {
		t.Fatal(err)
	}

	purge := &activities.Retention{Store: store.New(db)}
	report, err := purge.Purge(ctx, now)
	if err != nil {
		t.Fatal(err)
	}
	if report.Anonymised["molenbeek"] != 1 || report.IdempotencyKeys != 1 {
		t.Errorf("report = %+v, want one dossier and one key", report)
	}
	var given, family string
	var nn, email *string
	var birth time.Time
	var gender *string
	if err := db.QueryRow(ctx, `SELECT given_name, family_name, national_number, email, birth_date, gender FROM participants WHERE id = $1`, fx.ParticipantID).
		Scan(&given, &family, &nn, &email, &birth, &gender); err != nil {
		t.Fatal(err)
	}
	if given != "" || family != "" || nn != nil || email != nil || birth.Format(time.DateOnly) != "1985-01-01" || gender == nil || *gender != "f" {
		t.Errorf("after retention: %q %q %v %v %s %v", given, family, nn, email, birth.Format(time.DateOnly), gender)
	}
	var amendments, records, events int
	if err := db.QueryRow(ctx, `SELECT (SELECT count(*) FROM gpmi_amendments),
		(SELECT count(*) FROM gpmi_extensions) + (SELECT count(*) FROM study_programmes) + (SELECT count(*) FROM student_jobs) + (SELECT count(*) FROM work_placements),
		(SELECT count(*) FROM timeline_events WHERE participant_id = $1)`, fx.ParticipantID).Scan(&amendments, &records, &events); err != nil {
		t.Fatal(err)
	}
	if amendments != 0 || records != 0 || events != 1 {
		t.Errorf("free text left: %d amendments, %d extensions, programmes, jobs and placements; timeline events kept for the statistics: %d (want 1)", amendments, records, events)
	}
	if err := db.QueryRow(ctx, `SELECT given_name FROM participants WHERE id = $1`, recent).Scan(&given); err != nil || given != "Sara" {
		t.Errorf("a dossier closed a year ago lost its data: %q %v", given, err)
	}
	if again, err := purge.Purge(ctx, now); err != nil || len(again.Anonymised) != 0 {
		t.Errorf("second run: %+v %v", again, err)
	}
}
