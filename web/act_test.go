package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	sdkclient "go.temporal.io/sdk/client"
	sdkworker "go.temporal.io/sdk/worker"

	"github.com/traject-ocmw/traject/store"
	"github.com/traject-ocmw/traject/testenv"
	"github.com/traject-ocmw/traject/web"
	"github.com/traject-ocmw/traject/worker"
	"github.com/traject-ocmw/traject/workflows"
)

// actingEnv is the pages with a real worker behind them.
type actingEnv struct {
	t     *testing.T
	db    *store.Store
	fx    testenv.Fixture
	c     sdkclient.Client
	queue string
	h     http.Handler
}

func newActingEnv(t *testing.T) *actingEnv {
	db := testenv.Database(t)
	fx := testenv.Seed(t, db)
	c := testenv.Client(t)
	queue := "web-" + t.Name()
	w := sdkworker.New(c, queue, sdkworker.Options{})
	worker.Register(w, worker.Dependencies{DB: db})
	if err := w.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.Stop)
	h, err := web.New(web.Options{Logger: testenv.Logger(t), DB: db, DevSignIn: true, InsecureCookies: true, Temporal: c, TaskQueue: queue})
	if err != nil {
		t.Fatal(err)
	}
	return &actingEnv{t: t, db: store.New(db), fx: fx, c: c, queue: queue, h: h}
}

// start registers a participant whose leefloon was decided on decided and
// starts their trajectory, as the API does.
func (e *actingEnv) start(given string, decided time.Time) string {
	e.t.Helper()
	ctx := context.Background()
	id := newID()
	if _, err := e.db.CreateParticipant(ctx, store.NewParticipant{ID: id, CentreID: e.fx.CentreID, GivenName: given, FamilyName: "Test",
		BirthDate: time.Date(1980, 3, 1, 0, 0, 0, 0, time.UTC), Language: "nl", LeefloonDecisionDate: decided}); err != nil {
		e.t.Fatal(err)
	}
	in := workflows.TrajectoryInput{ParticipantID: id, CentreID: e.fx.CentreID, CounsellorID: e.fx.CounsellorID, LeefloonDecisionDate: decided, Logic: workflows.CurrentLogic}
	if _, err := e.c.ExecuteWorkflow(ctx, sdkclient.StartWorkflowOptions{ID: workflows.WorkflowID(id), TaskQueue: e.queue, TypedSearchAttributes: workflows.StartSearchAttributes(in)},
		workflows.TrajectoryWorkflowName, in); err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() { _ = e.c.TerminateWorkflow(context.Background(), workflows.WorkflowID(id), "", "test over") })
	testenv.Eventually(e.t, "the trajectory to write its read model", func() bool {
		d, err := e.db.Dossier(ctx, id)
		return err == nil && string(d.Trajectory) != "null"
	})
	return id
}

// formKey finds a write's form (the forms partial, on any page) by its
// operation: its key and the version it was drawn at.
var formKey = regexp.MustCompile(`<details id="form-(\w+)"[^>]*>\s*<summary>[^<]*</summary>\s*<form method="post" action="[^"]+" novalidate>\s*<input type="hidden" name="key" value="([0-9a-f]+)">\s*<input type="hidden" name="expected_version" value="(\d+)">`)

// form finds a form's key and version on a dossier page.
func form(t *testing.T, page, operation string) url.Values {
	t.Helper()
	for _, m := range formKey.FindAllStringSubmatch(page, -1) {
		if m[1] == operation {
			return url.Values{"key": {m[2]}, "expected_version": {m[3]}}
		}
	}
	t.Fatalf("no form %s on the page", operation)
	return nil
}

