package web_test

import (
	"bytes"
	"context"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/traject-ocmw/traject/policy"
	"github.com/traject-ocmw/traject/testenv"
	"github.com/traject-ocmw/traject/web"
)

// TestClaimsPage seeds a dossier for every case of the month's claims,
// records an extension on the dossier page (a bad one first, refused with
// the field named) and reads each month's code or reason in words on the
// claims page, in its CSV and its XLSX (read back).
func TestClaimsPage(t *testing.T) {
	db := testenv.Database(t)
	fx := testenv.Seed(t, db)
	d := testenv.SeedClaims(t, db, fx)
	h, err := web.New(web.Options{Logger: testenv.Logger(t), DB: db, DevSignIn: true, InsecureCookies: true})
	if err != nil {
		t.Fatal(err)
	}
	an := newBrowserSignedIn(t, h, fx.CounsellorID)
	chris := newBrowserSignedIn(t, h, fx.CoordinatorID)

	// The dossier's GPMI section: no extension yet, its form; a motivation
	// left out comes back named at the field.
	_, page, _ := an.do("GET", "/dossiers/"+d.Extended, nil)
	for _, want := range []string{`<h3 id="extensions">Verlengingen</h3>`, "Het GPMI is niet verlengd.", `action="/dossiers/` + d.Extended + `/gpmi-extensions"`} {
		if !strings.Contains(page, want) {
			t.Errorf("the dossier lacks %q", want)
		}
	}
	// (What the inspection calls an extension without motivation.)
	status, page, _ := an.do("POST", "/dossiers/"+d.Extended+"/gpmi-extensions", url.Values{"extended_on": {"2026-01-20"}, "motivation": {" "}})
	if got := fieldError(page, "recordGPMIExtension-motivation"); status != 422 || got != "is verplicht" || !strings.Contains(page, `for="recordGPMIExtension-motivation"`) {
		t.Errorf("without motivation: %d, at the field %q", status, got)
	}
	status, page, _ = an.do("POST", "/dossiers/"+d.Extended+"/gpmi-extensions", url.Values{"extended_on": {"2024-12-01"}, "motivation": {"Te vroeg."}})
	if status != 422 || !strings.Contains(page, "recordGPMIExtension-extended_on-error") {
		t.Errorf("before the signature: %d", status)
	}
	if status, _, _ := an.do("POST", "/dossiers/"+d.Extended+"/gpmi-extensions", url.Values{"extended_on": {"2026-01-20"}, "motivation": {"De opleiding lasser loopt tot juni."}}); status != 303 {
		t.Fatalf("extension: %d", status)
	}
	if _, page, _ = an.do("GET", "/dossiers/"+d.Extended, nil); !strings.Contains(page, "De opleiding lasser loopt tot juni.") || !strings.Contains(page, "Verlengd op 20/01/2026") {
		t.Errorf("the extension is not listed")
	}

	// The claims page, each line's code or reason in words.
	rowOf := func(page, id string) string {
		m := regexp.MustCompile(`(?s)<tr>\s*<td class="nowrap">[0-9]{2}\.[0-9]{2}\.[0-9]{2}-[0-9]{3}\.[0-9]{2}</td>\s*<th scope="row"><a href="/dossiers/` + id + `">.*?</tr>`).FindString(page)
		return m
	}
	for month, want := range map[string]map[string]string{
		"2026-02": {d.Extended: "code 17", d.NoExtension: "voorbij de eerste periode, geen verlenging geregistreerd (eerste periode tot en met 15/01/2026)",
			d.NotInForce: "het GPMI was niet van kracht op de laatste dag van de eerste periode", d.Ends30th: "werkt met een artikel 60-contract"},
		"2025-12": {d.FourMonthBreak: "teruggekomen na een onderbreking van meer dan 3 maanden"},
		"2025-10": {d.Reentered: "code 11"},
	} {
		status, page, _ := chris.do("GET", "/claims?month="+month, nil)
		if status != 200 {
			t.Fatalf("claims %s: %d", month, status)
		}
		// The policy's codes are said in words above the lines.
		if !strings.Contains(page, "Code 11: een GPMI dat op de laatste dag van de maand loopt; code 17: een GPMI dat na de eerste periode verlengd is") {
			t.Errorf("claims %s: the codes are not explained", month)
		}
		for id, w := range want {
			if row := rowOf(page, id); !strings.Contains(row, w) {
				t.Errorf("%s, %s: %q lacks %q", month, id, row, w)
			}
		}
		// The counts group the reasons, not each line's day.
		if strings.Contains(page, "(eerste periode tot en met 15/01/2026):") {
			t.Errorf("claims %s: a count is split by its lines' days", month)
		}
		if !strings.Contains(page, "Voor het gewest van het centrum is geen financiering van artikel 60-maanden ingesteld.") {
			t.Errorf("%s: Brussels is not configured: the page does not say so", month)
		}
		for _, code := range []string{"no_extension", "not_in_force", "break_without", "article60_"} {
			if strings.Contains(page, code) {
				t.Errorf("%s: the page shows the code %s", month, code)
			}
		}
	}
	if _, page, _ := chris.do("GET", "/claims?month=2025-10", nil); !strings.Contains(rowOf(page, d.Reentered), "15/10/2025") {
		t.Errorf("re-entered: the new signature's day")
	}

	// The downloads, in words.
	_, csv, header := chris.do("GET", "/claims.csv?month=2026-02", nil)
	if !strings.HasPrefix(header.Get("Content-Type"), "text/csv") || !strings.HasPrefix(csv, "\ufeffRijksregisternummer;Familienaam;Voornaam;") ||
		!strings.Contains(csv, ";Extra;Emma;ja;17;;15/01/2025") || !strings.Contains(csv, ";Niet;Noah;nee;;voorbij de eerste periode, geen verlenging geregistreerd;15/01/2025") ||
		!strings.Contains(csv, ";Nogniet;Nina;nee;;het GPMI was niet van kracht op de laatste dag van de eerste periode;") {
		t.Errorf("CSV: %s\n%s", header.Get("Content-Type"), csv)
	}
	_, raw, _ := chris.do("GET", "/claims.xlsx?month=2025-12", nil)
	x, err := excelize.OpenReader(bytes.NewReader([]byte(raw)))
	if err != nil {
		t.Fatal(err)
	}
	sheet, err := x.GetRows(x.GetSheetList()[0])
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, r := range sheet[1:] {
		if len(r) > 5 && r[1] == "Pauze" {
			found = strings.HasPrefix(r[5], "teruggekomen na een onderbreking") && r[3] == "nee"
		}
	}
	if !found {
		t.Errorf("XLSX: the four-month break: %v", sheet)
	}
	if status, _, _ := chris.do("GET", "/claims", nil); status != 200 {
		t.Errorf("the default month: %d", status)
	}
	if status, _, _ := an.do("GET", "/claims", nil); status != 403 {
		t.Errorf("a counsellor opens the claims: %d", status)
	}
	if status, _, _ := chris.do("GET", "/claims?month=2026-13", nil); status != 400 {
		t.Errorf("a bad month: %d", status)
	}
}

