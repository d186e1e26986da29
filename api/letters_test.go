package api_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"
)

// A procedure's letters through the API: the administrator sets the
// letterhead and the court; the warning is produced and its PDF
// downloaded twice, the same bytes; an invitation for a hearing closer
// than the notice is refused naming the earliest day; a decision needs the
// committee's reasons; the dossier lists its letters; the administrator
// reads none; bad input is named per field.
func TestLettersThroughTheAPI(t *testing.T) {
	a := newAPITest(t)
	id := a.create(a.participant())
	base := "/v1/participants/" + id
	settings := map[string]any{"name": "OCMW Molenbeek", "service": "Dienst SPI", "court_name": "Arbeidsrechtbank Brussel",
		"court_address": "Poelaertplein 3, 1000 Brussel", "hearing_place": "Raadzaal", "phone": "02 412 53 11",
		"translations": map[string]any{"fr": map[string]any{"name": "CPAS de Molenbeek", "court_name": "Tribunal du travail de Bruxelles",
			"court_address": "Place Poelaert 3, 1000 Bruxelles"}}}
	if status, raw := a.do("PUT", "/v1/letter-settings", "admin", settings); status != 200 {
		t.Fatalf("settings: %d %s", status, raw)
	}
	if status, _ := a.do("PUT", "/v1/letter-settings", "coordinator", settings); status != http.StatusForbidden {
		t.Errorf("a coordinator changes the letter settings: %d", status)
	}
	if status, raw := a.do("PUT", "/v1/letter-settings", "admin", map[string]any{"name": ""}); status != 422 || !strings.Contains(string(raw), `"name"`) {
		t.Errorf("settings without a name: %d %s", status, raw)
	}
	if status, raw := a.do("PUT", "/v1/letter-settings", "admin", map[string]any{"name": "X", "translations": map[string]any{"fr": map[string]any{"name": strings.Repeat("x", 301)}}}); status != 422 || !strings.Contains(string(raw), `"translations.fr.name"`) {
		t.Errorf("a French name too long: %d %s", status, raw)
	}
	if status, raw := a.do("GET", "/v1/letter-settings", "admin", nil); status != 200 || !strings.Contains(string(raw), `"CPAS de Molenbeek"`) {
		t.Errorf("the settings read back: %d %s", status, raw)
	}
	if status, raw := a.do("POST", base+"/non-cooperation", "an", map[string]any{"description": "Afspraken gemist."}); status != 200 {
		t.Fatalf("%d %s", status, raw)
	}
	resp, raw := a.exchange("POST", base+"/procedures/1/letters", "an", map[string]any{"kind": "warning"})
	if resp.StatusCode != 201 {
		t.Fatalf("warning: %d %s", resp.StatusCode, raw)
	}
	var warning struct {
		ID, Kind, Language, SHA256 string
		Letter                     struct{ Title string }
	}
	if err := json.Unmarshal(raw, &warning); err != nil {
		t.Fatal(err)
	}
	if warning.Language != "nl" || warning.Letter.Title != "Schriftelijke verwittiging" {
		t.Errorf("the warning: %s", raw)
	}
	status, first := a.do("GET", resp.Header.Get("Location"), "an", nil)
	if status != 200 || !bytes.HasPrefix(first, []byte("%PDF-")) {
		t.Fatalf("the PDF: %d %.20q", status, first)
	}
	if _, second := a.do("GET", resp.Header.Get("Location"), "bcsd", nil); !bytes.Equal(first, second) {
		t.Error("a second download differs")
	}
	for _, c := range []struct {
		body  map[string]any
		field string
	}{
		{map[string]any{"kind": "summons"}, "kind"},
		{map[string]any{"kind": "warning", "language": "de"}, "language"},
	} {
		if status, raw := a.do("POST", base+"/procedures/1/letters", "an", c.body); status != 422 || !strings.Contains(string(raw), `"`+c.field+`"`) {
			t.Errorf("%v: %d %s", c.body, status, raw)
		}
	}
	if status, _ := a.do("POST", base+"/procedures/2/letters", "an", map[string]any{"kind": "warning"}); status != 404 {
		t.Errorf("a letter of no procedure: %d", status)
	}
	if status, raw := a.do("POST", base+"/procedures/1/letters", "bcsd", map[string]any{"kind": "hearing_invitation"}); status != 409 {
		t.Errorf("an invitation before a hearing: %d %s", status, raw)
	}

	// Invited 5 days ago for a hearing in 5: the workflow took it, the
	// letter cannot reach the person with 8 days' notice any more.
	hearing := time.Now().AddDate(0, 0, 5)
	if status, raw := a.do("POST", base+"/procedures/1/hearing", "bcsd", map[string]any{"invited_on": time.Now().AddDate(0, 0, -5).Format(time.DateOnly), "hearing_at": hearing.Format(time.RFC3339)}); status != 200 {
		t.Fatalf("%d %s", status, raw)
	}
	status, raw = a.do("POST", base+"/procedures/1/letters", "bcsd", map[string]any{"kind": "hearing_invitation"})
	brussels, _ := time.LoadLocation("Europe/Brussels")
	earliest := time.Now().In(brussels).AddDate(0, 0, 8).Format(time.DateOnly)
	if status != 422 || !strings.Contains(string(raw), `"hearing_on"`) || !strings.Contains(string(raw), earliest) {
		t.Errorf("an invitation 5 days ahead: %d %s, want 422 naming %s", status, raw, earliest)
	}
	if status, raw := a.do("POST", base+"/procedures/1/hearing-outcome", "bcsd", map[string]any{"held": true}); status != 200 {
		t.Fatalf("%d %s", status, raw)
	}
	if status, raw := a.do("POST", base+"/procedures/1/decision", "bcsd", map[string]any{"kind": "suspension", "months": 1, "decided_on": time.Now().Format(time.DateOnly)}); status != 200 {
		t.Fatalf("%d %s", status, raw)
	}
	if status, raw := a.do("POST", base+"/procedures/1/letters", "bcsd", map[string]any{"kind": "decision"}); status != 422 || !strings.Contains(string(raw), `"reasons"`) {
		t.Errorf("a decision without reasons: %d %s", status, raw)
	}
	status, raw = a.do("POST", base+"/procedures/1/letters", "bcsd", map[string]any{"kind": "decision", "language": "fr", "reasons": "Absences répétées."})
	if status != 201 {
		t.Fatalf("decision: %d %s", status, raw)
	}
	// The French letter speaks of the centre and the court in French, and
	// keeps what has no French words of its own.
	var decision struct {
		Facts struct {
			Centre struct {
				Name         string         `json:"name"`
				CourtName    string         `json:"court_name"`
				HearingPlace string         `json:"hearing_place"`
				Translations map[string]any `json:"translations"`
			}
		}
	}
	if err := json.Unmarshal(raw, &decision); err != nil {
		t.Fatal(err)
	}
	if c := decision.Facts.Centre; c.Name != "CPAS de Molenbeek" || c.CourtName != "Tribunal du travail de Bruxelles" || c.HearingPlace != "Raadzaal" || c.Translations != nil {
		t.Errorf("the French decision's centre: %+v", c)
	}
	if status, raw := a.do("POST", base+"/procedures/1/notification", "bcsd", map[string]any{"notified_on": time.Now().Format(time.DateOnly), "registered_number": "RR<1>"}); status != 422 || !strings.Contains(string(raw), "registered_number") {
		t.Errorf("a bad registered number: %d %s", status, raw)
	}
	status, raw = a.do("GET", base+"/letters", "coordinator", nil)
	var list struct {
		Letters []struct{ Kind, Language string }
	}
	if err := json.Unmarshal(raw, &list); status != 200 || err != nil || len(list.Letters) != 2 || list.Letters[0].Kind != "decision" || list.Letters[0].Language != "fr" {
		t.Errorf("the letters: %d %s", status, raw)
	}
	if status, _ := a.do("GET", base+"/letters", "admin", nil); status != http.StatusForbidden {
		t.Errorf("the administrator lists letters: %d", status)
	}
	if status, _ := a.do("GET", base+"/letters/"+warning.ID, "other", nil); status != 401 && status != 404 {
		t.Errorf("a stranger reads a letter: %d", status)
	}
	if status, _ := a.do("GET", base+"/letters/0b8e7c1e-3f4a-4c7e-9a59-2f6f1d1e8c99", "an", nil); status != 404 {
		t.Errorf("no such letter: %d", status)
	}
}

