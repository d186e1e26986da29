package web_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/traject-ocmw/traject/store"
)

var (
	programmeLink = regexp.MustCompile(`/programmes/([0-9a-f-]{36})/result`)
	placementLink = regexp.MustCompile(`/placements/([0-9a-f-]{36})/end`)
)

// seedRecords records on the dossier page a programme with its result, a
// student job, an IBO ended early and the civic integration (the centre's
// policy adding its region), each form posted and read back.
func seedRecords(t *testing.T, e *actingEnv, id string) {
	t.Helper()
	ctx := context.Background()
	pol, err := e.db.LoadPolicy(ctx, e.fx.CentreID)
	if err != nil {
		t.Fatal(err)
	}
	pol.CivicIntegration.Regions = append(pol.CivicIntegration.Regions, "brussels")
	if _, err := e.db.SavePolicy(ctx, e.fx.CentreID, pol, e.fx.CoordinatorID); err != nil {
		t.Fatal(err)
	}
	an := newBrowserSignedIn(t, e.h, e.fx.CounsellorID)
	post := func(op, path string, set map[string]string, want int) string {
		t.Helper()
		values := url.Values{"key": {"k" + strings.ReplaceAll(op, "-", "")}} // a record's own form, named with its ID
		if !strings.Contains(op, "-") {
			values = form(t, page2(t, an, id), op)
		}
		for k, v := range set {
			values.Set(k, v)
		}
		status, page, header := an.do("POST", "/dossiers/"+id+path, values)
		if status != want {
			t.Fatalf("%s: %d, want %d\n%s", op, status, want, page)
		}
		if want == http.StatusSeeOther && header.Get("Location") != "/dossiers/"+id+"#records" {
			t.Errorf("%s: back to %s", op, header.Get("Location"))
		}
		return page
	}
	// The end before the start is refused, named at its field.
	page := post("addProgramme", "/programmes", map[string]string{"school": "CVO Brussel", "name": "Zorgkundige", "starts_on": "2025-09-01", "expected_end_on": "2025-08-01"}, http.StatusUnprocessableEntity)
	if !strings.Contains(page, `id="addProgramme-expected_end_on-error"`) || !strings.Contains(page, `value="CVO Brussel"`) {
		t.Errorf("the refused programme is not sent back with its fault:\n%s", pageSection(t, page, "records"))
	}
	post("addProgramme", "/programmes", map[string]string{"school": "CVO Brussel", "name": "Zorgkundige", "starts_on": "2025-09-01", "expected_end_on": "2026-06-30"}, http.StatusSeeOther)
	m := programmeLink.FindStringSubmatch(page2(t, an, id))
	if m == nil {
		t.Fatal("no result form for the programme")
	}
	post("recordProgrammeResult-"+m[1], "/programmes/"+m[1]+"/result", map[string]string{"result": "certificate", "on": "2026-06-30"}, http.StatusSeeOther)
	post("addStudentJob", "/student-jobs", map[string]string{"employer": "Delhaize", "from": "2026-07-01", "to": "2026-07-31"}, http.StatusSeeOther)
	post("addPlacement", "/placements", map[string]string{"kind": "ibo", "company": "Bakkerij Peeters", "from": "2026-03-01", "to": "2099-08-31"}, http.StatusSeeOther)
	m = placementLink.FindStringSubmatch(page2(t, an, id))
	if m == nil {
		t.Fatal("no end form for the placement")
	}
	post("endPlacement-"+m[1], "/placements/"+m[1]+"/end", map[string]string{"on": "2026-09-30", "ended_early": "true"}, http.StatusSeeOther)
	post("setCivicIntegration", "/civic-integration", map[string]string{"obligation": "obliged", "referred_on": "2026-02-01", "status": "following"}, http.StatusSeeOther)
}

func TestPhaseRecordsInThePages(t *testing.T) {
	e := newActingEnv(t)
	id := e.start("Records", time.Now().AddDate(0, -1, 0))
	seedRecords(t, e, id)
	// The caseload filters on civic integration, where the policy has it.
	coordinator := newBrowserSignedIn(t, e.h, e.fx.CoordinatorID)
	if status, page, _ := coordinator.do("GET", "/caseload?civic_integration=obliged", nil); status != http.StatusOK ||
		!strings.Contains(page, `name="civic_integration"`) || !strings.Contains(page, `href="/dossiers/`+id+`"`) {
		t.Errorf("the obliged: %d\n%s", status, page)
	}
	if _, page, _ := coordinator.do("GET", "/caseload?civic_integration=voluntary", nil); strings.Contains(page, `href="/dossiers/`+id+`"`) {
		t.Errorf("a voluntary filter lists the obliged:\n%s", page)
	}
	for who, user := range map[string]string{"counsellor": e.fx.CounsellorID, "coordinator": e.fx.CoordinatorID} {
		s := pageSection(t, page2(t, newBrowserSignedIn(t, e.h, user), id), "records")
		for _, want := range []string{"CVO Brussel", "Zorgkundige", "certificaat behaald", "Delhaize", "Individuele beroepsopleiding (IBO)", "Bakkerij Peeters",
			"vroegtijdig beëindigd", "Verplicht inburgeraar", "volgt het traject", "doorverwezen op"} {
			if !strings.Contains(s, want) {
				t.Errorf("%s: the section lacks %q:\n%s", who, want, s)
			}
		}
		// No code is shown: only option values carry them.
		text := regexp.MustCompile(`<[^>]*>`).ReplaceAllString(s, " ")
		for _, code := range []string{"certificate", "entry_traineeship", "not_obtained", "obliged", "following"} {
			if strings.Contains(text, code) {
				t.Errorf("%s: the section shows the code %s", who, code)
			}
		}
	}
}

