package web_test

import (
	"context"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/traject-ocmw/traject/policy"
	"github.com/traject-ocmw/traject/testenv"
)

// pdfWords reads a PDF's text back with poppler's pdftotext, its words
// joined by single spaces (lines wrap where the page ends them).
func pdfWords(t *testing.T, pdf string) string {
	t.Helper()
	file := filepath.Join(t.TempDir(), "letter.pdf")
	if err := os.WriteFile(file, []byte(pdf), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", file, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext (Debian's poppler-utils; .ci/run installs it): %v", err)
	}
	return strings.Join(strings.Fields(strings.ReplaceAll(string(out), "\u00a0", " ")), " ")
}

var letterLink = regexp.MustCompile(`href="(/dossiers/[0-9a-f-]+/letters/[0-9a-f-]+)/pdf"`)

// The letters of a procedure, through the pages against a real worker: the
// administrator fills in the letter settings; the counsellor reports the
// non-cooperation and produces the warning; the BCSD secretary is refused
// the invitation for a hearing 5 days away (the date the notice allows
// named), moves it 10 days ahead and produces it; records a month's
// suspension, is refused the notification without the committee's reasons,
// produces it, and records it sent by registered letter. Each PDF reads
// back with the person's name, the dates as the workflow computed them and
// the mentions; a second download is the same bytes; the dossier lists the
// three letters; the appeal window runs from the day it was sent.
func TestProcedureLetters(t *testing.T) {
	e := newActingEnv(t)
	ctx := context.Background()
	id := e.start("Zoë", time.Now().AddDate(0, -1, 0))
	if _, _, err := e.db.UpdateDetails(ctx, e.fx.CentreID, id, e.fx.CounsellorID, 1, map[string]string{"street": "Gentsesteenweg 12", "postcode": "1080", "municipality": "Molenbeek"}); err != nil {
		t.Fatal(err)
	}
	admin := seedAdmin(t, e.db, e.fx.CentreID)
	ad := newBrowserSignedIn(t, e.h, admin)
	settings := url.Values{"name": {"OCMW Molenbeek"}, "street": {"Vandenpeereboomstraat 14"}, "postcode": {"1080"}, "municipality": {"Molenbeek"},
		"phone": {"02 412 53 11"}, "email": {"spi@ocmw.example"}, "service": {"Dienst Socio-Professionele Integratie"}, "signatory": {"M. Peeters"},
		"signatory_title": {"Secretaris van het BCSD"}, "court_name": {"Nederlandstalige arbeidsrechtbank Brussel"},
		"court_address": {"Poelaertplein 3, 1000 Brussel"}, "hearing_place": {"Raadzaal, Vandenpeereboomstraat 14, 1080 Molenbeek"}}
	// The form says which fields a decision notice needs, the others are
	// optional.
	if _, page, _ := ad.do("GET", "/admin/letters", nil); strings.Count(page, "(nodig voor de kennisgeving van een beslissing)") != 3 ||
		!strings.Contains(page, `Bevoegde arbeidsrechtbank <span class="optional">(nodig voor de kennisgeving van een beslissing)</span>`) {
		t.Errorf("the letter settings do not say what a decision needs:\n%s", page)
	}
	bad := url.Values{"name": {"OCMW Molenbeek"}, "translations.fr.name": {"CPAS\x07"}}
	if status, page, _ := ad.do("POST", "/admin/letters", bad); status != 422 || !strings.Contains(page, `id="letters-fr-name-error"`) || !strings.Contains(page, "<details open>") {
		t.Errorf("a French name with a control character: %d\n%s", status, page)
	}
	settings.Set("translations.fr.name", "CPAS de Molenbeek")
	settings.Set("translations.fr.court_name", "Tribunal du travail francophone de Bruxelles")
	if status, page, _ := ad.do("POST", "/admin/letters", settings); status != 303 {
		t.Fatalf("letter settings: %d\n%s", status, page)
	}
	if _, page, _ := ad.do("GET", "/admin/letters", nil); !strings.Contains(page, `value="CPAS de Molenbeek"`) || strings.Count(page, "<details open>") != 1 {
		t.Errorf("the French wording read back, its fold-out open and the Dutch one closed:\n%s", page)
	}

	// The counsellor reports and produces the warning.
	an := newBrowserSignedIn(t, e.h, e.fx.CounsellorID)
	_, page, _ := an.do("GET", "/dossiers/"+id, nil)
	report := form(t, page, "reportNonCooperation")
	report.Set("description", "Drie afspraken met de trajectbegeleider gemist zonder verwittiging.")
	if status, _, _ := an.do("POST", "/dossiers/"+id+"/act/reportNonCooperation", report); status != 303 {
		t.Fatalf("report: %d", status)
	}
	testenv.Eventually(t, "the procedure the report opened in the read model", func() bool {
		procs, err := e.db.Procedures(ctx, id)
		return err == nil && len(procs) == 1 && len(procs[0].State) > 0
	})
	procedure := "/dossiers/" + id + "/procedures/1"
	_, page, _ = an.do("GET", procedure, nil)
	if strings.Contains(page, "form-produceLetter_hearing_invitation") {
		t.Error("the invitation is offered before a hearing is scheduled")
	}
	warning := form(t, page, "produceLetter_warning")
	warning.Set("language", "nl")
	status, _, header := an.do("POST", procedure+"/letters/warning", warning)
	if status != 303 {
		t.Fatalf("warning: %d", status)
	}
	_, page, _ = an.do("GET", header.Get("Location"), nil)
	links := letterLink.FindAllStringSubmatch(page, -1)
	if len(links) != 1 || !strings.Contains(page, "Schriftelijke verwittiging") {
		t.Fatalf("the procedure lists %d letters:\n%s", len(links), pageSection(t, page, "documents"))
	}
	_, pdf, pdfHeader := an.do("GET", links[0][1]+"/pdf", nil)
	if got := pdfHeader.Get("Content-Type"); got != "application/pdf" {
		t.Fatalf("the warning's PDF: %s", got)
	}
	text := pdfWords(t, pdf)
	for _, want := range []string{"Zoë Test", "Gentsesteenweg 12", "Drie afspraken met de trajectbegeleider gemist zonder verwittiging.", "OCMW Molenbeek", "Pagina 1 van"} {
		if !strings.Contains(text, want) {
			t.Errorf("the warning lacks %q:\n%s", want, text)
		}
	}

	// The BCSD secretary schedules a hearing 5 days away (invited 5 days
	// ago, which the workflow accepts): too close for the invitation now.
	bc := newBrowserSignedIn(t, e.h, e.fx.BCSDID)
	brussels, _ := time.LoadLocation("Europe/Brussels")
	today := time.Now().In(brussels)
	day := func(n int) string { return today.AddDate(0, 0, n).Format(time.DateOnly) }
	schedule := func(invited, hearing string) {
		t.Helper()
		_, page, _ := bc.do("GET", procedure, nil)
		f := form(t, page, "scheduleHearing")
		f.Set("invited_on", invited)
		f.Set("hearing_at", hearing+"T14:30")
		if status, page, _ := bc.do("POST", procedure+"/act/scheduleHearing", f); status != 303 {
			t.Fatalf("schedule: %d\n%s", status, page)
		}
	}
	schedule(day(-5), day(5))
	_, page, _ = bc.do("GET", procedure, nil)
	invitation := form(t, page, "produceLetter_hearing_invitation")
	invitation.Set("language", "nl")
	status, page, _ = bc.do("POST", procedure+"/letters/hearing_invitation", invitation)
	earliest := today.AddDate(0, 0, 8)
	// the procedure's page writes its dates short, its refusals too
	if status != 422 || !strings.Contains(page, earliest.Format("02/01/2006")) {
		t.Fatalf("an invitation 5 days ahead: %d, want 422 naming %s\n%s", status, earliest.Format(time.DateOnly), page)
	}
	schedule(day(0), day(10))
	_, page, _ = bc.do("GET", procedure, nil)
	invitation = form(t, page, "produceLetter_hearing_invitation")
	invitation.Set("language", "fr")
	if status, page, _ := bc.do("POST", procedure+"/letters/hearing_invitation", invitation); status != 303 {
		t.Fatalf("invitation: %d\n%s", status, page)
	}
	// The French letter names the centre and the court in French, the Dutch
	// one in Dutch.
	kept, err := e.db.Letters(ctx, id, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range kept {
		want := map[string]string{"nl": "OCMW Molenbeek", "fr": "CPAS de Molenbeek"}[l.Language]
		if l.Facts.Centre.Name != want || l.Facts.Centre.Translations != nil {
			t.Errorf("a %s letter in %s names the centre %q, want %q", l.Kind, l.Language, l.Facts.Centre.Name, want)
		}
	}

	// The hearing held, a month's suspension decided today.
	_, page, _ = bc.do("GET", procedure, nil)
	held := form(t, page, "recordHearing")
	held.Set("held", "true")
	if status, _, _ := bc.do("POST", procedure+"/act/recordHearing", held); status != 303 {
		t.Fatalf("hearing held: %d", status)
	}
	_, page, _ = bc.do("GET", procedure, nil)
	decision := form(t, page, "recordDecision")
	decision.Set("kind", "suspension")
	decision.Set("months", "1")
	decision.Set("decided_on", day(0))
	if status, page, _ := bc.do("POST", procedure+"/act/recordDecision", decision); status != 303 {
		t.Fatalf("decision: %d\n%s", status, page)
	}
	_, page, _ = bc.do("GET", procedure, nil)
	notice := form(t, page, "produceLetter_decision")
	notice.Set("language", "nl")
	if status, page, _ := bc.do("POST", procedure+"/letters/decision", notice); status != 422 || !strings.Contains(page, `id="produceLetter_decision-reasons-error"`) {
		t.Fatalf("a decision without reasons: %d, want 422 at the field\n%s", status, page)
	}
	notice.Set("reasons", "Mevrouw kwam niet opdagen op drie afspraken en gaf geen wettige reden.")
	if status, page, _ := bc.do("POST", procedure+"/letters/decision", notice); status != 303 {
		t.Fatalf("decision letter: %d\n%s", status, page)
	}
	_, page, _ = bc.do("GET", procedure, nil)
	links = letterLink.FindAllStringSubmatch(page, -1)
	if len(links) != 3 {
		t.Fatalf("the procedure lists %d letters, want 3", len(links))
	}
	// The latest first: the decision.
	_, pdf, _ = bc.do("GET", links[0][1]+"/pdf", nil)
	nlMonths := []string{"januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"}
	from := time.Date(today.Year(), today.Month()+2, 1, 0, 0, 0, 0, time.UTC)
	last := from.AddDate(0, 1, -1)
	text = pdfWords(t, pdf)
	for _, want := range []string{"Zoë Test", "Kennisgeving van de beslissing",
		"van 1 " + nlMonths[from.Month()-1], strings.TrimLeft(last.Format("02"), "0") + " " + nlMonths[last.Month()-1],
		"Mevrouw kwam niet opdagen op drie afspraken en gaf geen wettige reden.", "Nederlandstalige arbeidsrechtbank Brussel",
		"Poelaertplein 3, 1000 Brussel", "3 maanden", "Artikel 728", "Artikel 1017", "Dienst Socio-Professionele Integratie", "02 412 53 11"} {
		if !strings.Contains(text, want) {
			t.Errorf("the decision's PDF lacks %q:\n%s", want, text)
		}
	}
	_, again, _ := bc.do("GET", links[0][1]+"/pdf", nil)
	if again != pdf {
		t.Error("a second download differs from the first")
	}
	_, invitationPDF, _ := bc.do("GET", links[1][1]+"/pdf", nil)
	frMonths := []string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"}
	hearing := today.AddDate(0, 0, 10)
	if text := pdfWords(t, invitationPDF); !strings.Contains(text, "Invitation à être entendu") || !strings.Contains(text, "14 h 30") ||
		!strings.Contains(text, frMonths[hearing.Month()-1]) || !strings.Contains(text, "Raadzaal") {
		t.Errorf("the French invitation:\n%s", text)
	}

	// Sent by registered letter: the appeal window runs from that day.
	_, page, _ = bc.do("GET", procedure, nil)
	sent := form(t, page, "recordNotification")
	sent.Set("notified_on", day(0))
	sent.Set("registered_number", "RR 1234 5678 9BE")
	if status, page, _ := bc.do("POST", procedure+"/act/recordNotification", sent); status != 303 {
		t.Fatalf("notification: %d\n%s", status, page)
	}
	_, page, _ = bc.do("GET", procedure, nil)
	// (the window's last day itself, as the procedure writes its dates,
	// moved past a weekend or holiday as the default calendar says)
	until := policy.Default().LegalDeadline(today.AddDate(0, 3, 0))
	if steps := pageSection(t, page, "steps"); !strings.Contains(steps, "RR 1234 5678 9BE") || !strings.Contains(steps, "Laatste dag om beroep in te stellen</dt><dd>"+until.Format("02/01/2006")+"</dd>") {
		t.Errorf("the notification and its appeal window:\n%s", pageSection(t, page, "steps"))
	}

	// The dossier lists the three letters; the administrator opens none.
	_, page, _ = an.do("GET", "/dossiers/"+id, nil)
	if n := len(letterLink.FindAllStringSubmatch(page, -1)); n != 3 {
		t.Errorf("the dossier lists %d letters, want 3", n)
	}
	if status, _, _ := ad.do("GET", links[0][1]+"/pdf", nil); status != 403 {
		t.Errorf("the administrator downloads a letter: %d, want 403", status)
	}
	entries, err := e.db.AuditLog(ctx, e.fx.CentreID, id, 0, 500)
	if err != nil {
		t.Fatal(err)
	}
	downloads := 0
	for _, a := range entries {
		if a.Action == "download_letter" && a.Outcome == "ok" {
			downloads++
		}
	}
	if downloads != 4 {
		t.Errorf("%d downloads audited, want 4", downloads)
	}
}
