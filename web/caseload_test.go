package web_test

import (
	"context"
	"fmt"
	"html"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/traject-ocmw/traject/domain"
	"github.com/traject-ocmw/traject/store"
	"github.com/traject-ocmw/traject/testenv"
	"github.com/traject-ocmw/traject/web"
	"github.com/traject-ocmw/traject/workflows"
)

// caseloadRows are the caseload's rows as the page lists them: each
// row's dossier number and name.
var caseloadRowRE = regexp.MustCompile(`<td class="num">(\d+)</td>\s*<th scope="row"><a href="/dossiers/[^"]+">([^<]+)</a></th>`)

func caseloadNames(page string) []string {
	var out []string
	for _, m := range caseloadRowRE.FindAllStringSubmatch(page, -1) {
		out = append(out, html.UnescapeString(m[2]))
	}
	return out
}

// A coordinator's caseload of 60 dossiers (and the fixture's intake):
// each row with its dossier number, birth date, national number masked
// but for its last four digits, and its states in words; the count of all
// pages; a search by name in either order, by dossier number and by
// national number (which shows that number whole); headers that sort both
// ways, a page at a time without skipping or repeating a row; and from a
// dossier, the link back to the list as it was left.
func TestCaseloadFor60Dossiers(t *testing.T) {
	db := testenv.Database(t)
	fx := testenv.Seed(t, db)
	st := store.New(db)
	ctx := context.Background()
	now := time.Now()
	var ids []string
	for i := range 60 {
		counsellor := fx.CounsellorID
		if i%2 == 1 {
			counsellor = fx.Counsellor2ID
		}
		var deadlines []workflows.Deadline
		if i%10 == 0 {
			deadlines = append(deadlines, workflows.Deadline{ID: "gpmi.sign", Kind: workflows.KindGPMISign, Due: now.AddDate(0, 0, -3), Actor: domain.ActorCounsellor})
		} else {
			deadlines = append(deadlines, workflows.Deadline{ID: "gpmi.sign", Kind: workflows.KindGPMISign, Due: now.AddDate(0, 0, i), Actor: domain.ActorCounsellor})
		}
		id := seedDeadlines(t, st, fx.CentreID, counsellor, fmt.Sprintf("Naam%02d", i), deadlines...)
		// Many share a family name; the birth dates and national numbers
		// tell them apart.
		family := []string{"Peeters", "Janssens", "Maes", "Jacobs"}[i%4]
		birth := time.Date(1960+i%40, time.Month(1+i%12), 1+i%28, 0, 0, 0, 0, time.UTC)
		if _, err := db.Exec(ctx, `UPDATE participants SET family_name = $2, birth_date = $3, national_number = $4 WHERE id = $1`,
			id, family, birth, belgianNN(birth, 100+i)); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	// The states the list shows as tags: a running Article 60 contract, a
	// suspension, procedures before the BCSD (seedProcedures: a hearing
	// planned for the first, a decision for the second).
	if _, err := db.Exec(ctx, `UPDATE trajectories SET phase = 'article60' WHERE participant_id = $1`, ids[3]); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(ctx, `UPDATE trajectories SET state = state || '{"sanction": {"suspended": true}}' WHERE participant_id = $1`, ids[5]); err != nil {
		t.Fatal(err)
	}
	seedProcedures(t, st, fx, ids[7], ids[9])

	h, err := web.New(web.Options{Logger: testenv.Logger(t), DB: db, DevSignIn: true, InsecureCookies: true})
	if err != nil {
		t.Fatal(err)
	}
	chris := newBrowserSignedIn(t, h, fx.CoordinatorID)
	_, page, _ := chris.do("GET", "/caseload", nil)
	if !strings.Contains(page, "61 dossiers (50 op deze pagina)") {
		t.Errorf("no count of all pages:\n%s", page)
	}
	if rows := caseloadRowRE.FindAllStringSubmatch(page, -1); len(rows) != 50 || rows[0][1] != "1" || rows[1][1] != "2" || rows[49][1] != "50" {
		t.Errorf("not the first 50 by dossier number: %d rows", len(rows))
	}
	if !strings.Contains(page, `<th scope="col" aria-sort="ascending"><a href="/caseload?sort=-number" class="sort">Dossiernr.`) {
		t.Errorf("the dossier number's header does not say it sorts, or does not sort the other way:\n%s", page)
	}

	// Each row as a person reads it, the fixture's intake first (1).
	d, err := st.Dossier(ctx, ids[0])
	if err != nil {
		t.Fatal(err)
	}
	if d.Number != 2 {
		t.Errorf("the first seeded dossier has number %d, want 2 (the fixture's intake is 1)", d.Number)
	}
	nn := belgianNN(time.Date(1960, 1, 1, 0, 0, 0, 0, time.UTC), 100)
	row := rowOf(t, page, ids[0])
	for _, want := range []string{`<td class="num">2</td>`, "Peeters, Naam00", `<time datetime="1960-01-01">1 januari 1960</time>`,
		`<span aria-hidden="true">••.••.••-•</span><span class="visually-hidden">eindigt op </span>` + nn[7:9] + "." + nn[9:], `tag-overdue">te laat</span>`} {
		if !strings.Contains(row, want) {
			t.Errorf("the first row lacks %s:\n%s", want, row)
		}
	}
	if strings.Contains(page, nn) || strings.Contains(page, nn[0:2]+"."+nn[2:4]+"."+nn[4:6]) {
		t.Errorf("a national number is shown whole without being searched")
	}
	for i, tag := range map[int]string{3: "artikel 60", 5: "leefloon geschorst", 7: "BCSD", 9: "BCSD"} {
		if row := rowOf(t, page, ids[i]); !strings.Contains(row, `">`+tag+`</span>`) {
			t.Errorf("row %d lacks the tag %q:\n%s", i, tag, row)
		}
	}
	if strings.Contains(rowOf(t, page, ids[1]), `class="tag`) {
		t.Errorf("a dossier with nothing to flag has a tag")
	}

	// The next page: the rest, the same count.
	next := regexp.MustCompile(`<a href="(/caseload\?after=[^"]+)">Volgende dossiers</a>`).FindStringSubmatch(page)
	if next == nil {
		t.Fatalf("no next page")
	}
	_, page, _ = chris.do("GET", html.UnescapeString(next[1]), nil)
	if rows := caseloadNames(page); len(rows) != 11 || !strings.Contains(page, "61 dossiers (11 op deze pagina)") {
		t.Errorf("the second page: %d rows", len(rows))
	}

	// Search: a family name typed first, a dossier number, a national
	// number (shown whole then).
	for q, want := range map[string]string{
		"Janssens naam01": "Janssens, Naam01",
		"naam13 jacobs":   "",
		"#2":              "Peeters, Naam00",
		"2":               "Peeters, Naam00",
		nn[0:2] + "." + nn[2:4] + "." + nn[4:6] + "-" + nn[6:9] + "." + nn[9:]: "Peeters, Naam00",
	} {
		_, page, _ = chris.do("GET", "/caseload?"+url.Values{"q": {q}}.Encode(), nil)
		got := strings.Join(caseloadNames(page), "; ")
		if want == "" {
			if got != "" || !strings.Contains(page, "Geen dossiers met deze filters.") {
				t.Errorf("q=%s: %s", q, got)
			}
			continue
		}
		if got != want || !strings.Contains(page, "1 dossier<") {
			t.Errorf("q=%s: %s, want %s (one dossier)", q, got, want)
		}
	}
	_, page, _ = chris.do("GET", "/caseload?"+url.Values{"q": {nn}}.Encode(), nil)
	if whole := nn[0:2] + "." + nn[2:4] + "." + nn[4:6] + "-" + nn[6:9] + "." + nn[9:]; !strings.Contains(page, "<td class=\"nowrap\">"+whole+"</td>") {
		t.Errorf("the national number searched for is not shown whole:\n%s", rowOf(t, page, ids[0]))
	}

	// Sorting by a header, both ways, over pages.
	walk := func(query string) []string {
		var names []string
		path := "/caseload?" + query
		for range 5 {
			_, page, _ := chris.do("GET", path, nil)
			names = append(names, caseloadNames(page)...)
			m := regexp.MustCompile(`<a href="(/caseload\?[^"]*after=[^"]+)">Volgende dossiers</a>`).FindStringSubmatch(page)
			if m == nil {
				return names
			}
			path = html.UnescapeString(m[1])
		}
		t.Fatal("the pages do not end")
		return nil
	}
	byName := walk("sort=name")
	if len(byName) != 61 || byName[0] != "El Idrissi, Fatima" || byName[1] != "Jacobs, Naam03" || byName[60] != "Peeters, Naam56" {
		t.Errorf("by name: %d rows, %v", len(byName), byName)
	}
	seen := map[string]bool{}
	for _, n := range byName {
		if seen[n] {
			t.Errorf("%s on two pages", n)
		}
		seen[n] = true
	}
	if desc := walk("sort=-name"); len(desc) != 61 || desc[0] != "Peeters, Naam56" || desc[60] != "El Idrissi, Fatima" {
		t.Errorf("by name, descending: %d rows, %v", len(desc), desc)
	}
	_, page, _ = chris.do("GET", "/caseload?sort=-birth_date", nil)
	if names := caseloadNames(page); len(names) == 0 || names[0] != "Jacobs, Naam39" {
		t.Errorf("by birth date, youngest first: %v", names)
	}
	if !strings.Contains(page, `<th scope="col" aria-sort="descending"><a href="/caseload?sort=birth_date" class="sort">Geboortedatum`) {
		t.Errorf("the birth date's header does not say it sorts descending, or does not sort back")
	}
	_, page, _ = chris.do("GET", "/caseload?sort=deadline", nil)
	names := caseloadNames(page)
	if len(names) < 7 || !strings.HasSuffix(names[6], "Naam01") {
		t.Fatalf("by deadline, the six overdue, then the one due tomorrow: %v", names)
	}
	for _, n := range names[:6] {
		if !strings.HasSuffix(n, "0") {
			t.Errorf("by deadline, %s before the next one due, among the overdue: %v", n, names[:7])
		}
	}

	// From a dossier, back to the list as it was left.
	chris.do("GET", "/caseload?"+url.Values{"q": {"peeters"}, "sort": {"-name"}, "phase": {"intake"}}.Encode(), nil)
	_, page, _ = chris.do("GET", "/dossiers/"+ids[0], nil)
	if !strings.Contains(page, `<a href="/caseload?phase=intake&amp;q=peeters&amp;sort=-name">Terug naar de dossiers</a>`) {
		t.Errorf("the dossier's link back does not keep the list's filters:\n%s", page)
	}
	if !strings.Contains(page, "Dossiernummer 2") {
		t.Errorf("the dossier does not show its number")
	}
	// The link back opens the same list.
	_, page, _ = chris.do("GET", "/caseload?phase=intake&q=peeters&sort=-name", nil)
	if names := caseloadNames(page); len(names) != 15 || names[0] != "Peeters, Naam56" {
		t.Errorf("the list back: %v", names)
	}
	// Another session has its own list.
	an := newBrowserSignedIn(t, h, fx.CounsellorID)
	if _, page, _ = an.do("GET", "/dossiers/"+ids[0], nil); !strings.Contains(page, `<a href="/caseload">Terug naar de dossiers</a>`) {
		t.Errorf("a dossier opened before any list links back to the whole list")
	}
}

// rowOf is the caseload's table row of the dossier id.
func rowOf(t *testing.T, page, id string) string {
	t.Helper()
	i := strings.Index(page, `<a href="/dossiers/`+id+`">`)
	if i < 0 {
		t.Fatalf("no row for %s", id)
	}
	start := strings.LastIndex(page[:i], "<tr>")
	end := strings.Index(page[i:], "</tr>")
	return page[start : i+end]
}

// belgianNN is a national register number for the birth date with a
// serial and correct check digits.
func belgianNN(birth time.Time, serial int) string {
	base := fmt.Sprintf("%s%03d", birth.Format("060102"), serial)
	var n int64
	fmt.Sscan(base, &n)
	if birth.Year() >= 2000 {
		n += 2000000000
	}
	return fmt.Sprintf("%s%02d", base, 97-n%97)
}
