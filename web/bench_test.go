package web_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/traject-ocmw/traject/domain"
	"github.com/traject-ocmw/traject/stats"
	"github.com/traject-ocmw/traject/store"
	"github.com/traject-ocmw/traject/testenv"
	"github.com/traject-ocmw/traject/web"
	"github.com/traject-ocmw/traject/workflows"
)

// BenchmarkPages measures the server time of My work for a caseload of 200
// dossiers and of a dossier with 300 timeline events, through the whole
// handler (session, store, audit, template), and reports the p50 and p99
// of the requests it made. Run: go test ./web -run '^$' -bench Pages.
func BenchmarkPages(b *testing.B) {
	db := testenv.Database(b)
	fx := testenv.Seed(b, db)
	st := store.New(db)
	ctx := context.Background()
	now := time.Now()
	var last string
	for i := range 200 {
		deadlines := []workflows.Deadline{
			{ID: "gpmi", Kind: workflows.KindGPMIEvaluation, Due: now.Add(time.Duration(i-50) * 6 * time.Hour), Actor: domain.ActorCounsellor},
			{ID: "check", Kind: workflows.KindCheckIn, Due: now.Add(time.Duration(i) * 24 * time.Hour), Actor: domain.ActorParticipant},
		}
		last = seedDeadlines(b, st, fx.CentreID, fx.CounsellorID, fmt.Sprintf("P%03d", i), deadlines...)
		// 20 of them before the BCSD: a hearing in the coming weeks.
		if i%10 == 0 {
			hearing := now.AddDate(0, 0, i/10+3)
			seedProcedure(b, st, fx.CentreID, last, &hearing)
		}
	}
	for v := int64(2); v <= 300; v++ {
		if err := st.RecordTimelineEvent(ctx, domain.TimelineEvent{EventKey: fmt.Sprintf("%s/extra/%d", last, v), ParticipantID: last, CentreID: fx.CentreID,
			OccurredAt: now, Kind: "task_due", Snapshot: domain.TrajectorySnapshot{Version: v}}); err != nil {
			b.Fatal(err)
		}
	}
	worker := seedArticle60AtSharedHost(b, db, st, fx.CentreID, fx.CounsellorID)
	whole := seedWholeDossier(b, st, fx.CentreID, fx.CounsellorID)
	h, err := web.New(web.Options{Logger: testenv.Discard(), DB: db, DevSignIn: true, InsecureCookies: true})
	if err != nil {
		b.Fatal(err)
	}
	br := newBrowserSignedIn(b, h, fx.CounsellorID)
	as := map[string]*browser{"counsellor": br, "coordinator": newBrowserSignedIn(b, h, fx.CoordinatorID), "bcsd": newBrowserSignedIn(b, h, fx.BCSDID)}
	for _, role := range []string{"coordinator", "bcsd"} {
		b.Run("my work of the "+role+", 200 dossiers, 20 procedures", func(b *testing.B) {
			measurePage(b, as[role], "/")
		})
	}
	for _, page := range []struct{ name, path string }{
		{"my work, 200 dossiers, 20 procedures", "/"},
		{"dossier, 300 events", "/dossiers/" + last},
		{"dossier, Article 60 at a host of two centres, 300 events", "/dossiers/" + worker},
		{"dossier, 200 notes, 30 evaluations with reports, 300 events", "/dossiers/" + whole},
	} {
		b.Run(page.name, func(b *testing.B) { measurePage(b, br, page.path) })
	}
}

// measurePage opens a page b.N times and reports the p50 and p99 of its
// server time.
func measurePage(b *testing.B, br *browser, path string) {
	var took []time.Duration
	for b.Loop() {
		start := time.Now()
		status, _, _ := br.do("GET", path, nil)
		took = append(took, time.Since(start))
		if status != http.StatusOK {
			b.Fatalf("%d", status)
		}
	}
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(took[len(took)*99/100].Microseconds())/1000, "p99-ms")
}

