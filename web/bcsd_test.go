package web_test

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/traject-ocmw/traject/letters"
	"github.com/traject-ocmw/traject/testenv"
)

// A BCSD secretary, in the browser against a real worker: schedules the
// hearing of a reported non-cooperation, sees it on the agenda with its
// invitation and in My work, records it held, finds the decision due in
// My work, records a decision of one month's suspension, and the dossier
// shows the suspension.
func TestBCSDProcedureInTheBrowser(t *testing.T) {
	ctx := newChrome(t)
	e := newActingEnv(t)
	id := e.start("Karim", time.Now().AddDate(0, -1, 0))
	// The letters need the centre's letterhead, court and hearing place.
	if err := e.db.SaveLetterSettings(context.Background(), e.fx.CentreID, e.fx.CoordinatorID, letters.Centre{Name: "OCMW Molenbeek",
		Street: "Vandenpeereboomstraat 14", Postcode: "1080", Municipality: "Molenbeek", Service: "Dienst Socio-Professionele Integratie",
		Signatory: "M. Peeters", SignatoryTitle: "Secretaris van het BCSD", CourtName: "Nederlandstalige arbeidsrechtbank Brussel",
		CourtAddress: "Poelaertplein 3, 1000 Brussel", HearingPlace: "Raadzaal, Vandenpeereboomstraat 14, 1080 Molenbeek"}); err != nil {
		t.Fatal(err)
	}

	// The counsellor reports the non-cooperation on the dossier.
	an := newBrowserSignedIn(t, e.h, e.fx.CounsellorID)
	_, page, _ := an.do("GET", "/dossiers/"+id, nil)
	report := form(t, page, "reportNonCooperation")
	report.Set("description", "Drie afspraken gemist zonder verwittiging.")
	if status, _, _ := an.do("POST", "/dossiers/"+id+"/act/reportNonCooperation", report); status != 303 {
		t.Fatalf("report: %d", status)
	}
	testenv.Eventually(t, "the procedure the report opened in the read model", func() bool {
		procs, err := e.db.Procedures(context.Background(), id)
		return err == nil && len(procs) == 1
	})

	srv := httptest.NewServer(e.h)
	defer srv.Close()
	today := time.Now().Format("2006-01-02")
	hearing := time.Now().AddDate(0, 0, 10).Format("2006-01-02") + "T10:00"
	procedure := srv.URL + "/dossiers/" + id + "/procedures/1"
	steps := []struct {
		what    string
		actions []chromedp.Action[chromedp.Void]
	}{
		{"sign in as the BCSD secretary", []chromedp.Action[chromedp.Void]{
			chromedp.Navigate(srv.URL + "/signin"),
			chromedp.Click(chromedp.CSS(`form[action="/signin/dev"] input[value="` + e.fx.BCSDID + `"] + button`)),
			chromedp.WaitVisible(chromedp.CSS(`.who`)),
		}},
		{"schedule a hearing in 5 days, invited 5 days ago", []chromedp.Action[chromedp.Void]{
			chromedp.Navigate(procedure),
			chromedp.Click(chromedp.CSS(`#form-scheduleHearing summary`)),
			chromedp.SetValue(chromedp.CSS(`#scheduleHearing-invited_on`), time.Now().AddDate(0, 0, -5).Format("2006-01-02")),
			chromedp.SetValue(chromedp.CSS(`#scheduleHearing-hearing_at`), time.Now().AddDate(0, 0, 5).Format("2006-01-02")+"T10:00"),
			chromedp.Click(chromedp.CSS(`#form-scheduleHearing button[type="submit"]`)),
			chromedp.WaitVisible(chromedp.CSS(`#form-produceLetter_hearing_invitation`)),
		}},
		{"be refused its invitation, the earliest day named", []chromedp.Action[chromedp.Void]{
			chromedp.Click(chromedp.CSS(`#form-produceLetter_hearing_invitation summary`)),
			chromedp.Click(chromedp.CSS(`#form-produceLetter_hearing_invitation button[type="submit"]`)),
			chromedp.WaitVisible(chromedp.CSS(`.error-summary`)),
		}},
		{"schedule the hearing", []chromedp.Action[chromedp.Void]{
			chromedp.Navigate(procedure),
			chromedp.Click(chromedp.CSS(`#form-scheduleHearing summary`)),
			chromedp.SetValue(chromedp.CSS(`#scheduleHearing-invited_on`), today),
			chromedp.SetValue(chromedp.CSS(`#scheduleHearing-hearing_at`), hearing),
			chromedp.Click(chromedp.CSS(`#form-scheduleHearing button[type="submit"]`)),
			// the form to record it was there already (the first hearing):
			// the saved notice says this page is the answer
			chromedp.WaitVisible(chromedp.CSS(`.flash`)),
			chromedp.WaitVisible(chromedp.CSS(`#form-recordHearing`)),
		}},
		{"produce the invitation and open it", []chromedp.Action[chromedp.Void]{
			chromedp.Click(chromedp.CSS(`#form-produceLetter_hearing_invitation summary`)),
			chromedp.Click(chromedp.CSS(`#form-produceLetter_hearing_invitation button[type="submit"]`)),
			chromedp.WaitVisible(chromedp.CSS(`#documents ~ table .letter-row a`)),
			chromedp.Click(chromedp.CSS(`#documents ~ table .letter-row a`)),
			chromedp.WaitVisible(chromedp.CSS(`article.letter h1`)),
		}},
		{"find it on the agenda", []chromedp.Action[chromedp.Void]{
			chromedp.Navigate(srv.URL + "/bcsd"),
			chromedp.WaitVisible(chromedp.CSS(`a[href="/dossiers/` + id + `/procedures/1"]`)),
		}},
		{"find the hearing in My work, within the month", []chromedp.Action[chromedp.Void]{
			chromedp.Navigate(srv.URL + "/"),
			chromedp.WaitVisible(chromedp.CSS(`section[aria-labelledby="month"] a[href="/dossiers/` + id + `/procedures/1"]`)),
		}},
		{"record the hearing held", []chromedp.Action[chromedp.Void]{
			chromedp.Navigate(procedure),
			chromedp.Click(chromedp.CSS(`#form-recordHearing summary`)),
			chromedp.SetValue(chromedp.CSS(`#recordHearing-held`), "true"),
			chromedp.Click(chromedp.CSS(`#form-recordHearing button[type="submit"]`)),
			chromedp.WaitVisible(chromedp.CSS(`#form-recordDecision`)),
		}},
		{"find the decision due in My work, after the month", []chromedp.Action[chromedp.Void]{
			chromedp.Navigate(srv.URL + "/"),
			chromedp.WaitVisible(chromedp.CSS(`section[aria-labelledby="later"] a[href="/dossiers/` + id + `/procedures/1"]`)),
			chromedp.Navigate(procedure),
			chromedp.WaitVisible(chromedp.CSS(`#form-recordDecision`)),
		}},
		{"record a month's suspension", []chromedp.Action[chromedp.Void]{
			chromedp.Click(chromedp.CSS(`#form-recordDecision summary`)),
			chromedp.SetValue(chromedp.CSS(`#recordDecision-kind`), "suspension"),
			chromedp.SetValue(chromedp.CSS(`#recordDecision-months`), "1"),
			chromedp.SetValue(chromedp.CSS(`#recordDecision-decided_on`), today),
			chromedp.Click(chromedp.CSS(`#form-recordDecision button[type="submit"]`)),
			chromedp.WaitVisible(chromedp.CSS(`#suspension`)),
		}},
		{"produce the notification with the committee's reasons", []chromedp.Action[chromedp.Void]{
			chromedp.Click(chromedp.CSS(`#form-produceLetter_decision summary`)),
			chromedp.SetValue(chromedp.CSS(`#produceLetter_decision-reasons`), "Drie afspraken gemist zonder wettige reden."),
			chromedp.Click(chromedp.CSS(`#form-produceLetter_decision button[type="submit"]`)),
			chromedp.WaitVisible(chromedp.CSS(`#documents ~ table .letter-row:nth-child(2)`)),
		}},
		{"see it on the dossier", []chromedp.Action[chromedp.Void]{
			chromedp.Navigate(srv.URL + "/dossiers/" + id),
			chromedp.WaitVisible(chromedp.CSS(`.suspension`)),
		}},
	}
	for _, s := range steps {
		for i, a := range s.actions {
			// a step that does not come within a minute fails with the page
			// it stopped on, before the test's own deadline
			done := make(chan error, 1)
			go func() { done <- chromedp.Do(ctx, a) }()
			var err error
			select {
			case err = <-done:
			case <-time.After(time.Minute):
				err = errors.New("not done within a minute")
			}
			if err == nil {
				// htmx answers a form in place: the next action waits until
				// the answer is in, or its wait could be met by the content it
				// replaces and its click land on a form about to go.
				var idle bool
				if idle, err = pollUntil(ctx, `document.querySelector(".htmx-request, .htmx-swapping, .htmx-settling") === null`); err == nil && !idle {
					err = errors.New("htmx still busy")
				}
			}
			if err != nil {
				text, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`main`)))
				t.Fatalf("%s, step %d: %v\n%s", s.what, i, err, text)
			}
		}
	}
	// The invitation's refusal named the earliest day the notice allows.
	// The notification's PDF downloads from the page, a PDF.
	if err := chromedp.Do(ctx, chromedp.Navigate(procedure), chromedp.WaitVisible(chromedp.CSS(`#documents`))); err != nil {
		t.Fatal(err)
	}
	kind, err := chromedp.Run(ctx, chromedp.Evaluate[string](`fetch(document.querySelector('#documents ~ table .letter-row a[href$="/pdf"]').href).then(r => r.headers.get('Content-Type'))`, chromedp.EvalAwaitPromise))
	if err != nil || kind != "application/pdf" {
		t.Errorf("the notification's download: %q %v", kind, err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/dossiers/"+id), chromedp.WaitVisible(chromedp.CSS(`.suspension`))); err != nil {
		t.Fatal(err)
	}
	text, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`.suspension`)))
	if err != nil {
		t.Fatal(err)
	}
	// Decided this month, the suspension runs from the first day of the
	// second month after it, for one month.
	now := time.Now()
	from := time.Date(now.Year(), now.Month()+2, 1, 0, 0, 0, 0, time.UTC)
	until := from.AddDate(0, 1, 0)
	// (the dossier writes its dates short)
	want := fmt.Sprintf("Schorsing van 1 maand, van %s tot %s", from.Format("02/01/2006"), until.Format("02/01/2006"))
	if text != want {
		t.Errorf("the dossier's suspension: %q, want %q", text, want)
	}
}
