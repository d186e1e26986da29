package testenv

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/traject-ocmw/traject/domain"
	"github.com/traject-ocmw/traject/store"
	"github.com/traject-ocmw/traject/workflows"
)

// FileCheckDossiers are the dossiers SeedFileChecks adds, by the case each
// stands for.
type FileCheckDossiers struct {
	// SignedLate: the GPMI signed four months after the decision (An's).
	SignedLate string
	// TwoEvaluations: only two evaluations in the first twelve months
	// since signature (An's).
	TwoEvaluations string
	// OneFaceToFace: three evaluations in the first year, one face to
	// face (Bram's).
	OneFaceToFace string
	// ExemptUnreviewed: exempt, its review day passed without a review
	// (Bram's).
	ExemptUnreviewed string
	// SignDueSoon: not signed yet, its signature due within the next
	// thirty days (nobody holds it).
	SignDueSoon string
	// AllMet: every element met (An's).
	AllMet string
}

// SeedFileChecks adds to the fixture's centre a dossier for each case the
// file check judges, its days counted back from today in Brussels, as the
// workflow and the dossier's forms would have written them: timeline
// events, the trajectory's row, the needs analyses, the evaluation reports
// and the exemption. National numbers start with 910101.
func SeedFileChecks(t testing.TB, db *pgxpool.Pool, fx Fixture) FileCheckDossiers {
	t.Helper()
	ctx := context.Background()
	st := store.New(db)
	brussels, err := time.LoadLocation("Europe/Brussels")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().In(brussels)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	ago := func(days int) time.Time { return today.AddDate(0, 0, -days) }
	// at is a moment of the civil day d in Brussels (10:00), before now.
	at := func(d time.Time) time.Time {
		m := time.Date(d.Year(), d.Month(), d.Day(), 10, 0, 0, 0, brussels)
		if m.After(now) {
			m = now.Add(-time.Minute)
		}
		return m
	}
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := db.Exec(ctx, q, args...); err != nil {
			t.Fatalf("testenv: seed file checks: %v", err)
		}
	}
	type evaluation struct {
		days int
		f2f  bool
	}
	type dossier struct {
		given, family, counsellor string
		decision                  int
		analysis, signed          int // days ago; 0: none
		evaluations               []evaluation
		exemptAt, reviewAgo       int // days ago; 0: not exempt
	}
	var out FileCheckDossiers
	for i, c := range []struct {
		id *string
		d  dossier
	}{
		{&out.SignedLate, dossier{given: "Lotte", family: "Laat", counsellor: fx.CounsellorID, decision: 200, analysis: 70, signed: 60}},
		{&out.TwoEvaluations, dossier{given: "Tom", family: "Twee", counsellor: fx.CounsellorID, decision: 500, analysis: 430, signed: 420,
			evaluations: []evaluation{{400, true}, {200, true}}}},
		{&out.OneFaceToFace, dossier{given: "Eva", family: "Eenmaal", counsellor: fx.Counsellor2ID, decision: 500, analysis: 430, signed: 420,
			evaluations: []evaluation{{400, true}, {300, false}, {200, false}}}},
		{&out.ExemptUnreviewed, dossier{given: "Victor", family: "Vrijgesteld", counsellor: fx.Counsellor2ID, decision: 100, exemptAt: 90, reviewAgo: 10}},
		{&out.SignDueSoon, dossier{given: "Bart", family: "Binnenkort", decision: 80}},
		{&out.AllMet, dossier{given: "Olivia", family: "Orde", counsellor: fx.CounsellorID, decision: 120, analysis: 110, signed: 100,
			evaluations: []evaluation{{80, true}, {60, true}, {30, false}}}},
	} {
		d := c.d
		id := uuid.NewString()
		*c.id = id
		if _, err := st.CreateParticipant(ctx, store.NewParticipant{ID: id, CentreID: fx.CentreID, GivenName: d.given, FamilyName: d.family,
			BirthDate: time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC), NationalNumber: "910101" + string(rune('0'+i/10)) + string(rune('0'+i%10)) + "001",
			Language: "nl", LeefloonDecisionDate: ago(d.decision)}); err != nil {
			t.Fatalf("testenv: seed file checks: %v", err)
		}
		state := workflows.State{ParticipantID: id, CentreID: fx.CentreID, CounsellorID: d.counsellor, Phase: workflows.PhaseFacilitator, PhaseSince: at(ago(d.decision))}
		author := fx.CounsellorID
		if d.analysis > 0 {
			exec(`INSERT INTO needs_analyses (id, participant_id, centre_id, done_on, domains, author_id, written_at) VALUES ($1, $2, $3, $4, '[]', $5, $6)`,
				uuid.NewString(), id, fx.CentreID, ago(d.analysis), author, at(ago(d.analysis)))
		}
		type ev struct {
			at   time.Time
			kind string
			data map[string]any
		}
		events := []ev{{at(ago(d.decision)), "trajectory_started", nil}}
		if d.signed > 0 {
			signed := ago(d.signed)
			state.GPMI.SignedOn, state.GPMI.Acknowledged = &signed, true
			events = append(events, ev{at(signed), "gpmi_signed", map[string]any{"signed_on": signed, "acknowledged": true}})
		}
		for _, e := range d.evaluations {
			held, report := ago(e.days), uuid.NewString()
			exec(`INSERT INTO evaluation_reports (id, participant_id, centre_id, body, author_id, written_at) VALUES ($1, $2, $3, 'Verslag van de evaluatie.', $4, $5)`,
				report, id, fx.CentreID, author, at(held))
			state.GPMI.Evaluations = append(state.GPMI.Evaluations, workflows.Evaluation{HeldOn: held, FaceToFace: e.f2f, ReportID: report})
			events = append(events, ev{at(held), "gpmi_evaluated", map[string]any{"held_on": held, "face_to_face": e.f2f, "report_id": report}})
		}
		if d.exemptAt > 0 {
			state.Phase, state.PhaseSince = workflows.PhaseExempt, at(ago(d.exemptAt))
			exec(`INSERT INTO exemptions (id, participant_id, centre_id, ground, reason, review_on, author_id, written_at) VALUES ($1, $2, $3, 'health', 'Medisch attest voor zes maanden.', $4, $5, $6)`,
				uuid.NewString(), id, fx.CentreID, ago(d.reviewAgo), author, at(ago(d.exemptAt)))
			events = append(events, ev{at(ago(d.exemptAt)), "phase_changed", map[string]any{"from": "facilitator", "to": "exempt"}})
		}
		for n, e := range events {
			state.Version = int64(n + 1)
			te := domain.TimelineEvent{EventKey: id + "/fc/" + string(rune('a'+n)), ParticipantID: id, CentreID: fx.CentreID, OccurredAt: e.at, Kind: e.kind, Data: e.data,
				Snapshot: domain.TrajectorySnapshot{WorkflowID: "trajectory:" + id, Phase: string(state.Phase), PhaseSince: state.PhaseSince, CounsellorID: d.counsellor,
					Version: state.Version, State: state}}
			if e.kind == "phase_changed" {
				te.PhaseFrom, te.PhaseTo = "facilitator", "exempt"
			}
			if err := st.RecordEvent(ctx, te); err != nil {
				t.Fatalf("testenv: seed file checks: %v", err)
			}
		}
	}
	return out
}
