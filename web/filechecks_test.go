package web_test

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/traject-ocmw/traject/testenv"
	"github.com/traject-ocmw/traject/web"
)

// TestFileChecksPages seeds a dossier for each case the file check judges
// and reads them as the pages show them: the coordinator's files at risk
// (filters, counts, CSV and XLSX in words), each dossier's panel, and the
// files at risk on My work.
func TestFileChecksPages(t *testing.T) {
	db := testenv.Database(t)
	fx := testenv.Seed(t, db)
	d := testenv.SeedFileChecks(t, db, fx)
	h, err := web.New(web.Options{Logger: testenv.Logger(t), DB: db, DevSignIn: true, InsecureCookies: true})
	if err != nil {
		t.Fatal(err)
	}
	chris := newBrowserSignedIn(t, h, fx.CoordinatorID)

	// The page: one line per dossier at risk, linking to its panel, with
	// what puts it there in words.
	status, page, _ := chris.do("GET", "/file-checks", nil)
	if status != 200 {
		t.Fatalf("files at risk: %d", status)
	}
	rows := map[string]string{}
	for _, m := range regexp.MustCompile(`(?s)<tr>\s*<td class="num">\d+</td>\s*<th scope="row"><a href="/dossiers/([0-9a-f-]+)#file-check">.*?</tr>`).FindAllStringSubmatch(page, -1) {
		rows[m[1]] = m[0]
	}
	for id, want := range map[string][]string{
		d.SignedLate:       {"Laat, Lotte", "An", "GPMI op tijd ondertekend" + ":", "te laat"},
		d.TwoEvaluations:   {"Twee, Tom", "Evaluaties per 12 maanden", "te laat", "2 van 3 tussen "},
		d.OneFaceToFace:    {"Eenmaal, Eva", "Bram", "Evaluaties in een persoonlijk gesprek", "1 van 2"},
		d.ExemptUnreviewed: {"Vrijgesteld, Victor", "Herziening van de vrijstelling", "te laat"},
		d.SignDueSoon:      {"Binnenkort, Bart", "Geen trajectbegeleider", "Sociaal-professionele balans vóór het GPMI", "nog te doen"},
	} {
		row, ok := rows[id]
		if !ok {
			t.Errorf("no line for %v", want[0])
			continue
		}
		for _, w := range want {
			if !strings.Contains(row, w) {
				t.Errorf("%s's line lacks %q: %s", want[0], w, row)
			}
		}
	}
	if len(rows) != 5 || strings.Contains(page, "Orde") {
		t.Errorf("%d lines (want 5, the file fully met not among them)", len(rows))
	}
	for _, want := range []string{`href="/file-checks?counsellor=` + fx.Counsellor2ID + `">Bram: 2 dossiers</a>`, `href="/file-checks?counsellor=none">Geen trajectbegeleider: 1 dossier</a>`,
		`href="/file-checks?element=gpmi_signed">GPMI op tijd ondertekend: 2 dossiers</a>`, `href="/file-checks.csv"`, `href="/file-checks.xlsx"`} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %s", want)
		}
	}
	if _, page, _ := chris.do("GET", "/file-checks?state=due", nil); !strings.Contains(page, "Binnenkort") || strings.Contains(page, "Laat, Lotte") ||
		!strings.Contains(page, `href="/file-checks.csv?state=due"`) {
		t.Errorf("filtered on due: %s", page)
	}
	if status, _, _ := chris.do("GET", "/file-checks?element=handtekening", nil); status != 400 {
		t.Errorf("an unknown element: %d", status)
	}

	// The downloads hold what the page shows, in its words.
	_, csv, header := chris.do("GET", "/file-checks.csv?counsellor="+fx.CounsellorID, nil)
	if !strings.HasPrefix(header.Get("Content-Type"), "text/csv") || !strings.HasPrefix(csv, "\ufeffDossiernr.;Familienaam;Voornaam;") ||
		!strings.Contains(csv, ";Laat;Lotte;An;GPMI op tijd ondertekend;te laat;") || !strings.Contains(csv, ";Twee;Tom;An;Evaluaties per 12 maanden;te laat;") ||
		strings.Contains(csv, "Eenmaal") {
		t.Errorf("CSV: %s\n%s", header.Get("Content-Type"), csv)
	}
	_, raw, _ := chris.do("GET", "/file-checks.xlsx", nil)
	x, err := excelize.OpenReader(bytes.NewReader([]byte(raw)))
	if err != nil {
		t.Fatal(err)
	}
	sheet, err := x.GetRows(x.GetSheetList()[0])
	if err != nil {
		t.Fatal(err)
	}
	states := map[string]string{}
	for _, r := range sheet[1:] {
		states[r[1]+"/"+r[4]] = r[5]
	}
	for k, v := range map[string]string{"Laat/GPMI op tijd ondertekend": "te laat", "Twee/Evaluaties per 12 maanden": "te laat",
		"Eenmaal/Evaluaties in een persoonlijk gesprek": "te laat", "Vrijgesteld/Herziening van de vrijstelling": "te laat",
		"Binnenkort/GPMI op tijd ondertekend": "nog te doen"} {
		if states[k] != v {
			t.Errorf("XLSX %s: %q, want %q", k, states[k], v)
		}
	}

	// The dossier's panel: every element in words, the summary line at
	// the top; signed 420 days ago and never extended, the extension's
	// motivation is missing.
	an := newBrowserSignedIn(t, h, fx.CounsellorID)
	_, page, _ = an.do("GET", "/dossiers/"+d.TwoEvaluations, nil)
	for _, want := range []string{`<a href="#file-check"><strong class="late">2 onderdelen ontbreken of zijn te laat</strong></a>`, `<h2 id="file-check">Dossiercontrole</h2>`,
		`<a href="/dossiers/` + d.TwoEvaluations + `#evaluations">Evaluaties per 12 maanden</a></th>`, "2 van 3",
		`Verlenging na de eerste periode, schriftelijk gemotiveerd</a></th>` + "\n      <td><strong class=\"late\">ontbreekt</strong></td>"} {
		if !strings.Contains(page, want) {
			t.Errorf("Twee's panel lacks %q", want)
		}
	}
	if _, page, _ = an.do("GET", "/dossiers/"+d.AllMet, nil); !strings.Contains(page, "In orde voor de inspectie") || strings.Contains(page, `class="late">te laat`) {
		t.Errorf("the file fully met: %s", page)
	}
	if _, page, _ = newBrowserSignedIn(t, h, fx.BCSDID).do("GET", "/dossiers/"+d.TwoEvaluations, nil); strings.Contains(page, "file-check") {
		t.Errorf("the BCSD sees the file check")
	}

	// My work: the counsellor's own files, each with what to do; the
	// coordinator's count, linking to the page.
	_, page, _ = an.do("GET", "/", nil)
	for _, want := range []string{`<h2 id="files">Dossiers met risico bij inspectie`, `href="/dossiers/` + d.SignedLate + `#file-check">GPMI laten ondertekenen</a>`,
		`href="/dossiers/` + d.TwoEvaluations + `#file-check">Evaluatie houden</a>`} {
		if !strings.Contains(page, want) {
			t.Errorf("An's My work lacks %s", want)
		}
	}
	if strings.Contains(page, "Eenmaal") {
		t.Errorf("An's My work lists Bram's file")
	}
	if _, page, _ = chris.do("GET", "/", nil); !regexp.MustCompile(`<a href="/file-checks"><span class="count">5</span> Dossiers met risico bij inspectie</a>`).MatchString(page) {
		t.Errorf("the coordinator's My work has no count of the files at risk")
	}
	if status, _, _ := an.do("GET", "/file-checks", nil); status != 403 {
		t.Errorf("a counsellor opens the centre's files at risk: %d", status)
	}
}
