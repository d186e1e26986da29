// Package messages holds the texts people read on the pages and in the
// API's problems, per language, from catalogue files.
//
// nl.toml and fr.toml hold the pages' texts, the same keys in both; en.toml
// holds the API's English texts only. A translator edits the files without
// reading Go: go-i18n reads them and picks a counted message's form by the
// language's CLDR plural rules.
package messages

import (
	"embed"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"
	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

//go:embed nl.toml fr.toml en.toml
var files embed.FS

// languages are the catalogues, one file each.
var languages = []string{"nl", "fr", "en"}

// catalogue is one language's messages.
type catalogue struct {
	localizer *i18n.Localizer
	messages  map[string]*i18n.Message
}

var catalogues = load()

// load reads the embedded files; one that does not parse stops the program
// at its start, and the tests, rather than show keys on every page.
func load() map[string]catalogue {
	bundle := i18n.NewBundle(language.Dutch)
	bundle.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	out := map[string]catalogue{}
	for _, lang := range languages {
		file, err := bundle.LoadMessageFileFS(files, lang+".toml")
		if err != nil {
			panic(fmt.Sprintf("messages: %s.toml: %v", lang, err))
		}
		c := catalogue{localizer: i18n.NewLocalizer(bundle, lang), messages: map[string]*i18n.Message{}}
		for _, m := range file.Messages {
			c.messages[m.ID] = m
		}
		out[lang] = c
	}
	return out
}

// counted tells a message with plural forms from a plain one: go-i18n
// keeps a plain text as its "other" form.
func counted(m *i18n.Message) bool {
	return m.Zero != "" || m.One != "" || m.Two != "" || m.Few != "" || m.Many != ""
}

// T is the message key in lang ("nl", "fr", "en"), its %s and %d filled
// with args. A key the language lacks, or one with plural forms (which
// need N), comes back as the key itself, for the tests to catch; no
// language stands in for another.
func T(lang, key string, args ...any) string {
	m, ok := catalogues[lang].messages[key]
	if !ok || counted(m) {
		return key
	}
	// A plain message is its text as go-i18n read it; its localizer would
	// match the language on every call (0.8 µs, a few hundred per page).
	return format(m.Other, args)
}

// N is the form of the counted message key that lang uses for n, with n
// as its first argument and args after it: N("fr", "work.count", 0) is
// "0 échéance". A key the language lacks, or a plain message, comes back
// as the key itself.
func N(lang, key string, n int, args ...any) string {
	c := catalogues[lang]
	m, ok := c.messages[key]
	if !ok || !counted(m) {
		return key
	}
	// A form the file lacks (French "many", for a million) gives the
	// "other" text along with an error; that text is the right one.
	text, err := c.localizer.Localize(&i18n.LocalizeConfig{MessageID: key, PluralCount: n})
	if err != nil && text == "" {
		return key
	}
	return format(text, append([]any{n}, args...))
}

// format fills text's verbs with args. A language may leave an argument
// out (the API's English names the values a field takes, the pages' Dutch
// and French offer them in a list instead), so args past the last one the
// text uses are dropped rather than shown as %!(EXTRA).
func format(text string, args []any) string {
	if len(args) == 0 {
		return text
	}
	return fmt.Sprintf(text, args[:min(len(args), argsUsed(text))]...)
}

// argsUsed counts the arguments text's verbs consume: %s, %d, %[2]s.
func argsUsed(text string) int {
	used, next := 0, 0
	for i := 0; i < len(text); i++ {
		if text[i] != '%' {
			continue
		}
		i++
		if i < len(text) && text[i] == '%' {
			continue
		}
		if i < len(text) && text[i] == '[' {
			end := strings.IndexByte(text[i:], ']')
			if end < 0 {
				break
			}
			n, err := strconv.Atoi(text[i+1 : i+end])
			if err == nil {
				next = n - 1
			}
			i += end
		}
		next++
		used = max(used, next)
	}
	return used
}

// Has tells whether lang has a message key, for texts whose key is built
// from a value (a label if there is one).
func Has(lang, key string) bool {
	_, ok := catalogues[lang].messages[key]
	return ok
}

// Keys are lang's message keys, sorted.
func Keys(lang string) []string {
	return slices.Sorted(maps.Keys(catalogues[lang].messages))
}
