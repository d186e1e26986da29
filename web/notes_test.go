package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// A counsellor writes a note on the dossier page (a first try without
// text comes back with what they chose kept), corrects it, and sees it
// with its author; the coordinator sees it too, without the form to
// correct it; the BCSD, with no procedure on the dossier, sees no notes.
func TestNotesInThePages(t *testing.T) {
	e := newActingEnv(t)
	id := e.start("Notes", time.Now().AddDate(0, -1, 0))
	an := newBrowserSignedIn(t, e.h, e.fx.CounsellorID)
	page := page2(t, an, id)
	values := form(t, page, "addNote")
	values.Set("kind", "phone_call")
	values.Set("happened_on", time.Now().Format(time.DateOnly))
	status, page, _ := an.do("POST", "/dossiers/"+id+"/notes", values)
	if status != http.StatusUnprocessableEntity || !strings.Contains(page, `id="addNote-text-error"`) || !strings.Contains(page, `<option value="phone_call" selected>`) {
		t.Fatalf("a note without text: %d\n%s", status, page)
	}
	values = form(t, page, "addNote")
	values.Set("kind", "phone_call")
	values.Set("happened_on", time.Now().Format(time.DateOnly))
	values.Set("text", "Belde om de afspraak te verzetten.\nKomt donderdag.")
	if status, _, header := an.do("POST", "/dossiers/"+id+"/notes", values); status != http.StatusSeeOther || header.Get("Location") != "/dossiers/"+id+"#notes" {
		t.Fatalf("a note: %d to %q", status, header.Get("Location"))
	}
	page = page2(t, an, id)
	if !strings.Contains(page, "Telefoongesprek") || !strings.Contains(page, "Belde om de afspraak te verzetten.\nKomt donderdag.") || !strings.Contains(page, "Notitie verbeteren") {
		t.Fatalf("the note on the page:\n%s", page)
	}
	i := strings.Index(page, `action="/dossiers/`+id+`/notes/`)
	noteURL := page[i+len(`action="`) : i+strings.Index(page[i:], `/correction"`)+len("/correction")]
	if status, _, _ := an.do("POST", noteURL, url.Values{"key": {"c1"}, "text": {"Belde om de afspraak te verzetten. Komt vrijdag."}}); status != http.StatusSeeOther {
		t.Fatalf("the correction: %d", status)
	}
	coordinator := newBrowserSignedIn(t, e.h, e.fx.CoordinatorID)
	page = page2(t, coordinator, id)
	if !strings.Contains(page, "Komt vrijdag.") || !strings.Contains(page, "verbeterd op") || strings.Contains(page, "Notitie verbeteren") {
		t.Errorf("the coordinator's view of the note:\n%s", page)
	}
	// The BCSD does not even see a dossier that was not referred to it.
	bcsd := newBrowserSignedIn(t, e.h, e.fx.BCSDID)
	if status, page, _ := bcsd.do("GET", "/dossiers/"+id, nil); status != http.StatusNotFound || strings.Contains(page, "Komt vrijdag.") {
		t.Errorf("the BCSD opens a dossier without a procedure: %d", status)
	}
}