// TestClaimsPageSaysTheCodesOfItsMonth: the centre claims with 21 and 27
// from 10 November 2025, and waits for a new GPMI after a break of more
// than 4 months; October keeps 11 and 17 on the page, in its explanation
// and its lines, November says and applies the new codes, December words
// the break with its own length, in Dutch and in French, and the CSV
// carries the month's code.
func TestClaimsPageSaysTheCodesOfItsMonth(t *testing.T) {
	db := testenv.Database(t)
	fx := testenv.Seed(t, db)
	d := testenv.SeedClaims(t, db, fx)
	testenv.SavePolicyOn(t, db, fx.CentreID, "2025-11-10", func(p *policy.Policy) {
		p.Claims.GeneralCode, p.Claims.ExtensionCode, p.Claims.BreakNeedsNewGPMI = "21", "27", policy.Months(4)
	})
	h, err := web.New(web.Options{Logger: testenv.Logger(t), DB: db, DevSignIn: true, InsecureCookies: true})
	if err != nil {
		t.Fatal(err)
	}
	chris := newBrowserSignedIn(t, h, fx.CoordinatorID)
	row := func(page string) string {
		return regexp.MustCompile(`(?s)<a href="/dossiers/` + d.Reentered + `">.*?</tr>`).FindString(page)
	}
	for _, c := range []struct{ month, explained, line string }{
		{"2025-10", "Code 11: een GPMI dat op de laatste dag van de maand loopt; code 17: een GPMI dat na de eerste periode verlengd is", "code 11"},
		{"2025-11", "Code 21: een GPMI dat op de laatste dag van de maand loopt; code 27: een GPMI dat na de eerste periode verlengd is", "code 21"},
	} {
		status, page, _ := chris.do("GET", "/claims?month="+c.month, nil)
		if status != 200 {
			t.Fatalf("claims %s: %d", c.month, status)
		}
		if !strings.Contains(page, c.explained) || !strings.Contains(page, "De codes en regels zijn die van het beleid van het centrum op de laatste dag van de maand.") {
			t.Errorf("%s: the codes applied are not explained", c.month)
		}
		if r := row(page); !strings.Contains(r, c.line) {
			t.Errorf("%s: Rik's line %q lacks %q", c.month, r, c.line)
		}
	}
	pauze := regexp.MustCompile(`(?s)<a href="/dossiers/` + d.FourMonthBreak + `">.*?</tr>`)
	if _, page, _ := chris.do("GET", "/claims?month=2025-12", nil); !strings.Contains(pauze.FindString(page), "teruggekomen na een onderbreking van meer dan 4 maanden") {
		t.Errorf("December: the break's length is not the month's: %q", pauze.FindString(page))
	}
	if _, csv, _ := chris.do("GET", "/claims.csv?month=2025-12", nil); !strings.Contains(csv, ";Pauze;Pieter;nee;;teruggekomen na een onderbreking van meer dan 4 maanden, nog geen nieuw GPMI ondertekend;") {
		t.Errorf("CSV of December: %s", csv)
	}
	if _, csv, _ := chris.do("GET", "/claims.csv?month=2025-10", nil); !strings.Contains(csv, ";Terug;Rik;ja;11;;15/10/2025") {
		t.Errorf("CSV of October: %s", csv)
	}
	if _, csv, _ := chris.do("GET", "/claims.csv?month=2025-11", nil); !strings.Contains(csv, ";Terug;Rik;ja;21;;15/10/2025") {
		t.Errorf("CSV of November: %s", csv)
	}
	if status, _, _ := chris.do("POST", "/language", url.Values{"lang": {"fr"}, "back": {"/claims"}}); status != 303 {
		t.Fatalf("language: %d", status)
	}
	for month, want := range map[string]string{"2025-10": "Code 11\u00a0: un PIIS en cours", "2025-11": "Code 21\u00a0: un PIIS en cours"} {
		_, page, _ := chris.do("GET", "/claims?month="+month, nil)
		if !strings.Contains(page, want) || !strings.Contains(page, "Les codes et les règles sont ceux de la politique du centre au dernier jour du mois.") {
			t.Errorf("%s in French: the codes applied are not explained", month)
		}
	}
	if _, page, _ := chris.do("GET", "/claims?month=2025-12", nil); !strings.Contains(pauze.FindString(page), "de retour après une interruption de plus de 4 mois") {
		t.Errorf("December in French: the break's length is not the month's: %q", pauze.FindString(page))
	}
}

