package web_test

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/google/uuid"

	"github.com/traject-ocmw/traject/domain"
	"github.com/traject-ocmw/traject/letters"
	"github.com/traject-ocmw/traject/policy"
	"github.com/traject-ocmw/traject/store"
	"github.com/traject-ocmw/traject/testenv"
	"github.com/traject-ocmw/traject/web"
	"github.com/traject-ocmw/traject/workflows"
)

var updateScreenshots = flag.Bool("update-screenshots", false, "write the pages' screenshots to docs/screenshots")

// axeVersion is the npm axe-core the accessibility checks run.
const axeVersion = "4.14.1"

// axeSource returns axe-core's script, fetched once from the npm registry
// into the user's cache (npm pack; the registry is reachable wherever the
// tests run).
func axeSource(t *testing.T) string {
	t.Helper()
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = os.TempDir()
	}
	dir := filepath.Join(cache, "traject", "axe-core-"+axeVersion)
	file := filepath.Join(dir, "package", "axe.min.js")
	if _, err := os.Stat(file); err != nil {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command("npm", "pack", "--silent", "axe-core@"+axeVersion)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("npm pack axe-core: %v\n%s", err, out)
		}
		if out, err := exec.Command("tar", "xzf", filepath.Join(dir, "axe-core-"+axeVersion+".tgz"), "-C", dir).CombinedOutput(); err != nil {
			t.Fatalf("unpack axe-core: %v\n%s", err, out)
		}
	}
	raw, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	return string(raw)
}

// chromium finds Debian's Chromium. Without it the browser tests cannot
// run: CI installs it and fails without it; a machine without it skips
// them and says so.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser"} {
		if path, err := exec.LookPath(name); err == nil {
			return path
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("Chromium is not installed (apt-get install chromium); .ci/run installs it")
	}
	t.Skip("Chromium is not installed (apt-get install chromium): the browser tests do not run here; CI runs them")
	return ""
}

func newChrome(t *testing.T) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium(t)), chromedp.NoSandbox, chromedp.WindowSize(1280, 900),
		// a Belgian browser: date fields read dd-mm-jjjj, as the centre's staff see them
		chromedp.Flag("lang", "nl-BE"), chromedp.Env("LANGUAGE=nl_BE", "LANG=nl_BE.UTF-8"))
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	// The browser lives as long as the test may: until the test binary's
	// deadline (go test -timeout), less a minute for the step that hung to
	// say so. A budget for the whole test (it was 3 minutes) failed
	// TestPagesAreAccessible on a busy machine, where its hundred pages
	// take longer though nothing hangs.
	deadline, ok := t.Deadline()
	if !ok {
		deadline = time.Now().Add(time.Hour)
	}
	ctx, cancelDeadline := context.WithDeadline(ctx, deadline.Add(-time.Minute))
	t.Cleanup(func() { cancelDeadline(); cancel(); cancelAlloc() })
	return ctx
}

// axeViolation is what axe reports of one rule broken.
type axeViolation struct {
	ID    string `json:"id"`
	Help  string `json:"help"`
	Nodes []struct {
		Target []any `json:"target"`
	} `json:"nodes"`
}

// checkAxe runs axe-core's WCAG 2.1 A and AA rules on the page as it is.
func checkAxe(t *testing.T, ctx context.Context, axe, what string) {
	t.Helper()
	script := axe + `;
		axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})
		   .then(r => JSON.stringify(r.violations))`
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[string](script, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("%s: axe: %v", what, err)
	}
	var violations []axeViolation
	if err := json.Unmarshal([]byte(raw), &violations); err != nil {
		t.Fatalf("%s: axe answered %s", what, raw)
	}
	for _, v := range violations {
		var targets []string
		for _, n := range v.Nodes {
			targets = append(targets, fmt.Sprint(n.Target...))
		}
		t.Errorf("%s: %s (%s) at %s", what, v.ID, v.Help, strings.Join(targets, ", "))
	}
}

