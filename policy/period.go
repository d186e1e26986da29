package policy

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Period is a span of calendar time: months and days follow the calendar
// ("3 months after 30 November" is 28 February), Exact is added as is. The
// law counts in months and days; tests shrink deadlines to seconds with Exact.
type Period struct {
	Months int
	Days   int
	Exact  time.Duration
}

// Months, Days and Seconds build the common periods.
func Months(n int) Period  { return Period{Months: n} }
func Days(n int) Period    { return Period{Days: n} }
func Seconds(n int) Period { return Period{Exact: time.Duration(n) * time.Second} }

// After returns t moved forward by the period.
func (p Period) After(t time.Time) time.Time { return t.AddDate(0, p.Months, p.Days).Add(p.Exact) }

// Before returns t moved back by the period.
func (p Period) Before(t time.Time) time.Time { return t.AddDate(0, -p.Months, -p.Days).Add(-p.Exact) }

// IsZero reports an empty period.
func (p Period) IsZero() bool { return p == Period{} }

// String writes the period as ISO 8601 (P3M, P30D, PT10S, P1M2DT3H).
func (p Period) String() string {
	if p.IsZero() {
		return "P0D"
	}
	var b strings.Builder
	b.WriteString("P")
	if p.Months != 0 {
		fmt.Fprintf(&b, "%dM", p.Months)
	}
	if p.Days != 0 {
		fmt.Fprintf(&b, "%dD", p.Days)
	}
	if p.Exact != 0 {
		b.WriteString("T")
		rest := p.Exact
		if h := rest / time.Hour; h != 0 {
			fmt.Fprintf(&b, "%dH", h)
			rest -= h * time.Hour
		}
		if m := rest / time.Minute; m != 0 {
			fmt.Fprintf(&b, "%dM", m)
			rest -= m * time.Minute
		}
		if rest != 0 {
			b.WriteString(strconv.FormatFloat(rest.Seconds(), 'f', -1, 64) + "S")
		}
	}
	return b.String()
}

var periodPattern = regexp.MustCompile(`^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$`)

// ParsePeriod reads an ISO 8601 duration such as P3M, P30D, P1Y or PT10S.
func ParsePeriod(s string) (Period, error) {
	m := periodPattern.FindStringSubmatch(s)
	if m == nil || s == "P" || strings.HasSuffix(s, "T") {
		return Period{}, &PeriodError{Value: s}
	}
	n := func(i int) int {
		v, _ := strconv.Atoi(m[i])
		return v
	}
	p := Period{Months: 12*n(1) + n(2), Days: 7*n(3) + n(4)}
	p.Exact = time.Duration(n(5))*time.Hour + time.Duration(n(6))*time.Minute
	if m[7] != "" {
		secs, _ := strconv.ParseFloat(m[7], 64)
		p.Exact += time.Duration(secs * float64(time.Second))
	}
	return p, nil
}

// PeriodError is a text that is not an ISO 8601 period.
type PeriodError struct{ Value string }

func (e *PeriodError) Error() string {
	return fmt.Sprintf("%q is not an ISO 8601 period such as P3M, P30D or PT10S", e.Value)
}

// MarshalText writes the ISO 8601 form, so policies read well as JSON.
func (p Period) MarshalText() ([]byte, error) { return []byte(p.String()), nil }

// UnmarshalText reads the ISO 8601 form.
func (p *Period) UnmarshalText(b []byte) error {
	v, err := ParsePeriod(string(b))
	if err != nil {
		return err
	}
	*p = v
	return nil
}
