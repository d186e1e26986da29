package web_test

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/traject-ocmw/traject/testenv"
	"github.com/traject-ocmw/traject/workflows"
)

// The counsellor's part of the whole dossier in Chromium, scripts on (the
// pages swap in place): open a new dossier from the intake form, write
// the needs analysis, sign the GPMI with three agreements and the
// acknowledgement, record an evaluation with its report and each
// agreement's progress, write a note, change the address; each form's
// notice says it was saved, and the dossier shows all of it.
// TestTheWholeDossierThroughThePages runs the rest of the flow (the
// administrator, the coordinator, the host, the second intake, re-entry).
func TestTheDossierInTheBrowser(t *testing.T) {
	ctx := newChrome(t)
	e := newActingEnv(t)
	srv := httptest.NewServer(e.h)
	defer srv.Close()
	today := time.Now().Format(time.DateOnly)
	// The browser starts with the test's context, not with a step's.
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatal(err)
	}
	do := func(what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		for _, a := range actions {
			step, cancel := context.WithTimeout(ctx, testenv.EventuallyDeadline)
			err := chromedp.Do(step, a)
			cancel()
			if err != nil {
				text, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`main`)))
				t.Fatalf("%s: %v\n%s", what, err, text)
			}
		}
	}
	set := func(sel, value string) chromedp.Action[chromedp.Void] {
		return chromedp.SetValue(chromedp.CSS(sel), value)
	}
	// saved sends a form and waits for its notice.
	saved := func(form, title string) {
		t.Helper()
		do("send "+form, chromedp.Click(chromedp.CSS(`#form-`+form+` button[type="submit"]`)))
		ok, err := pollUntil(ctx, (`document.querySelector(".flash") !== null && document.querySelector(".flash").textContent.includes(` + strconvQuoteJS("Opgeslagen: "+title) + `)`))
		if err != nil || !ok {
			text, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`main`)))
			t.Fatalf("%s was not saved (%v):\n%s", form, err, text)
		}
	}
	open := func(form string) {
		t.Helper()
		do("open "+form, chromedp.WaitVisible(chromedp.CSS(`#form-`+form+` summary`)),
			chromedp.Evaluate[chromedp.Void](`document.querySelector("#form-`+form+`").open = true`))
	}

	do("sign in", chromedp.Navigate(srv.URL+"/signin"),
		chromedp.Click(chromedp.CSS(`form[action="/signin/dev"] input[value="`+e.fx.CounsellorID+`"] + button`)),
		chromedp.WaitVisible(chromedp.CSS(`.who`)))
	do("the intake", chromedp.Navigate(srv.URL+"/dossiers/new"), chromedp.WaitVisible(chromedp.CSS(`#createParticipant-national_number`)),
		set(`#createParticipant-national_number`, "90.05.17-123.31"), set(`#createParticipant-given_name`, "Sara"),
		set(`#createParticipant-family_name`, "Peeters"), set(`#createParticipant-birth_date`, "1990-05-17"),
		set(`#createParticipant-leefloon_decision_date`, today), set(`#createParticipant-street`, "Gemeenteplein 1"),
		set(`#createParticipant-postcode`, "1080"), set(`#createParticipant-municipality`, "Molenbeek"),
		chromedp.Click(chromedp.CSS(`#form-createParticipant button[type="submit"]`)))
	opened, err := pollUntil(ctx, (`location.pathname.startsWith("/dossiers/") && location.pathname !== "/dossiers/new" && document.querySelector(".flash") !== null`))
	if err != nil || !opened {
		text, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`main`)))
		t.Fatalf("the intake did not open the dossier (%v):\n%s", err, text)
	}
	path, err := chromedp.Run(ctx, chromedp.Evaluate[string](`location.pathname`))
	if err != nil || !strings.HasPrefix(path, "/dossiers/") {
		t.Fatalf("after the intake: %q %v", path, err)
	}
	id := strings.TrimPrefix(path, "/dossiers/")
	t.Cleanup(func() { _ = e.c.TerminateWorkflow(context.Background(), workflows.WorkflowID(id), "", "test over") })
	testenv.Eventually(t, "the trajectory's read model", func() bool {
		d, err := e.db.Dossier(context.Background(), id)
		return err == nil && string(d.Trajectory) != "null"
	})
	do("the dossier with its forms", chromedp.Navigate(srv.URL+path))

	open("recordNeedsAnalysis")
	do("the needs analysis", set(`#recordNeedsAnalysis-language-situation`, "Spreekt weinig Nederlands."),
		set(`#recordNeedsAnalysis-language-goal`, "Een opleiding in de zorg."))
	saved("recordNeedsAnalysis", "Sociaal-professionele balans schrijven")

	open("signGPMI")
	do("the signature", set(`#signGPMI-signed_on`, today))
	for i, a := range [][3]string{{"language", "Volgt de cursus Nederlands.", "Schrijft in."}, {"childcare", "Zoekt opvang.", "Geeft de lijst."},
		{"work", "Solliciteert twee keer per maand.", "Zoekt vacatures mee."}} {
		row := `#signGPMI-agreements-` + string(rune('0'+i)) + `-`
		do("agreement", set(row+"domain", a[0]), set(row+"person_does", a[1]), set(row+"centre_does", a[2]))
	}
	do("the acknowledgement", chromedp.Click(chromedp.CSS(`#signGPMI-acknowledged`)))
	saved("signGPMI", "GPMI ondertekend")

	open("recordEvaluation")
	do("the evaluation", set(`#recordEvaluation-held_on`, today), set(`#recordEvaluation-report`, "Goed begonnen; de opvang is nog niet rond."),
		chromedp.Evaluate[chromedp.Void](`document.querySelectorAll('#form-recordEvaluation select[name^="progress."]').forEach(s => s.value = "in_progress")`))
	saved("recordEvaluation", "Evaluatie van het GPMI")

	open("addNote")
	do("the note", set(`#addNote-kind`, "phone_call"), set(`#addNote-text`, "Belde: komt donderdag."))
	saved("addNote", "Notitie schrijven")

	open("updateParticipantDetails")
	do("the address", set(`#updateParticipantDetails-street`, "Ninoofsesteenweg 12"))
	saved("updateParticipantDetails", "Persoonsgegevens wijzigen")

	text, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`main`)))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Spreekt weinig Nederlands.", "Solliciteert twee keer per maand.", "Goed begonnen; de opvang is nog niet rond.",
		"Afspraak 3: loopt", "Belde: komt donderdag.", "Ninoofsesteenweg 12, 1080 Molenbeek"} {
		if !strings.Contains(text, want) {
			t.Errorf("the dossier lacks %q", want)
		}
	}
}
