package letters_test

import (
	"bytes"
	"flag"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/traject-ocmw/traject/letters"
)

var updateScreenshots = flag.Bool("update-screenshots", false, "render the decision's first page to docs/screenshots (pdftoppm)")

// TestScreenshots renders the decision's first page, in Dutch and French,
// to docs/screenshots when asked.
func TestScreenshots(t *testing.T) {
	if !*updateScreenshots {
		t.Skip("run with -args -update-screenshots")
	}
	for _, lang := range letters.Languages {
		f := letters.Sample(letters.DecisionNotice, lang)
		l, err := book(t).Render(f)
		if err != nil {
			t.Fatal(err)
		}
		pdf, err := letters.PDF(f, l)
		if err != nil {
			t.Fatal(err)
		}
		file := filepath.Join(t.TempDir(), "letter.pdf")
		if err := os.WriteFile(file, pdf, 0o600); err != nil {
			t.Fatal(err)
		}
		out := "../docs/screenshots/letter-decision-pdf-" + lang
		if err := exec.Command("pdftoppm", "-png", "-r", "70", "-f", "1", "-l", "1", "-singlefile", file, out).Run(); err != nil {
			t.Fatal(err)
		}
	}
}

func book(t testing.TB) *letters.Book {
	t.Helper()
	b, err := letters.Default()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// pdfText reads a PDF's text back with poppler's pdftotext, as a person's
// reader would.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Fatal("pdftotext (Debian's poppler-utils) is needed; .ci/run installs it")
	}
	file := filepath.Join(t.TempDir(), "letter.pdf")
	if err := os.WriteFile(file, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", file, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	// Lines wrap where the page ends them: compare words.
	return strings.Join(strings.Fields(strings.ReplaceAll(string(out), "\u00a0", " ")), " ")
}

func words(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\u00a0", " ")), " ")
}

// Every letter, in Dutch and in French, carries the person's name, the
// dates as the workflow computed them and each mandatory mention, in its
// PDF as on its page; the same facts give the same bytes.
func TestLettersCarryTheirMentions(t *testing.T) {
	b := book(t)
	for _, lang := range letters.Languages {
		for _, kind := range letters.Kinds {
			t.Run(lang+"/"+string(kind), func(t *testing.T) {
				f := letters.Sample(kind, lang)
				f.Person.Name = "Çelik Zoë Müller-Françoise"
				l, err := b.Render(f)
				if err != nil {
					t.Fatal(err)
				}
				pdf, err := letters.PDF(f, l)
				if err != nil {
					t.Fatal(err)
				}
				text := pdfText(t, pdf)
				// The letterhead and the dateline are the layout's, the rest
				// the template's.
				for _, w := range []string{f.Centre.Name, f.Dateline(), f.Centre.Street, f.Person.Street} {
					if !strings.Contains(text, words(w)) {
						t.Errorf("the PDF lacks %q:\n%s", w, text)
					}
				}
				want := []string{f.Person.Name, f.Reference, l.Title}
				if kind != letters.GPMIDocument {
					// the day of the report
					want = append(want, map[string]string{"nl": "20 november 2026", "fr": "20 novembre 2026"}[lang])
				}
				switch kind {
				case letters.HearingInvitation:
					want = append(want, map[string][]string{"nl": {"17 december 2026", "14.30 uur", "Sample Hearing Place", "8 dagen"},
						"fr": {"17 décembre 2026", "14 h 30", "Sample Hearing Place", "8 jours"}}[lang]...)
				case letters.GPMIDocument:
					want = append(want, "Sample person duty", "Sample centre duty", "Other person duty", map[string]string{"nl": "31 maart 2027", "fr": "31 mars 2027"}[lang],
						map[string]string{"nl": "om de 4 maanden", "fr": "tous les 4 mois"}[lang])
				case letters.DecisionNotice:
					// Decided 18 December: the suspension runs from 1 February
					// to 31 March (two months, the last day inclusive).
					want = append(want, map[string][]string{
						"nl": {"18 december 2026", "1 februari 2027", "31 maart 2027", "2 maanden", "3 maanden", "Sample Labour Court",
							"Sample Court Street 3, 1000 Sample City", "Artikel 728", "Artikel 1017", "Sample reasons of the committee", "Sample Service Name", "02 000 00 01"},
						"fr": {"18 décembre 2026", "1er février 2027", "31 mars 2027", "2 mois", "3 mois", "Sample Labour Court",
							"Sample Court Street 3, 1000 Sample City", "Article 728", "Article 1017", "Sample reasons of the committee", "Sample Service Name", "02 000 00 01"},
					}[lang]...)
				}
				for _, w := range want {
					if !strings.Contains(text, words(w)) {
						t.Errorf("the PDF lacks %q:\n%s", w, text)
					}
					if !strings.Contains(words(l.Text()), words(w)) {
						t.Errorf("the letter lacks %q", w)
					}
				}
				if !strings.Contains(text, letters.PageOf(lang, 1, "")) {
					t.Errorf("no page number in:\n%s", text)
				}
				again, err := letters.PDF(f, l)
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(pdf, again) {
					t.Error("the same letter gave different bytes")
				}
			})
		}
	}
}

