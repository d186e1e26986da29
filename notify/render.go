// Package notify turns the workflows' notices into e-mail: templates in
// Dutch and French, rendered as plain text and HTML, and an SMTP mailer.
package notify

import (
	"bytes"
	"embed"
	"fmt"
	htmltemplate "html/template"
	"strings"
	"text/template"
	"time"

	"github.com/traject-ocmw/traject/domain"
)

//go:embed templates/*.tmpl
var files embed.FS

// Catalogue lists every message kind the workflows queue, with the roles it
// goes to. The workflow tests check that every notice they see is in it,
// and the template test renders every entry in every language.
var Catalogue = map[string][]domain.Actor{
	"gpmi_sign_reminder":               {domain.ActorCounsellor},
	"gpmi_sign_overdue":                {domain.ActorCoordinator},
	"gpmi_evaluation_reminder":         {domain.ActorCounsellor},
	"gpmi_evaluation_overdue":          {domain.ActorCoordinator},
	"exemption_review_reminder":        {domain.ActorCounsellor},
	"exemption_review_overdue":         {domain.ActorCoordinator},
	"a60_contract_end_reminder":        {domain.ActorCounsellor, domain.ActorCoordinator, domain.ActorHost},
	"a60_attendance_check_reminder":    {domain.ActorCounsellor},
	"a60_employment_referral_reminder": {domain.ActorCounsellor},
	"a60_training_reminder":            {domain.ActorCounsellor, domain.ActorHost},
	"a60_host_check_reminder":          {domain.ActorHost},
	"a60_host_check_overdue":           {domain.ActorCounsellor},
	"a60_host_signal":                  {domain.ActorCounsellor},
	"a60_host_hiring":                  {domain.ActorCounsellor},
	"a60_training_overdue":             {domain.ActorCoordinator},
	"post_a60_check_in_reminder":       {domain.ActorCounsellor},
	"post_a60_outcome_reminder":        {domain.ActorCounsellor},
	"post_a60_outcome_overdue":         {domain.ActorCoordinator},
	"sanction_warning":                 {domain.ActorParticipant, domain.ActorBCSD},
	"sanction_hearing_invitation":      {domain.ActorParticipant},
	"sanction_hearing_reminder":        {domain.ActorParticipant, domain.ActorCounsellor, domain.ActorBCSD},
	"sanction_hearing_overdue":         {domain.ActorBCSD},
	"sanction_decision_reminder":       {domain.ActorBCSD, domain.ActorCounsellor},
	"sanction_decision_overdue":        {domain.ActorCoordinator},
	"sanction_notification_overdue":    {domain.ActorCoordinator},
	"sanction_decision":                {domain.ActorParticipant},
	"notice_undelivered":               {domain.ActorCoordinator},
	"digest_daily":                     {domain.ActorCounsellor},
	"digest_weekly":                    {domain.ActorCoordinator},
	"digest_host":                      {domain.ActorHost},
}

// Languages a message exists in.
var Languages = []string{"nl", "fr"}

// Data is what a template may use. Participant and Centre are names: the
// messages go to people who need them to act, under professional secrecy.
type Data struct {
	Participant string
	Centre      string
	Due         string // the date, written out in the recipient's language
	FaceToFace  bool
	// About names what a notice is about in the recipient's language: a
	// problem's category, a hiring's kind of employment.
	About string
	// Link, when set, is the page of the dossier the message is about;
	// staff messages end with it.
	Link string
	// Digests.
	Recipient string
	Items     []Item
	Groups    []Group
}

// Item is one line of a digest.
type Item struct {
	Participant string
	What        string // a deadline label in the recipient's language
	Due         string
	Overdue     bool
}

// Group is one counsellor's lines in a coordinator's digest.
type Group struct {
	Counsellor string
	Items      []Item
}

var labels = map[string]map[string]string{
	"nl": {
		"gpmi_sign": "GPMI sluiten", "gpmi_evaluation": "evaluatie van het GPMI", "exemption_review": "herziening van de vrijstelling",
		"a60_attendance_check": "aanwezigheidscontrole", "a60_employment_referral": "doorverwijzing naar de dienst voor arbeidsbemiddeling",
		"a60_contract_end": "einde artikel 60-contract", "a60_training": "verplichte opleiding",
		"post_a60_check_in": "opvolgingsgesprek nazorg", "post_a60_outcome": "resultaat van de nazorg registreren",
		"post_a60_close": "afsluiting zonder resultaat", "a60_host_check": "evaluatie door de tewerkstellingsplaats",
		"attendance": "aanwezigheid", "behaviour": "gedrag", "health": "gezondheid", "skills": "competenties", "other": "andere",
		"open_ended": "contract van onbepaalde duur", "fixed_term": "contract van bepaalde duur",
		"sanction_hearing": "hoorzitting houden", "sanction_decision": "beslissing van het BCSD nemen", "sanction_notification": "beslissing betekenen",
		"sanction_appeal_window": "einde van de beroepstermijn", "sanction_suspension_start": "begin van de schorsing", "sanction_suspension_finish": "einde van de schorsing",
	},
	"fr": {
		"gpmi_sign": "conclure le PIIS", "gpmi_evaluation": "évaluation du PIIS", "exemption_review": "révision de la dispense",
		"a60_attendance_check": "contrôle des présences", "a60_employment_referral": "orientation vers le service de l'emploi",
		"a60_contract_end": "fin du contrat article 60", "a60_training": "formation obligatoire",
		"post_a60_check_in": "entretien de suivi post-article 60", "post_a60_outcome": "enregistrer le résultat du suivi",
		"post_a60_close": "clôture sans résultat", "a60_host_check": "évaluation par le lieu de travail",
		"attendance": "présence", "behaviour": "comportement", "health": "santé", "skills": "compétences", "other": "autre",
		"open_ended": "contrat à durée indéterminée", "fixed_term": "contrat à durée déterminée",
		"sanction_hearing": "tenir l'audition", "sanction_decision": "décision du CSSS à prendre", "sanction_notification": "notifier la décision",
		"sanction_appeal_window": "fin du délai de recours", "sanction_suspension_start": "début de la suspension", "sanction_suspension_finish": "fin de la suspension",
	},
}

