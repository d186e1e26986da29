package testenv

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/traject-ocmw/traject/store"
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
	// AllMet: every element met, the GPMI signed with two agreements
	// (An's).
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
		// agreements signed with the GPMI: domain, what the person
		// does, what the centre does (due six months after signing)
		agreements [][3]string
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
			evaluations: []evaluation{{80, true}, {60, true}, {30, false}}, agreements: [][3]string{
				{"language", "Volgt de cursus Nederlands op niveau A2, twee ochtenden per week.", "Schrijft haar in bij het CVO en betaalt het inschrijvingsgeld."},
				{"work", "Solliciteert elke maand bij minstens drie werkgevers in de zorg.", "Zoekt met haar een artikel 60-plaats in een woonzorgcentrum."}}}},
	} {
		d := c.d
		id := uuid.NewString()
		*c.id = id
		person := store.NewParticipant{ID: id, CentreID: fx.CentreID, GivenName: d.given, FamilyName: d.family,
			BirthDate: time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC), NationalNumber: nationalNumber("910101", i, "001"),
			Language: "nl", LeefloonDecisionDate: ago(d.decision)}
		seedParticipant(t, db, "file checks", person)
		author := fx.CounsellorID
		if d.analysis > 0 {
			exec(`INSERT INTO needs_analyses (id, participant_id, centre_id, done_on, domains, author_id, written_at) VALUES ($1, $2, $3, $4, '[]', $5, $6)`,
				uuid.NewString(), id, fx.CentreID, ago(d.analysis), author, at(ago(d.analysis)))
		}
		events := []seedEvent{{at: at(ago(d.decision)), kind: "trajectory_started"}}
		if d.signed > 0 {
			signed := ago(d.signed)
			var agreements []store.NewGPMIAgreement
			var ids []string
			for _, a := range d.agreements {
				agreements = append(agreements, store.NewGPMIAgreement{ID: uuid.NewString(), Domain: a[0], PersonDoes: a[1], CentreDoes: a[2], DueOn: signed.AddDate(0, 6, 0)})
				ids = append(ids, agreements[len(agreements)-1].ID)
			}
			if err := store.New(db).AddAgreements(ctx, id, fx.CentreID, agreements); len(agreements) > 0 && err != nil {
				t.Fatalf("testenv: seed file checks: %v", err)
			}
			events = append(events, seedEvent{at: at(signed), kind: "gpmi_signed", data: map[string]any{"signed_on": signed, "acknowledged": true}, agreements: ids})
		}
		for _, e := range d.evaluations {
			held, report := ago(e.days), uuid.NewString()
			exec(`INSERT INTO evaluation_reports (id, participant_id, centre_id, body, author_id, written_at) VALUES ($1, $2, $3, 'Verslag van de evaluatie.', $4, $5)`,
				report, id, fx.CentreID, author, at(held))
			events = append(events, seedEvent{at: at(held), kind: "gpmi_evaluated", data: map[string]any{"held_on": held, "face_to_face": e.f2f, "report_id": report}})
		}
		if d.exemptAt > 0 {
			exec(`INSERT INTO exemptions (id, participant_id, centre_id, ground, reason, review_on, author_id, written_at) VALUES ($1, $2, $3, 'health', 'Medisch attest voor zes maanden.', $4, $5, $6)`,
				uuid.NewString(), id, fx.CentreID, ago(d.reviewAgo), author, at(ago(d.exemptAt)))
			events = append(events, phaseChange(at(ago(d.exemptAt)), "facilitator", "exempt"))
		}
		seedTimeline(t, db, "fc", person, d.counsellor, events)
	}
	return out
}
