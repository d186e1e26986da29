package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	nethtml "golang.org/x/net/html"

	"github.com/traject-ocmw/traject/domain"
	"github.com/traject-ocmw/traject/store"
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
	adminID, err := e.db.CreateUser(ctx, store.User{CentreID: e.fx.CentreID, Email: "admin@ocmw.example", DisplayName: "Ada", Role: domain.RoleAdmin, Language: "nl", Active: true})
	if err != nil {
		t.Fatal(err)
	}
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
	adminID, err := e.db.CreateUser(ctx, store.User{CentreID: e.fx.CentreID, Email: "admin@ocmw.example", DisplayName: "Ada", Role: domain.RoleAdmin, Language: "nl", Active: true})
	if err != nil {
		t.Fatal(err)
	}
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