// Label names a deadline kind, or the code a notice is about, in a
// language; an unknown code stays as it is.
func Label(kind, lang string) string {
	if l, ok := labels[lang][kind]; ok {
		return l
	}
	return kind
}

// Message is one rendered e-mail.
type Message struct {
	Subject string
	Text    string
	HTML    string
}

// Templates are the parsed message templates, one set per language.
type Templates struct {
	byLang map[string]*template.Template
}

// LoadTemplates parses the embedded templates.
func LoadTemplates() (*Templates, error) {
	t := &Templates{byLang: map[string]*template.Template{}}
	for _, lang := range Languages {
		tmpl, err := template.New(lang).Option("missingkey=error").ParseFS(files, "templates/"+lang+".tmpl")
		if err != nil {
			return nil, fmt.Errorf("templates %s: %w", lang, err)
		}
		t.byLang[lang] = tmpl
	}
	return t, nil
}

// Has reports whether a kind exists for a recipient in every language.
func (t *Templates) Has(kind string, to domain.Actor) bool {
	for _, lang := range Languages {
		if t.name(lang, kind, to) == "" {
			return false
		}
	}
	return true
}

// name picks the recipient's own wording of a kind when there is one.
func (t *Templates) name(lang, kind string, to domain.Actor) string {
	tmpl := t.byLang[lang]
	if tmpl == nil {
		return ""
	}
	for _, n := range []string{kind + "." + string(to), kind} {
		if tmpl.Lookup(n+".subject") != nil && tmpl.Lookup(n+".body") != nil {
			return n
		}
	}
	return ""
}

// Render writes a message in the recipient's language. A missing template,
// a missing key or an empty part is an error, never a blank mail.
func (t *Templates) Render(kind string, to domain.Actor, lang string, d Data) (Message, error) {
	name := t.name(lang, kind, to)
	if name == "" {
		return Message{}, fmt.Errorf("no %s template for %s to %s", lang, kind, to)
	}
	tmpl := t.byLang[lang]
	var subject, body bytes.Buffer
	if err := tmpl.ExecuteTemplate(&subject, name+".subject", d); err != nil {
		return Message{}, err
	}
	if err := tmpl.ExecuteTemplate(&body, name+".body", d); err != nil {
		return Message{}, err
	}
	m := Message{Subject: strings.TrimSpace(subject.String()), Text: strings.TrimSpace(body.String())}
	if m.Subject == "" || strings.Contains(m.Subject, "\n") {
		return Message{}, fmt.Errorf("%s %s: subject must be one non-empty line", lang, name)
	}
	if m.Text == "" {
		return Message{}, fmt.Errorf("%s %s: empty body", lang, name)
	}
	switch {
	case d.Link == "" || to == domain.ActorParticipant:
	case to == domain.ActorHost: // the host's page of its worker, never the dossier
		m.Text += "\n\n" + map[string]string{"nl": "De werknemer: ", "fr": "Le travailleur\u00a0: "}[lang] + d.Link
	default:
		m.Text += "\n\n" + map[string]string{"nl": "Het dossier: ", "fr": "Le dossier\u00a0: "}[lang] + d.Link
	}
	var html bytes.Buffer
	if err := layout.Execute(&html, map[string]any{"Lang": lang, "Subject": m.Subject, "Paragraphs": paragraphs(m.Text)}); err != nil {
		return Message{}, err
	}
	m.HTML = html.String()
	return m, nil
}

// paragraphs splits plain text on blank lines; lines within stay lines.
func paragraphs(text string) [][]string {
	var out [][]string
	for _, p := range strings.Split(text, "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, strings.Split(p, "\n"))
		}
	}
	return out
}

// layout is the HTML version of every message: the same paragraphs,
// escaped by html/template.
var layout = htmltemplate.Must(htmltemplate.New("layout").Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}"><head><meta charset="utf-8"><title>{{.Subject}}</title></head>
<body style="font-family: sans-serif; line-height: 1.5; max-width: 40em">
{{range .Paragraphs}}<p>{{range $i, $line := .}}{{if $i}}<br>{{end}}{{$line}}{{end}}</p>
{{end}}</body></html>
`))

var months = map[string][]string{
	"nl": {"januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"},
	"fr": {"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"},
}

// FormatDue writes the date a deadline falls on in the language. A
// date-based deadline passes at midnight after its day, so the day shown is
// the one just before that instant.
func FormatDue(due time.Time, lang string, loc *time.Location) string {
	day := due.In(loc).Add(-time.Minute)
	y, m, d := day.Date()
	if lang == "fr" {
		ordinal := fmt.Sprint(d)
		if d == 1 {
			ordinal = "1er"
		}
		return fmt.Sprintf("%s %s %d", ordinal, months["fr"][m-1], y)
	}
	return fmt.Sprintf("%d %s %d", d, months["nl"][m-1], y)
}
