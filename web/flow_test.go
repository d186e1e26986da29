package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/traject-ocmw/traject/domain"
	"github.com/traject-ocmw/traject/store"
	"github.com/traject-ocmw/traject/testenv"
	"github.com/traject-ocmw/traject/workflows"
)

// The whole dossier through the pages, as a centre starts with traject:
// the administrator adds a counsellor; the counsellor opens a dossier,
// writes the needs analysis, signs a GPMI with three agreements and the
// acknowledgement, records an evaluation with its report and the progress
// of each agreement, writes a note and changes the address; the
// coordinator sees all of it; the person's Article 60 host sees none of
// the notes; a second intake of the same national number lands on the
// dossier; after closing, the person re-enters from the page and the
// timeline keeps both runs.
func TestTheWholeDossierThroughThePages(t *testing.T) {
	e := newActingEnv(t)
	ctx := context.Background()
	today := time.Now().Format(time.DateOnly)
	admin := seedAdmin(t, e.db, e.fx.CentreID)
	ada := newBrowserSignedIn(t, e.h, admin)
	if status, _, _ := ada.do("POST", "/admin/users", url.Values{"email": {"dirk@ocmw.example"}, "display_name": {"Dirk"}, "role": {"counsellor"}, "language": {"nl"}}); status != http.StatusSeeOther {
		t.Fatalf("the administrator adds a counsellor: %d", status)
	}
	users, err := e.db.Users(ctx, e.fx.CentreID)
	if err != nil {
		t.Fatal(err)
	}
	var dirkID string
	for _, u := range users {
		if u.Email == "dirk@ocmw.example" {
			dirkID = u.ID
		}
	}
	dirk := newBrowserSignedIn(t, e.h, dirkID)

	// The intake.
	status, _, header := dirk.do("POST", "/dossiers", intake("flow-1-"+newID()))
	m := location.FindStringSubmatch(header.Get("Location"))
	if status != http.StatusSeeOther || m == nil {
		t.Fatalf("the intake: %d to %q", status, header.Get("Location"))
	}
	id := m[1]
	t.Cleanup(func() { _ = e.c.TerminateWorkflow(context.Background(), workflows.WorkflowID(id), "", "test over") })
	testenv.Eventually(t, "the trajectory's read model", func() bool {
		d, err := e.db.Dossier(ctx, id)
		return err == nil && string(d.Trajectory) != "null"
	})

	// The needs analysis, then the GPMI with three agreements.
	analysis := form(t, page2(t, dirk, id), "recordNeedsAnalysis")
	analysis.Set("done_on", today)
	analysis.Set("language.situation", "Spreekt weinig Nederlands.")
	analysis.Set("childcare.situation", "Drie kinderen, de jongste is twee.")
	analysis.Set("childcare.barriers", "Geen opvang voor de jongste.")
	analysis.Set("work.situation", "Nooit gewerkt in België.")
	analysis.Set("work.goal", "Werken in de zorg.")
	if status, _, _ := dirk.do("POST", "/dossiers/"+id+"/needs-analysis", analysis); status != http.StatusSeeOther {
		t.Fatalf("the needs analysis: %d", status)
	}
	sign := form(t, page2(t, dirk, id), "signGPMI")
	sign.Set("signed_on", today)
	sign.Set("acknowledged", "true")
	for i, a := range [][3]string{
		{"language", "Volgt de cursus Nederlands.", "Schrijft in."},
		{"childcare", "Zoekt opvang.", "Geeft de lijst van de opvang."},
		{"work", "Solliciteert twee keer per maand.", "Zoekt vacatures mee."},
	} {
		row := "agreements." + string(rune('0'+i)) + "."
		sign.Set(row+"domain", a[0])
		sign.Set(row+"person_does", a[1])
		sign.Set(row+"centre_does", a[2])
	}
	if status, page, _ := dirk.do("POST", "/dossiers/"+id+"/act/signGPMI", sign); status != http.StatusSeeOther {
		t.Fatalf("the signature: %d\n%s", status, page)
	}

	// An evaluation with its report and the progress of each agreement.
	page := page2(t, dirk, id)
	evaluation := form(t, page, "recordEvaluation")
	evaluation.Set("held_on", today)
	evaluation.Set("face_to_face", "true")
	evaluation.Set("report", "Goed begonnen; de opvang is nog niet rond.")
	progress := regexp.MustCompile(`name="(progress\.[0-9a-f-]{36})"`).FindAllStringSubmatch(page, -1)
	if len(progress) != 3 {
		t.Fatalf("the evaluation form offers %d agreements, want 3", len(progress))
	}
	for i, v := range []string{"in_progress", "not_reached", "reached"} {
		evaluation.Set(progress[i][1], v)
	}
	if status, _, _ := dirk.do("POST", "/dossiers/"+id+"/act/recordEvaluation", evaluation); status != http.StatusSeeOther {
		t.Fatalf("the evaluation: %d", status)
	}

	// A note, and a new address.
	note := form(t, page2(t, dirk, id), "addNote")
	note.Set("kind", "home_visit")
	note.Set("happened_on", today)
	note.Set("text", "Huisbezoek: de kinderen gaan naar school.")
	if status, _, _ := dirk.do("POST", "/dossiers/"+id+"/notes", note); status != http.StatusSeeOther {
		t.Fatalf("the note: %d", status)
	}
	details := form(t, page2(t, dirk, id), "updateParticipantDetails")
	for k, v := range map[string]string{"language": "nl", "phone": "02 555 01 02", "street": "Ninoofsesteenweg 12", "postcode": "1080", "municipality": "Molenbeek"} {
		details.Set(k, v)
	}
	if status, _, _ := dirk.do("POST", "/dossiers/"+id+"/details", details); status != http.StatusSeeOther {
		t.Fatalf("the address: %d", status)
	}

	// The coordinator sees all of it.
	chris := newBrowserSignedIn(t, e.h, e.fx.CoordinatorID)
	page = page2(t, chris, id)
	for _, want := range []string{"Spreekt weinig Nederlands.", "Volgt de cursus Nederlands.", "Zoekt vacatures mee.", "Goed begonnen; de opvang is nog niet rond.",
		"Afspraak 2: niet bereikt", "Huisbezoek: de kinderen gaan naar school.", "Ninoofsesteenweg 12, 1080 Molenbeek", "Dirk"} {
		if !strings.Contains(page, want) {
			t.Errorf("the coordinator's dossier lacks %q", want)
		}
	}

	// To Article 60 at a host: the host's user sees the worker, none of
	// the notes, not the dossier.
	host, err := e.db.CreateHost(ctx, e.fx.CentreID, store.HostInput{Name: "Resto", Language: "nl", Positions: []store.HostPosition{{Function: "kitchen_help", Positions: 2}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, step := range []url.Values{{"to": {"work"}}, {"to": {"article60"}, "contract.host_id": {host}, "contract.function": {"kitchen_help"},
		"contract.regime": {"full_time"}, "contract.start": {today}}} {
		move := form(t, page2(t, chris, id), "postTransition")
		for k, v := range step {
			move[k] = v
		}
		if status, page, _ := chris.do("POST", "/dossiers/"+id+"/act/postTransition", move); status != http.StatusSeeOther {
			t.Fatalf("to %s: %d\n%s", step.Get("to"), status, page)
		}
	}
	chefID, err := e.db.CreateUser(ctx, store.User{HostID: host, Email: "chef@resto.example", DisplayName: "Chef", Role: domain.RoleHost, Language: "nl", Active: true})
	if err != nil {
		t.Fatal(err)
	}
	chef := newBrowserSignedIn(t, e.h, chefID)
	status, page, _ = chef.do("GET", "/host/workers/"+id, nil)
	if status != http.StatusOK || !strings.Contains(page, "Peeters") || strings.Contains(page, "Huisbezoek") || strings.Contains(page, "Spreekt weinig") {
		t.Errorf("the host's page of its worker: %d\n%s", status, page)
	}
	if status, _, _ := chef.do("GET", "/dossiers/"+id, nil); status != http.StatusForbidden {
		t.Errorf("the host opens the dossier: %d", status)
	}

	// The same person again lands on the dossier.
	if status, page, _ := dirk.do("POST", "/dossiers", intake("flow-2-"+newID())); status != http.StatusConflict || !strings.Contains(page, `href="/dossiers/`+id+`"`) {
		t.Errorf("a second intake: %d", status)
	}

	// Closed, then back: re-entry from the page; the timeline keeps both runs.
	closing := form(t, page2(t, chris, id), "postTransition")
	closing.Set("to", "closed")
	closing.Set("outcome", "moved")
	if status, page, _ := chris.do("POST", "/dossiers/"+id+"/act/postTransition", closing); status != http.StatusSeeOther {
		t.Fatalf("closing: %d\n%s", status, page)
	}
	var reentry url.Values
	testenv.Eventually(t, "the re-entry form on the closed dossier", func() bool {
		_, page, _ := chris.do("GET", "/dossiers/"+id, nil)
		return strings.Contains(page, `id="form-reenterParticipant"`)
	})
	reentry = form(t, page2(t, chris, id), "reenterParticipant")
	reentry.Set("leefloon_decision_date", today)
	reentry.Set("counsellor_id", dirkID)
	testenv.Eventually(t, "the re-entry, once the closed run has ended", func() bool {
		status, _, _ := chris.do("POST", "/dossiers/"+id+"/reentry", reentry)
		return status == http.StatusSeeOther
	})
	testenv.Eventually(t, "the new run at intake", func() bool {
		events, err := e.db.Timeline(ctx, id, 0, 200)
		return err == nil && countKind(events, "trajectory_started") == 2
	})
	if page := page2(t, dirk, id); !strings.Contains(page, "Huisbezoek: de kinderen gaan naar school.") || !strings.Contains(page, "Spreekt weinig Nederlands.") {
		t.Errorf("after re-entry the dossier lost its notes or its analysis")
	}
}