// TestInspectionPack prints a dossier as the inspection reads it: the
// file check's elements in order with their days, the GPMI, its
// extensions; the read is audited, and the BCSD does not open it.
func TestInspectionPack(t *testing.T) {
	db := testenv.Database(t)
	fx := testenv.Seed(t, db)
	d := testenv.SeedClaims(t, db, fx)
	h, err := web.New(web.Options{Logger: testenv.Logger(t), DB: db, DevSignIn: true, InsecureCookies: true})
	if err != nil {
		t.Fatal(err)
	}
	an := newBrowserSignedIn(t, h, fx.CounsellorID)
	if status, _, _ := an.do("POST", "/dossiers/"+d.Extended+"/gpmi-extensions", url.Values{"extended_on": {"2026-01-20"}, "motivation": {"De opleiding lasser loopt tot juni."}}); status != 303 {
		t.Fatalf("extension: %d", status)
	}
	if _, page, _ := an.do("GET", "/dossiers/"+d.Extended, nil); !strings.Contains(page, `href="/dossiers/`+d.Extended+`/inspection-pack"`) {
		t.Errorf("the dossier does not link its inspection pack")
	}
	status, page, _ := an.do("GET", "/dossiers/"+d.Extended+"/inspection-pack", nil)
	if status != 200 {
		t.Fatalf("inspection pack: %d", status)
	}
	last := -1
	for _, w := range []string{"<h1>Inspectiedossier</h1>", "Dossiernummer ", "Extra, Emma", `Datum van de leefloonbeslissing: <time datetime="`, "Sociaal-professionele balans vóór het GPMI", "GPMI op tijd ondertekend", "Evaluaties per 12 maanden",
		"Verlenging na de eerste periode, schriftelijk gemotiveerd", "Ondertekend", "Geen afspraken geregistreerd in traject.", "Nog geen evaluatie.", "Verlengd op 20/01/2026", "De opleiding lasser loopt tot juni.", "Nog geen brief gemaakt."} {
		i := strings.Index(page, w)
		if i < 0 {
			t.Errorf("the pack lacks %q", w)
			continue
		}
		if i < last {
			t.Errorf("%q out of order", w)
		}
		last = i
	}
	// The decision the three months run from, as a day the inspector reads.
	if !regexp.MustCompile(`Datum van de leefloonbeslissing: <time datetime="\d{4}-\d{2}-\d{2}">\d{2}/\d{2}/20\d{2}</time>`).MatchString(page) {
		t.Errorf("the pack does not date the leefloon decision")
	}
	var reads int
	if err := db.QueryRow(context.Background(), `SELECT count(*) FROM audit_log WHERE action = 'read_inspection_pack' AND object_id = $1`, d.Extended).Scan(&reads); err != nil || reads != 1 {
		t.Errorf("audited reads: %d %v", reads, err)
	}
	if status, _, _ := newBrowserSignedIn(t, h, fx.BCSDID).do("GET", "/dossiers/"+d.Extended+"/inspection-pack", nil); status != 403 {
		t.Errorf("the BCSD opens the inspection pack: %d", status)
	}
}

