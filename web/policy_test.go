package web_test

import (
	"context"
	"encoding/json"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/traject-ocmw/traject/domain"
	"github.com/traject-ocmw/traject/store"
	"github.com/traject-ocmw/traject/workflows"
)

var policyInput = regexp.MustCompile(`<input id="policy-(\w+)-(\w+)" name="\w+" type="(?:text|number)" value="([^"]*)"`)

// sectionForm is a policy section's form as the page fills it.
func sectionForm(t *testing.T, page, section string) url.Values {
	t.Helper()
	form := url.Values{}
	for _, m := range policyInput.FindAllStringSubmatch(page, -1) {
		if m[1] == section {
			form.Set(m[2], html.UnescapeString(m[3]))
		}
	}
	if len(form) == 0 {
		t.Fatalf("no %s form on the page", section)
	}
	return form
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
	if gpmi.Get("evaluation_every") == "" || gpmi.Get("evaluation_every") == "P2M" {
		t.Fatalf("the default evaluation period: %q", gpmi.Get("evaluation_every"))
	}
	gpmi.Set("face_to_face_per_year", "-1")
	status, page, _ := ada.do("POST", "/policy/gpmi", gpmi)
	if status != http.StatusUnprocessableEntity || !strings.Contains(page, `id="policy-gpmi-face_to_face_per_year-error"`) {
		t.Fatalf("a refused value: %d\n%s", status, page)
	}
	a60 := sectionForm(t, page, "article60")
	a60.Set("working_days", "[{not json")
	status, page, _ = ada.do("POST", "/policy/article60", a60)
	if status != http.StatusUnprocessableEntity || !strings.Contains(page, `id="policy-article60-working_days-error"`) || !strings.Contains(page, "JSON") {
		t.Fatalf("a working-days rule that is not JSON: %d\n%s", status, page)
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
		chromedp.SetValue(chromedp.CSS(`#policy-gpmi-evaluation_every`), "P2M"),
		chromedp.Click(chromedp.CSS(`#section-gpmi button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.flash`)),
	); err != nil {
		t.Fatalf("changing the evaluation period in the browser: %v", err)
	}
	_, page, _ = ada.do("GET", "/policy", nil)
	if !strings.Contains(page, "Ada") || !strings.Contains(page, "gpmi.evaluation_every") || !strings.Contains(page, "&#34;P2M&#34;") {
		t.Errorf("the history does not say who changed what:\n%s", page)
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
		if dl.PolicyVersion != 1 {
			t.Errorf("the evaluation was planned with policy version %d, want 1", dl.PolicyVersion)
		}
		// Two months on, moved to a working day at most a few days later.
		if want := on.AddDate(0, 2, 0); dl.Due.Before(want) || dl.Due.After(want.AddDate(0, 0, 5)) {
			t.Errorf("the evaluation is due %s, want two months after %s", dl.Due, signed)
		}
		return
	}
	t.Fatalf("no evaluation planned: %+v", state.Deadlines)
}

func brussels() *time.Location {
	loc, _ := time.LoadLocation("Europe/Brussels")
	return loc
}
