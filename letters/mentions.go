package letters

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/traject-ocmw/traject/policy"
)

// A mention is something a letter must say. Facts-bound mentions are found
// by the sample facts' values in the rendered text; the rights, which no
// fact carries, by a word each language's wording cannot do without.
type mention struct {
	name string
	want func(f Facts, lang string) string
}

func field(name string, value func(Facts) string) mention {
	return mention{name, func(f Facts, _ string) string { return value(f) }}
}

func word(name string, words map[string]string) mention {
	return mention{name, func(_ Facts, lang string) string { return words[lang] }}
}

func dated(name string, day func(Facts) time.Time) mention {
	return mention{name, func(f Facts, lang string) string { return longDate(lang, day(f)) }}
}

var (
	reference = field("the file reference", func(f Facts) string { return f.Reference })
	person    = field("the person's name", func(f Facts) string { return f.Person.Name })
	reproach  = field("what was not honoured", func(f Facts) string { return f.Reproach })
	reported  = dated("the day of the report", func(f Facts) time.Time { return f.ReportedOn })
)

// mentions are each letter's mandatory mentions: the invitation's from the
// right to be heard, the decision's from article 14 of the Charter of the
// social insured.
var mentions = map[Kind][]mention{
	Warning: {reference, person, reproach, reported,
		word("that the committee may be asked to decide", map[string]string{"nl": "Bijzonder Comité", "fr": "Comité spécial"})},
	HearingInvitation: {reference, person, reproach,
		dated("the hearing's date", func(f Facts) time.Time { return *f.HearingAt }),
		mention{"the hearing's time", func(f Facts, lang string) string { return clock(lang, *f.HearingAt) }},
		field("the hearing's place", func(f Facts) string { return f.HearingPlace }),
		word("the right to be heard", map[string]string{"nl": "gehoord", "fr": "entendu"}),
		word("the right to bring someone", map[string]string{"nl": "bijstaan", "fr": "accompagner"}),
		word("the right to consult the file", map[string]string{"nl": "dossier vooraf inzien", "fr": "consulter votre dossier"}),
	},
	DecisionNotice: {reference, person,
		dated("the day of the decision", func(f Facts) time.Time { return f.Decision.DecidedOn }),
		dated("the suspension's first day", func(f Facts) time.Time { return *f.Decision.From }),
		dated("the suspension's last day", func(f Facts) time.Time { return f.Decision.Until.AddDate(0, 0, -1) }),
		field("the committee's reasons", func(f Facts) string { return f.Decision.Reasons }),
		word("that an appeal is possible", map[string]string{"nl": "beroep", "fr": "recours"}),
		field("the labour court", func(f Facts) string { return f.Centre.CourtName }),
		field("the labour court's address", func(f Facts) string { return f.Centre.CourtAddress }),
		mention{"the appeal deadline", func(f Facts, lang string) string { return period(lang, f.AppealWindow) }},
		word("how to appeal", map[string]string{"nl": "verzoekschrift", "fr": "requête"}),
		word("article 728 of the Judicial Code", map[string]string{"nl": "Artikel 728", "fr": "Article 728"}),
		word("article 1017 of the Judicial Code", map[string]string{"nl": "Artikel 1017", "fr": "Article 1017"}),
		field("the service handling the file", func(f Facts) string { return f.Centre.Service }),
		word("that the person can ask for explanations", map[string]string{"nl": "uitleg", "fr": "explications"}),
		field("where to ask", func(f Facts) string { return f.Centre.Phone }),
	},
	GPMIDocument: {reference, person,
		field("the centre", func(f Facts) string { return f.Centre.Name }),
		field("what the person does", func(f Facts) string { return f.Agreements[0].PersonDoes }),
		field("what the centre does", func(f Facts) string { return f.Agreements[0].CentreDoes }),
		dated("an agreement's date", func(f Facts) time.Time { return *f.Agreements[0].DueOn }),
		mention{"the evaluation rhythm", func(f Facts, lang string) string { return period(lang, f.EvaluationEvery) }},
		word("the consequences of not honouring it", map[string]string{"nl": "schorsen", "fr": "suspendre"}),
		word("the right to be heard", map[string]string{"nl": "gehoord", "fr": "entendu"}),
	},
}