// TestClaimsArticle60InFlanders reads the Article 60 months of a Flemish
// centre, whose region the default policy funds: each month's number per
// person, the policy's amounts in euro, the quarter's totals so far, and
// the month past the 24 paid ones refused in words; a Brussels centre's
// page says in words that its region funds none, in Dutch and French.
func TestClaimsArticle60InFlanders(t *testing.T) {
	db := testenv.Database(t)
	fx := testenv.Seed(t, db)
	gent := testenv.SeedArticle60Centre(t, db)
	h, err := web.New(web.Options{Logger: testenv.Logger(t), DB: db, DevSignIn: true, InsecureCookies: true})
	if err != nil {
		t.Fatal(err)
	}
	griet := newBrowserSignedIn(t, h, gent.CoordinatorID)
	// a60 is the page's Article 60 section; rowOf a person's row in it.
	a60 := func(page string) string {
		i := strings.Index(page, `id="a60-lines"`)
		if i < 0 {
			t.Fatalf("no Article 60 section:\n%s", page)
		}
		return page[i:]
	}
	rowOf := func(section, id string) string {
		return regexp.MustCompile(`(?s)<tr>\s*<td class="nowrap">[0-9]{2}\.[0-9]{2}\.[0-9]{2}-[0-9]{3}\.[0-9]{2}</td>\s*<th scope="row"><a href="/dossiers/` + id + `">.*?</tr>`).FindString(section)
	}
	cells := func(row string) []string {
		var out []string
		for _, m := range regexp.MustCompile(`(?s)<td[^>]*>(.*?)</td>`).FindAllStringSubmatch(row, -1) {
			out = append(out, strings.TrimSpace(m[1]))
		}
		return out
	}
	for _, c := range []struct {
		month       string
		long, short []string // month number, fee, compensation (or the reason)
		quarter     string
	}{
		// Lotte's 24th month, Koen's 2nd; October to December: Lotte 3
		// months, Koen 2.
		{"2024-12", []string{"24", "250,00 euro", "195,00 euro"}, []string{"2", "250,00 euro", "195,00 euro"},
			"Kwartaal 4 van 2024: 5 maanden tot nu, Maandelijkse vergoeding 1.250,00 euro, Compensatie 975,00 euro"},
		// Lotte's 25th month is past the maximum; the quarter counts Koen's.
		{"2025-01", []string{"25", "het maximum aantal betaalde maanden is bereikt"}, []string{"3", "250,00 euro", "195,00 euro"},
			"Kwartaal 1 van 2025: 1 maand tot nu, Maandelijkse vergoeding 250,00 euro, Compensatie 195,00 euro"},
		{"2025-03", []string{"27", "het maximum aantal betaalde maanden is bereikt"}, []string{"5", "250,00 euro", "195,00 euro"},
			"Kwartaal 1 van 2025: 3 maanden tot nu, Maandelijkse vergoeding 750,00 euro, Compensatie 585,00 euro"},
	} {
		status, page, _ := griet.do("GET", "/claims?month="+c.month, nil)
		if status != 200 {
			t.Fatalf("%s: %d", c.month, status)
		}
		section := a60(page)
		for who, want := range map[string][]string{gent.Long: c.long, gent.Short: c.short} {
			// the national number, then the month's number and amounts
			if got := cells(rowOf(section, who)); len(got) == 0 || strings.Join(got[1:], "|") != strings.Join(want, "|") {
				t.Errorf("%s, %s: %q, want %q", c.month, who, got, want)
			}
		}
		if !strings.Contains(section, "<p>"+c.quarter+"</p>") {
			t.Errorf("%s: the quarter's totals are not %q:\n%s", c.month, c.quarter, section)
		}
		// The GPMI lines say why Article 60 months are not claimed as GPMI.
		if row := rowOf(page, gent.Long); !strings.Contains(row, "werkt met een artikel 60-contract") {
			t.Errorf("%s: the GPMI line %q", c.month, row)
		}
		for _, code := range []string{"article60_", "TWE", "flanders"} {
			if strings.Contains(page, code) {
				t.Errorf("%s: the page shows the code %s", c.month, code)
			}
		}
	}
	// From April on, Lotte's contract has ended: only Koen is listed.
	if _, page, _ := griet.do("GET", "/claims?month=2025-04", nil); rowOf(a60(page), gent.Long) != "" || !strings.Contains(a60(page), "Kort, Koen") {
		t.Errorf("April 2025 lists the ended contract, or not the running one")
	}

	// The Brussels centre: its region funds none, said in words; the
	// Flemish people are not its own.
	chris := newBrowserSignedIn(t, h, fx.CoordinatorID)
	for lang, want := range map[string]string{
		"nl": "Voor het gewest van het centrum is geen financiering van artikel 60-maanden ingesteld.",
		"fr": "Aucun financement des mois d&#39;article 60 n&#39;est configuré pour la région du centre.",
	} {
		if status, _, _ := chris.do("POST", "/language", url.Values{"lang": {lang}, "back": {"/claims"}}); status != 303 {
			t.Fatalf("language %s: %d", lang, status)
		}
		_, page, _ := chris.do("GET", "/claims?month=2024-12", nil)
		if section := a60(page); !strings.Contains(section, want) || strings.Contains(section, "<table") {
			t.Errorf("%s: Brussels' Article 60 section:\n%s", lang, section)
		}
		if strings.Contains(page, "Lang, Lotte") || strings.Contains(page, "article60_") {
			t.Errorf("%s: the Brussels page shows another centre's person, or a code", lang)
		}
	}
}