// Every page, for each role that sees it, in both languages, with seeded
// data: no violation of the WCAG 2.1 A and AA rules axe-core checks. The
// counsellor signs in the way a person does, by clicking.
func TestPagesAreAccessible(t *testing.T) {
	ctx := newChrome(t)
	axe := axeSource(t)
	db := testenv.Database(t)
	fx := testenv.Seed(t, db)
	st := store.New(db)
	now := time.Now()
	id := seedDeadlines(t, st, fx.CentreID, fx.CounsellorID, "Fatou",
		workflows.Deadline{ID: "gpmi.sign", Kind: workflows.KindGPMISign, Due: now.Add(-24 * time.Hour), Actor: domain.ActorCounsellor,
			Reminders: []workflows.Reminder{{At: now.Add(-30 * 24 * time.Hour), To: []domain.Actor{domain.ActorCounsellor}, Sent: true}}},
		workflows.Deadline{ID: "gpmi.eval", Kind: workflows.KindGPMIEvaluation, Due: now.Add(2 * 24 * time.Hour), Actor: domain.ActorParticipant})
	youssef := seedDeadlines(t, st, fx.CentreID, fx.CounsellorID, "Youssef",
		workflows.Deadline{ID: "x", Kind: workflows.KindCheckIn, Due: now.Add(time.Hour), Actor: domain.ActorCounsellor})
	seedProcedures(t, st, fx, id, youssef)
	seedAnalysis(t, st, fx.CentreID, fx.CounsellorID, id)
	// A note of the counsellor's and its later correction, on the dossier.
	var first string
	for i, n := range []store.NewNote{
		{ID: uuid.NewString(), Kind: "home_visit", Text: "Huisbezoek: de kinderen gaan naar school, de huur is betaald.\nVolgende stap: inschrijving bij de taalcursus."},
		{ID: uuid.NewString(), Kind: "home_visit", Text: "Het bezoek was op dinsdag, niet maandag."},
	} {
		n.ParticipantID, n.CentreID, n.AuthorID, n.HappenedOn = id, fx.CentreID, fx.CounsellorID, now.AddDate(0, 0, -2)
		if i == 1 {
			n.Corrects = first
		}
		if _, err := st.InsertNote(context.Background(), n); err != nil {
			t.Fatal(err)
		}
		first = n.ID
	}
	adminID := seedAdmin(t, st, fx.CentreID)
	// Two versions of the policy, so that its page shows legal defaults
	// beside the changed fields and a list of versions; fields no other
	// page reads.
	pol := policy.Default()
	pol.GPMI.SignReminders = []policy.Period{policy.Days(30), policy.Days(14), policy.Days(7)}
	pol.Notifications.DigestAt = "08:00"
	if _, err := st.SavePolicy(context.Background(), fx.CentreID, pol, adminID); err != nil {
		t.Fatal(err)
	}
	pol.Retention.ClosedDossiers = policy.Months(7 * 12)
	if _, err := st.SavePolicy(context.Background(), fx.CentreID, pol, fx.CoordinatorID); err != nil {
		t.Fatal(err)
	}
	if _, _, err := st.CreateToken(context.Background(), fx.CoordinatorID, "reporting"); err != nil {
		t.Fatal(err)
	}
	hostUser, worker := seedHostWorker(t, st, fx)
	lastMonth := time.Date(now.Year(), now.Month()-1, 1, 0, 0, 0, 0, time.UTC).Format("2006-01")
	chef, err := st.ActiveUser(context.Background(), hostUser)
	if err != nil {
		t.Fatal(err)
	}
	hostAdmin, err := st.CreateUser(context.Background(), store.User{HostID: chef.HostID, Email: "baas@resto.example", DisplayName: "Baas", Role: domain.RoleHostAdmin, Language: "nl"})
	if err != nil {
		t.Fatal(err)
	}
	letter := seedLetter(t, st, fx, id)
	files := testenv.SeedFileChecks(t, db, fx)
	claimFiles := testenv.SeedClaims(t, db, fx)
	h, err := web.New(web.Options{Logger: testenv.Discard(), DB: db, DevSignIn: true, InsecureCookies: true})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()

	for _, who := range []struct{ name, id string }{{"counsellor", fx.CounsellorID}, {"coordinator", fx.CoordinatorID}, {"bcsd", fx.BCSDID}, {"admin", adminID}, {"host", hostUser}, {"hostadmin", hostAdmin}} {
		for _, lang := range []string{"nl", "fr"} {
			label := who.name + "/" + lang
			// Sign in by clicking the user's button on the sign-in page.
			if err := chromedp.Do(ctx,
				chromedp.Navigate(srv.URL+"/signin"),
				chromedp.Click(chromedp.CSS(`form[action="/signin/dev"] input[value="`+who.id+`"] + button`)),
				chromedp.WaitVisible(chromedp.CSS(`.who`)),
			); err != nil {
				t.Fatalf("%s: sign in: %v", label, err)
			}
			checkLanguage(t, ctx, srv.URL, lang)
			if strings.HasPrefix(who.name, "host") {
				// the host's home is its My work: last month to enter
				if err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS(`main a[href^="/host/attendance?centre="]`))); err != nil {
					t.Fatalf("host: %v", err)
				}
			}
			type pg struct{ name, path string }
			pages := []pg{{"work", "/"}, {"caseload", "/caseload"}, {"dossier", "/dossiers/" + id}, {"procedure", "/dossiers/" + id + "/procedures/1"},
				{"procedure-decided", "/dossiers/" + youssef + "/procedures/1"}, {"hosts", "/hosts"}, {"notfound", "/no-such-page"}}
			if who.name != "counsellor" {
				pages = append(pages, pg{"agenda", "/bcsd"})
			}
			pages = append(pages, pg{"letter", "/dossiers/" + id + "/letters/" + letter})
			if who.name == "counsellor" || who.name == "coordinator" {
				pages = append(pages, pg{"newdossier", "/dossiers/new"})
			}
			if who.name == "counsellor" {
				pages = append(pages, pg{"attendance", "/attendance?month=" + lastMonth})
			}
			if who.name == "coordinator" {
				pages = append(pages, pg{"filechecks", "/file-checks"}, pg{"dossier-filecheck", "/dossiers/" + files.TwoEvaluations + "#file-check"}, pg{"team", "/team"}, pg{"stats", "/stats"}, pg{"stats-outcomes", "/stats?table=outcomes"}, pg{"stats-placements", "/stats?table=placements"},
					pg{"stats-workload", "/stats?table=workload"}, pg{"stats-bcsd", "/stats?table=bcsd"}, pg{"stats-bad-range", "/stats?from=2026-13"}, pg{"policy", "/policy"}, pg{"attendance", "/attendance"},
					pg{"claims", "/claims?month=2026-02"}, pg{"dossier-extension", "/dossiers/" + claimFiles.NotInForce + "#extensions"},
					pg{"inspection-pack", "/dossiers/" + files.TwoEvaluations + "/inspection-pack"})
			}
			if who.name == "host" {
				pages = []pg{{"hostwork", "/"}, {"hostworkers", "/host"}, {"hostworker", "/host/workers/" + worker}, {"grid", "/host/attendance"},
					{"grid-last-month", "/host/attendance?centre=" + fx.CentreID + "&month=" + lastMonth}, {"sheet", "/host/sheet"}, {"hostreport", "/host/report"}, {"notfound", "/no-such-page"}}
			}
			if who.name == "hostadmin" {
				pages = []pg{{"hostusers", "/host/users"}}
			}
			if who.name == "admin" {
				pages = []pg{{"work", "/"}, {"users", "/admin/users"}, {"stats", "/stats"}, {"policy", "/policy"}, {"outbox", "/admin/outbox"}, {"audit", "/admin/audit"}, {"lettersettings", "/admin/letters"}, {"claims", "/claims?month=2025-12"}}
			}
			for _, page := range pages {
				if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+page.path), chromedp.WaitVisible(chromedp.CSS("h1"))); err != nil {
					t.Fatalf("%s %s: %v", label, page.name, err)
				}
				if got := htmlLang(t, ctx); got != lang {
					t.Errorf("%s %s: html lang %q", label, page.name, got)
				}
				if page.name == "dossier" || page.name == "dossier-extension" || page.name == "hostworker" || page.name == "users" || page.name == "hostusers" || page.name == "policy" || page.name == "hosts" || strings.HasPrefix(page.name, "procedure") {
					// the forms, folded away until asked for, are checked open
					if _, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('details').forEach(d => d.open = true); 0`)); err != nil {
						t.Fatal(err)
					}
				}
				checkAxe(t, ctx, axe, label+" "+page.name)
				if *updateScreenshots && ((who.name == "counsellor" && !strings.HasPrefix(page.name, "procedure")) || page.name == "work" || page.name == "team" || page.name == "caseload" || page.name == "newdossier" || strings.HasPrefix(page.name, "stats") && page.name != "stats-bad-range" && who.name == "coordinator" || (page.name == "hosts" && who.name == "coordinator") ||
					(who.name == "bcsd" && (page.name == "agenda" || page.name == "letter" || strings.HasPrefix(page.name, "procedure"))) || page.name == "lettersettings" || page.name == "users" || page.name == "hostusers" || page.name == "outbox" || who.name == "host" && page.name != "notfound" || page.name == "audit" || (page.name == "policy" && who.name == "admin") || page.name == "filechecks" || page.name == "dossier-filecheck") {
					screenshot(t, ctx, fmt.Sprintf("%s-%s-%s.png", page.name, who.name, lang))
				}
				if *updateScreenshots && page.name == "claims" && who.name == "coordinator" {
					screenshot(t, ctx, fmt.Sprintf("claims-%s.png", lang))
				}
			}
			if who.name == "counsellor" {
				// A form sent with a missing date comes back with the error
				// summary and the message at the field.
				if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/dossiers/"+id),
					chromedp.Click(chromedp.CSS(`#form-signGPMI summary`)),
					chromedp.Click(chromedp.CSS(`#form-signGPMI button[type="submit"]`)),
					chromedp.WaitVisible(chromedp.CSS(`.error-summary`)),
					chromedp.WaitVisible(chromedp.CSS(`#signGPMI-signed_on-error`)),
				); err != nil {
					t.Fatalf("%s: the form with bad data: %v", label, err)
				}
				checkAxe(t, ctx, axe, label+" form errors")
				if *updateScreenshots {
					screenshot(t, ctx, fmt.Sprintf("form-errors-%s.png", lang))
				}
			}
			if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/"), chromedp.Click(chromedp.CSS(`form[action="/signout"] button`)),
				chromedp.WaitVisible(chromedp.CSS(`form[action="/signin/dev"]`))); err != nil {
				t.Fatalf("%s: sign out: %v", label, err)
			}
			checkLanguage(t, ctx, "", lang) // signing out forgot the session's language
			checkAxe(t, ctx, axe, label+" signin")
			if *updateScreenshots && who.name == "counsellor" {
				screenshot(t, ctx, fmt.Sprintf("signin-%s.png", lang))
			}
		}
	}
}

