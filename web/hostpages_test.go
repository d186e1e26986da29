package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/traject-ocmw/traject/domain"
	"github.com/traject-ocmw/traject/store"
	"github.com/traject-ocmw/traject/workflows"
)

// toArticle60 moves a dossier to Article 60 at host as the coordinator,
// through the dossier's forms.
func (e *actingEnv) toArticle60(id, host, function string, start time.Time) {
	e.t.Helper()
	chris := newBrowserSignedIn(e.t, e.h, e.fx.CoordinatorID)
	for _, to := range []string{"work", "article60"} {
		_, page, _ := chris.do("GET", "/dossiers/"+id, nil)
		values := form(e.t, page, "postTransition")
		values.Set("to", to)
		if to == "article60" {
			values.Set("contract.host_id", host)
			values.Set("contract.function", function)
			values.Set("contract.regime", "full_time")
			values.Set("contract.start", start.Format(time.DateOnly))
		}
		if status, page, _ := chris.do("POST", "/dossiers/"+id+"/act/postTransition", values); status != http.StatusSeeOther {
			e.t.Fatalf("to %s: %d\n%s", to, status, page)
		}
	}
}

func (e *actingEnv) contractEnd(id string) time.Time {
	e.t.Helper()
	d, err := e.db.Dossier(context.Background(), id)
	if err != nil {
		e.t.Fatal(err)
	}
	var s workflows.State
	if err := json.Unmarshal(d.Trajectory, &s); err != nil || s.Contract == nil {
		e.t.Fatalf("no contract: %v", err)
	}
	return s.Contract.End
}

