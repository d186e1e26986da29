package web_test

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/traject-ocmw/traject/store"
	"github.com/traject-ocmw/traject/testenv"
	"github.com/traject-ocmw/traject/web"
)

// TestInspectionPackInTheBrowser opens the inspection pack of a complete
// file (needs analysis, GPMI signed on time, three evaluations with their
// reports, a decision letter) in Chromium, in Dutch and French: axe-clean,
// no internal code in its text; with -update-screenshots it writes
// docs/screenshots/inspection-pack-{nl,fr}.png.
func TestInspectionPackInTheBrowser(t *testing.T) {
	ctx := newChrome(t)
	axe := axeSource(t)
	db := testenv.Database(t)
	fx := testenv.Seed(t, db)
	files := testenv.SeedFileChecks(t, db, fx)
	seedLetter(t, store.New(db), fx, files.AllMet)
	h, err := web.New(web.Options{Logger: testenv.Discard(), DB: db, DevSignIn: true, InsecureCookies: true})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	if err := chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/signin"),
		chromedp.Click(chromedp.CSS(`form[action="/signin/dev"] input[value="`+fx.CounsellorID+`"] + button`)),
		chromedp.WaitVisible(chromedp.CSS(`.who`)),
	); err != nil {
		t.Fatalf("sign in: %v", err)
	}
	for _, c := range []struct{ lang, title, notF2F string }{{"nl", "Inspectiedossier", "(niet in een persoonlijk gesprek)"}, {"fr", "Dossier d'inspection", "(pas en face à face)"}} {
		if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/dossiers/"+files.AllMet+"/inspection-pack"), chromedp.WaitVisible(chromedp.CSS("h1"))); err != nil {
			t.Fatal(err)
		}
		checkLanguage(t, ctx, srv.URL, c.lang)
		text, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("main").innerText`))
		if err != nil {
			t.Fatal(err)
		}
		// the agreements with their day, each evaluation said face to face
		// or not
		for _, want := range []string{c.title, "Orde, Olivia", "Volgt de cursus Nederlands op niveau A2", "Zoekt met haar een artikel 60-plaats", c.notF2F} {
			if !strings.Contains(text, want) {
				t.Errorf("%s: the pack lacks %q:\n%s", c.lang, want, text)
			}
		}
		for _, code := range []string{"decision_notice", "needs_analysis", "face_to_face", "not_applicable", "gpmi_", "_"} {
			if strings.Contains(text, code) {
				t.Errorf("%s: the pack shows %q:\n%s", c.lang, code, text)
			}
		}
		checkAxe(t, ctx, axe, "inspection pack "+c.lang)
		if *updateScreenshots {
			screenshot(t, ctx, "inspection-pack-"+c.lang+".png")
		}
	}
}
