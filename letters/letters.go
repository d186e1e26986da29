// Package letters writes the letters the law requires of a centre: the
// written warning after a report of non-cooperation, the invitation to the
// BCSD's hearing and the notification of its decision. Each is a template
// file per language (templates/nl, templates/fr) with named fields, so that
// a centre's lawyer changes the wording without code; a template that lacks
// a mandatory mention is refused (Check). A letter is rendered once into
// blocks of text, which both the printable page and the PDF show.
package letters

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"text/template"
	"time"

	"github.com/traject-ocmw/traject/policy"
)

// Kind is a letter's kind.
type Kind string

// The letters traject writes.
const (
	Warning           Kind = "warning"
	HearingInvitation Kind = "hearing_invitation"
	DecisionNotice    Kind = "decision"
	GPMIDocument      Kind = "gpmi"
)

// Kinds lists them: a procedure's in the order it needs them, then the
// dossier's own.
var Kinds = []Kind{Warning, HearingInvitation, DecisionNotice, GPMIDocument}

// ProcedureKinds are the letters of a BCSD procedure; the others belong to
// the dossier.
var ProcedureKinds = []Kind{Warning, HearingInvitation, DecisionNotice}

// Languages are the languages a letter is written in.
var Languages = []string{"nl", "fr"}

// Centre is what a centre's letters say about it: the letterhead, who
// signs, the service handling the file and the labour court an appeal goes
// to (article 14 of the Charter of the social insured).
type Centre struct {
	Name           string `json:"name"`
	Street         string `json:"street"`
	Postcode       string `json:"postcode"`
	Municipality   string `json:"municipality"`
	Phone          string `json:"phone"`
	Email          string `json:"email"`
	Service        string `json:"service"`
	Signatory      string `json:"signatory"`
	SignatoryTitle string `json:"signatory_title"`
	CourtName      string `json:"court_name"`
	CourtAddress   string `json:"court_address"`
	HearingPlace   string `json:"hearing_place"`
	// Translations hold, per language, what a bilingual centre writes
	// differently in that language's letters; empty fields keep the above.
	Translations map[string]Wording `json:"translations,omitempty"`
}

// Wording is what a bilingual centre writes differently in one language:
// its name, its street and municipality (Brussels' streets have two
// names), the service, the signatory's title, the labour court and the
// place of hearings.
type Wording struct {
	Name           string `json:"name,omitempty"`
	Street         string `json:"street,omitempty"`
	Municipality   string `json:"municipality,omitempty"`
	Service        string `json:"service,omitempty"`
	SignatoryTitle string `json:"signatory_title,omitempty"`
	CourtName      string `json:"court_name,omitempty"`
	CourtAddress   string `json:"court_address,omitempty"`
	HearingPlace   string `json:"hearing_place,omitempty"`
}

// reworded pairs each field a language may reword, by the name the
// settings give it, with its place in a Centre and in a Wording: the one
// list WordingFields, Fields and In read.
func reworded(c *Centre, w *Wording) []struct {
	name            string
	centre, wording *string
} {
	return []struct {
		name            string
		centre, wording *string
	}{
		{"name", &c.Name, &w.Name}, {"street", &c.Street, &w.Street}, {"municipality", &c.Municipality, &w.Municipality},
		{"service", &c.Service, &w.Service}, {"signatory_title", &c.SignatoryTitle, &w.SignatoryTitle},
		{"court_name", &c.CourtName, &w.CourtName}, {"court_address", &c.CourtAddress, &w.CourtAddress},
		{"hearing_place", &c.HearingPlace, &w.HearingPlace},
	}
}

// DecisionNeeds are the settings a decision notice cannot go without: the
// service handling the file, the labour court and its address (article 14
// of the Charter of the social insured).
var DecisionNeeds = []string{"service", "court_name", "court_address"}

// ReadyForDecision tells whether c holds every one of DecisionNeeds.
func (c Centre) ReadyForDecision() bool {
	for _, f := range reworded(&c, &Wording{}) {
		if slices.Contains(DecisionNeeds, f.name) && *f.centre == "" {
			return false
		}
	}
	return true
}

// WordingFields name a Wording's fields as the settings do.
var WordingFields = func() []string {
	var names []string
	for _, f := range reworded(&Centre{}, &Wording{}) {
		names = append(names, f.name)
	}
	return names
}()