// seedLetter keeps a decision letter in the dossier, as a procedure's page
// would have produced it.
func seedLetter(t *testing.T, st *store.Store, fx testenv.Fixture, participant string) string {
	t.Helper()
	book, err := letters.Default()
	if err != nil {
		t.Fatal(err)
	}
	f := letters.Sample(letters.DecisionNotice, "nl")
	f.Person = letters.Person{Name: "Fatou Test", FamilyName: "Test", Gender: "f", Street: "Gentsesteenweg 12", Postcode: "1080", Municipality: "Molenbeek"}
	f.Centre = letters.Centre{Name: "OCMW Molenbeek", Street: "Vandenpeereboomstraat 14", Postcode: "1080", Municipality: "Molenbeek",
		Phone: "02 412 53 11", Service: "Dienst Socio-Professionele Integratie", Signatory: "M. Peeters", SignatoryTitle: "Secretaris van het BCSD",
		CourtName: "Nederlandstalige arbeidsrechtbank Brussel", CourtAddress: "Poelaertplein 3, 1000 Brussel"}
	f.Reference, f.Reproach = "1042/BCSD-1", "Drie afspraken gemist zonder verwittiging."
	f.Decision.Reasons = "Mevrouw kwam niet opdagen op drie afspraken en gaf geen wettige reden."
	l, err := book.Render(f)
	if err != nil {
		t.Fatal(err)
	}
	pdf, err := letters.PDF(f, l)
	if err != nil {
		t.Fatal(err)
	}
	id := uuid.NewString()
	if err := st.InsertLetter(context.Background(), store.NewLetter{ID: id, ParticipantID: participant, CentreID: fx.CentreID,
		ProcedureID: workflows.SanctionWorkflowID(participant, 1), ProducedBy: fx.BCSDID, Facts: f, Letter: l, PDF: pdf, SHA256: "0"}); err != nil {
		t.Fatal(err)
	}
	return id
}

