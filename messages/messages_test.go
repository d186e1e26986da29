package messages

import (
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/nicksnyder/go-i18n/v2/i18n"
)

// verbs are a text's fmt verbs in order (%s, %d, ...); %% is no verb.
func verbs(text string) []string {
	var out []string
	for _, v := range verb.FindAllString(text, -1) {
		if v != "%%" {
			out = append(out, v)
		}
	}
	return out
}

var verb = regexp.MustCompile(`%[-+# 0]*[0-9]*(\.[0-9]*)?[a-zA-Z%]`)

// forms are a message's texts: its plural forms, or its one text.
func forms(m *i18n.Message) map[string]string {
	out := map[string]string{"other": m.Other}
	for name, text := range map[string]string{"zero": m.Zero, "one": m.One, "two": m.Two, "few": m.Few, "many": m.Many} {
		if text != "" {
			out[name] = text
		}
	}
	return out
}

// The pages' two languages have the same keys, none empty, and each key
// takes the same arguments in every form of both: a translation that
// drops or swaps a %s would print %!s(MISSING) or the wrong value.
func TestCatalogue(t *testing.T) {
	nl, fr := catalogues["nl"].messages, catalogues["fr"].messages
	for key := range nl {
		if _, ok := fr[key]; !ok {
			t.Errorf("%s is in nl.toml, not in fr.toml", key)
		}
	}
	for key := range fr {
		if _, ok := nl[key]; !ok {
			t.Errorf("%s is in fr.toml, not in nl.toml", key)
		}
	}
	for _, lang := range languages {
		for key, m := range catalogues[lang].messages {
			want := verbs(m.Other) // an English-only text
			if nl[key] != nil {
				want = verbs(nl[key].Other)
			}
			for form, text := range forms(m) {
				if strings.TrimSpace(text) == "" {
					t.Errorf("%s.toml: %s (%s) is empty", lang, key, form)
				}
				if strings.Contains(text, "{{") {
					t.Errorf("%s.toml: %s (%s): go-i18n reads {{ as a template; the texts take %%s and %%d", lang, key, form)
				}
				// The pages' Dutch and French take the same arguments; the
				// API's English may name more (the values a field takes,
				// which the pages offer in a list instead of naming codes).
				got := verbs(text)
				same := slices.Equal(got, want)
				if lang == "en" && len(got) >= len(want) {
					same = slices.Equal(got[:len(want)], want)
				}
				if !same {
					t.Errorf("%s.toml: %s (%s) takes %v, nl.toml %v", lang, key, form, got, want)
				}
			}
			if counted(m) {
				if m.One == "" || m.Other == "" {
					t.Errorf("%s.toml: %s needs the forms one and other", lang, key)
				}
				if len(want) == 0 || want[0] != "%d" {
					t.Errorf("%s.toml: %s is counted: its first argument is the count, %%d", lang, key)
				}
				if lang != "en" && nl[key] != nil && fr[key] != nil && counted(nl[key]) != counted(fr[key]) {
					t.Errorf("%s is counted in one language only", key)
				}
			}
		}
	}
}

// French puts a no-break space before : ; ? and ! (a plain one would let
// the sign start a line); a colon inside a word, as in HH:MM, is no sign.
func TestFrenchPunctuation(t *testing.T) {
	for key, m := range catalogues["fr"].messages {
		for form, text := range forms(m) {
			for _, at := range punctuation.FindAllStringIndex(text, -1) {
				if before, _ := utf8.DecodeLastRuneInString(text[:at[0]]); before != '\u00a0' && before != '\u202f' {
					t.Errorf("fr.toml: %s (%s): no \\u00A0 before %q in %q", key, form, text[at[0]], text)
				}
			}
		}
	}
}

var punctuation = regexp.MustCompile(`[:;?!]( |$)`)

func TestLookUp(t *testing.T) {
	for _, c := range []struct{ got, want string }{
		{T("nl", "work.title"), "Mijn werk"},
		{T("fr", "signin.as", "Ana"), "Se connecter en tant que Ana"},
		{T("en", "problem.internal"), "internal error; quote the request ID to an operator"},
		// no language stands in for another, and an unknown key shows itself
		{T("en", "work.title"), "work.title"},
		{T("nl", "no.such.key"), "no.such.key"},
		{T("de", "work.title"), "work.title"},
		// a counted message's form follows the language's CLDR rules:
		// French says 0 in the singular; a million is French "many",
		// which the files leave to "other"
		{N("nl", "work.count", 0), "0 termijnen"},
		{N("nl", "work.count", 1), "1 termijn"},
		{N("nl", "work.count", 2), "2 termijnen"},
		{N("fr", "work.count", 0), "0 échéance"},
		{N("fr", "work.count", 1), "1 échéance"},
		{N("fr", "work.count", 2), "2 échéances"},
		{N("fr", "work.count", 1000000), "1000000 échéances"},
		{N("nl", "team.reassign.done", 1, 2), "1 dossier overgedragen, 2 niet."},
		// T and N each take their own kind of message
		{T("nl", "work.count", 2), "work.count"},
		{N("nl", "work.title", 2), "work.title"},
	} {
		if c.got != c.want {
			t.Errorf("%q, want %q", c.got, c.want)
		}
	}
	if !Has("fr", "work.title") || Has("en", "work.title") {
		t.Error("Has")
	}
	if keys := Keys("nl"); len(keys) != len(catalogues["nl"].messages) || !slices.IsSorted(keys) {
		t.Errorf("Keys: %d keys, sorted %v", len(keys), slices.IsSorted(keys))
	}
}

func TestArgumentsATextLeavesOut(t *testing.T) {
	for _, c := range []struct {
		text string
		args []any
		want string
	}{
		{"kies er een", []any{"a", "b"}, "kies er een"},
		{"must be one of %s", []any{"a"}, "must be one of a"},
		{"%d van %d", []any{1, 2, 3}, "1 van 2"},
		{"op %[2]s, niet %[1]s", []any{"x", "y", "z"}, "op y, niet x"},
		{"100%% klaar", []any{"x"}, "100% klaar"},
	} {
		if got := format(c.text, c.args); got != c.want {
			t.Errorf("format(%q, %v) = %q, want %q", c.text, c.args, got, c.want)
		}
	}
}
