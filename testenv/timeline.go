package testenv

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/traject-ocmw/traject/domain"
	"github.com/traject-ocmw/traject/store"
	"github.com/traject-ocmw/traject/workflows"
)

// seedEvent is one event of a seeded dossier's timeline: trajectory_started,
// gpmi_signed (data: signed_on, acknowledged), gpmi_evaluated (data:
// held_on, face_to_face, report_id) or phase_changed (data: from, to, and
// contract_end for the end of an Article 60 contract).
type seedEvent struct {
	at   time.Time
	kind string
	data map[string]any
	// agreements are the IDs of the agreements a gpmi_signed signs (the
	// workflow keeps them in its state, not in the event).
	agreements []string
}

// phaseChange is the phase_changed event from one phase to another on at.
func phaseChange(at time.Time, from, to string) seedEvent {
	return seedEvent{at: at, kind: "phase_changed", data: map[string]any{"from": from, "to": to}}
}

// seedParticipant creates a seeded dossier's participant.
func seedParticipant(t testing.TB, db *pgxpool.Pool, what string, p store.NewParticipant) {
	t.Helper()
	if _, err := store.New(db).CreateParticipant(context.Background(), p); err != nil {
		t.Fatalf("testenv: seed %s: %v", what, err)
	}
}

// seedTimeline writes the participant's timeline as the workflow would
// have: each event with the trajectory's snapshot after it (so the latest
// is the trajectory's row), under the counsellor. Keys are the
// participant's ID, then what, then a letter per event.
func seedTimeline(t testing.TB, db *pgxpool.Pool, what string, p store.NewParticipant, counsellor string, events []seedEvent) {
	t.Helper()
	ctx := context.Background()
	st := store.New(db)
	state := workflows.State{ParticipantID: p.ID, CentreID: p.CentreID, CounsellorID: counsellor, Phase: workflows.PhaseFacilitator}
	for n, e := range events {
		te := domain.TimelineEvent{EventKey: p.ID + "/" + what + "/" + string(rune('a'+n)), ParticipantID: p.ID, CentreID: p.CentreID,
			OccurredAt: e.at, Kind: e.kind, Data: e.data}
		switch e.kind {
		case "trajectory_started":
			state.GPMI = workflows.GPMIState{}
			state.Phase, state.PhaseSince = workflows.PhaseFacilitator, e.at
		case "gpmi_signed":
			signed := e.data["signed_on"].(time.Time)
			state.GPMI.SignedOn, state.GPMI.Acknowledged, state.GPMI.AgreementIDs = &signed, e.data["acknowledged"] == true, e.agreements
		case "gpmi_evaluated":
			state.GPMI.Evaluations = append(state.GPMI.Evaluations, workflows.Evaluation{HeldOn: e.data["held_on"].(time.Time),
				FaceToFace: e.data["face_to_face"] == true, ReportID: e.data["report_id"].(string)})
		case "phase_changed":
			te.PhaseFrom, te.PhaseTo = e.data["from"].(string), e.data["to"].(string)
			state.Phase, state.PhaseSince = workflows.Phase(te.PhaseTo), e.at
		default:
			t.Fatalf("testenv: seed %s: no event %s", what, e.kind)
		}
		state.Version = int64(n + 1)
		te.Snapshot = domain.TrajectorySnapshot{WorkflowID: "trajectory:" + p.ID, Phase: string(state.Phase), PhaseSince: state.PhaseSince,
			CounsellorID: counsellor, Version: state.Version, State: state}
		if err := st.RecordEvent(ctx, te); err != nil {
			t.Fatalf("testenv: seed %s: %v", what, err)
		}
	}
}

// nationalNumber is a seeded dossier's number: prefix, its index on two
// digits, suffix.
func nationalNumber(prefix string, i int, suffix string) string {
	return fmt.Sprintf("%s%02d%s", prefix, i, suffix)
}