// seedProcedures gives the first participant a procedure whose hearing is
// planned in ten days, and the second one decided with a one-month
// suspension, as their workflows would write them.
func seedProcedures(t *testing.T, st *store.Store, fx testenv.Fixture, planned, decided string) {
	t.Helper()
	ctx := context.Background()
	now := time.Now().Truncate(time.Second)
	invited, hearing := now.AddDate(0, 0, -1), now.AddDate(0, 0, 10)
	report, err := st.AddNonCooperationReport(ctx, planned, "Drie afspraken gemist zonder verwittiging.", fx.CounsellorID)
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range []struct {
		participant string
		state       workflows.SanctionState
		snap        domain.ProcedureSnapshot
	}{
		{planned, workflows.SanctionState{SanctionInput: workflows.SanctionInput{ReportID: report}, Stage: workflows.StageHearingScheduled, InvitedOn: &invited, HearingOn: &hearing, Version: 2,
			Deadlines: workflows.Deadlines{{ID: "sanction.hearing", Kind: workflows.KindHearing, Due: hearing, Actor: domain.ActorBCSD}}},
			domain.ProcedureSnapshot{Stage: "hearing_scheduled", HearingAt: &hearing, Version: 2}},
		{decided, workflows.SanctionState{Stage: workflows.StageDecided, InvitedOn: &invited, HearingOn: &invited, HearingHeld: new(bool),
			Decision: &workflows.Decision{Kind: workflows.DecisionSuspend, Months: 1, DecidedOn: now, SuspensionFrom: &hearing, SuspensionUntil: &hearing}, Version: 4},
			domain.ProcedureSnapshot{Stage: "decided", NotificationDue: &hearing, Decision: workflows.DecisionSuspend, Version: 4}},
	} {
		pid := workflows.SanctionWorkflowID(c.participant, 1)
		c.state.ProcedureID, c.state.ParticipantID, c.state.CentreID, c.state.ReportedAt = pid, c.participant, fx.CentreID, now.AddDate(0, 0, -3)
		c.snap.ProcedureID, c.snap.State = pid, c.state
		if err := st.RecordTimelineEvent(ctx, domain.TimelineEvent{EventKey: fmt.Sprintf("%s/%d", pid, i), ParticipantID: c.participant, CentreID: fx.CentreID,
			OccurredAt: now, Kind: "hearing_scheduled", Data: map[string]any{"procedure_id": pid}, Procedure: &c.snap}); err != nil {
			t.Fatal(err)
		}
	}
}

