package notify

import (
	"strings"
	"testing"
	"time"
	"unicode"
)

// Every kind renders in both languages, to every role it goes to, with no
// missing key and no empty part; the HTML escapes what it is given.
func TestEveryTemplateRendersInBothLanguages(t *testing.T) {
	tmpl, err := LoadTemplates()
	if err != nil {
		t.Fatal(err)
	}
	d := Data{Participant: "Fatima <El Idrissi>", Centre: "OCMW Molenbeek", Due: "2 februari 2027", FaceToFace: true, About: "gezondheid",
		Link: "https://traject.ocmw.example/dossiers/0b8e7c1e", Recipient: "An",
		Items:  []Item{{Participant: "Fatima", What: "évaluation du PIIS", Due: "2 février 2027", Overdue: true}},
		Groups: []Group{{Counsellor: "An", Items: []Item{{Participant: "Fatima", What: "évaluation du PIIS", Due: "2 février 2027"}}}}}
	for kind, roles := range Catalogue {
		for _, role := range roles {
			for _, lang := range Languages {
				m, err := tmpl.Render(kind, role, lang, d)
				if err != nil {
					t.Errorf("%s to %s in %s: %v", kind, role, lang, err)
					continue
				}
				if strings.Contains(m.Text, "<El Idrissi>") && (strings.Contains(m.HTML, "<El Idrissi>") || !strings.Contains(m.HTML, "&lt;El Idrissi&gt;")) {
					t.Errorf("%s %s: HTML does not escape the participant's name", kind, lang)
				}
				if !strings.Contains(m.HTML, `lang="`+lang+`"`) {
					t.Errorf("%s %s: HTML lacks its language", kind, lang)
				}
				if lang == "fr" {
					for _, part := range []string{m.Subject, m.Text} {
						if bad := frenchTypography(part); bad != "" {
							t.Errorf("%s to %s: no no-break space in %q", kind, role, bad)
						}
					}
				}
			}
		}
	}
	nl, _ := tmpl.Render("gpmi_sign_reminder", "counsellor", "nl", d)
	fr, _ := tmpl.Render("gpmi_sign_reminder", "counsellor", "fr", d)
	if !strings.HasPrefix(nl.Subject, "Herinnering") || !strings.HasPrefix(fr.Subject, "Rappel") {
		t.Errorf("languages mixed up: %q / %q", nl.Subject, fr.Subject)
	}
}

func TestMissingKindOrKeyIsAnError(t *testing.T) {
	tmpl, err := LoadTemplates()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tmpl.Render("no_such_kind", "counsellor", "nl", Data{}); err == nil {
		t.Error("an unknown kind rendered")
	}
	if _, err := tmpl.Render("gpmi_sign_reminder", "counsellor", "de", Data{}); err == nil {
		t.Error("an unknown language rendered")
	}
}

func TestFormatDue(t *testing.T) {
	loc, _ := time.LoadLocation("Europe/Brussels")
	endOfFirstMarch := time.Date(2027, 3, 2, 0, 0, 0, 0, loc)
	if got := FormatDue(endOfFirstMarch, "fr", loc); got != "1er mars 2027" {
		t.Errorf("fr: %q", got)
	}
	if got := FormatDue(endOfFirstMarch, "nl", loc); got != "1 maart 2027" {
		t.Errorf("nl: %q", got)
	}
	hearing := time.Date(2026, 11, 24, 14, 0, 0, 0, loc)
	if got := FormatDue(hearing, "nl", loc); got != "24 november 2026" {
		t.Errorf("a time of day keeps its date: %q", got)
	}
}

// A staff message about a dossier ends with the link to its page, in the
// recipient's language; a host's links to the host's page of its worker;
// a participant's never carries one.
func TestStaffMessagesLinkToTheDossier(t *testing.T) {
	tmpl, err := LoadTemplates()
	if err != nil {
		t.Fatal(err)
	}
	link := "https://traject.ocmw.example/dossiers/0b8e7c1e-3f4a-4c7e-9a59-2f6f1d1e8c01"
	d := Data{Participant: "Fatima El Idrissi", Centre: "OCMW Molenbeek", Due: "1 maart 2027", Link: link}
	for lang, want := range map[string]string{"nl": "Het dossier: " + link, "fr": "Le dossier\u00a0: " + link} {
		m, err := tmpl.Render("a60_contract_end_reminder", "counsellor", lang, d)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasSuffix(m.Text, want) || !strings.Contains(m.HTML, link) {
			t.Errorf("%s: no link at the end:\n%s", lang, m.Text)
		}
		hostLink := "https://traject.ocmw.example/host/workers/0b8e7c1e-3f4a-4c7e-9a59-2f6f1d1e8c01"
		hd := d
		hd.Link = hostLink
		host, err := tmpl.Render("a60_contract_end_reminder", "host", lang, hd)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasSuffix(host.Text, hostLink) || strings.Contains(host.Text, "Het dossier") || strings.Contains(host.Text, "Le dossier") {
			t.Errorf("%s: the host's message does not end with its worker's page:\n%s", lang, host.Text)
		}
	}
}

// frenchTypography is the first place in French text where : ; ? ! or »
// lacks the no-break space before it, or « the one after it (a link's
// "https:" and a time's "14:00" aside); empty when there is none.
func frenchTypography(text string) string {
	runes := []rune(text)
	for i, r := range runes {
		var ok bool
		switch {
		case strings.ContainsRune(":;?!»", r):
			ok = i > 0 && (runes[i-1] == '\u00a0' || runes[i-1] == '\u202f') ||
				r == ':' && i+1 < len(runes) && (runes[i+1] == '/' || i > 0 && unicode.IsDigit(runes[i-1]) && unicode.IsDigit(runes[i+1]))
		case r == '«':
			ok = i+1 < len(runes) && (runes[i+1] == '\u00a0' || runes[i+1] == '\u202f')
		default:
			continue
		}
		if !ok {
			return string(runes[max(0, i-20):min(len(runes), i+5)])
		}
	}
	return ""
}