// A host user signs in, opens a worker of the centre from the list of
// their workers, records last month's attendance in the browser with two
// non-counting sick days, and the centre's counsellor sees the contract
// end moved by two counted days and the host's entry in the timeline. The
// host never gets a centre page, nor another host's worker.
func TestHostRecordsInTheBrowser(t *testing.T) {
	ctx, cancel := context.WithTimeout(newChrome(t), 3*time.Minute)
	defer cancel()
	e := newActingEnv(t)
	bg := context.Background()
	host, err := e.db.CreateHost(bg, e.fx.CentreID, store.HostInput{Name: "Resto", Language: "nl", Positions: []store.HostPosition{{Function: "kitchen_help", Positions: 2}}})
	if err != nil {
		t.Fatal(err)
	}
	other, err := e.db.CreateHost(bg, e.fx.CentreID, store.HostInput{Name: "Kringwinkel", Language: "nl", Positions: []store.HostPosition{{Function: "shop_help", Positions: 2}}})
	if err != nil {
		t.Fatal(err)
	}
	hostUser, err := e.db.CreateUser(bg, store.User{HostID: host, Email: "chef@resto.example", DisplayName: "Chef", Role: domain.RoleHost, Language: "nl"})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	lastMonth := time.Date(now.Year(), now.Month()-1, 1, 0, 0, 0, 0, time.Local)
	id := e.start("Karim", now.AddDate(0, -3, 0))
	e.toArticle60(id, host, "kitchen_help", lastMonth)
	elsewhere := e.start("Lore", now.AddDate(0, -3, 0))
	e.toArticle60(elsewhere, other, "shop_help", lastMonth)
	before := e.contractEnd(id)

	srv := httptest.NewServer(e.h)
	defer srv.Close()
	if err := chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/signin"),
		chromedp.Click(chromedp.CSS(`form[action="/signin/dev"] input[value="`+hostUser+`"] + button`)),
		// from My work to the workers' list
		chromedp.WaitVisible(chromedp.CSS(`main a[href^="/host/attendance?centre="]`)),
		chromedp.Click(chromedp.CSS(`nav a[href="/host"]`)),
		chromedp.WaitVisible(chromedp.CSS(`a[href="/host/workers/`+id+`"]`)),
		chromedp.Click(chromedp.CSS(`a[href="/host/workers/`+id+`"]`)),
		chromedp.WaitVisible(chromedp.CSS(`a[href^="/host/workers/`+id+`?month=`+lastMonth.Format("2006-01")+`"]`)),
		chromedp.Click(chromedp.CSS(`a[href^="/host/workers/`+id+`?month=`+lastMonth.Format("2006-01")+`"]`)),
	); err != nil {
		text, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`main`)))
		t.Fatalf("the host's flow: %v\n%s", err, text)
	}
	if _, err := pollUntil(ctx, (`document.querySelector('input[name="month"]') !== null && document.querySelector('input[name="month"]').value === "` + lastMonth.Format("2006-01") + `"`)); err != nil {
		text, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`main`)))
		t.Fatalf("the host's flow: %v\n%s", err, text)
	}
	// The month: two sick days that do not count, the other days present.
	days, err := chromedp.Run(ctx, chromedp.Evaluate[int](`(() => { const s = document.querySelectorAll('table.attendance select');
		s.forEach((el, i) => { el.value = i < 2 ? 'unpaid_sickness' : 'present'; }); return s.length; })()`))
	if err != nil || days < 20 {
		t.Fatalf("the month's grid has %d days (%v)", days, err)
	}
	if err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`form[action$="/attendance"] button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.flash`)),
	); err != nil {
		text, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`main`)))
		t.Fatalf("the host's flow: %v\n%s", err, text)
	}
	list, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector('a[href="/host/workers/`+elsewhere+`"]') === null`))
	if err != nil || !list {
		t.Errorf("the host's page links another host's worker (%v)", err)
	}

	after := e.contractEnd(id)
	if !after.After(before) || after.Sub(before) > 4*24*time.Hour {
		t.Errorf("the contract end moved from %s to %s, want two counted days later", before, after)
	}
	an := newBrowserSignedIn(t, e.h, e.fx.CounsellorID)
	_, page, _ := an.do("GET", "/dossiers/"+id, nil)
	if !strings.Contains(page, "Chef (medewerker tewerkstellingsplaats, Resto)") {
		t.Errorf("the counsellor's timeline lacks the host's entry")
	}
	chef := newBrowserSignedIn(t, e.h, hostUser)
	for _, path := range []string{"/dossiers/" + id, "/caseload", "/hosts", "/stats"} {
		if status, _, _ := chef.do("GET", path, nil); status != http.StatusForbidden {
			t.Errorf("a host user's %s: %d", path, status)
		}
	}
	// The month's sheet, the host's and the centre's: the two sick days.
	month := lastMonth.Format("2006-01")
	for who, path := range map[*browser]string{chef: "/host/sheet?centre=" + e.fx.CentreID + "&month=" + month, newBrowserSignedIn(t, e.h, e.fx.CoordinatorID): "/attendance?month=" + month} {
		status, page, _ := who.do("GET", path, nil)
		if status != 200 || !strings.Contains(page, "Karim Test") || !strings.Contains(page, `<td class="num">2</td></tr>`) || strings.Count(page, `title="ziek zonder loon (telt niet)"`) != 2 {
			t.Errorf("%s: %d\n%s", path, status, page)
		}
	}
	if status, _, _ := chef.do("GET", "/host/workers/"+elsewhere, nil); status != http.StatusNotFound {
		t.Errorf("another host's worker: %d", status)
	}
	if status, _, _ := an.do("GET", "/host", nil); status != http.StatusForbidden {
		t.Errorf("a counsellor's host page: %d", status)
	}
}

// A host user records the first check before the end (after a try that
// leaves the skills out, sent back at the field), signals a problem and
// says it hires the worker, each with its form on the worker's page; the
// page shows what was recorded, and the counsellor's dossier shows the
// check, the problem's text and the hiring.
func TestHostChecksProblemsAndHiringPages(t *testing.T) {
	e := newActingEnv(t)
	bg := context.Background()
	host, err := e.db.CreateHost(bg, e.fx.CentreID, store.HostInput{Name: "Resto", Language: "nl", Positions: []store.HostPosition{{Function: "kitchen_help", Positions: 2}}})
	if err != nil {
		t.Fatal(err)
	}
	hostUser, err := e.db.CreateUser(bg, store.User{HostID: host, Email: "chef@resto.example", DisplayName: "Chef", Role: domain.RoleHost, Language: "nl"})
	if err != nil {
		t.Fatal(err)
	}
	id := e.start("Karim", time.Now().AddDate(0, -3, 0))
	e.toArticle60(id, host, "kitchen_help", time.Now().AddDate(0, -1, 0))
	chef := newBrowserSignedIn(t, e.h, hostUser)
	page := "/host/workers/" + id

	_, html, _ := chef.do("GET", page, nil)
	if !strings.Contains(html, ">Evaluatie 2</option>") || strings.Contains(html, "%!") {
		t.Errorf("the checks to choose from are not named right:\n%s", html)
	}
	values := form(t, html, "recordHostCheck")
	values.Set("n", "1")
	values.Set("held_on", time.Now().Format(time.DateOnly))
	values.Set("attendance", "irregular")
	values.Set("hiring_chance", "possible")
	status, html, _ := chef.do("POST", page+"/checks", values)
	if status != http.StatusUnprocessableEntity || !strings.Contains(html, `id="recordHostCheck-skills-error"`) {
		t.Fatalf("a check without skills: %d\n%s", status, html)
	}
	values.Set("skills", "partly")
	if status, html, _ := chef.do("POST", page+"/checks", values); status != http.StatusSeeOther {
		t.Fatalf("the check: %d\n%s", status, html)
	}
	_, html, _ = chef.do("GET", page, nil)
	values = form(t, html, "signalHostProblem")
	values.Set("category", "health")
	values.Set("text", "Rugklachten: kan voorlopig niet tillen.")
	if status, html, _ := chef.do("POST", page+"/problems", values); status != http.StatusSeeOther {
		t.Fatalf("the problem: %d\n%s", status, html)
	}
	_, html, _ = chef.do("GET", page, nil)
	values = form(t, html, "recordHiring")
	values.Set("start", time.Now().AddDate(1, 0, 0).Format(time.DateOnly))
	values.Set("employment", "open_ended")
	if status, html, _ := chef.do("POST", page+"/hiring", values); status != http.StatusSeeOther {
		t.Fatalf("the hiring: %d\n%s", status, html)
	}
	_, html, _ = chef.do("GET", page, nil)
	for _, want := range []string{"Evaluatie 1", "onregelmatig", "gedeeltelijk", "Evaluatie 2", "Rugklachten: kan voorlopig niet tillen.", "In dienst vanaf", "onbepaalde duur"} {
		if !strings.Contains(html, want) {
			t.Errorf("the host's page lacks %q", want)
		}
	}
	if strings.Contains(html, `id="form-recordHiring"`) {
		t.Errorf("the hiring form is still offered after the hiring")
	}
	if _, html, _ := chef.do("GET", "/host", nil); !strings.Contains(html, "1 van de 2 plaatsen bezet") {
		t.Errorf("the host's agreements:\n%s", html)
	}
	// The host's report: one worker supported, none ended yet.
	status, html, _ = chef.do("GET", "/host/report", nil)
	if status != 200 || !strings.Contains(html, `<td class="num">1</td><td class="num">0</td><td class="num">0</td>`) {
		t.Errorf("the host's report: %d\n%s", status, html)
	}
	if status, csv, _ := chef.do("GET", "/host/report.csv", nil); status != 200 || !strings.Contains(csv, "total,,,1,0,0,0.00") {
		t.Errorf("the host's report as CSV: %d\n%s", status, csv)
	}
	an := newBrowserSignedIn(t, e.h, e.fx.CounsellorID)
	if status, _, _ := an.do("GET", "/host/report", nil); status != http.StatusForbidden {
		t.Errorf("a counsellor's host report: %d", status)
	}
	_, html, _ = an.do("GET", "/dossiers/"+id, nil)
	for _, want := range []string{"Evaluatie 1", "Rugklachten: kan voorlopig niet tillen.", "De tewerkstellingsplaats neemt de werknemer in dienst", "probleem gemeld door de tewerkstellingsplaats", "Chef (medewerker tewerkstellingsplaats, Resto)"} {
		if !strings.Contains(html, want) {
			t.Errorf("the counsellor's dossier lacks %q", want)
		}
	}
}