// Fields are w's values by WordingFields' names.
func (w Wording) Fields() map[string]string {
	out := map[string]string{}
	for _, f := range reworded(&Centre{}, &w) {
		out[f.name] = *f.wording
	}
	return out
}

// In is the centre as a letter in lang speaks of it: its own wording for
// that language over the settings, and no translations left.
func (c Centre) In(lang string) Centre {
	w := c.Translations[lang]
	c.Translations = nil
	for _, f := range reworded(&c, &w) {
		if *f.wording != "" {
			*f.centre = *f.wording
		}
	}
	return c
}

// Person is the addressee.
type Person struct {
	Name string `json:"name"`
	// FamilyName and Gender (f, m, x or empty) make the salutation:
	// "Geachte mevrouw Peeters", "Madame,".
	FamilyName   string `json:"family_name,omitempty"`
	Gender       string `json:"gender,omitempty"`
	Street       string `json:"street,omitempty"`
	Postcode     string `json:"postcode,omitempty"`
	Municipality string `json:"municipality,omitempty"`
}

// Decided is the BCSD's decision as the workflow computed it, and the
// committee's reasons as it wrote them.
type Decided struct {
	Kind      string    `json:"kind"` // no_sanction, suspension, suspended_sanction (workflows.Decision*)
	Months    int       `json:"months,omitempty"`
	Partial   bool      `json:"partial,omitempty"`
	DecidedOn time.Time `json:"decided_on"`
	// From is the suspension's first day, Until the day after its last.
	From    *time.Time `json:"from,omitempty"`
	Until   *time.Time `json:"until,omitempty"`
	Reasons string     `json:"reasons"`
}

// Facts are everything a letter says: kept with the letter, so that what
// it was made from can be read back.
type Facts struct {
	Kind      Kind      `json:"kind"`
	Language  string    `json:"language"`
	Date      time.Time `json:"date"`
	TimeZone  string    `json:"time_zone"`
	Reference string    `json:"reference"`
	Centre    Centre    `json:"centre"`
	Person    Person    `json:"person"`
	// The report of non-cooperation: its day and what was not honoured.
	ReportedOn time.Time `json:"reported_on"`
	Reproach   string    `json:"reproach"`
	// The hearing (invitation and decision).
	HearingAt    *time.Time    `json:"hearing_at,omitempty"`
	HearingPlace string        `json:"hearing_place,omitempty"`
	Notice       policy.Period `json:"notice"`
	Decision     *Decided      `json:"decision,omitempty"`
	AppealWindow policy.Period `json:"appeal_window"`
	// The GPMI document: the counsellor who concludes it for the centre,
	// the day it was signed, its agreements in force and the evaluation
	// rhythm of the centre's policy.
	Counsellor        string        `json:"counsellor,omitempty"`
	SignedOn          *time.Time    `json:"signed_on,omitempty"`
	Agreements        []Agreement   `json:"agreements,omitempty"`
	EvaluationEvery   policy.Period `json:"evaluation_every"`
	FaceToFacePerYear int           `json:"face_to_face_per_year,omitempty"`
}

// Agreement is one agreement of the GPMI: its life domain (in the letter's
// language), what the person does, what the centre does, by when.
type Agreement struct {
	Domain     string     `json:"domain"`
	PersonDoes string     `json:"person_does"`
	CentreDoes string     `json:"centre_does"`
	DueOn      *time.Time `json:"due_on,omitempty"`
}

// Letter is a rendered letter: its title and its blocks of text.
type Letter struct {
	Title  string  `json:"title"`
	Blocks []Block `json:"blocks"`
}

// Block is a heading, a paragraph or a list item.
type Block struct {
	Kind string `json:"kind"` // heading, paragraph, item, signature
	Text string `json:"text"`
}

// Text is the letter's words, a block a line: what a test reads back.
func (l Letter) Text() string {
	var b strings.Builder
	b.WriteString(l.Title)
	for _, bl := range l.Blocks {
		b.WriteString("\n")
		b.WriteString(bl.Text)
	}
	return b.String()
}

//go:embed templates
var defaultTemplates embed.FS

// Book holds the templates of every kind and language, checked.
type Book struct {
	templates map[string]*template.Template
}

// Default is the book of the templates shipped with traject.
func Default() (*Book, error) {
	sub, err := fs.Sub(defaultTemplates, "templates")
	if err != nil {
		return nil, err
	}
	return Load(sub)
}

