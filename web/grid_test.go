package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/traject-ocmw/traject/domain"
	"github.com/traject-ocmw/traject/store"
)

// monthWorld is a host (Resto) with three workers of the fixture's centre
// whose contracts began on the first of last month, another host
// (Kringwinkel) with one, and a user at each.
type monthWorld struct {
	e                    *actingEnv
	restoHost, kringHost string
	chef, kring          string // the hosts' users
	workers              []string
	elsewhere            string // Kringwinkel's worker
	month                time.Time
	counted              []time.Time // last month's counted days (Monday to Saturday)
	grid                 string      // the grid's path
	endsBefore           []time.Time
}

func newMonthWorld(t *testing.T) *monthWorld {
	e := newActingEnv(t)
	bg := context.Background()
	w := &monthWorld{e: e}
	brussels, _ := time.LoadLocation("Europe/Brussels")
	var err error
	if w.restoHost, err = e.db.CreateHost(bg, e.fx.CentreID, store.HostInput{Name: "Resto", Language: "nl", Positions: []store.HostPosition{{Function: "kitchen_help", Positions: 3}}}); err != nil {
		t.Fatal(err)
	}
	if w.kringHost, err = e.db.CreateHost(bg, e.fx.CentreID, store.HostInput{Name: "Kringwinkel", Language: "nl", Positions: []store.HostPosition{{Function: "shop_help", Positions: 2}}}); err != nil {
		t.Fatal(err)
	}
	if w.chef, err = e.db.CreateUser(bg, store.User{HostID: w.restoHost, Email: "chef@resto.example", DisplayName: "Chef", Role: domain.RoleHost, Language: "nl"}); err != nil {
		t.Fatal(err)
	}
	if w.kring, err = e.db.CreateUser(bg, store.User{HostID: w.kringHost, Email: "baas@kringwinkel.example", DisplayName: "Baas", Role: domain.RoleHost, Language: "nl"}); err != nil {
		t.Fatal(err)
	}
	now := time.Now().In(brussels)
	w.month = time.Date(now.Year(), now.Month()-1, 1, 0, 0, 0, 0, brussels)
	for d := w.month; d.Month() == w.month.Month(); d = d.AddDate(0, 0, 1) {
		if d.Weekday() != time.Sunday {
			w.counted = append(w.counted, d)
		}
	}
	for _, name := range []string{"Karim", "Lore", "Mehdi"} {
		id := e.start(name, now.AddDate(0, -3, 0))
		e.toArticle60(id, w.restoHost, "kitchen_help", w.month)
		w.workers = append(w.workers, id)
		w.endsBefore = append(w.endsBefore, e.contractEnd(id))
	}
	w.elsewhere = e.start("Noor", now.AddDate(0, -3, 0))
	e.toArticle60(w.elsewhere, w.kringHost, "shop_help", w.month)
	w.grid = "/host/attendance?centre=" + e.fx.CentreID + "&month=" + w.month.Format("2006-01")
	return w
}

// cell is a grid's field for a worker's day.
func cell(worker string, day time.Time) string {
	return "d." + worker + "." + day.Format(time.DateOnly)
}

var (
	gridForm     = regexp.MustCompile(`(?s)<form method="post" action="/host/attendance" novalidate>.*?</form>`)
	hiddenField  = regexp.MustCompile(`<input type="hidden" name="(\w+)" value="([^"]*)">`)
	gridSelect   = regexp.MustCompile(`(?s)<select name="([^"]+)"[^>]*>(.*?)</select>`)
	chosenOption = regexp.MustCompile(`<option value="(\w+)" selected>`)
)

// gridValues are the values the grid's form sends as it stands.
func gridValues(t *testing.T, page string) url.Values {
	t.Helper()
	f := gridForm.FindString(page)
	if f == "" {
		t.Fatalf("no grid form on the page:\n%s", page)
	}
	values := url.Values{}
	for _, m := range hiddenField.FindAllStringSubmatch(f, -1) {
		values.Set(m[1], m[2])
	}
	for _, m := range gridSelect.FindAllStringSubmatch(f, -1) {
		if c := chosenOption.FindStringSubmatch(m[2]); c != nil {
			values.Set(m[1], c[1])
		}
	}
	return values
}

// absences counts the days a worker's timeline recorded as not counting.
func (w *monthWorld) absences(id string) int {
	w.e.t.Helper()
	var n int
	if err := w.e.db.Pool().QueryRow(context.Background(), `SELECT count(*) FROM timeline_events WHERE participant_id = $1 AND kind = 'absence_recorded'`, id).Scan(&n); err != nil {
		w.e.t.Fatal(err)
	}
	return n
}

// recorded counts a worker's days kept in the month.
func (w *monthWorld) recorded(id string) int {
	w.e.t.Helper()
	days, err := w.e.db.Attendance(context.Background(), id, w.month, w.month.AddDate(0, 1, 0))
	if err != nil {
		w.e.t.Fatal(err)
	}
	return len(days)
}