// The dossier page with every kind of record is axe-clean in Dutch and
// French; its screenshots are docs/screenshots/dossier-phase-records-*.png.
func TestPhaseRecordsAreAccessible(t *testing.T) {
	ctx, cancel := context.WithTimeout(newChrome(t), 3*time.Minute)
	defer cancel()
	axe := axeSource(t)
	e := newActingEnv(t)
	id := e.start("Records", time.Now().AddDate(0, -1, 0))
	seedRecords(t, e, id)
	srv := httptest.NewServer(e.h)
	defer srv.Close()
	if err := chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/signin"),
		chromedp.Click(chromedp.CSS(`form[action="/signin/dev"] input[value="`+e.fx.CounsellorID+`"] + button`)),
		chromedp.WaitVisible(chromedp.CSS(`.who`)),
	); err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"nl", "fr"} {
		checkLanguage(t, ctx, srv.URL, lang)
		if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/dossiers/"+id+"#records"), chromedp.WaitVisible(chromedp.CSS(`#records`))); err != nil {
			t.Fatal(err)
		}
		checkAxe(t, ctx, axe, "dossier with records/"+lang)
		// Not signed yet and not late: the summary says what is still to
		// do and by when, not "in order".
		summary, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`a[href="#file-check"]`)))
		if want := map[string]string{"nl": "In orde tot nu; 2 onderdelen nog te doen, het eerste uiterlijk ", "fr": "En ordre jusqu'ici\u00A0; 2 éléments à faire, le premier au plus tard le "}[lang]; err != nil || !strings.HasPrefix(summary, want) {
			t.Errorf("%s: the file check's summary %q (%v), want %q…", lang, summary, err, want)
		}
		if *updateScreenshots {
			screenshot(t, ctx, fmt.Sprintf("dossier-phase-records-%s.png", lang))
		}
	}
}

// A dossier with two programmes and two placements: each result and end
// form says which record it is about (its name, where, from when), so
// the headings differ, in Dutch and in French.
func TestPhaseRecordFormsNameTheirRecord(t *testing.T) {
	e := newActingEnv(t)
	ctx := context.Background()
	id := e.start("Twee", time.Now().AddDate(0, -1, 0))
	day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }
	for i, p := range []store.NewProgramme{
		{School: "CVO Brussel", Name: "Zorgkundige", StartsOn: day("2025-09-01"), ExpectedEndOn: day("2026-06-30")},
		{School: "Syntra", Name: "Kok", StartsOn: day("2026-09-01"), ExpectedEndOn: day("2027-06-30")},
	} {
		p.ID, p.ParticipantID, p.CentreID, p.AuthorID = fmt.Sprintf("00000000-0000-4000-8000-00000000000%d", i+1), id, e.fx.CentreID, e.fx.CounsellorID
		if err := e.db.InsertProgramme(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	for i, p := range []store.NewPlacement{
		{Kind: "ibo", Company: "Bakkerij Peeters", From: day("2026-01-05"), To: day("2026-06-30")},
		{Kind: "entry_traineeship", Company: "Colruyt", From: day("2026-09-01"), To: day("2027-02-28")},
	} {
		p.ID, p.ParticipantID, p.CentreID, p.AuthorID = fmt.Sprintf("00000000-0000-4000-8000-00000000001%d", i+1), id, e.fx.CentreID, e.fx.CounsellorID
		if err := e.db.InsertPlacement(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	an := newBrowserSignedIn(t, e.h, e.fx.CounsellorID)
	summaries := func() []string {
		var out []string
		for _, m := range regexp.MustCompile(`<summary>([^<]*)</summary>`).FindAllStringSubmatch(pageSection(t, page2(t, an, id), "records"), -1) {
			out = append(out, html.UnescapeString(m[1]))
		}
		return out
	}
	want := map[string][]string{
		"nl": {"Resultaat van de opleiding noteren: Kok bij Syntra, vanaf 01/09/2026", "Resultaat van de opleiding noteren: Zorgkundige bij CVO Brussel, vanaf 01/09/2025",
			"Einde van de IBO of instapstage noteren: Instapstage bij Colruyt, vanaf 01/09/2026",
			"Einde van de IBO of instapstage noteren: Individuele beroepsopleiding (IBO) bij Bakkerij Peeters, vanaf 05/01/2026"},
		"fr": {"Zorgkundige chez CVO Brussel, à partir du 01/09/2025", "Colruyt, à partir du 01/09/2026"},
	}
	for _, lang := range []string{"nl", "fr"} {
		if lang == "fr" {
			if status, _, _ := an.do("POST", "/language", url.Values{"lang": {"fr"}, "back": {"/"}}); status != http.StatusSeeOther {
				t.Fatalf("to French: %d", status)
			}
		}
		got := summaries()
		for _, w := range want[lang] {
			if !slices.ContainsFunc(got, func(s string) bool { return strings.HasSuffix(s, w) }) {
				t.Errorf("%s: no form headed %q among %q", lang, w, got)
			}
		}
		seen := map[string]bool{}
		for _, s := range got {
			if seen[s] {
				t.Errorf("%s: two forms headed %q", lang, s)
			}
			seen[s] = true
		}
	}
}
