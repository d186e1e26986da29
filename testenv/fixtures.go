package testenv

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
)

// Fixture is one centre with its staff and one participant. The personal
// data here is what the privacy tests look for in workflow histories.
type Fixture struct {
	CentreID      string
	CounsellorID  string // An
	Counsellor2ID string // Bram
	CoordinatorID string
	BCSDID        string
	ParticipantID string
	// PersonalData lists every personal value stored for the participant.
	PersonalData []string
}

// Seed inserts the fixture into a migrated database.
func Seed(t testing.TB, db *pgxpool.Pool) Fixture {
	t.Helper()
	f := Fixture{
		CentreID:      "molenbeek",
		CounsellorID:  "6f1c2a52-7d7e-4d55-9c1e-0b7b8f0e9a11",
		Counsellor2ID: "7a2d3b63-8e8f-4e66-8d2f-1c8c9f1fab22",
		CoordinatorID: "8b3e4c74-9f90-4f77-9e30-2d9d0a20bc33",
		BCSDID:        "9c4f5d85-a0a1-4088-af41-3eae1b31cd44",
		ParticipantID: "0b8e7c1e-3f4a-4c7e-9a59-2f6f1d1e8c01",
		PersonalData:  []string{"Fatima", "El Idrissi", "85073003328", "fatima.elidrissi@example.be", "1985-07-30"},
	}
	_, err := db.Exec(context.Background(), `
		INSERT INTO centres (id, name, region) VALUES ('molenbeek', 'OCMW Molenbeek', 'brussels');
		INSERT INTO staff_users (id, centre_id, email, display_name, role) VALUES
			('`+f.CounsellorID+`', 'molenbeek', 'an@ocmw.example', 'An', 'counsellor'),
			('`+f.Counsellor2ID+`', 'molenbeek', 'bram@ocmw.example', 'Bram', 'counsellor'),
			('`+f.CoordinatorID+`', 'molenbeek', 'chris@ocmw.example', 'Chris', 'coordinator'),
			('`+f.BCSDID+`', 'molenbeek', 'bcsd@ocmw.example', 'BCSD', 'bcsd');
		INSERT INTO participants (id, centre_id, given_name, family_name, birth_date, gender, national_number, email, language, leefloon_decision_date)
		VALUES ('`+f.ParticipantID+`', 'molenbeek', 'Fatima', 'El Idrissi', '1985-07-30', 'f', '85073003328', 'fatima.elidrissi@example.be', 'fr', '2026-11-02');`)
	if err != nil {
		t.Fatalf("testenv: seed: %v", err)
	}
	return f
}
