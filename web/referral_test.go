package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/traject-ocmw/traject/store"
)

// The referral to the employment service on the dossier page: no form
// before Article 60; during the contract the counsellor's form refuses a
// missing contact and a day to come, each named at its field (in Dutch,
// and in French for a French-speaking counsellor); recorded, the contract
// section says Actiris (the centre is in Brussels), the day and the
// contact, the referral's deadline is gone and the timeline's line has no
// name.
func TestEmploymentReferralOnTheDossierPage(t *testing.T) {
	e := newActingEnv(t)
	ctx := context.Background()
	id := e.start("Yasmina", time.Now().AddDate(0, -2, 0))
	an := newBrowserSignedIn(t, e.h, e.fx.CounsellorID)
	if page := page2(t, an, id); strings.Contains(page, `id="form-recordEmploymentReferral"`) {
		t.Fatal("a referral form before Article 60")
	}
	host, err := e.db.CreateHost(ctx, e.fx.CentreID, store.HostInput{Name: "Resto", Language: "nl", Positions: []store.HostPosition{{Function: "kitchen_help", Positions: 2}}})
	if err != nil {
		t.Fatal(err)
	}
	e.toArticle60(id, host, "kitchen_help", time.Now())
	page := page2(t, an, id)
	if !strings.Contains(page, "Doorverwijzing naar de gewestelijke arbeidsbemiddelingsdienst") {
		t.Fatalf("no referral form during the contract:\n%s", page)
	}
	values := form(t, page, "recordEmploymentReferral")
	values.Set("referred_on", time.Now().AddDate(0, 0, 3).Format(time.DateOnly))
	values.Set("contact", "")
	status, page, _ := an.do("POST", "/dossiers/"+id+"/act/recordEmploymentReferral", values)
	if status != http.StatusUnprocessableEntity || !strings.Contains(page, `id="recordEmploymentReferral-contact-error"`) {
		t.Fatalf("a missing contact: %d\n%s", status, page)
	}
	values = form(t, page, "recordEmploymentReferral")
	values.Set("referred_on", time.Now().AddDate(0, 0, 3).Format(time.DateOnly))
	values.Set("contact", "Actiris Molenbeek, mevrouw Janssens")
	status, page, _ = an.do("POST", "/dossiers/"+id+"/act/recordEmploymentReferral", values)
	if status != http.StatusUnprocessableEntity || !strings.Contains(page, `id="recordEmploymentReferral-referred_on-error"`) || !strings.Contains(page, `value="Actiris Molenbeek, mevrouw Janssens"`) {
		t.Fatalf("a day to come: %d\n%s", status, page)
	}
	values = form(t, page, "recordEmploymentReferral")
	values.Set("referred_on", time.Now().Format(time.DateOnly))
	values.Set("contact", "Actiris Molenbeek, mevrouw Janssens")
	if status, page, _ := an.do("POST", "/dossiers/"+id+"/act/recordEmploymentReferral", values); status != http.StatusSeeOther {
		t.Fatalf("the referral: %d\n%s", status, page)
	}
	page = page2(t, an, id)
	contract := pageSection(t, page, "contract")
	if want := "Doorverwezen naar Actiris op " + time.Now().Format("02/01/2006") + "; contact: Actiris Molenbeek, mevrouw Janssens"; !strings.Contains(contract, want) {
		t.Errorf("the contract section lacks %q:\n%s", want, contract)
	}
	if deadlines := pageSection(t, page, "deadlines"); strings.Contains(deadlines, "oorverwijzing") {
		t.Errorf("the referral's deadline is still open:\n%s", deadlines)
	}
	timeline := pageSection(t, page, "timeline")
	if !strings.Contains(timeline, "doorverwijzing naar de arbeidsbemiddelingsdienst") || strings.Contains(timeline, "Janssens") {
		t.Errorf("the timeline's line (without the contact):\n%s", timeline)
	}
	// In French, the refusal is said in French at its field.
	if status, _, _ := an.do("POST", "/language", url.Values{"lang": {"fr"}, "back": {"/"}}); status != http.StatusSeeOther {
		t.Fatalf("to French: %d", status)
	}
	values = form(t, page2(t, an, id), "recordEmploymentReferral")
	values.Set("referred_on", "2020-01-01")
	values.Set("contact", "Forem")
	status, page, _ = an.do("POST", "/dossiers/"+id+"/act/recordEmploymentReferral", values)
	if status != http.StatusUnprocessableEntity || !strings.Contains(page, `id="recordEmploymentReferral-referred_on-error"`) || !strings.Contains(page, "Orienté le") {
		t.Fatalf("a day before the contract, in French: %d\n%s", status, pageSection(t, page, "act"))
	}
}
