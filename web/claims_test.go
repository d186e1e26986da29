package web_test

import (
	"bytes"
	"context"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

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
	status, page, _ := an.do("POST", "/dossiers/"+d.Extended+"/gpmi-extensions", url.Values{"extended_on": {"2026-01-20"}, "motivation": {" "}})
	if status != 422 || !strings.Contains(page, "recordGPMIExtension-motivation-error") {
		t.Errorf("without motivation: %d", status)
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
		m := regexp.MustCompile(`(?s)<tr>\s*<td>[0-9]+</td>\s*<th scope="row"><a href="/dossiers/` + id + `">.*?</tr>`).FindString(page)
		return m
	}
	for month, want := range map[string]map[string]string{
		"2026-02": {d.Extended: "code 17", d.NoExtension: "voorbij de eerste periode, geen verlenging geregistreerd",
			d.NotInForce: "het GPMI was niet van kracht op de laatste dag van de eerste periode", d.Ends30th: "werkt met een artikel 60-contract"},
		"2025-12": {d.FourMonthBreak: "teruggekomen na een onderbreking van meer dan 3 maanden"},
		"2025-10": {d.Reentered: "code 11"},
	} {
		status, page, _ := chris.do("GET", "/claims?month="+month, nil)
		if status != 200 {
			t.Fatalf("claims %s: %d", month, status)
		}
		for id, w := range want {
			if row := rowOf(page, id); !strings.Contains(row, w) {
				t.Errorf("%s, %s: %q lacks %q", month, id, row, w)
			}
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
	for _, w := range []string{"<h1>Inspectiedossier</h1>", "Extra, Emma", "Behoefteanalyse vóór het GPMI", "GPMI op tijd ondertekend", "Evaluaties per 12 maanden",
		"Motivering van de verlenging", "Ondertekend", "Verlengd op 20/01/2026", "De opleiding lasser loopt tot juni.", "Nog geen brief gemaakt."} {
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
	var reads int
	if err := db.QueryRow(context.Background(), `SELECT count(*) FROM audit_log WHERE action = 'read_inspection_pack' AND object_id = $1`, d.Extended).Scan(&reads); err != nil || reads != 1 {
		t.Errorf("audited reads: %d %v", reads, err)
	}
	if status, _, _ := newBrowserSignedIn(t, h, fx.BCSDID).do("GET", "/dossiers/"+d.Extended+"/inspection-pack", nil); status != 403 {
		t.Errorf("the BCSD opens the inspection pack: %d", status)
	}
}