// French punctuation gets its no-break space whatever the template typed.
func TestFrenchSpacing(t *testing.T) {
	l, err := book(t).Render(letters.Sample(letters.Warning, "fr"))
	if err != nil {
		t.Fatal(err)
	}
	if text := l.Text(); strings.Contains(text, " :") || !strings.Contains(text, "référence\u00a0:") {
		t.Errorf("French colons without a no-break space:\n%s", text)
	}
}

// A centre's lawyer who drops a mandatory mention from a template gets the
// template refused, naming what is missing.
func TestATemplateWithoutAMandatoryMentionIsRefused(t *testing.T) {
	files := fstest.MapFS{}
	err := fs.WalkDir(letters.Templates(), ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		src, err := fs.ReadFile(letters.Templates(), path)
		files[path] = &fstest.MapFile{Data: src}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := letters.Load(files); err != nil {
		t.Fatalf("the shipped templates: %v", err)
	}
	for _, c := range []struct{ file, drop, mention string }{
		{"fr/decision.txt", "{{.Centre.CourtAddress}}", "the labour court's address"},
		{"nl/decision.txt", "## Artikel 1017", "article 1017"},
		{"nl/hearing_invitation.txt", "- U mag zich laten bijstaan", "the right to bring someone"},
		{"fr/hearing_invitation.txt", "{{clock .HearingAt}}", "the hearing's time"},
		{"nl/gpmi.txt", "= {{.Person.Name}}, datum:", "both parties' signature blocks"},
	} {
		t.Run(c.file+" "+c.mention, func(t *testing.T) {
			changed := fstest.MapFS{}
			for k, v := range files {
				changed[k] = v
			}
			src := string(files[c.file].Data)
			if !strings.Contains(src, c.drop) {
				t.Fatalf("%s has no %q", c.file, c.drop)
			}
			changed[c.file] = &fstest.MapFile{Data: []byte(strings.ReplaceAll(src, c.drop, ""))}
			_, err := letters.Load(changed)
			if err == nil || !strings.Contains(err.Error(), c.mention) || !strings.Contains(err.Error(), c.file) {
				t.Errorf("want %s refused for %s, got %v", c.file, c.mention, err)
			}
		})
	}
	missing := fstest.MapFS{}
	for k, v := range files {
		if k != "fr/warning.txt" {
			missing[k] = v
		}
	}
	if _, err := letters.Load(missing); err == nil || !strings.Contains(err.Error(), "fr/warning.txt") {
		t.Errorf("a missing template: %v", err)
	}
}

// Producing the decision's PDF: p99 <= 50 ms (issue 26); the figures go
// in docs/benchmarks.md, never in a timed test.
func BenchmarkDecisionPDF(b *testing.B) {
	bk := book(b)
	f := letters.Sample(letters.DecisionNotice, "fr")
	var took []time.Duration
	for b.Loop() {
		start := time.Now()
		l, err := bk.Render(f)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := letters.PDF(f, l); err != nil {
			b.Fatal(err)
		}
		took = append(took, time.Since(start))
	}
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)*99/100].Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "p50-ms")
}

// A language's wording replaces only the fields it gives; every reworded
// field has its name in WordingFields and Fields.
func TestCentreInALanguage(t *testing.T) {
	c := letters.Centre{Name: "OCMW Molenbeek", Street: "Brusselsesteenweg 1", Phone: "02 000 00 00", CourtName: "Arbeidsrechtbank Brussel",
		Translations: map[string]letters.Wording{"fr": {Name: "CPAS de Molenbeek", CourtName: "Tribunal du travail de Bruxelles"}}}
	fr := c.In("fr")
	if fr.Name != "CPAS de Molenbeek" || fr.CourtName != "Tribunal du travail de Bruxelles" || fr.Street != c.Street || fr.Phone != c.Phone || fr.Translations != nil {
		t.Errorf("in French: %+v", fr)
	}
	if nl := c.In("nl"); nl.Name != c.Name || nl.CourtName != c.CourtName {
		t.Errorf("in Dutch: %+v", nl)
	}
	all := letters.Wording{Name: "1", Street: "2", Municipality: "3", Service: "4", SignatoryTitle: "5", CourtName: "6", CourtAddress: "7", HearingPlace: "8"}
	fields := all.Fields()
	if len(fields) != len(letters.WordingFields) || len(letters.WordingFields) != 8 {
		t.Fatalf("fields %v, names %v", fields, letters.WordingFields)
	}
	for _, name := range letters.WordingFields {
		if fields[name] == "" {
			t.Errorf("%s has no value", name)
		}
	}
}