// The GPMI document: refused before a GPMI is signed with its agreements,
// then written with them in the person's language, the counsellor as the
// centre's party, and downloadable; a procedure's route does not write it.
func TestGPMIDocumentThroughTheAPI(t *testing.T) {
	a := newAPITest(t)
	id := a.create(a.participant())
	base := "/v1/participants/" + id
	if status, raw := a.do("POST", base+"/gpmi-letter", "an", map[string]any{"kind": "gpmi"}); status != 409 || !strings.Contains(string(raw), "not recorded signed") {
		t.Errorf("before the signature: %d %s", status, raw)
	}
	if status, raw := a.do("POST", base+"/needs-analyses", "an", map[string]any{"done_on": time.Now().Format(time.DateOnly), "domains": []map[string]any{
		{"domain": "language", "situation": "Spreekt weinig Nederlands.", "goal": "Niveau 1 halen."}}}); status != 201 {
		t.Fatalf("needs analysis: %d %s", status, raw)
	}
	signature := map[string]any{"signed_on": time.Now().Format(time.DateOnly), "acknowledged": true, "agreements": []map[string]any{
		{"domain": "language", "person_does": "Volgt de cursus Nederlands NT2, niveau 1.", "centre_does": "Schrijft in en betaalt het inschrijvingsgeld.", "due_on": "2027-03-01"},
		{"domain": "work", "person_does": "Solliciteert elke maand twee keer.", "centre_does": "Zoekt vacatures mee."}}}
	if status, raw := a.do("POST", base+"/gpmi/signature", "an", signature); status != 200 {
		t.Fatalf("signature: %d %s", status, raw)
	}
	if status, _ := a.do("POST", base+"/gpmi-letter", "bcsd", map[string]any{"kind": "gpmi"}); status != http.StatusForbidden {
		t.Errorf("the BCSD writes the GPMI document: %d", status)
	}
	if status, raw := a.do("POST", base+"/gpmi-letter", "an", map[string]any{"kind": "warning"}); status != 422 || !strings.Contains(string(raw), `"kind"`) {
		t.Errorf("a warning through the GPMI's route: %d %s", status, raw)
	}
	resp, raw := a.exchange("POST", base+"/gpmi-letter", "an", map[string]any{"kind": "gpmi"})
	if resp.StatusCode != 201 {
		t.Fatalf("the GPMI document: %d %s", resp.StatusCode, raw)
	}
	var doc struct {
		Letter struct {
			Title  string
			Blocks []struct{ Kind, Text string }
		}
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	text, signatures := doc.Letter.Title, 0
	for _, b := range doc.Letter.Blocks {
		text += "\n" + b.Text
		if b.Kind == "signature" {
			signatures++
		}
	}
	for _, want := range []string{"Geïndividualiseerd project", "Taal. U doet: Volgt de cursus Nederlands NT2, niveau 1.", "Tegen 1 maart 2027.", "Zoekt vacatures mee.", "vertegenwoordigd door An,", "om de 4 maanden"} {
		if !strings.Contains(text, want) {
			t.Errorf("the GPMI document lacks %q:\n%s", want, text)
		}
	}
	if signatures != 2 {
		t.Errorf("%d signature blocks, want 2", signatures)
	}
	if status, pdf := a.do("GET", resp.Header.Get("Location"), "coordinator", nil); status != 200 || !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Errorf("its PDF: %d", status)
	}
}