// seedHostWorker gives a host of the fixture's centre a user and a worker
// in Article 60 with a training due, as the workflow would write it.
func seedHostWorker(t *testing.T, st *store.Store, fx testenv.Fixture) (user, worker string) {
	t.Helper()
	ctx := context.Background()
	host, err := st.CreateHost(ctx, fx.CentreID, store.HostInput{Name: "Resto Zenne", Language: "nl", Positions: []store.HostPosition{{Function: "kitchen_help", Positions: 2}}})
	if err != nil {
		t.Fatal(err)
	}
	if user, err = st.CreateUser(ctx, store.User{HostID: host, Email: "chef@resto.example", DisplayName: "Chef", Role: domain.RoleHost, Language: "nl"}); err != nil {
		t.Fatal(err)
	}
	worker = seedDeadlines(t, st, fx.CentreID, fx.CounsellorID, "Werner")
	now := time.Now()
	state := workflows.State{ParticipantID: worker, CentreID: fx.CentreID, CounsellorID: fx.CounsellorID, Phase: workflows.PhaseArticle60, PhaseSince: now, Version: 2,
		Contract: &workflows.Contract{HostID: host, Function: "kitchen_help", Regime: "full_time", Start: now.AddDate(0, -8, 0), End: now.AddDate(0, 3, 0), HostParty: true,
			Trainings: []workflows.Training{{Code: "food_safety", Due: now.AddDate(0, 2, 0)}},
			Checks:    []workflows.HostCheck{{N: 1, HeldOn: now.AddDate(0, 0, -5), Attendance: "good", Skills: "partly", HiringChance: "possible", By: user}}},
		Deadlines: workflows.Deadlines{{ID: "a60.host_check.2", Kind: workflows.KindHostCheck, Actor: domain.ActorHost, Due: now.AddDate(0, 2, 14)}}}
	if err := st.RecordEvent(ctx, domain.TimelineEvent{EventKey: worker + "/2", ParticipantID: worker, CentreID: fx.CentreID, OccurredAt: now, Kind: "phase_changed",
		PhaseTo: "article60", Data: map[string]any{"host_id": host, "function": "kitchen_help"},
		Snapshot: domain.TrajectorySnapshot{WorkflowID: "trajectory:" + worker, Phase: "article60", PhaseSince: now, CounsellorID: fx.CounsellorID, Version: 2,
			HostID: host, HostFunction: "kitchen_help", State: state}}); err != nil {
		t.Fatal(err)
	}
	// A problem the host signalled, as the workflow accepts it: the text
	// first, then the event naming it.
	signal, err := st.AddSignal(ctx, worker, "health", "Rugklachten, kan voorlopig niet tillen.", user)
	if err != nil {
		t.Fatal(err)
	}
	state.Version = 3
	state.Contract.Signals = []workflows.Signal{{ID: signal, Category: "health", At: now, By: user}}
	if err := st.RecordEvent(ctx, domain.TimelineEvent{EventKey: worker + "/3", ParticipantID: worker, CentreID: fx.CentreID, OccurredAt: now, Kind: "problem_signalled",
		ActorID: user, Data: map[string]any{"category": "health", "signal_id": signal},
		Snapshot: domain.TrajectorySnapshot{WorkflowID: "trajectory:" + worker, Phase: "article60", PhaseSince: now, CounsellorID: fx.CounsellorID, Version: 3,
			HostID: host, HostFunction: "kitchen_help", State: state}}); err != nil {
		t.Fatal(err)
	}
	return user, worker
}

