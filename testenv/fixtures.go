package testenv

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/traject-ocmw/traject/domain"
	"github.com/traject-ocmw/traject/store"
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
	ctx := context.Background()
	st := store.New(db)
	fail := func(err error) {
		if err != nil {
			t.Fatalf("testenv: seed: %v", err)
		}
	}
	fail(st.CreateCentre(ctx, store.Centre{ID: f.CentreID, Name: "OCMW Molenbeek", Region: "brussels", Language: "nl"}))
	for _, u := range []store.User{
		{ID: f.CounsellorID, Email: "an@ocmw.example", DisplayName: "An", Role: domain.RoleCounsellor},
		{ID: f.Counsellor2ID, Email: "bram@ocmw.example", DisplayName: "Bram", Role: domain.RoleCounsellor},
		{ID: f.CoordinatorID, Email: "chris@ocmw.example", DisplayName: "Chris", Role: domain.RoleCoordinator},
		{ID: f.BCSDID, Email: "bcsd@ocmw.example", DisplayName: "BCSD", Role: domain.RoleBCSD},
	} {
		u.CentreID, u.Language = f.CentreID, "nl"
		_, err := st.CreateUser(ctx, u)
		fail(err)
	}
	day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }
	_, err := st.CreateParticipant(ctx, store.NewParticipant{
		ID: f.ParticipantID, CentreID: f.CentreID, GivenName: "Fatima", FamilyName: "El Idrissi", BirthDate: day("1985-07-30"), Gender: "f",
		NationalNumber: "85073003328", Email: "fatima.elidrissi@example.be", Language: "fr", LeefloonDecisionDate: day("2026-11-02"),
	})
	fail(err)
	return f
}