// Sample is a letter's facts with a recognisable value in every field: what
// Check renders, and what a template author can preview.
func Sample(kind Kind, lang string) Facts {
	day := func(y int, m time.Month, d int) *time.Time {
		t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
		return &t
	}
	hearing := time.Date(2026, 12, 17, 14, 30, 0, 0, time.UTC)
	f := Facts{
		Kind: kind, Language: lang, Date: *day(2026, 12, 3), TimeZone: "UTC", Reference: "SAMPLE-REF-1",
		Centre: Centre{Name: "Sample Centre Name", Street: "Sample Street 1", Postcode: "1080", Municipality: "Sample Town",
			Phone: "02 000 00 01", Email: "sample@centre.example", Service: "Sample Service Name", Signatory: "Sample Signatory",
			SignatoryTitle: "Sample Title", CourtName: "Sample Labour Court", CourtAddress: "Sample Court Street 3, 1000 Sample City",
			HearingPlace: "Sample Hearing Room"},
		Person:       Person{Name: "Sample Person Name", Street: "Person Street 2", Postcode: "1080", Municipality: "Sample Town"},
		ReportedOn:   *day(2026, 11, 20),
		Reproach:     "Sample reproach text",
		HearingAt:    &hearing,
		HearingPlace: "Sample Hearing Place",
		Notice:       policy.Days(8),
		AppealWindow: policy.Months(3),
	}
	if kind == GPMIDocument {
		f.Counsellor, f.SignedOn, f.EvaluationEvery, f.FaceToFacePerYear = "Sample Counsellor", day(2026, 12, 1), policy.Months(4), 2
		f.Agreements = []Agreement{{Domain: "Sample domain", PersonDoes: "Sample person duty", CentreDoes: "Sample centre duty", DueOn: day(2027, 3, 31)},
			{Domain: "Other domain", PersonDoes: "Other person duty", CentreDoes: "Other centre duty"}}
	}
	if kind == DecisionNotice {
		f.Decision = &Decided{Kind: "suspension", Months: 2, DecidedOn: *day(2026, 12, 18), From: day(2027, 2, 1), Until: day(2027, 4, 1),
			Reasons: "Sample reasons of the committee"}
	}
	return f
}

// Check renders every template with the sample facts and names each
// mandatory mention a template lacks; it also renders the decision's other
// outcomes, so that a template error in a branch shows.
func (b *Book) Check() error {
	var errs []error
	for _, lang := range Languages {
		for _, kind := range Kinds {
			f := Sample(kind, lang)
			l, err := b.Render(f)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			text := l.Text()
			for _, m := range mentions[kind] {
				if want := m.want(f, lang); !strings.Contains(text, want) {
					errs = append(errs, fmt.Errorf("letter template %s/%s.txt lacks a mandatory mention: %s (%q)", lang, kind, m.name, want))
				}
			}
			if kind == GPMIDocument {
				signatures := 0
				for _, b := range l.Blocks {
					if b.Kind == "signature" {
						signatures++
					}
				}
				if signatures < 2 {
					errs = append(errs, fmt.Errorf("letter template %s/%s.txt lacks a mandatory mention: both parties' signature blocks (\"= \" lines)", lang, kind))
				}
			}
			if kind == DecisionNotice {
				for _, outcome := range []string{"no_sanction", "suspended_sanction"} {
					g := f
					d := *f.Decision
					d.Kind, d.From, d.Until = outcome, nil, nil
					g.Decision = &d
					if _, err := b.Render(g); err != nil {
						errs = append(errs, err)
					}
				}
			}
		}
	}
	return errors.Join(errs...)
}