// checkLanguage switches the session to lang with the header's button when
// it is not in it.
func checkLanguage(t *testing.T, ctx context.Context, _ string, lang string) {
	t.Helper()
	if htmlLang(t, ctx) == lang {
		return
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`form[action="/language"] button`)), chromedp.WaitVisible(chromedp.CSS(`html[lang="`+lang+`"] h1`))); err != nil {
		t.Fatal(err)
	}
}

func htmlLang(t *testing.T, ctx context.Context) string {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS("html"), "lang"))
	if err != nil {
		t.Fatal(err)
	}
	return v.Value
}

func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join("..", "docs", "screenshots")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// tabTo presses Tab until the element selected by sel has the focus.
func tabTo(t *testing.T, ctx context.Context, sel string) {
	t.Helper()
	for range 100 {
		focused, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.activeElement !== null && document.activeElement.matches(`+strconvQuoteJS(sel)+`)`))
		if err != nil {
			t.Fatal(err)
		}
		if focused {
			return
		}
		if err := chromedp.Do(ctx, chromedp.KeyEvent("\t")); err != nil {
			t.Fatal(err)
		}
	}
	t.Fatalf("Tab never reached %s", sel)
}

func strconvQuoteJS(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// The first flow with the keyboard alone: a counsellor signs in, finds the
// overdue GPMI signature on My work, opens the dossier, records the
// signature in its form, and the signature leaves My work. Only Tab,
// Enter and typing.
func TestKeyboardOnly(t *testing.T) {
	ctx := newChrome(t)
	e := newActingEnv(t)
	id := e.start("Fatima", time.Now().AddDate(0, -4, 0))
	e.waitFor(id, "deadline_overdue")
	seedAnalysis(t, e.db, e.fx.CentreID, e.fx.CounsellorID, id)
	srv := httptest.NewServer(e.h)
	defer srv.Close()
	enter := func() {
		if err := chromedp.Do(ctx, chromedp.KeyEvent("\r")); err != nil {
			t.Fatal(err)
		}
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/signin")); err != nil {
		t.Fatal(err)
	}
	tabTo(t, ctx, `form[action="/signin/dev"] input[value="`+e.fx.CounsellorID+`"] + button`)
	enter()
	if err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS(`a[href="/dossiers/`+id+`"]`))); err != nil {
		t.Fatalf("My work does not list the dossier: %v", err)
	}
	// From here htmx swaps the pages in: a mark on this window survives
	// only if no page is loaded whole.
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.notReloaded = true`)); err != nil {
		t.Fatal(err)
	}
	tabTo(t, ctx, `a[href="/dossiers/`+id+`"]`)
	enter()
	if err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS(`#form-signGPMI summary`))); err != nil {
		t.Fatal(err)
	}
	tabTo(t, ctx, `#form-signGPMI summary`)
	enter() // opens the form
	tabTo(t, ctx, `#signGPMI-signed_on`)
	// The date field takes its parts in the browser's order: day, month,
	// year for the test browser's nl-BE.
	if err := chromedp.Do(ctx, chromedp.KeyEvent(time.Now().Format("02012006"))); err != nil {
		t.Fatal(err)
	}
	// The first agreement, typed, and the acknowledgement, ticked with
	// the space bar.
	for _, typed := range []struct{ field, keys string }{
		{"#signGPMI-agreements-0-domain", "T"}, // Taal
		{"#signGPMI-agreements-0-person_does", "Volgt de cursus Nederlands."},
		{"#signGPMI-agreements-0-centre_does", "Betaalt de cursus."},
		{"#signGPMI-acknowledged", " "},
	} {
		tabTo(t, ctx, typed.field)
		if err := chromedp.Do(ctx, chromedp.KeyEvent(typed.keys)); err != nil {
			t.Fatal(err)
		}
	}
	tabTo(t, ctx, `#form-signGPMI button[type="submit"]`)
	enter()
	if err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS(`.flash`))); err != nil {
		t.Fatalf("no notice after signing: %v", err)
	}
	// The swap was announced (the live region repeats the notice) and
	// the address is the dossier's, not the form's.
	announced, err := pollUntil(ctx, (`window.notReloaded === true && location.pathname === "/dossiers/` + id + `" &&
		document.getElementById("announce").textContent !== "" &&
		document.getElementById("announce").textContent === document.querySelector(".flash").textContent.trim()`))
	if err != nil || !announced {
		t.Fatalf("the recorded signature was not swapped in and announced: %v", err)
	}
	tabTo(t, ctx, `header a[href="/"]`)
	enter()
	if err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS(`.tiles`))); err != nil {
		t.Fatal(err)
	}
	text, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`main`)))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(text, "GPMI sluiten") {
		t.Errorf("the signature is still due on My work:\n%s", text)
	}
}