// seedArticle60AtSharedHost makes a dossier with 300 timeline events whose
// Article 60 contract runs at a host that also works with another centre,
// where 20 more of this centre's and 20 of the other's workers are placed
// (the page counts the host's occupancy across centres), with two problems
// the host signalled.
func seedArticle60AtSharedHost(b *testing.B, db *pgxpool.Pool, st *store.Store, centre, counsellor string) string {
	ctx := context.Background()
	host, err := st.CreateHost(ctx, centre, store.HostInput{Name: "Kringwinkel", Email: "jobs@kringwinkel.example", Language: "nl",
		Positions: []store.HostPosition{{Function: "shop_help", Positions: 50}}})
	if err != nil {
		b.Fatal(err)
	}
	for _, q := range []string{
		`INSERT INTO centres (id, name, region) VALUES ('anderlecht', 'OCMW Anderlecht', 'brussels')`,
		`INSERT INTO host_agreements (id, host_id, centre_id, valid_from) VALUES ('7f809102-3333-4444-8555-b66677788899', '` + host + `', 'anderlecht', '2026-01-01')`,
		`INSERT INTO host_agreement_positions (agreement_id, function, positions) VALUES ('7f809102-3333-4444-8555-b66677788899', 'shop_help', 50)`,
	} {
		if _, err := db.Exec(ctx, q); err != nil {
			b.Fatal(err)
		}
	}
	now := time.Now()
	contract := &workflows.Contract{HostID: host, Function: "shop_help", Regime: "full_time", Start: now.AddDate(0, -3, 0), End: now.AddDate(0, 9, 0),
		RequiredDays: 312, DaysPerWeek: 5, HostParty: true}
	var worker string
	for i := range 41 {
		at := centre
		if i%2 == 1 {
			at = "anderlecht"
		}
		id := newID()
		p := store.NewParticipant{ID: id, CentreID: at, GivenName: fmt.Sprintf("W%02d", i), FamilyName: "Test", BirthDate: time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC),
			Language: "nl", LeefloonDecisionDate: now}
		if _, err := st.CreateParticipant(ctx, p); err != nil {
			b.Fatal(err)
		}
		state := workflows.State{ParticipantID: id, CentreID: at, CounsellorID: counsellor, Phase: workflows.PhaseArticle60, PhaseSince: contract.Start, Contract: contract, Version: 1,
			Deadlines: []workflows.Deadline{{ID: "contract", Kind: workflows.KindContractEnd, Due: contract.End, Actor: domain.ActorCoordinator}}}
		if at != centre {
			state.CounsellorID = ""
		}
		if err := st.RecordEvent(ctx, domain.TimelineEvent{EventKey: id + "/1", ParticipantID: id, CentreID: at, OccurredAt: contract.Start, Kind: "phase_changed",
			Data:     map[string]any{"host_id": host},
			Snapshot: domain.TrajectorySnapshot{WorkflowID: "trajectory:" + id, Phase: string(workflows.PhaseArticle60), PhaseSince: contract.Start, CounsellorID: state.CounsellorID, Version: 1, State: state}}); err != nil {
			b.Fatal(err)
		}
		if i == 0 {
			worker = id
		}
	}
	for v := int64(2); v <= 300; v++ {
		kind, data := "absence_recorded", map[string]any(nil)
		if v <= 3 { // the host's two problems, each with its timeline event
			signal := newID()
			if _, err := db.Exec(ctx, `INSERT INTO host_signals (id, participant_id, host_id, category, text, created_by) VALUES ($1, $2, $3, 'attendance', 'Te laat', $4)`,
				signal, worker, host, counsellor); err != nil {
				b.Fatal(err)
			}
			kind, data = "problem_signalled", map[string]any{"signal_id": signal, "host_id": host}
		}
		if err := st.RecordTimelineEvent(ctx, domain.TimelineEvent{EventKey: fmt.Sprintf("%s/extra/%d", worker, v), ParticipantID: worker, CentreID: centre,
			OccurredAt: now, Kind: kind, Data: data, Snapshot: domain.TrajectorySnapshot{Version: v}}); err != nil {
			b.Fatal(err)
		}
	}
	return worker
}

// BenchmarkStatisticsPage measures the server time of the statistics page
// (its first tab: the monthly table and its chart) for 24 months of a
// centre with 50,000 participants (testenv's statistics seed: 2.3 million
// timeline events), through the whole handler, and then times each
// report of the other tabs once. Run:
//
//	go test ./web -run '^$' -bench StatisticsPage -benchtime 10x
//
// The target is p99 <= 1 s on the 2-core machine.
func BenchmarkStatisticsPage(b *testing.B) {
	db := testenv.Database(b)
	testenv.SeedStatistics(b, db)
	st := store.New(db)
	coordinator, err := st.CreateUser(context.Background(), store.User{CentreID: "molenbeek", Email: "coordinator@molenbeek.example",
		DisplayName: "Coordinator", Role: domain.RoleCoordinator, Language: "nl", Active: true})
	if err != nil {
		b.Fatal(err)
	}
	h, err := web.New(web.Options{Logger: testenv.Discard(), DB: db, DevSignIn: true, InsecureCookies: true})
	if err != nil {
		b.Fatal(err)
	}
	br := newBrowserSignedIn(b, h, coordinator)
	var took []time.Duration
	for b.Loop() {
		start := time.Now()
		status, page, _ := br.do("GET", "/stats?from=2024-12&to=2026-11", nil)
		took = append(took, time.Since(start))
		if status != http.StatusOK {
			b.Fatalf("%d\n%s", status, page)
		}
	}
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)/2].Milliseconds()), "p50-ms")
	b.ReportMetric(float64(took[len(took)*99/100].Milliseconds()), "p99-ms")

	// Where the time goes: each report of the page once.
	ctx := context.Background()
	loc, _ := time.LoadLocation("Europe/Brussels")
	reports := stats.Reports{DB: db}
	first, last := time.Date(2024, 12, 1, 0, 0, 0, 0, loc), time.Date(2026, 11, 1, 0, 0, 0, 0, loc)
	now := time.Now()
	for _, r := range []struct {
		name string
		run  func() error
	}{
		{"trajectories", func() error {
			_, err := reports.Trajectories(ctx, "molenbeek", stats.MonthEnds(first, last, loc), now)
			return err
		}},
		{"outcomes", func() error { _, err := reports.Outcomes(ctx, "molenbeek", first, last.AddDate(0, 1, 0)); return err }},
		{"placements", func() error { _, err := reports.Placements(ctx, "molenbeek", now, 2000); return err }},
		{"workload", func() error { _, err := reports.Workloads(ctx, "molenbeek", now, now.AddDate(0, 0, 7)); return err }},
		{"bcsd", func() error {
			_, err := reports.SanctionsBetween(ctx, "molenbeek", first, last.AddDate(0, 1, 0))
			return err
		}},
	} {
		start := time.Now()
		if err := r.run(); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(time.Since(start).Milliseconds()), r.name+"-ms")
	}
}

