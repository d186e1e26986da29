package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	nethtml "golang.org/x/net/html"

	"github.com/traject-ocmw/traject/policy"
	"github.com/traject-ocmw/traject/store"
	"github.com/traject-ocmw/traject/testenv"
	"github.com/traject-ocmw/traject/web"
	"github.com/traject-ocmw/traject/workflows"
)

// sectionForm is a policy section's form as the page fills it: its text
// and number inputs, its checked boxes and its selects' chosen options.
func sectionForm(t *testing.T, page, section string) url.Values {
	t.Helper()
	doc, err := nethtml.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	attr := func(n *nethtml.Node, key string) string {
		for _, a := range n.Attr {
			if a.Key == key {
				return a.Val
			}
		}
		return ""
	}
	var form *nethtml.Node
	var find func(n *nethtml.Node)
	find = func(n *nethtml.Node) {
		if n.Type == nethtml.ElementNode && n.Data == "form" && attr(n, "action") == "/policy/"+section {
			form = n
		}
		for c := n.FirstChild; c != nil && form == nil; c = c.NextSibling {
			find(c)
		}
	}
	find(doc)
	if form == nil {
		t.Fatalf("no %s form on the page", section)
	}
	values := url.Values{}
	var read func(n *nethtml.Node)
	read = func(n *nethtml.Node) {
		if n.Type == nethtml.ElementNode {
			switch n.Data {
			case "input":
				switch {
				case attr(n, "type") != "checkbox":
					values.Set(attr(n, "name"), attr(n, "value"))
				case slices.ContainsFunc(n.Attr, func(a nethtml.Attribute) bool { return a.Key == "checked" }):
					values.Add(attr(n, "name"), attr(n, "value")) // a list's boxes share a name
				}
			case "select":
				for o := n.FirstChild; o != nil; o = o.NextSibling {
					if o.Type == nethtml.ElementNode && slices.ContainsFunc(o.Attr, func(a nethtml.Attribute) bool { return a.Key == "selected" }) {
						values.Set(attr(n, "name"), attr(o, "value"))
					}
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			read(c)
		}
	}
	read(form)
	return values
}

// An administrator changes the GPMI evaluation period on the policy page,
// in the browser (after a value the validator refuses, shown at its
// field); the history
// says who changed what, and a GPMI signed afterwards plans its first
// evaluation with the new period and version, through the real workflow.
func TestPolicyPage(t *testing.T) {
	e := newActingEnv(t)
	ctx := context.Background()
	adminID := seedAdmin(t, e.db, e.fx.CentreID)
	ada := newBrowserSignedIn(t, e.h, adminID)
	_, page, _ := ada.do("GET", "/policy", nil)
	gpmi := sectionForm(t, page, "gpmi")
	if gpmi.Get("evaluation_every") != "4" || gpmi.Get("evaluation_every.unit") != "months" || gpmi.Get("sign_reminders") != "30, 7" || gpmi.Get("sign_reminders.unit") != "days" {
		t.Fatalf("the default periods as numbers and units: %v", gpmi)
	}
	gpmi.Set("face_to_face_per_year", "-1")
	status, page, _ := ada.do("POST", "/policy/gpmi", gpmi)
	if status != http.StatusUnprocessableEntity || !strings.Contains(page, `id="policy-gpmi-face_to_face_per_year-error"`) {
		t.Fatalf("a refused value: %d\n%s", status, page)
	}
	gpmi = sectionForm(t, page, "gpmi")
	gpmi.Set("face_to_face_per_year", "2")
	gpmi.Set("sign_reminders", "30, zeven")
	status, page, _ = ada.do("POST", "/policy/gpmi", gpmi)
	if status != http.StatusUnprocessableEntity || !strings.Contains(page, `id="policy-gpmi-sign_reminders-error"`) || !strings.Contains(page, `value="30, zeven"`) {
		t.Fatalf("reminders that are not numbers: %d\n%s", status, page)
	}
	a60 := sectionForm(t, page, "article60")
	if a60.Get("working_days.1.from") != "2026-03-01" || a60.Get("working_days.0.band.2.days") != "624" || a60.Get("working_days.1.per_week") != "6" {
		t.Fatalf("the working-days rules as fields: %v", a60)
	}
	a60.Set("working_days.1.per_week", "9")
	status, page, _ = ada.do("POST", "/policy/article60", a60)
	if status != http.StatusUnprocessableEntity || !strings.Contains(page, `id="policy-article60-working_days-error"`) || !strings.Contains(page, `value="9"`) {
		t.Fatalf("a working-days rule counting 9 days a week: %d\n%s", status, page)
	}
	// The change itself in the browser, as an administrator makes it.
	chrome := newChrome(t)
	srv := httptest.NewServer(e.h)
	defer srv.Close()
	if err := chromedp.Do(chrome,
		chromedp.Navigate(srv.URL+"/signin"),
		chromedp.Click(chromedp.CSS(`form[action="/signin/dev"] input[value="`+adminID+`"] + button`)),
		chromedp.WaitVisible(chromedp.CSS(`.who`)),
		chromedp.Click(chromedp.CSS(`header .menu summary`)),
		chromedp.Click(chromedp.CSS(`header a[href="/policy"]`)),
		chromedp.Click(chromedp.CSS(`#section-gpmi summary`)),
		chromedp.SetValue(chromedp.CSS(`#policy-gpmi-evaluation_every`), "2"),
		chromedp.Click(chromedp.CSS(`#section-gpmi button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.flash`)),
	); err != nil {
		t.Fatalf("changing the evaluation period in the browser: %v", err)
	}
	_, page, _ = ada.do("GET", "/policy", nil)
	if !strings.Contains(page, "Ada") || !strings.Contains(page, "Evaluatie om de: 4 maanden → 2 maanden") {
		t.Errorf("the history does not say who changed what:\n%s", page)
	}
	// A new working-days rule in the spare one: the rules as the page
	// says them, saved for the workflows as the API reads them.
	a60 = sectionForm(t, page, "article60")
	a60.Set("working_days.2.from", "2027-01-01")
	a60.Set("working_days.2.per_week", "5")
	a60.Set("working_days.2.band.0.min_age", "0")
	a60.Set("working_days.2.band.0.days", "260")
	if status, page, _ := ada.do("POST", "/policy/article60", a60); status != http.StatusSeeOther {
		t.Fatalf("a new working-days rule: %d\n%s", status, page)
	}
	pol, err := e.db.LoadPolicy(ctx, e.fx.CentreID)
	if err != nil {
		t.Fatal(err)
	}
	if rules := pol.Article60.WorkingDays; len(rules) != 3 || rules[2].From != "2027-01-01" || rules[2].CountedDaysPerWeek != 5 || len(rules[2].Bands) != 1 || rules[2].Bands[0].Days != 260 ||
		len(rules[0].Bands) != 3 || pol.GPMI.EvaluationEvery.Months != 2 {
		t.Errorf("the policy as saved: %+v", pol)
	}
	if _, page, _ = ada.do("GET", "/policy", nil); !strings.Contains(page, "vanaf 01/01/2027: 260 vereiste arbeidsdagen vanaf 0 jaar (5 dagen per week)") {
		t.Errorf("the history does not say the new rule in words:\n%s", page)
	}
	counsellor := newBrowserSignedIn(t, e.h, e.fx.CounsellorID)
	if status, _, _ := counsellor.do("GET", "/policy", nil); status != http.StatusForbidden {
		t.Errorf("a counsellor's policy page: %d", status)
	}

	id := e.start("Noor", time.Now().AddDate(0, 0, -5))
	_, page, _ = counsellor.do("GET", "/dossiers/"+id, nil)
	sign := withAgreement(form(t, page, "signGPMI"))
	signed := time.Now().In(brussels()).Format("2006-01-02")
	sign.Set("signed_on", signed)
	seedAnalysis(t, e.db, e.fx.CentreID, e.fx.CounsellorID, id)
	if status, _, _ := counsellor.do("POST", "/dossiers/"+id+"/act/signGPMI", sign); status != http.StatusSeeOther {
		t.Fatalf("sign: %d", status)
	}
	d, err := e.db.Dossier(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	var state workflows.State
	if err := json.Unmarshal(d.Trajectory, &state); err != nil {
		t.Fatal(err)
	}
	on, _ := time.ParseInLocation("2006-01-02", signed, brussels())
	for _, dl := range state.Deadlines {
		if dl.Kind != workflows.KindGPMIEvaluation {
			continue
		}
		if dl.PolicyVersion != 2 { // the evaluation's version, then the new rule's
			t.Errorf("the evaluation was planned with policy version %d, want 2", dl.PolicyVersion)
		}
		// Two months on, moved to a working day at most a few days later.
		if want := on.AddDate(0, 2, 0); dl.Due.Before(want) || dl.Due.After(want.AddDate(0, 0, 5)) {
			t.Errorf("the evaluation is due %s, want two months after %s", dl.Due, signed)
		}
		return
	}
	t.Fatalf("no evaluation planned: %+v", state.Deadlines)
}

// The literacy levels and the regions of civic integration on the policy
// page: ticked as the policy holds them; no level at all, or a region
// that is not one, refused at its field (in French for a French-speaking
// administrator too); saved, the levels keep the policy's order, the
// history says the change in words, and the dossiers of a centre in
// Brussels then record civic integration.
func TestPolicyPageLiteracyAndCivicIntegration(t *testing.T) {
	e := newActingEnv(t)
	ctx := context.Background()
	adminID := seedAdmin(t, e.db, e.fx.CentreID)
	ada := newBrowserSignedIn(t, e.h, adminID)
	_, page, _ := ada.do("GET", "/policy", nil)
	literacy := sectionForm(t, page, "literacy")
	if got := literacy["levels"]; strings.Join(got, ",") != "alfa_a,alfa_b,alfa_c,a1,a2,b1" || literacy.Get("max_waiting_lists") != "2" {
		t.Fatalf("the default literacy policy on its form: %v", literacy)
	}
	if civic := sectionForm(t, page, "civic_integration"); strings.Join(civic["regions"], ",") != "flanders" {
		t.Fatalf("the default regions of civic integration: %v", civic)
	}

	literacy.Del("levels")
	status, page, _ := ada.do("POST", "/policy/literacy", literacy)
	if status != http.StatusUnprocessableEntity || !strings.Contains(page, `id="policy-literacy-levels-error"`) {
		t.Fatalf("no level at all: %d\n%s", status, page)
	}
	literacy = sectionForm(t, page, "literacy")
	literacy["levels"] = []string{"b2", "alfa_a", "a1"} // ticked in any order
	literacy.Set("max_waiting_lists", "0")
	status, page, _ = ada.do("POST", "/policy/literacy", literacy)
	if status != http.StatusUnprocessableEntity || !strings.Contains(page, `id="policy-literacy-max_waiting_lists-error"`) ||
		!strings.Contains(page, `id="policy-literacy-levels-b2" name="levels" value="b2" checked`) {
		t.Fatalf("no waiting list, the levels ticked kept: %d\n%s", status, page)
	}
	literacy.Set("max_waiting_lists", "3")
	if status, page, _ := ada.do("POST", "/policy/literacy", literacy); status != http.StatusSeeOther {
		t.Fatalf("the literacy policy: %d\n%s", status, page)
	}

	civic := sectionForm(t, page2Policy(t, ada), "civic_integration")
	civic.Add("regions", "atlantis")
	status, page, _ = ada.do("POST", "/policy/civic_integration", civic)
	if status != http.StatusUnprocessableEntity || !strings.Contains(page, `id="policy-civic_integration-regions-error"`) {
		t.Fatalf("a region that is not one: %d\n%s", status, page)
	}
	if status, _, _ := ada.do("POST", "/language", url.Values{"lang": {"fr"}, "back": {"/policy"}}); status != http.StatusSeeOther {
		t.Fatalf("to French: %d", status)
	}
	status, page, _ = ada.do("POST", "/policy/civic_integration", civic)
	if status != http.StatusUnprocessableEntity || !strings.Contains(page, `id="policy-civic_integration-regions-error"`) || !strings.Contains(page, "Régions où les dossiers suivent") {
		t.Fatalf("a region that is not one, in French: %d\n%s", status, page)
	}
	civic["regions"] = []string{"flanders", "brussels"}
	if status, page, _ := ada.do("POST", "/policy/civic_integration", civic); status != http.StatusSeeOther {
		t.Fatalf("civic integration in Brussels too: %d\n%s", status, page)
	}

	pol, err := e.db.LoadPolicy(ctx, e.fx.CentreID)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(pol.Literacy.Levels, ",") != "alfa_a,a1,b2" || pol.Literacy.MaxWaitingLists != 3 || strings.Join(pol.CivicIntegration.Regions, ",") != "flanders,brussels" {
		t.Errorf("the policy as saved: %+v %+v", pol.Literacy, pol.CivicIntegration)
	}
	page = page2Policy(t, ada)
	if !strings.Contains(page, "Flandre → Flandre, Bruxelles") || !strings.Contains(page, "→ Alpha A (commence à lire et écrire), A1 du cadre européen de référence, B2") {
		t.Errorf("the history does not say the changes in words:\n%s", page)
	}
	// The centre, in Brussels, now records civic integration on its dossiers.
	id := e.start("Ilse", time.Now().AddDate(0, -1, 0))
	an := newBrowserSignedIn(t, e.h, e.fx.CounsellorID)
	if records := pageSection(t, page2(t, an, id), "records"); !strings.Contains(records, `action="/dossiers/`+id+`/civic-integration"`) {
		t.Errorf("no civic integration form after the change:\n%s", records)
	}
}

// page2Policy reads the policy page.
func page2Policy(t *testing.T, b *browser) string {
	t.Helper()
	status, page, _ := b.do("GET", "/policy", nil)
	if status != http.StatusOK {
		t.Fatalf("policy page: %d", status)
	}
	return page
}

func brussels() *time.Location {
	loc, _ := time.LoadLocation("Europe/Brussels")
	return loc
}

// legalNote is the legal default the policy page says beside the field
// with that id, with its link; "" when it says none.
func legalNote(page, id string) string {
	i := strings.Index(page, `<p class="hint legal" id="`+id+`-legal">`)
	if i < 0 {
		return ""
	}
	end := strings.Index(page[i:], "</p>")
	return page[i : i+end]
}

// textOf is the text a person reads of a piece of a page.
func textOf(t *testing.T, fragment string) string {
	t.Helper()
	doc, err := nethtml.Parse(strings.NewReader(fragment))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	var walk func(n *nethtml.Node)
	walk = func(n *nethtml.Node) {
		if n.Type == nethtml.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return b.String()
}

// versionRow is the row of a version in the policy page's list.
func versionRow(t *testing.T, page string, version int) string {
	t.Helper()
	i := strings.Index(page, fmt.Sprintf(`<th scope="row">%d</th>`, version))
	if i < 0 {
		t.Fatalf("no version %d in the list:\n%s", version, page)
	}
	end := strings.Index(page[i:], "</tr>")
	return page[i : i+end]
}

// A centre that changed some deadlines: beside each changed field the
// policy page says the legal default in words, with a link that fills it
// back in; a field the centre kept says nothing. The versions say when
// (in the centre's time zone), who and what changed, in words. The link
// without the script opens the page with the field filled, saved by the
// section's own button; in the browser the script fills the field in
// place, a time, a period's unit and a list's ticks alike.
func TestPolicyPageLegalDefaults(t *testing.T) {
	db := testenv.Database(t)
	fx := testenv.Seed(t, db)
	st := store.New(db)
	ctx := context.Background()
	adminID := seedAdmin(t, st, fx.CentreID)
	h, err := web.New(web.Options{Logger: testenv.Logger(t), DB: db, DevSignIn: true, InsecureCookies: true})
	if err != nil {
		t.Fatal(err)
	}
	pol := policy.Default()
	pol.GPMI.SignWithin = policy.Months(2)
	pol.Notifications.DigestAt = "08:00"
	pol.Calendar.ExtraHolidays = []string{"2026-12-26"}
	if _, err := st.SavePolicy(ctx, fx.CentreID, pol, adminID); err != nil {
		t.Fatal(err)
	}
	pol.Literacy.Levels = []string{"a1", "a2"}
	pol.Notifications.RetryFor = policy.Days(5)
	if _, err := st.SavePolicy(ctx, fx.CentreID, pol, fx.CoordinatorID); err != nil {
		t.Fatal(err)
	}
	versions, err := st.PolicyVersions(ctx, fx.CentreID)
	if err != nil || len(versions) != 2 {
		t.Fatalf("versions: %v %v", versions, err)
	}

	ada := newBrowserSignedIn(t, h, adminID)
	page := page2Policy(t, ada)
	for id, want := range map[string][]string{
		"policy-gpmi-sign_within":               {"Standaard: 3 maanden", `href="/policy?default=gpmi.sign_within#policy-gpmi-sign_within"`, `data-fill="period" data-value="3" data-unit="months"`, "Standaardwaarde invullen"},
		"policy-notifications-digest_at":        {"Standaard: 07:30", `data-fill="time" data-value="07:30"`},
		"policy-notifications-retry_for":        {"Standaard: 3 dagen"},
		"policy-calendar-extra_holidays":        {"Standaard: geen", `data-fill="dates" data-value=""`},
		"policy-literacy-levels":                {"Standaard: Alfa A", `data-fill="choices" data-value="alfa_a,alfa_b,alfa_c,a1,a2,b1"`},
		"policy-gpmi-evaluation_every":          nil,
		"policy-gpmi-sign_reminders":            nil,
		"policy-article60-working_days":         nil,
		"policy-literacy-max_waiting_lists":     nil,
		"policy-notifications-weekly_digest_on": nil,
	} {
		note := legalNote(page, id)
		if want == nil {
			if note != "" || strings.Contains(page, id+`-legal"`) {
				t.Errorf("%s kept the legal default, yet the page says one: %s", id, note)
			}
			continue
		}
		for _, w := range want {
			if !strings.Contains(note, w) {
				t.Errorf("%s: the legal default does not say %q: %s", id, w, note)
			}
		}
		if !strings.Contains(page, `aria-describedby="`+id+`-legal"`) && !strings.Contains(page, ` `+id+`-legal"`) {
			t.Errorf("%s: its input is not described by its legal default", id)
		}
	}
	// What a person reads says no code: no field name, no ISO period.
	for _, id := range []string{"policy-gpmi-sign_within", "policy-notifications-retry_for", "policy-literacy-levels", "policy-calendar-extra_holidays"} {
		if text := textOf(t, legalNote(page, id)); strings.ContainsAny(text, "_{") || strings.Contains(text, "P3") || strings.Contains(text, "alfa_") {
			t.Errorf("%s: the legal default shows a code: %s", id, text)
		}
	}

	// The versions: when, in Brussels, who, and what changed, in words.
	when := func(v store.PolicyVersion) string { return v.CreatedAt.In(brussels()).Format("02/01/2006 15:04") }
	first, second := versionRow(t, page, 1), versionRow(t, page, 2)
	for _, want := range []string{when(versions[1]), "Ada", "Ondertekenen binnen (na de beslissing over het leefloon): 3 maanden → 2 maanden", "Uur van het dagoverzicht: 07:30 → 08:00", "Eigen vrije dagen van het OCMW: geen → 26/12/2026"} {
		if !strings.Contains(first, want) {
			t.Errorf("version 1 does not say %q:\n%s", want, first)
		}
	}
	for _, want := range []string{when(versions[0]), "Chris", "Een bericht opnieuw proberen gedurende: 3 dagen → 5 dagen", "→ A1 van het Europees referentiekader, A2 van het Europees referentiekader"} {
		if !strings.Contains(second, want) {
			t.Errorf("version 2 does not say %q:\n%s", want, second)
		}
	}
	if strings.Contains(second, "Ondertekenen binnen") || strings.Contains(second, "{") {
		t.Errorf("version 2 says more than what it changed:\n%s", second)
	}

	// Without the script: the link opens the page with the field filled,
	// its section open; the section's button saves it.
	status, page, _ := ada.do("GET", "/policy?default=gpmi.sign_within", nil)
	if status != http.StatusOK || !strings.Contains(page, `id="section-gpmi" open`) || !strings.Contains(page, `<p class="flash">De standaardwaarde staat in het veld ‘Ondertekenen binnen (na de beslissing over het leefloon)’`) {
		t.Fatalf("the legal sign-within filled in: %d\n%s", status, page)
	}
	gpmi := sectionForm(t, page, "gpmi")
	if gpmi.Get("sign_within") != "3" || gpmi.Get("sign_within.unit") != "months" {
		t.Fatalf("the legal sign-within is not in its field: %v", gpmi)
	}
	if loaded, _ := st.LoadPolicy(ctx, fx.CentreID); loaded.Version != 2 {
		t.Fatalf("filling the field saved version %d", loaded.Version)
	}
	if status, page, _ := ada.do("POST", "/policy/gpmi", gpmi); status != http.StatusSeeOther {
		t.Fatalf("saving the legal sign-within: %d\n%s", status, page)
	}
	page = page2Policy(t, ada)
	if note := legalNote(page, "policy-gpmi-sign_within"); note != "" {
		t.Errorf("the sign-within is the legal one again, yet: %s", note)
	}
	if row := versionRow(t, page, 3); !strings.Contains(row, "Ondertekenen binnen (na de beslissing over het leefloon): 2 maanden → 3 maanden") || !strings.Contains(row, "Ada") {
		t.Errorf("version 3 does not say the sign-within went back:\n%s", row)
	}
	// A field name that is none, or one the centre kept, fills nothing.
	for _, q := range []string{"gpmi.nothing", "gpmi.evaluation_every", "version"} {
		if status, page, _ := ada.do("GET", "/policy?default="+q, nil); status != http.StatusOK || strings.Contains(page, `<p class="flash">De standaardwaarde staat`) {
			t.Errorf("?default=%s: %d", q, status)
		}
	}

	// In French.
	if status, _, _ := ada.do("POST", "/language", url.Values{"lang": {"fr"}, "back": {"/policy"}}); status != http.StatusSeeOther {
		t.Fatalf("to French: %d", status)
	}
	page = page2Policy(t, ada)
	if note := legalNote(page, "policy-notifications-digest_at"); !strings.Contains(note, "Par défaut\u00a0: 07:30") || !strings.Contains(note, "Reprendre la valeur par défaut") {
		t.Errorf("the legal digest time in French: %s", note)
	}
	if row := versionRow(t, page, 1); !strings.Contains(row, "→ 2 mois") {
		t.Errorf("version 1 in French:\n%s", row)
	}

	// With the script: the links fill the fields in place, nothing saved
	// until the section's button.
	chrome := newChrome(t)
	srv := httptest.NewServer(h)
	defer srv.Close()
	if err := chromedp.Do(chrome,
		chromedp.Navigate(srv.URL+"/signin"),
		chromedp.Click(chromedp.CSS(`form[action="/signin/dev"] input[value="`+adminID+`"] + button`)),
		chromedp.WaitVisible(chromedp.CSS(`.who`)),
		chromedp.Navigate(srv.URL+"/policy"),
		chromedp.WaitVisible(chromedp.CSS(`h1`)),
		chromedp.Click(chromedp.CSS(`#section-notifications summary`)),
		chromedp.Click(chromedp.CSS(`#policy-notifications-digest_at-legal a`)),
		chromedp.SetValue(chromedp.CSS(`#policy-notifications-retry_for-unit`), "weeks"),
		chromedp.Click(chromedp.CSS(`#policy-notifications-retry_for-legal a`)),
		chromedp.Click(chromedp.CSS(`#section-literacy summary`)),
		chromedp.Click(chromedp.CSS(`#policy-literacy-levels-legal a`)),
	); err != nil {
		t.Fatalf("the legal defaults in the browser: %v", err)
	}
	got, err := chromedp.Run(chrome, chromedp.Evaluate[string](`[
		document.getElementById('policy-notifications-digest_at').value,
		document.getElementById('policy-notifications-retry_for').value,
		document.getElementById('policy-notifications-retry_for-unit').value,
		[...document.querySelectorAll('#policy-literacy-levels input:checked')].map(b => b.value).join(','),
		location.search].join(' | ')`))
	if err != nil {
		t.Fatal(err)
	}
	if want := "07:30 | 3 | days | alfa_a,alfa_b,alfa_c,a1,a2,b1 | "; got != want {
		t.Errorf("filled in place (digest | retry | unit | levels | the page's query): %q, want %q", got, want)
	}
	if loaded, _ := st.LoadPolicy(ctx, fx.CentreID); loaded.Version != 3 {
		t.Fatalf("filling the fields saved version %d", loaded.Version)
	}
	if err := chromedp.Do(chrome,
		chromedp.Click(chromedp.CSS(`#section-notifications button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.flash`)),
	); err != nil {
		t.Fatalf("saving the notifications: %v", err)
	}
	loaded, err := st.LoadPolicy(ctx, fx.CentreID)
	if err != nil {
		t.Fatal(err)
	}
	if loaded.Notifications != policy.Default().Notifications || strings.Join(loaded.Literacy.Levels, ",") != "a1,a2" {
		t.Errorf("saved: %+v, levels %v (the literacy section was not saved)", loaded.Notifications, loaded.Literacy.Levels)
	}
}