// Load reads a book from a directory laid out as templates/ is (nl/warning.txt,
// fr/decision.txt, ...) and checks every template's mandatory mentions.
func Load(dir fs.FS) (*Book, error) {
	b := &Book{templates: map[string]*template.Template{}}
	var errs []error
	for _, lang := range Languages {
		for _, kind := range Kinds {
			name := lang + "/" + string(kind) + ".txt"
			src, err := fs.ReadFile(dir, name)
			if err != nil {
				errs = append(errs, fmt.Errorf("letter template %s: %w", name, err))
				continue
			}
			t, err := template.New(name).Funcs(funcs(lang)).Option("missingkey=error").Parse(string(src))
			if err != nil {
				errs = append(errs, fmt.Errorf("letter template %s: %w", name, err))
				continue
			}
			b.templates[name] = t
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return b, b.Check()
}

// Render writes the letter the facts describe.
func (b *Book) Render(f Facts) (Letter, error) {
	t := b.templates[f.Language+"/"+string(f.Kind)+".txt"]
	if t == nil {
		return Letter{}, fmt.Errorf("no letter template for %s in %q", f.Kind, f.Language)
	}
	loc, err := time.LoadLocation(f.TimeZone)
	if err != nil {
		loc = time.UTC
	}
	var out bytes.Buffer
	if err := t.Execute(&out, f.in(loc)); err != nil {
		return Letter{}, fmt.Errorf("letter %s in %s: %w", f.Kind, f.Language, err)
	}
	text := out.String()
	if f.Language == "fr" {
		// French typography: a no-break space before : ; ? !, whatever
		// space the template's author typed.
		text = frenchSpaces.Replace(text)
	}
	return parse(text), nil
}

var frenchSpaces = strings.NewReplacer(" :", "\u00a0:", " ;", "\u00a0;", " ?", "\u00a0?", " !", "\u00a0!")

// in gives the facts with their times in the centre's zone, as the
// templates write them.
func (f Facts) in(loc *time.Location) Facts {
	at := func(t *time.Time) *time.Time {
		if t == nil {
			return nil
		}
		v := t.In(loc)
		return &v
	}
	f.Date, f.ReportedOn, f.HearingAt, f.SignedOn = f.Date.In(loc), f.ReportedOn.In(loc), at(f.HearingAt), at(f.SignedOn)
	agreements := make([]Agreement, len(f.Agreements))
	for i, a := range f.Agreements {
		a.DueOn = at(a.DueOn)
		agreements[i] = a
	}
	f.Agreements = agreements
	if f.Decision != nil {
		d := *f.Decision
		d.DecidedOn, d.From, d.Until = d.DecidedOn.In(loc), at(d.From), at(d.Until)
		f.Decision = &d
	}
	return f
}

// parse reads a rendered template: "# " starts the title, "## " a heading,
// "- " a list item, "= " a signature block (who signs, a line to sign on);
// a blank line ends a paragraph, and a paragraph's lines join with a space.
func parse(s string) Letter {
	var l Letter
	var para []string
	flush := func() {
		if len(para) > 0 {
			l.Blocks = append(l.Blocks, Block{Kind: "paragraph", Text: strings.Join(para, " ")})
			para = nil
		}
	}
	for _, line := range strings.Split(s, "\n") {
		line = strings.TrimSpace(line)
		switch {
		case line == "":
			flush()
		case strings.HasPrefix(line, "## "):
			flush()
			l.Blocks = append(l.Blocks, Block{Kind: "heading", Text: strings.TrimSpace(line[3:])})
		case strings.HasPrefix(line, "# "):
			flush()
			l.Title = strings.TrimSpace(line[2:])
		case strings.HasPrefix(line, "- "):
			flush()
			l.Blocks = append(l.Blocks, Block{Kind: "item", Text: strings.TrimSpace(line[2:])})
		case strings.HasPrefix(line, "= "):
			flush()
			l.Blocks = append(l.Blocks, Block{Kind: "signature", Text: strings.TrimSpace(line[2:])})
		default:
			para = append(para, line)
		}
	}
	flush()
	return l
}

// Templates are the templates shipped with traject, laid out as Load reads
// them: the starting point of a centre's own wording.
func Templates() fs.FS {
	sub, _ := fs.Sub(defaultTemplates, "templates")
	return sub
}
