package policy

import (
	"encoding/json"
	"errors"
	"testing"
	"time"
)

func date(s string) time.Time {
	t, err := time.ParseInLocation(time.DateOnly, s, Default().Location())
	if err != nil {
		panic(err)
	}
	return t.Add(9 * time.Hour)
}

func TestPeriodRoundTrip(t *testing.T) {
	for _, s := range []string{"P3M", "P30D", "PT10S", "P1M2DT3H4M5S", "P12M", "PT0.5S"} {
		p, err := ParsePeriod(s)
		if err != nil {
			t.Fatalf("%s: %v", s, err)
		}
		if got := p.String(); got != s {
			t.Errorf("ParsePeriod(%q).String() = %q", s, got)
		}
	}
	if p, _ := ParsePeriod("P1Y2W"); p != (Period{Months: 12, Days: 14}) {
		t.Errorf("P1Y2W = %+v", p)
	}
	for _, bad := range []string{"", "P", "3M", "P3X", "PT", "P-3M"} {
		if _, err := ParsePeriod(bad); err == nil {
			t.Errorf("ParsePeriod(%q) accepted", bad)
		}
	}
}

// Months follow the calendar: three months after the decision is the same
// day three months later, not 90 days.
func TestPeriodFollowsTheCalendar(t *testing.T) {
	if got := Months(3).After(date("2026-11-15")); !got.Equal(date("2027-02-15")) {
		t.Errorf("3 months after 15 Nov = %s", got)
	}
	if got := Days(30).Before(date("2027-02-15")); !got.Equal(date("2027-01-16")) {
		t.Errorf("30 days before 15 Feb = %s", got)
	}
}

func TestLegalDeadlineMovesToTheNextWorkingDay(t *testing.T) {
	p := Default()
	cases := map[string]string{
		"2026-11-24": "2026-11-24", // a Tuesday stays
		"2026-11-28": "2026-11-30", // Saturday -> Monday
		"2026-11-01": "2026-11-02", // All Saints on a Sunday -> Monday
		"2026-04-05": "2026-04-07", // Easter Sunday, then Easter Monday -> Tuesday
		"2026-05-14": "2026-05-15", // Ascension (Easter + 39 days) -> Friday
		"2026-12-25": "2026-12-28", // Christmas on a Friday -> Monday
		"2026-07-21": "2026-07-22", // National day
	}
	for in, want := range cases {
		if got := p.LegalDeadline(date(in)); !got.Equal(date(want)) {
			t.Errorf("LegalDeadline(%s) = %s, want %s", in, got.Format(time.DateOnly), want)
		}
	}
	p.Calendar.ExtraHolidays = []string{"2026-09-28"} // a centre's own day off, a Monday
	if got := p.LegalDeadline(date("2026-09-26")); !got.Equal(date("2026-09-29")) {
		t.Errorf("with an extra holiday: %s", got.Format(time.DateOnly))
	}
	p.Calendar.MoveToWorkingDay = false
	if got := p.LegalDeadline(date("2026-11-28")); !got.Equal(date("2026-11-28")) {
		t.Errorf("calendar off: moved to %s", got.Format(time.DateOnly))
	}
}

func TestArticle60RequiredDaysFollowTheRuleInForce(t *testing.T) {
	a := Default().Article60
	cases := []struct {
		start string
		age   int
		want  int
	}{
		{"2026-02-27", 30, 312},
		{"2026-02-27", 36, 468},
		{"2026-02-27", 49, 468},
		{"2026-02-27", 50, 624},
		{"2026-03-01", 55, 312}, // since 1 March 2026: 312 at any age
		{"2027-06-01", 40, 312},
	}
	for _, c := range cases {
		got, _, err := a.RequiredWorkingDays(date(c.start), c.age)
		if err != nil || got != c.want {
			t.Errorf("start %s age %d: %d, %v; want %d", c.start, c.age, got, err, c.want)
		}
	}
	if _, _, err := a.RequiredWorkingDays(date("1999-01-01"), 30); !errors.Is(err, ErrNoRule) {
		t.Errorf("before every rule: %v", err)
	}
}

func TestContractEndCountsASixDayWeekAndNonCountingDays(t *testing.T) {
	start := date("2026-03-02")
	if got := ContractEnd(start, 312, 0, 6); got.Format(time.DateOnly) != "2027-02-28" {
		t.Errorf("312 days: ends %s, want 2027-02-28 (52 weeks)", got.Format(time.DateOnly))
	}
	if got := ContractEnd(start, 312, 6, 6); got.Format(time.DateOnly) != "2027-03-07" {
		t.Errorf("312 + 6 absent days: ends %s, want a week later", got.Format(time.DateOnly))
	}
	if got := ContractEnd(start, 624, 0, 6); got.Format(time.DateOnly) != "2028-02-27" {
		t.Errorf("624 days: ends %s", got.Format(time.DateOnly))
	}
}