// checkMonth holds the month as entered with two exceptions, one sick day
// of the first worker and one unjustified day of the second: every
// counted day kept, each exception one absence on its worker's timeline
// and one counted day more on its contract, the third worker's contract
// as it was.
func (w *monthWorld) checkMonth(t *testing.T) {
	t.Helper()
	for i, id := range w.workers {
		want := 0
		if i < 2 {
			want = 1
		}
		if got := w.absences(id); got != want {
			t.Errorf("worker %d: %d absences on the timeline, want %d", i, got, want)
		}
		if got := w.recorded(id); got != len(w.counted) {
			t.Errorf("worker %d: %d days kept, want %d", i, got, len(w.counted))
		}
		moved := w.e.contractEnd(id).Sub(w.endsBefore[i])
		if (want == 0 && moved != 0) || (want == 1 && (moved <= 0 || moved > 2*24*time.Hour)) {
			t.Errorf("worker %d: the contract end moved %s", i, moved)
		}
	}
}

// A host enters last month for its three workers in one submit, the days
// "worked" as the grid offers them but for two exceptions, through the
// pages with the real worker: each exception one workflow update, once,
// however often the month is sent (the same form again, or a new form with
// the same choices). My work first asks to enter the month, then to
// declare it; the host declares it, and the centre's coordinator and
// counsellor read the declaration on the monthly sheet. Need-to-know:
// another host's grid shows none of these workers and may not send their
// days; a declared month no longer changes.
func TestHostEntersAMonth(t *testing.T) {
	w := newMonthWorld(t)
	e := w.e
	chef := newBrowserSignedIn(t, e.h, w.chef)
	gridLink := strings.ReplaceAll(w.grid, "&", "&amp;")

	_, page, _ := chef.do("GET", "/", nil)
	if !strings.Contains(page, `href="`+gridLink+`"`) || !strings.Contains(page, "De aanwezigheid van "+monthNL(w.month)+" invullen") {
		t.Fatalf("My work does not ask to enter last month:\n%s", page)
	}
	status, page, _ := chef.do("GET", w.grid, nil)
	if status != http.StatusOK {
		t.Fatalf("the grid: %d\n%s", status, page)
	}
	for _, id := range w.workers {
		if !strings.Contains(page, `id="row-`+id+`"`) {
			t.Errorf("the grid lacks worker %s", id)
		}
	}
	if strings.Contains(page, w.elsewhere) || strings.Contains(page, "Noor") {
		t.Error("the grid shows another host's worker")
	}
	first := w.counted[0]
	initial := map[time.Weekday]string{time.Monday: "ma", time.Tuesday: "di", time.Wednesday: "wo", time.Thursday: "do", time.Friday: "vr", time.Saturday: "za"}[first.Weekday()]
	if !strings.Contains(page, `<span class="initial">`+initial+`</span> `+strconv.Itoa(first.Day())+`</abbr>`) {
		t.Errorf("the first column is not headed %s 1:\n%s", initial, page)
	}
	values := gridValues(t, page)
	if got := values.Get(cell(w.workers[2], w.counted[5])); got != "present" {
		t.Errorf("a day not entered is offered as %q, want worked", got)
	}
	values.Set(cell(w.workers[0], w.counted[1]), "unpaid_sickness")
	values.Set(cell(w.workers[1], w.counted[2]), "unjustified")
	for try := range 2 { // a second click sends the same form again
		if status, page, _ := chef.do("POST", "/host/attendance", values); status != http.StatusSeeOther {
			t.Fatalf("the month (try %d): %d\n%s", try, status, page)
		}
	}
	// Another tab, opened before the first submit: a new form, the same
	// choices. The days stand as sent; nothing moves twice.
	_, page, _ = chef.do("GET", w.grid, nil)
	if !strings.Contains(page, "Niets gewijzigd") {
		t.Errorf("the second submit did not say nothing changed:\n%s", page)
	}
	again := gridValues(t, page)
	again.Set(cell(w.workers[0], w.counted[1]), "unpaid_sickness")
	again.Set(cell(w.workers[1], w.counted[2]), "unjustified")
	if status, page, _ := chef.do("POST", "/host/attendance", again); status != http.StatusSeeOther {
		t.Fatalf("the month from another tab: %d\n%s", status, page)
	}
	w.checkMonth(t)

	// Need-to-know: another host sees none of these workers and may not
	// send their days.
	kring := newBrowserSignedIn(t, e.h, w.kring)
	_, page, _ = kring.do("GET", w.grid, nil)
	if !strings.Contains(page, `id="row-`+w.elsewhere+`"`) || strings.Contains(page, w.workers[0]) {
		t.Errorf("Kringwinkel's grid:\n%s", page)
	}
	stolen := gridValues(t, page)
	stolen.Set(cell(w.workers[2], w.counted[3]), "suspension")
	if status, _, _ := kring.do("POST", "/host/attendance", stolen); status != http.StatusNotFound {
		t.Errorf("another host sends a worker's day: %d", status)
	}
	if w.absences(w.workers[2]) != 0 {
		t.Error("another host's submit recorded an absence")
	}

	// My work asks to declare the month, the grid offers it.
	_, page, _ = chef.do("GET", "/", nil)
	if !strings.Contains(page, monthNL(w.month)+" volledig verklaren") {
		t.Errorf("My work does not ask to declare the month:\n%s", page)
	}
	_, page, _ = chef.do("GET", w.grid, nil)
	m := regexp.MustCompile(`(?s)<form method="post" action="/host/attendance/declaration" novalidate>.*?</form>`).FindString(page)
	if m == "" {
		t.Fatalf("the grid offers no declaration:\n%s", page)
	}
	declaration := url.Values{}
	for _, f := range hiddenField.FindAllStringSubmatch(m, -1) {
		declaration.Set(f[1], f[2])
	}
	if status, page, _ := chef.do("POST", "/host/attendance/declaration", declaration); status != http.StatusSeeOther {
		t.Fatalf("the declaration: %d\n%s", status, page)
	}
	_, page, _ = chef.do("GET", w.grid, nil)
	if !strings.Contains(page, "is volledig verklaard door Chef op") || strings.Contains(page, `<select name="d.`) {
		t.Errorf("the declared month:\n%s", page)
	}
	if status, _, _ := chef.do("POST", "/host/attendance", values); status != http.StatusConflict {
		t.Errorf("a declared month sent again: %d", status)
	}
	if _, page, _ := chef.do("GET", "/", nil); strings.Contains(page, monthNL(w.month)) {
		t.Errorf("My work still lists the declared month:\n%s", page)
	}
	// The centre reads the declaration on its sheet; the host's sheet
	// links to the grid.
	for _, who := range []string{e.fx.CoordinatorID, e.fx.CounsellorID} {
		status, page, _ := newBrowserSignedIn(t, e.h, who).do("GET", "/attendance?month="+w.month.Format("2006-01"), nil)
		if status != http.StatusOK || !strings.Contains(page, "<strong>Resto</strong>: volledig verklaard door Chef op") ||
			!strings.Contains(page, "<strong>Kringwinkel</strong>: nog niet volledig verklaard") || !strings.Contains(page, `<a href="/dossiers/`+w.workers[0]+`">Karim Test</a>`) {
			t.Errorf("the centre's sheet (%s): %d\n%s", who, status, page)
		}
	}
	if _, page, _ := chef.do("GET", "/host/sheet?centre="+e.fx.CentreID+"&month="+w.month.Format("2006-01"), nil); !strings.Contains(page, `href="`+gridLink+`"`) ||
		!strings.Contains(page, "volledig verklaard door Chef") {
		t.Errorf("the host's sheet:\n%s", page)
	}
}

