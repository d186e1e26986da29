package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/traject-ocmw/traject/testenv"
	"github.com/traject-ocmw/traject/workflows"
)

// intake is the new-dossier form filled in as at an intake interview.
func intake(key string) url.Values {
	return url.Values{"key": {key}, "given_name": {"Sara"}, "family_name": {"Peeters"}, "birth_date": {"1990-05-17"},
		"national_number": {"90.05.17-123.31"}, "language": {"nl"}, "phone": {"02 555 01 02"}, "street": {"Gemeenteplein 1"},
		"postcode": {"1080"}, "municipality": {"Molenbeek"}, "leefloon_decision_date": {"2026-11-02"}, "leefloon_notified_date": {"2026-11-16"}}
}

var location = regexp.MustCompile(`^/dossiers/([0-9a-f-]{36})$`)

// A counsellor opens a dossier from the intake form and lands on it, with
// its personal details; the same person again is found, with a link to
// the dossier; the details are changed on the dossier page, and an edit
// made on the version before is sent back with who changed what.
func TestIntakeInThePages(t *testing.T) {
	e := newActingEnv(t)
	an := newBrowserSignedIn(t, e.h, e.fx.CounsellorID)
	if status, page, _ := an.do("GET", "/dossiers/new", nil); status != http.StatusOK || !strings.Contains(page, "Nieuw dossier openen") ||
		strings.Contains(page, `name="counsellor_id"`) {
		t.Fatalf("the intake page: %d\n%s", status, page)
	}
	wrong := intake("k-wrong-" + newID())
	wrong.Set("birth_date", "1991-05-17")
	wrong.Set("postcode", "108")
	status, page, _ := an.do("POST", "/dossiers", wrong)
	if status != http.StatusUnprocessableEntity || !strings.Contains(page, "klopt niet met de geboortedatum") || !strings.Contains(page, "geen Belgische postcode") ||
		!strings.Contains(page, `value="Gemeenteplein 1"`) {
		t.Fatalf("a number of another birth date: %d\n%s", status, page)
	}
	status, _, header := an.do("POST", "/dossiers", intake("k-1-"+newID()))
	m := location.FindStringSubmatch(header.Get("Location"))
	if status != http.StatusSeeOther || m == nil {
		t.Fatalf("open: %d to %q", status, header.Get("Location"))
	}
	id := m[1]
	t.Cleanup(func() { _ = e.c.TerminateWorkflow(context.Background(), workflows.WorkflowID(id), "", "test over") })
	testenv.Eventually(t, "the trajectory's read model", func() bool {
		d, err := e.db.Dossier(context.Background(), id)
		return err == nil && string(d.Trajectory) != "null"
	})
	_, page, _ = an.do("GET", "/dossiers/"+id, nil)
	for _, want := range []string{"Het dossier van Sara Peeters is geopend.", "Persoonsgegevens", "90.05.17-123.31", "Gemeenteplein 1, 1080 Molenbeek", "16/11/2026"} {
		if !strings.Contains(page, want) {
			t.Errorf("the new dossier lacks %q", want)
		}
	}

	status, page, _ = an.do("POST", "/dossiers", intake("k-2-"+newID()))
	if status != http.StatusConflict || !strings.Contains(page, "Deze persoon is al gekend") || !strings.Contains(page, `href="/dossiers/`+id+`"`) {
		t.Errorf("the same person again: %d\n%s", status, page)
	}

	values := form(t, page2(t, an, id), "updateParticipantDetails")
	edit := func(v url.Values, phone string) url.Values {
		out := url.Values{"key": v["key"], "expected_version": v["expected_version"], "language": {"nl"}, "phone": {phone},
			"street": {"Gemeenteplein 1"}, "postcode": {"1080"}, "municipality": {"Molenbeek"}}
		return out
	}
	if status, _, header := an.do("POST", "/dossiers/"+id+"/details", edit(values, "0470 12 34 56")); status != http.StatusSeeOther || !strings.HasSuffix(header.Get("Location"), "#details") {
		t.Fatalf("an edit: %d to %q", status, header.Get("Location"))
	}
	coordinator := newBrowserSignedIn(t, e.h, e.fx.CoordinatorID)
	status, page, _ = coordinator.do("POST", "/dossiers/"+id+"/details", edit(values, "02 000 00 00"))
	if status != http.StatusConflict || !strings.Contains(page, "Sinds u deze pagina opende") || !strings.Contains(page, "0470 12 34 56") ||
		!strings.Contains(page, `value="02 000 00 00"`) {
		t.Errorf("an edit on the version before: %d\n%s", status, page)
	}
}

func page2(t *testing.T, b *browser, id string) string {
	t.Helper()
	status, page, _ := b.do("GET", "/dossiers/"+id, nil)
	if status != http.StatusOK {
		t.Fatalf("dossier: %d", status)
	}
	return page
}
