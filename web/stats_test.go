package web_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/traject-ocmw/traject/api"
	"github.com/traject-ocmw/traject/domain"
	"github.com/traject-ocmw/traject/store"
	"github.com/traject-ocmw/traject/testenv"
	"github.com/traject-ocmw/traject/web"
	"github.com/traject-ocmw/traject/workflows"
)

// A coordinator opens the statistics for a range of months in the browser
// and downloads each table as CSV, plain and for Excel: the same bytes as
// the API's for the same range. A counsellor gets no statistics page.
func TestStatisticsInTheBrowser(t *testing.T) {
	ctx := newChrome(t)
	db := testenv.Database(t)
	fx := testenv.Seed(t, db)
	st := store.New(db)
	for i, name := range []string{"Amal", "Bart", "Celine"} {
		id := seedDeadlines(t, st, fx.CentreID, fx.CounsellorID, name,
			workflows.Deadline{ID: "d", Kind: workflows.KindGPMISign, Due: time.Now().Add(-time.Hour), Actor: domain.ActorCounsellor})
		// In work (phase 4) for the last months, so that the chart has bars.
		if _, err := db.Exec(context.Background(), `INSERT INTO timeline_events (event_key, participant_id, centre_id, occurred_at, seq, kind, phase_to)
			VALUES ($1, $2, $3, now() - $4 * interval '1 month', 0, 'phase_changed', 'work')`, id+"/work", id, fx.CentreID, 3+i); err != nil {
			t.Fatal(err)
		}
	}
	pages, err := web.New(web.Options{Logger: testenv.Discard(), DB: db, DevSignIn: true, InsecureCookies: true})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(api.New(api.Options{Logger: testenv.Discard(), DB: db, Temporal: testenv.Client(t), TaskQueue: "stats-test", Pages: pages}))
	defer srv.Close()
	_, token, err := st.CreateToken(context.Background(), fx.CoordinatorID, "stats test")
	if err != nil {
		t.Fatal(err)
	}
	apiCSV := func(path string) []byte {
		req, _ := http.NewRequest("GET", srv.URL+path, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = resp.Body.Close() }()
		raw, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %d %s", path, resp.StatusCode, raw)
		}
		return raw
	}

	// Twelve months ending with the last one: none of them still running.
	now := time.Now()
	last := time.Date(now.Year(), now.Month()-1, 1, 0, 0, 0, 0, time.UTC)
	first := last.AddDate(0, -11, 0)
	from, to := first.Format("2006-01"), last.Format("2006-01")
	if err := chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/signin"),
		chromedp.Click(chromedp.CSS(`form[action="/signin/dev"] input[value="`+fx.CoordinatorID+`"] + button`)),
		chromedp.WaitVisible(chromedp.CSS(`.who`)),
		chromedp.Click(chromedp.CSS(`header .menu summary`)),
		chromedp.Click(chromedp.CSS(`header a[href="/stats"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#s-from`)),
		chromedp.SetValue(chromedp.CSS(`#s-from`), from),
		chromedp.SetValue(chromedp.CSS(`#s-to`), to),
		chromedp.Click(chromedp.CSS(`form[action="/stats"] button`)),
	); err != nil {
		t.Fatal(err)
	}
	// The default range has twelve months too: wait for the asked one,
	// its month in words.
	nlMonths := []string{"januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"}
	firstMonth := fmt.Sprintf("%s %d", nlMonths[first.Month()-1], first.Year())
	if _, err := pollUntil(ctx, (`document.querySelector('#trajectory-table tbody th') !== null &&
		document.querySelector('#trajectory-table tbody th').textContent.trim() === "` + firstMonth + `"`)); err != nil {
		t.Fatalf("the asked range never showed: %v", err)
	}
	rows, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('#trajectory-table tbody tr').length`))
	if err != nil || rows != 12 {
		t.Fatalf("the table has %d months (%v), want 12", rows, err)
	}
	if svg, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('figure.chart svg rect').length`)); err != nil || svg == 0 {
		t.Errorf("the phase chart has no bars (%v)", err)
	}
	// The share has its own scale, on the right; the table scrolls in its
	// frame with the months in view, and closes on the average month.
	ticks, err := chromedp.Run(ctx, chromedp.Evaluate[string](`[...document.querySelectorAll('figure.chart text[text-anchor="start"]')].map(e => e.textContent).join("|")`))
	if err != nil || ticks != "0\u00a0%|50\u00a0%|100\u00a0%" {
		t.Errorf("the share's scale: %q (%v)", ticks, err)
	}
	sticky, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => {
		const frame = document.querySelector('#trajectory-table').closest('.frame');
		const scrolls = frame.scrollWidth > frame.clientWidth;
		frame.scrollLeft = frame.scrollWidth;
		const th = document.querySelector('#trajectory-table tbody th');
		const gap = Math.round(th.getBoundingClientRect().left - frame.getBoundingClientRect().left);
		frame.scrollLeft = 0;
		return scrolls + " " + gap + " " + document.querySelector('#trajectory-table tfoot th').textContent.trim();
	})()`))
	if err != nil || sticky != "true 1 Maandgemiddelde" {
		t.Errorf("the table's frame (scrolls, the month's distance from its edge when scrolled, the closing row): %q (%v)", sticky, err)
	}
	for report, api := range map[string]string{
		"trajectories": "/v1/stats/trajectories?from=" + from + "&to=" + to,
		"outcomes":     "/v1/stats/outcomes?from=" + first.Format("2006-01-02") + "&to=" + last.AddDate(0, 1, 0).Format("2006-01-02"),
		"bcsd":         "/v1/stats/bcsd?from=" + first.Format("2006-01-02") + "&to=" + last.AddDate(0, 1, 0).Format("2006-01-02"),
	} {
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`nav.tabs a[href^="/stats?table=`+report+`"]`)),
			chromedp.WaitVisible(chromedp.CSS(`nav.tabs a[aria-current="page"][href^="/stats?table=`+report+`"]`))); err != nil {
			t.Fatalf("the %s tab: %v", report, err)
		}
		for _, excel := range []bool{false, true} {
			sel := `a[href^="/stats/` + report + `.csv"]:not([href*="semicolon"])`
			path := api + "&format=csv"
			if excel {
				sel = `a[href^="/stats/` + report + `.csv"][href*="semicolon"]`
				path += "&delimiter=semicolon"
			}
			// The download as the browser gets it, with the session.
			b64, err := chromedp.Run(ctx, chromedp.Evaluate[string](`fetch(document.querySelector('`+sel+`').href).then(r => r.arrayBuffer()).then(b => {
				let s = ''; new Uint8Array(b).forEach(c => s += String.fromCharCode(c)); return btoa(s); })`, chromedp.EvalAwaitPromise))
			if err != nil {
				t.Fatalf("%s: %v", report, err)
			}
			page, _ := base64.StdEncoding.DecodeString(b64)
			want := apiCSV(path)
			if string(page) != string(want) {
				t.Errorf("%s (excel %v): the page's CSV differs from the API's:\n%q\n%q", report, excel, page, want)
			}
			if excel && !strings.HasPrefix(string(page), "\ufeff") {
				t.Errorf("%s: the Excel CSV has no byte order mark", report)
			}
		}
	}

	an := newBrowserSignedIn(t, pages, fx.CounsellorID)
	if status, _, _ := an.do("GET", "/stats", nil); status != http.StatusForbidden {
		t.Errorf("a counsellor's statistics page: %d", status)
	}
	if status, _, _ := an.do("GET", "/stats/trajectories.csv", nil); status != http.StatusForbidden {
		t.Errorf("a counsellor's statistics CSV: %d", status)
	}
}