// A counsellor sees an overdue GPMI signature on My work, records it on
// the dossier with its form (after a try with a missing date, whose error
// stands next to the field), and it leaves the list. A coordinator moves a
// dossier to Article 60 with a contract and sees its end and the rule.
func TestActingOnADossier(t *testing.T) {
	e := newActingEnv(t)
	id := e.start("Fatima", time.Now().AddDate(0, -4, 0))
	e.waitFor(id, "deadline_overdue") // the signature's deadline passed
	// The alert to the coordinators is queued by its own activity, which
	// may finish after the timeline's event: the mail shows it once it is.
	e.waitForMail(id, "gpmi_sign_overdue")
	an := newBrowserSignedIn(t, e.h, e.fx.CounsellorID)
	if _, page, _ := an.do("GET", "/", nil); !strings.Contains(page, "Fatima Test") || !strings.Contains(page, "GPMI sluiten") {
		t.Fatalf("My work lacks the overdue signature:\n%s", page)
	}
	_, page, _ := an.do("GET", "/dossiers/"+id, nil)
	values := form(t, page, "signGPMI")

	values.Set("signed_on", "")
	status, page, _ := an.do("POST", "/dossiers/"+id+"/act/signGPMI", values)
	if status != http.StatusUnprocessableEntity || !strings.Contains(page, `id="signGPMI-signed_on-error"`) || !strings.Contains(page, `aria-invalid="true"`) ||
		!strings.Contains(page, `class="error-summary"`) {
		t.Fatalf("a missing date: %d\n%s", status, page)
	}
	values = form(t, page, "signGPMI") // the same key: it is the same write, sent again
	values.Set("signed_on", time.Now().Format(time.DateOnly))
	withAgreement(values)
	// The centre signs a GPMI after the needs analysis: written first,
	// on the same page.
	status, page, _ = an.do("POST", "/dossiers/"+id+"/act/signGPMI", values)
	if status != http.StatusUnprocessableEntity || !strings.Contains(page, "schrijf die eerst") {
		t.Fatalf("a signature before the needs analysis: %d\n%s", status, page)
	}
	analysis := form(t, page, "recordNeedsAnalysis")
	analysis.Set("done_on", time.Now().Format(time.DateOnly))
	analysis.Set("language.situation", "Spreekt weinig Nederlands.")
	analysis.Set("language.goal", "Een opleiding in de zorg volgen.")
	if status, _, _ := an.do("POST", "/dossiers/"+id+"/needs-analysis", analysis); status != http.StatusSeeOther {
		t.Fatalf("the needs analysis: %d", status)
	}
	status, _, header := an.do("POST", "/dossiers/"+id+"/act/signGPMI", values)
	if status != http.StatusSeeOther || header.Get("Location") != "/dossiers/"+id {
		t.Fatalf("signing: %d to %q", status, header.Get("Location"))
	}
	if _, page, _ = an.do("GET", "/dossiers/"+id, nil); !strings.Contains(page, "Opgeslagen: GPMI ondertekend.") || !strings.Contains(page, "Ondertekend op") ||
		!strings.Contains(page, "Volgt de cursus Nederlands.") || !strings.Contains(page, "Spreekt weinig Nederlands.") {
		t.Errorf("the dossier does not show the signature:\n%s", page)
	}
	// The alert that went to the coordinators when the deadline passed is
	// in the dossier's mail (queued: this worker has no relay).
	if !strings.Contains(page, "<td>GPMI sluiten: termijn verstreken</td>") || !strings.Contains(page, "nog niet verstuurd") {
		t.Errorf("the dossier's mail lacks the overdue alert")
	}
	// Sent once more with the same key (a second click): the same update,
	// nothing new in the timeline.
	an.do("POST", "/dossiers/"+id+"/act/signGPMI", values)
	if events, _ := e.db.Timeline(context.Background(), id, 0, 100); countKind(events, "gpmi_signed") != 1 {
		t.Errorf("%d signatures in the timeline, want 1", countKind(events, "gpmi_signed"))
	}
	if _, page, _ = an.do("GET", "/", nil); strings.Contains(page, "GPMI sluiten") {
		t.Errorf("the signature is still due on My work:\n%s", page)
	}
	// An evaluation with its report and how far the agreement came.
	_, page, _ = an.do("GET", "/dossiers/"+id, nil)
	evaluation := form(t, page, "recordEvaluation")
	progress := regexp.MustCompile(`name="(progress\.[0-9a-f-]{36})"`).FindStringSubmatch(page)
	if progress == nil || !strings.Contains(page, "Afspraak 1 (Taal): Volgt de cursus Nederlands.") {
		t.Fatalf("the evaluation form lacks the agreement:\n%s", page)
	}
	evaluation.Set("held_on", time.Now().Format(time.DateOnly))
	evaluation.Set("report", "Volgt de cursus, twee lessen gemist.")
	evaluation.Set(progress[1], "in_progress")
	if status, _, _ := an.do("POST", "/dossiers/"+id+"/act/recordEvaluation", evaluation); status != http.StatusSeeOther {
		t.Fatalf("the evaluation: %d", status)
	}
	if _, page, _ = an.do("GET", "/dossiers/"+id, nil); !strings.Contains(page, "Volgt de cursus, twee lessen gemist.") || !strings.Contains(page, "Afspraak 1: loopt") {
		t.Errorf("the dossier does not show the evaluation's report:\n%s", page)
	}
	// An amendment the person asked for ends the agreement and adds one.
	amendment := form(t, page, "amendGPMI")
	amendment.Set("amended_on", time.Now().Format(time.DateOnly))
	amendment.Set("requested_by", "person")
	amendment.Set("text", "Vond werk als poetshulp; de cursus stopt.")
	amendment.Set("end_agreements", strings.TrimPrefix(progress[1], "progress."))
	amendment.Set("agreements.0.domain", "work")
	amendment.Set("agreements.0.person_does", "Werkt halftijds als poetshulp.")
	amendment.Set("agreements.0.centre_does", "Volgt het werk op.")
	if status, page, _ := an.do("POST", "/dossiers/"+id+"/act/amendGPMI", amendment); status != http.StatusSeeOther {
		t.Fatalf("the amendment: %d\n%s", status, page)
	}
	if _, page, _ = an.do("GET", "/dossiers/"+id, nil); !strings.Contains(page, "gevraagd door de persoon") || !strings.Contains(page, "Werkt halftijds als poetshulp.") ||
		!strings.Contains(page, "Gestopt:") {
		t.Errorf("the dossier does not show the amendment:\n%s", page)
	}

	// The coordinator: to work, then to Article 60 with a contract.
	host, err := e.db.CreateHost(context.Background(), e.fx.CentreID, store.HostInput{Name: "Resto", Language: "nl", Positions: []store.HostPosition{{Function: "kitchen_help", Positions: 2}}})
	if err != nil {
		t.Fatal(err)
	}
	chris := newBrowserSignedIn(t, e.h, e.fx.CoordinatorID)
	_, page, _ = chris.do("GET", "/dossiers/"+id, nil)
	values = form(t, page, "postTransition")
	values.Set("to", "work")
	if status, _, _ := chris.do("POST", "/dossiers/"+id+"/act/postTransition", values); status != http.StatusSeeOther {
		t.Fatalf("to work: %d", status)
	}
	_, page, _ = chris.do("GET", "/dossiers/"+id, nil)
	values = form(t, page, "postTransition")
	values.Set("to", "article60")
	values.Set("contract.host_id", host)
	values.Set("contract.function", "kitchen_help")
	values.Set("contract.regime", "full_time")
	values.Set("contract.start", time.Now().Format(time.DateOnly))
	if status, page, _ := chris.do("POST", "/dossiers/"+id+"/act/postTransition", values); status != http.StatusSeeOther {
		t.Fatalf("to Article 60: %d\n%s", status, page)
	}
	_, page, _ = chris.do("GET", "/dossiers/"+id, nil)
	for _, want := range []string{"artikel 60§7", "keukenhulp (voltijds)", "vereiste arbeidsdagen", "einde artikel 60-contract"} {
		if !strings.Contains(page, want) {
			t.Errorf("after the move to Article 60 the dossier lacks %q", want)
		}
	}
	// A stale form (the version moved on) is a conflict shown on the page.
	stale := values
	stale.Set("to", "work")
	stale.Set("key", "another-write")
	if status, page, _ := chris.do("POST", "/dossiers/"+id+"/act/postTransition", stale); status != http.StatusConflict || !strings.Contains(page, "Iemand anders heeft het dossier intussen gewijzigd") {
		t.Errorf("a stale form: %d", status)
	}
}

