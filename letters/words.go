package letters

import (
	"fmt"
	"strconv"
	"text/template"
	"time"

	"github.com/traject-ocmw/traject/policy"
)

// Dates, times and periods as letters in Belgium write them.

var monthNames = map[string][12]string{
	"nl": {"januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"},
	"fr": {"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"},
}

// unitWords are a period's units, singular and plural.
var unitWords = map[string]map[string][2]string{
	"nl": {"day": {"dag", "dagen"}, "month": {"maand", "maanden"}},
	"fr": {"day": {"jour", "jours"}, "month": {"mois", "mois"}},
}

func funcs(lang string) template.FuncMap {
	return template.FuncMap{
		"date":    func(v any) string { return longDate(lang, deref(v)) },
		"clock":   func(v any) string { return clock(lang, deref(v)) },
		"lastDay": func(v any) string { return longDate(lang, deref(v).AddDate(0, 0, -1)) },
		"period":  func(p policy.Period) string { return period(lang, p) },
		"months":  func(n int) string { return count(lang, n, "month") },
		"inc":     func(i int) int { return i + 1 },
	}
}

func deref(v any) time.Time {
	switch t := v.(type) {
	case time.Time:
		return t
	case *time.Time:
		if t != nil {
			return *t
		}
	}
	return time.Time{}
}

// longDate: "21 januari 2027", "1er janvier 2027".
func longDate(lang string, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	day := strconv.Itoa(t.Day())
	if lang == "fr" && t.Day() == 1 {
		day = "1er"
	}
	return fmt.Sprintf("%s %s %d", day, monthNames[lang][t.Month()-1], t.Year())
}

// clock: "14.00 uur", "14 h 00".
func clock(lang string, t time.Time) string {
	if lang == "fr" {
		return fmt.Sprintf("%d h %02d", t.Hour(), t.Minute())
	}
	return fmt.Sprintf("%d.%02d uur", t.Hour(), t.Minute())
}

func count(lang string, n int, unit string) string {
	w := unitWords[lang][unit]
	if n == 1 {
		return "1 " + w[0]
	}
	return strconv.Itoa(n) + " " + w[1]
}

// period writes a policy period in words; a period of months and days (a
// centre's test setting) in both.
func period(lang string, p policy.Period) string {
	switch {
	case p.Months != 0 && p.Days == 0:
		return count(lang, p.Months, "month")
	case p.Days != 0 && p.Months == 0:
		return count(lang, p.Days, "day")
	case p.Months != 0:
		return count(lang, p.Months, "month") + " + " + count(lang, p.Days, "day")
	}
	return count(lang, int(p.Exact.Hours()/24), "day")
}