// seedWholeDossier makes a dossier as years of work leave it: a needs
// analysis of every domain, a GPMI signed with three agreements, 30
// evaluations with their reports, 200 notes (each a timeline event) and
// 100 more events.
func seedWholeDossier(b *testing.B, st *store.Store, centre, counsellor string) string {
	ctx := context.Background()
	now := time.Now()
	id := seedDeadlines(b, st, centre, counsellor, "Whole",
		workflows.Deadline{ID: "gpmi.eval", Kind: workflows.KindGPMIEvaluation, Due: now.AddDate(0, 1, 0), Actor: domain.ActorCounsellor})
	text := strings.Repeat("Een zin van een verslag zoals een trajectbegeleider het schrijft. ", 8)
	var findings []store.DomainFinding
	for _, d := range store.LifeDomains {
		findings = append(findings, store.DomainFinding{Domain: d, Situation: text, Barriers: text, Goal: text})
	}
	if err := st.AddNeedsAnalysis(ctx, uuid.NewString(), id, centre, counsellor, now.AddDate(-10, 0, 0), findings); err != nil {
		b.Fatal(err)
	}
	var agreements []store.NewGPMIAgreement
	var ids []string
	for i := range 3 {
		ids = append(ids, uuid.NewString())
		agreements = append(agreements, store.NewGPMIAgreement{ID: ids[i], Domain: store.LifeDomains[i], PersonDoes: text, CentreDoes: text})
	}
	if err := st.AddAgreements(ctx, id, centre, agreements); err != nil {
		b.Fatal(err)
	}
	signed := now.AddDate(-10, 0, 0)
	state := workflows.State{ParticipantID: id, CentreID: centre, CounsellorID: counsellor, Phase: workflows.PhaseWork, PhaseSince: signed, Version: 2,
		GPMI: workflows.GPMIState{SignedOn: &signed, AgreementIDs: ids, Acknowledged: true}}
	for i := range 30 {
		report := uuid.NewString()
		if err := st.AddEvaluationReport(ctx, report, id, centre, counsellor, text, map[string]string{ids[0]: "reached", ids[1]: "in_progress", ids[2]: "not_reached"}); err != nil {
			b.Fatal(err)
		}
		state.GPMI.Evaluations = append(state.GPMI.Evaluations, workflows.Evaluation{HeldOn: signed.AddDate(0, 4*i, 0), FaceToFace: i%2 == 0, ReportID: report})
	}
	if err := st.RecordEvent(ctx, domain.TimelineEvent{EventKey: id + "/2", ParticipantID: id, CentreID: centre, OccurredAt: now, Kind: "gpmi_evaluated",
		Snapshot: domain.TrajectorySnapshot{WorkflowID: "trajectory:" + id, Phase: "work", PhaseSince: signed, CounsellorID: counsellor, Version: 2, State: state}}); err != nil {
		b.Fatal(err)
	}
	for i := range 200 {
		if _, err := st.InsertNote(ctx, store.NewNote{ID: uuid.NewString(), ParticipantID: id, CentreID: centre, Kind: store.NoteKinds[i%len(store.NoteKinds)],
			HappenedOn: now.AddDate(0, 0, -i), Text: text, AuthorID: counsellor}); err != nil {
			b.Fatal(err)
		}
	}
	for v := int64(3); v <= 100; v++ {
		if err := st.RecordTimelineEvent(ctx, domain.TimelineEvent{EventKey: fmt.Sprintf("%s/extra/%d", id, v), ParticipantID: id, CentreID: centre,
			OccurredAt: now, Kind: "task_due", Snapshot: domain.TrajectorySnapshot{Version: v}}); err != nil {
			b.Fatal(err)
		}
	}
	return id
}