func TestDefaultPolicyIsValidAndSurvivesJSON(t *testing.T) {
	p := Default()
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	var back Policy
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if back.GPMI.SignWithin != Months(3) || back.Sanction.DecisionWithin != Days(30) {
		t.Errorf("after JSON: %+v", back)
	}
}

func TestValidateNamesTheField(t *testing.T) {
	p := Default()
	p.Sanction.DecisionWithin = Period{}
	var fe *FieldError
	if err := p.Validate(); !errors.As(err, &fe) || fe.Field != "sanction.decision_within" {
		t.Errorf("Validate = %v", err)
	}
	p = Default()
	p.TimeZone = "Mars/Olympus"
	if err := p.Validate(); !errors.As(err, &fe) || fe.Field != "time_zone" {
		t.Errorf("Validate = %v", err)
	}
}

// The age read for the working-days bands turns on the calendar birthday,
// leap years or not. Day-of-year arithmetic made someone born on 1 March of
// a leap year a year younger on their birthday in other years.
func TestAgeOn(t *testing.T) {
	d := func(s string) time.Time {
		v, err := time.Parse(time.DateOnly, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for _, c := range []struct {
		birth, day string
		want       int
	}{
		{"1976-03-01", "2025-03-01", 49}, // born 1 March of a leap year, birthday in a non-leap year
		{"1976-03-01", "2025-02-28", 48},
		{"1976-03-01", "2024-03-01", 48}, // leap to leap
		{"1975-03-01", "2024-03-01", 49}, // non-leap birth, birthday in a leap year
		{"1975-03-01", "2024-02-29", 48},
		{"1976-02-29", "2025-02-28", 48}, // 29 February: a year older on 1 March in other years
		{"1976-02-29", "2025-03-01", 49},
		{"1976-02-29", "2024-02-29", 48},
		{"1976-02-28", "2025-02-28", 49},
		{"1990-12-31", "2025-12-30", 34},
		{"1990-12-31", "2025-12-31", 35},
	} {
		if got := AgeOn(d(c.birth), d(c.day)); got != c.want {
			t.Errorf("AgeOn(%s, %s) = %d, want %d", c.birth, c.day, got, c.want)
		}
	}
	// The case that went wrong: born 1 March 1972 (a leap year), an
	// Article 60 contract starting on the 50th birthday, 1 March 2022, under
	// the rule before 2026 needs 624 days (day-of-year arithmetic gave 49
	// years and 468 days).
	days, _, err := Default().Article60.RequiredWorkingDays(d("2022-03-01"), AgeOn(d("1972-03-01"), d("2022-03-01")))
	if err != nil || days != 624 {
		t.Errorf("start on the 50th birthday: %d days (%v), want 624", days, err)
	}
}

// TestForMonthTakesTheClaimRulesOfThen: a month's claims apply the codes,
// periods and Article 60 funding of the version in force then, and read
// the log in today's time zone; nothing else of then leaks in.
func TestForMonthTakesTheClaimRulesOfThen(t *testing.T) {
	today, then := Default(), Default()
	today.TimeZone, today.Version, today.Claims.GeneralCode = "Europe/Paris", 3, "31"
	today.Inspection.EvaluationsPerYear = 4
	then.Version, then.Claims.GeneralCode, then.Claims.ExtensionCode = 1, "21", "27"
	then.Claims.BreakNeedsNewGPMI, then.Claims.FirstPeriod, then.Claims.Article60.MonthlyFeeCents = Months(6), Months(18), 26000
	then.Inspection.EvaluationsPerYear = 2
	got := today.ForMonth(then)
	if got.Claims.GeneralCode != "21" || got.Claims.ExtensionCode != "27" || got.Claims.BreakNeedsNewGPMI != Months(6) ||
		got.Claims.FirstPeriod != Months(18) || got.Claims.Article60.MonthlyFeeCents != 26000 {
		t.Errorf("claim rules: %+v", got.Claims)
	}
	if got.TimeZone != "Europe/Paris" || got.Inspection.EvaluationsPerYear != 4 || got.Version != 3 {
		t.Errorf("the rest is today's: %s, %d evaluations, version %d", got.TimeZone, got.Inspection.EvaluationsPerYear, got.Version)
	}
}
