package policy

import (
	"sort"
	"time"

	"github.com/rickar/cal/v2/be"
)

// IsWorkingDay reports whether t's date, in the centre's time zone, is
// neither a weekend day, a Belgian public holiday nor one of the centre's
// own days off.
func (p Policy) IsWorkingDay(t time.Time) bool {
	local := t.In(p.Location())
	switch local.Weekday() {
	case time.Saturday, time.Sunday:
		return false
	}
	y, m, d := local.Date()
	// Holiday.Calc is a pure function of the year (Easter-based days
	// included), so this stays deterministic inside workflow code.
	for _, h := range be.Holidays {
		actual, _ := h.Calc(y)
		if ay, am, ad := actual.Date(); ay == y && am == m && ad == d {
			return false
		}
	}
	day := local.Format(time.DateOnly)
	for _, extra := range p.Calendar.ExtraHolidays {
		if extra == day {
			return false
		}
	}
	return true
}

// LegalDeadline applies the centre's calendar to a deadline counted in days:
// when the policy says so, one that falls on a day off moves to the next
// working day, keeping its time of day.
func (p Policy) LegalDeadline(t time.Time) time.Time {
	if !p.Calendar.MoveToWorkingDay {
		return t
	}
	for i := 0; i < 31 && !p.IsWorkingDay(t); i++ {
		t = t.AddDate(0, 0, 1)
	}
	return t
}

// sortedKeys iterates maps in a fixed order: map order is random, which
// workflow code must never depend on.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
