package policy

import (
	"fmt"
	"sort"
	"time"

	"github.com/traject-ocmw/traject/domain"
)

// WorkingDaysRule is the number of working days an Article 60 contract must
// give for unemployment-benefit entitlement, for contracts starting on or
// after From. The law changes; the rule is data, versioned by date.
type WorkingDaysRule struct {
	From string `json:"from"` // YYYY-MM-DD
	// Bands by age at the contract start, ascending MinAge.
	Bands []AgeBand `json:"bands"`
	// CountedDaysPerWeek: the unemployment rules count days in a six-day
	// week, so 312 days are 52 weeks. A half-time contract counts half-days
	// in the same scheme and so lasts as long.
	CountedDaysPerWeek int `json:"counted_days_per_week"`
}

// AgeBand gives the days required from an age on.
type AgeBand struct {
	MinAge int `json:"min_age"`
	Days   int `json:"days"`
}

// DefaultWorkingDays: 312 / 468 / 624 days by age band (under 36 / 36 to 49
// / 50 and over) before 1 March 2026; 312 days at any age since.
func DefaultWorkingDays() []WorkingDaysRule {
	return []WorkingDaysRule{
		{From: "2000-01-01", CountedDaysPerWeek: 6, Bands: []AgeBand{{MinAge: 0, Days: 312}, {MinAge: 36, Days: 468}, {MinAge: 50, Days: 624}}},
		{From: "2026-03-01", CountedDaysPerWeek: 6, Bands: []AgeBand{{MinAge: 0, Days: 312}}},
	}
}

// AgeOn is a person's age in whole years on a day, the age the working-days
// bands are read with. Years turn on the calendar birthday, compared by
// month and day (not by day of the year, which shifts by one after
// 28 February in leap years); someone born on 29 February turns a year
// older on 1 March in other years. Both times are read as calendar dates in
// their own location.
func AgeOn(birth, day time.Time) int {
	age := day.Year() - birth.Year()
	if day.Month() < birth.Month() || (day.Month() == birth.Month() && day.Day() < birth.Day()) {
		age--
	}
	return age
}

// RequiredWorkingDays returns the days a contract starting on start must
// give a person of the given age, and the rule it applied.
func (a Article60) RequiredWorkingDays(start time.Time, age int) (int, WorkingDaysRule, error) {
	day := start.Format(time.DateOnly)
	var rule *WorkingDaysRule
	for i := range a.WorkingDays {
		if a.WorkingDays[i].From <= day && (rule == nil || a.WorkingDays[i].From > rule.From) {
			rule = &a.WorkingDays[i]
		}
	}
	if rule == nil {
		return 0, WorkingDaysRule{}, ErrNoRule
	}
	days := 0
	for _, b := range rule.Bands {
		if age >= b.MinAge {
			days = b.Days
		}
	}
	return days, *rule, nil
}

// ContractEnd is the last day of a contract that starts on start and must
// give required counted days, pushed later by days that do not count
// (unjustified absence, unpaid leave, suspension, unpaid sickness).
func ContractEnd(start time.Time, required, nonCounting, perWeek int) time.Time {
	if perWeek <= 0 {
		perWeek = 6
	}
	counted := required + nonCounting
	calendarDays := (counted*7 + perWeek - 1) / perWeek // ceil(counted * 7 / perWeek)
	return start.AddDate(0, 0, calendarDays-1)
}

func validateWorkingDays(rules []WorkingDaysRule) error {
	if len(rules) == 0 {
		return fieldError("article60.working_days", domain.Required)
	}
	for i, r := range rules {
		field := fmt.Sprintf("article60.working_days[%d]", i)
		if _, err := time.Parse(time.DateOnly, r.From); err != nil {
			return fieldError(field+".from", domain.NotDate)
		}
		if r.CountedDaysPerWeek < 1 || r.CountedDaysPerWeek > 7 {
			return fieldError(field+".counted_days_per_week", domain.Between, "1", "7")
		}
		if len(r.Bands) == 0 || !sort.SliceIsSorted(r.Bands, func(a, b int) bool { return r.Bands[a].MinAge < r.Bands[b].MinAge }) || r.Bands[0].MinAge != 0 {
			return fieldError(field+".bands", domain.AgeBands)
		}
		for _, b := range r.Bands {
			if b.Days < 1 {
				return fieldError(field+".bands", domain.Positive)
			}
		}
	}
	return nil
}

// CountedDays are the days of month (its first day, midnight local) that
// the working-days rule in force then counts: a week of the rule's
// counted days from Monday (six: Monday to Saturday). The monthly
// attendance sheet covers these.
func (a Article60) CountedDays(month time.Time) []time.Time {
	perWeek := 6
	day := month.Format(time.DateOnly)
	var rule *WorkingDaysRule
	for i := range a.WorkingDays {
		if r := &a.WorkingDays[i]; r.From <= day && (rule == nil || r.From > rule.From) {
			rule = r
		}
	}
	if rule != nil && rule.CountedDaysPerWeek > 0 {
		perWeek = rule.CountedDaysPerWeek
	}
	var out []time.Time
	for d := month; d.Month() == month.Month(); d = d.AddDate(0, 0, 1) {
		if (int(d.Weekday())+6)%7 < perWeek { // Monday 0 ... Sunday 6
			out = append(out, d)
		}
	}
	return out
}