// monthNL writes a month as the Dutch pages do.
func monthNL(m time.Time) string {
	names := []string{"januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"}
	return names[m.Month()-1] + " " + m.Format("2006")
}

// A host enters last month for three workers with two exceptions in one
// submit, in the browser: from My work to the grid, two cells changed, one
// click; then declares the month complete.
func TestHostEntersAMonthInTheBrowser(t *testing.T) {
	// A step that does not come fails after two minutes, not at the test
	// binary's deadline.
	ctx, cancel := context.WithTimeout(newChrome(t), 2*time.Minute)
	defer cancel()
	w := newMonthWorld(t)
	srv := httptest.NewServer(w.e.h)
	defer srv.Close()
	gridLink := `a[href="` + w.grid + `"]`
	if err := chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/signin"),
		chromedp.Click(chromedp.CSS(`form[action="/signin/dev"] input[value="`+w.chef+`"] + button`)),
		chromedp.WaitVisible(chromedp.CSS(gridLink)),
		chromedp.Click(chromedp.CSS(gridLink)),
		chromedp.WaitVisible(chromedp.CSS(`table.grid`)),
		chromedp.SetValue(chromedp.CSS(`select[name="`+cell(w.workers[0], w.counted[1])+`"]`), "unpaid_sickness"),
		chromedp.SetValue(chromedp.CSS(`select[name="`+cell(w.workers[1], w.counted[2])+`"]`), "unjustified"),
	); err != nil {
		text, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`main`)))
		t.Fatalf("to the grid: %v\n%s", err, text)
	}
	rows, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('table.grid tbody tr').length`))
	if err != nil || rows != 3 {
		t.Fatalf("the grid has %d rows (%v)", rows, err)
	}
	if *updateScreenshots {
		screenshot(t, ctx, "grid-host-nl.png")
	}
	if err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`form[method="post"][action="/host/attendance"] button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.flash`)),
	); err != nil {
		text, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`main`)))
		t.Fatalf("the submit: %v\n%s", err, text)
	}
	w.checkMonth(t)
	if err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`form[action="/host/attendance/declaration"] button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#declare + .notice`)),
	); err != nil {
		text, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`main`)))
		t.Fatalf("the declaration: %v\n%s", err, text)
	}
	text, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`#declare + .notice`)))
	if err != nil || !strings.Contains(text, "volledig verklaard door Chef") {
		t.Errorf("the declaration reads %q (%v)", text, err)
	}
}
