package web

import (
	"fmt"
	"time"

	"github.com/traject-ocmw/traject/domain"

	"github.com/traject-ocmw/traject/casework"
	"github.com/traject-ocmw/traject/messages"
)

// fieldMessage says what is wrong with a field in the page's language
// (the message "fault.<code>"), a date among its arguments as Belgians
// write it in words; shortFieldMessage writes it 21/01/2027, for the pages
// that write their dates so (the dossier, the procedure), one style a page.
func fieldMessage(lang string, fp domain.FieldProblem) string {
	return messages.T(lang, "fault."+string(fp.Code), pageArgs(lang, fp.Args, false)...)
}

func shortFieldMessage(lang string, fp domain.FieldProblem) string {
	return messages.T(lang, "fault."+string(fp.Code), pageArgs(lang, fp.Args, true)...)
}

// failureMessage sums a failure up in the page's language;
// shortFailureMessage with short dates, as shortFieldMessage.
func failureMessage(lang string, f casework.Failure) string {
	return messages.T(lang, f.Key, pageArgs(lang, f.Args, false)...)
}

func shortFailureMessage(lang string, f casework.Failure) string {
	return messages.T(lang, f.Key, pageArgs(lang, f.Args, true)...)
}

func pageArgs(lang string, args []string, short bool) []any {
	out := make([]any, len(args))
	for i, a := range args {
		if d, err := time.ParseInLocation(time.DateOnly, a, brussels); err == nil {
			if short {
				out[i] = shortDate(d)
			} else {
				out[i] = longDate(lang, d)
			}
		} else if m, err := time.ParseInLocation("2006-01", a, brussels); err == nil {
			out[i] = monthWords(lang, m)
		} else {
			out[i] = a
		}
	}
	return out
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

// dateOf reads a YYYY-MM-DD day (for shortDate and longDate).
func dateOf(s string) time.Time {
	d, _ := time.ParseInLocation(time.DateOnly, s, brussels)
	return d
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

// brussels is where the dates of the pages are read: every centre is in
// Belgium (a centre's policy names the same zone).
var brussels = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Brussels")
	if err != nil {
		return time.UTC
	}
	return loc
}()
