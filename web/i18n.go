package web

import (
	"fmt"
	"strings"
	"time"

	"github.com/traject-ocmw/traject/messages"
	"github.com/traject-ocmw/traject/notify"
)

// message is a text in both languages, as fieldDetails (not yet in the
// catalogue) holds them; the pages' messages are in package messages.
type message struct{ nl, fr string }

// fieldDetails are the field problems of casework and the workflows (in
// English, as the API answers them) as the pages say them.
var fieldDetails = map[string]message{
	"is required":                     {"is verplicht", "est obligatoire"},
	"must be a date as YYYY-MM-DD":    {"moet een datum zijn", "doit être une date"},
	"must be a whole number":          {"moet een geheel getal zijn", "doit être un nombre entier"},
	"may not hold control characters": {"mag geen stuurtekens bevatten", "ne peut pas contenir de caractères de contrôle"},
	"must be between 1 and 366":       {"moet tussen 1 en 366 liggen", "doit être entre 1 et 366"},
}

// fieldDetail says a field's problem in the page's language; one without a
// translation is shown as it came.
func fieldDetail(lang, detail string) string {
	m, ok := fieldDetails[detail]
	switch {
	case !ok:
		return detail
	case lang == "fr":
		return m.fr
	}
	return m.nl
}

// eventLabel names a timeline event; a kind without a message shows as it
// is stored.
func eventLabel(lang, kind string) string {
	if messages.Has(lang, "event."+kind) {
		return t(lang, "event."+kind)
	}
	return kind
}

// t is a page's message in lang, args filling its %s and %d (messages.T):
// an unknown key shows itself, which the tests catch.
func t(lang, key string, args ...any) string {
	return messages.T(lang, key, args...)
}

// tn is t for a counted message: the form lang uses for n, n filling its
// first %d (messages.N).
func tn(lang, key string, n int, args ...any) string {
	return messages.N(lang, key, n, args...)
}

var months = map[string][12]string{
	"nl": {"januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"},
	"fr": {"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"},
}

// longDate writes a day as Belgians read it: 2 december 2026, 2 décembre
// 2026 (1er for the first of the month in French).
func longDate(lang string, at any) string {
	d, ok := asTime(at)
	if !ok {
		return ""
	}
	day := fmt.Sprint(d.Day())
	if lang == "fr" && d.Day() == 1 {
		day = "1er"
	}
	return fmt.Sprintf("%s %s %d", day, months[lang][d.Month()-1], d.Year())
}

// dueDay is the day a deadline falls on: it passes at the end of that day
// (the instant kept is the midnight after it), or at a time on it (a task
// on its date at 08:00), so the day is the one just before the instant.
func dueDay(due any) time.Time {
	d, ok := asTime(due)
	if !ok {
		return time.Time{}
	}
	return d.Add(-time.Minute)
}

// shortDate is the numeric form both languages use in Belgium: 02/12/2026.
func shortDate(at any) string {
	d, ok := asTime(at)
	if !ok {
		return ""
	}
	return d.Format("02/01/2006")
}

// clock is the time of day in Brussels: 14:05.
func clock(at any) string {
	d, ok := asTime(at)
	if !ok {
		return ""
	}
	return d.Format("15:04")
}

// asTime reads a time or a pointer to one, in Brussels.
func asTime(at any) (time.Time, bool) {
	switch v := at.(type) {
	case time.Time:
		return v.In(brussels), true
	case *time.Time:
		if v != nil {
			return v.In(brussels), true
		}
	}
	return time.Time{}, false
}

// mailKind names a message: the deadline it is about and whether it
// reminds or tells that it passed ("mail.kind" puts French's space before
// the colon).
func mailKind(lang, kind string) string {
	if base, ok := strings.CutSuffix(kind, "_reminder"); ok {
		return t(lang, "mail.kind", notify.Label(base, lang), t(lang, "mail.reminder"))
	}
	if base, ok := strings.CutSuffix(kind, "_overdue"); ok {
		return t(lang, "mail.kind", notify.Label(base, lang), t(lang, "mail.overdue"))
	}
	if strings.HasPrefix(kind, "digest_") {
		return t(lang, "mail.digest")
	}
	return kind
}

// brussels is where the dates of the pages are read: every centre is in
// Belgium (a centre's policy names the same zone).
var brussels = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Brussels")
	if err != nil {
		return time.UTC
	}
	return loc
}()
