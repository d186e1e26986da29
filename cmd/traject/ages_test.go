package main

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/traject-ocmw/traject/domain"
	"github.com/traject-ocmw/traject/store"
	"github.com/traject-ocmw/traject/testenv"
	"github.com/traject-ocmw/traject/workflows"
)

// `traject check ages` finds the running contract planned with the age the
// old day-of-year rule gave, and only that one.
func TestCheckAgesFindsContractsPlannedWithAWrongAge(t *testing.T) {
	ctx := context.Background()
	db := testenv.Database(t)
	fx := testenv.Seed(t, db)
	st := store.New(db)
	brussels, _ := time.LoadLocation("Europe/Brussels")
	day := func(s string) time.Time {
		d, err := time.ParseInLocation(time.DateOnly, s, brussels)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	inArticle60 := func(birth string, start time.Time, recordedAge int) string {
		p := store.NewParticipant{ID: uuid.NewString(), CentreID: fx.CentreID, GivenName: "X", FamilyName: "Y", BirthDate: day(birth),
			NationalNumber: "", Language: "nl", LeefloonDecisionDate: day("2021-01-04")}
		if _, err := st.CreateParticipant(ctx, p); err != nil {
			t.Fatal(err)
		}
		state := workflows.State{ParticipantID: p.ID, CentreID: fx.CentreID, Phase: workflows.PhaseArticle60,
			Contract: &workflows.Contract{HostID: "h", Function: "driver", Start: start, AgeAtStart: recordedAge}}
		err := st.RecordEvent(ctx, domain.TimelineEvent{EventKey: p.ID + "/1", ParticipantID: p.ID, CentreID: fx.CentreID, OccurredAt: start, Kind: "phase_changed",
			Snapshot: domain.TrajectorySnapshot{WorkflowID: "trajectory:" + p.ID, Phase: "article60", PhaseSince: start, CounsellorID: fx.CounsellorID, Version: 1, State: state}})
		if err != nil {
			t.Fatal(err)
		}
		return p.ID
	}
	// Born 1 March 1972 (leap year), contract from the 50th birthday: the
	// old rule recorded 49.
	wrong := inArticle60("1972-03-01", day("2022-03-01"), 49)
	inArticle60("1980-06-15", day("2022-03-01"), 41)

	list, err := findAgeMismatches(ctx, st, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 {
		t.Fatalf("%d mismatches, want 1: %+v", len(list), list)
	}
	m := list[0]
	if m.ParticipantID != wrong || m.Recorded != 49 || m.Correct != 50 || m.RecordedDays != 468 || m.CorrectDays != 624 {
		t.Errorf("got %+v, want %s recorded 49 (468 days), correct 50 (624 days)", m, wrong)
	}
	if other, err := findAgeMismatches(ctx, st, "another-centre"); err != nil || len(other) != 0 {
		t.Errorf("another centre: %v %v", other, err)
	}
}