// waitFor waits until the dossier's timeline has an event of kind, and
// with it the read model of that version (written together).
func (e *actingEnv) waitFor(id, kind string) {
	e.t.Helper()
	testenv.Eventually(e.t, "a "+kind+" event in the timeline", func() bool {
		events, err := e.db.Timeline(context.Background(), id, 0, 200)
		return err == nil && countKind(events, kind) > 0
	})
}

// waitForMail waits until the dossier's mail has a message of kind.
func (e *actingEnv) waitForMail(id, kind string) {
	e.t.Helper()
	testenv.Eventually(e.t, "a "+kind+" message in the dossier's mail", func() bool {
		mail, _ := e.db.ParticipantNotifications(context.Background(), id, 0, 100)
		for _, m := range mail {
			if m.Kind == kind {
				return true
			}
		}
		return false
	})
}

func countKind(events []store.TimelineEntry, kind string) int {
	n := 0
	for _, e := range events {
		if e.Kind == kind {
			n++
		}
	}
	return n
}

var caseloadKey = regexp.MustCompile(`action="/caseload/reassign">\s*<input type="hidden" name="key" value="([0-9a-f]+)">`)

// A coordinator ticks three of An's dossiers on the caseload and gives
// them to Bram (absence cover): Bram's caseload and My work show them, and
// the team page counts them under Bram, each count a link to its list.
func TestReassignASelection(t *testing.T) {
	e := newActingEnv(t)
	var ids []string
	for _, name := range []string{"Een", "Twee", "Drie", "Vier"} {
		ids = append(ids, e.start(name, time.Now().AddDate(0, -4, 0)))
	}
	chris := newBrowserSignedIn(t, e.h, e.fx.CoordinatorID)
	_, page, _ := chris.do("GET", "/caseload?counsellor="+e.fx.CounsellorID, nil)
	m := caseloadKey.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no reassignment form:\n%s", page)
	}
	form := url.Values{"key": {m[1]}, "counsellor_id": {e.fx.Counsellor2ID}, "participant": ids[:3], "filters": {"counsellor=" + e.fx.CounsellorID}}
	status, _, header := chris.do("POST", "/caseload/reassign", form)
	if status != http.StatusSeeOther || !strings.HasPrefix(header.Get("Location"), "/caseload?counsellor=") {
		t.Fatalf("reassign: %d to %q", status, header.Get("Location"))
	}
	if _, page, _ = chris.do("GET", header.Get("Location"), nil); !strings.Contains(page, "3 dossiers overgedragen, 0 niet.") {
		t.Errorf("no notice of the move:\n%s", page)
	}
	bram := newBrowserSignedIn(t, e.h, e.fx.Counsellor2ID)
	_, page, _ = bram.do("GET", "/caseload", nil)
	for _, name := range []string{"Test, Een", "Test, Twee", "Test, Drie"} {
		if !strings.Contains(page, name) {
			t.Errorf("Bram's caseload lacks %s", name)
		}
	}
	if strings.Contains(page, "Test, Vier") {
		t.Error("Bram got a dossier that was not ticked")
	}
	if _, page, _ = bram.do("GET", "/", nil); !strings.Contains(page, "Twee Test") {
		t.Errorf("Bram's My work lacks the moved dossiers:\n%s", page)
	}
	// Sent again (a second click): nothing moves twice.
	chris.do("POST", "/caseload/reassign", form)
	for _, id := range ids[:3] {
		events, _ := e.db.Timeline(context.Background(), id, 0, 100)
		if n := countKind(events, "counsellor_reassigned"); n != 1 {
			t.Errorf("%s reassigned %d times", id, n)
		}
	}
	_, page, _ = chris.do("GET", "/team", nil)
	if !strings.Contains(page, `href="/caseload?counsellor=`+e.fx.Counsellor2ID+`" aria-label="3 dossiers van Bram">3</a>`) {
		t.Errorf("the team page does not count 3 dossiers for Bram with a link to them:\n%s", page)
	}
}

// withAgreement fills the signature form's first agreement and its
// acknowledgement.
func withAgreement(values url.Values) url.Values {
	values.Set("agreements.0.domain", "language")
	values.Set("agreements.0.person_does", "Volgt de cursus Nederlands.")
	values.Set("agreements.0.centre_does", "Schrijft in en betaalt de cursus.")
	values.Set("acknowledged", "true")
	return values
}

// seedAnalysis gives a dossier a needs analysis, which a signature needs.
func seedAnalysis(t testing.TB, st *store.Store, centre, author, id string) {
	t.Helper()
	if err := st.AddNeedsAnalysis(context.Background(), newID(), id, centre, author, time.Now().AddDate(0, 0, -1),
		[]store.DomainFinding{{Domain: "work", Situation: "Werkloos.", Goal: "Werk in de logistiek."}}); err != nil {
		t.Fatal(err)
	}
}