// Without JavaScript the pages are whole: the first flow again with
// scripts off in the browser, by clicks, each form a full page load.
func TestWithoutJavaScript(t *testing.T) {
	ctx := newChrome(t)
	e := newActingEnv(t)
	id := e.start("Fatima", time.Now().AddDate(0, -4, 0))
	e.waitFor(id, "deadline_overdue")
	seedAnalysis(t, e.db, e.fx.CentreID, e.fx.CounsellorID, id)
	srv := httptest.NewServer(e.h)
	defer srv.Close()
	steps := []chromedp.Action[chromedp.Void]{
		func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
			_, err := cdp.Call(ctx, t, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
			return chromedp.Void{}, err
		},
		chromedp.Navigate(srv.URL + "/signin"),
		chromedp.Click(chromedp.CSS(`form[action="/signin/dev"] input[value="` + e.fx.CounsellorID + `"] + button`)),
		chromedp.WaitVisible(chromedp.CSS(`a[href="/dossiers/` + id + `"]`)),
		chromedp.Click(chromedp.CSS(`a[href="/dossiers/` + id + `"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#form-signGPMI summary`)),
		chromedp.Click(chromedp.CSS(`#form-signGPMI summary`)),
		chromedp.SetValue(chromedp.CSS(`#signGPMI-signed_on`), time.Now().Format("2006-01-02")),
		chromedp.SetValue(chromedp.CSS(`#signGPMI-agreements-0-domain`), "language"),
		chromedp.SetValue(chromedp.CSS(`#signGPMI-agreements-0-person_does`), "Volgt de cursus Nederlands."),
		chromedp.SetValue(chromedp.CSS(`#signGPMI-agreements-0-centre_does`), "Betaalt de cursus."),
		chromedp.Click(chromedp.CSS(`#signGPMI-acknowledged`)),
		chromedp.Click(chromedp.CSS(`#form-signGPMI button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.flash`)),
		chromedp.Click(chromedp.CSS(`header a[href="/"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.tiles`)),
	}
	for i, step := range steps {
		if err := chromedp.Do(ctx, step); err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
	}
	if loaded, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`typeof window.htmx !== "undefined"`)); err != nil || loaded {
		t.Fatalf("htmx ran with scripts off (%v)", err)
	}
	text, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`main`)))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(text, "GPMI sluiten") {
		t.Errorf("the signature is still due on My work:\n%s", text)
	}
}

// pollUntil waits until expr is true in the page, across navigations: a
// page replaced while expr runs (its execution context gone) is polled
// again in the new one, until testenv.EventuallyDeadline.
func pollUntil(ctx context.Context, expr string) (bool, error) {
	deadline := time.Now().Add(testenv.EventuallyDeadline)
	for {
		ok, err := chromedp.Run(ctx, chromedp.Poll[bool](expr, chromedp.WithPollingTimeout(time.Until(deadline))))
		switch {
		case err == nil && ok:
			return true, nil
		case err != nil && !navigatedAway(err), time.Now().After(deadline):
			return false, err
		}
	}
}

// navigatedAway tells an evaluation cut short because the page changed.
func navigatedAway(err error) bool {
	for _, gone := range []string{"Cannot find context with specified id", "Execution context was destroyed", "Inspected target navigated or closed"} {
		if strings.Contains(err.Error(), gone) {
			return true
		}
	}
	return false
}
