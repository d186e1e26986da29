package workflows

import (
	"time"

	"github.com/traject-ocmw/traject/domain"
	"github.com/traject-ocmw/traject/policy"
)

// dates applies a centre's policy to times; the trajectory and the
// sanction procedure share it. Pure functions of the policy: safe in
// workflow code.
type dates struct {
	policy policy.Policy
}

// Dates and instants. A deadline counted in months or days is a date: it
// passes at the end of that day, centre time, after moving to a working day
// when it is a legal deadline. Its reminders go out at 08:00 on their day.
// A period with an exact part (how tests shrink deadlines to seconds) is
// used as is.

const reminderHour = 8

func (c dates) dueAfter(from time.Time, p policy.Period, legal bool) time.Time {
	loc := c.policy.Location()
	at := p.After(from.In(loc))
	if p.Exact != 0 {
		if legal {
			return c.policy.LegalDeadline(at)
		}
		return at
	}
	day := startOfDay(at, loc)
	if legal {
		day = c.policy.LegalDeadline(day)
	}
	return day.AddDate(0, 0, 1)
}

// endOfDate is the instant a date (such as a contract's last day) is over.
func (c dates) endOfDate(date time.Time) time.Time {
	loc := c.policy.Location()
	return startOfDay(date.In(loc), loc).AddDate(0, 0, 1)
}

// reminders plans notices before due, dropping those already in the past.
func (c dates) reminders(due time.Time, before []policy.Period, now time.Time, to ...domain.Actor) []Reminder {
	var out []Reminder
	for _, b := range before {
		at := c.remindAt(due, b)
		if at.Before(now) {
			continue
		}
		out = append(out, Reminder{At: at, To: to})
	}
	return out
}

func (c dates) remindAt(due time.Time, before policy.Period) time.Time {
	if before.Exact != 0 {
		return before.Before(due)
	}
	// A date-based deadline passes at the end of its day: count back from
	// that day (4 months before 28 February is 28 October).
	loc := c.policy.Location()
	day := before.Before(startOfDay(due.In(loc).Add(-time.Nanosecond), loc))
	y, m, d := day.Date()
	return time.Date(y, m, d, reminderHour, 0, 0, 0, loc)
}

// onTheDay is a task notice on the day itself.
func onTheDay(due time.Time, to ...domain.Actor) []Reminder {
	return []Reminder{{At: due, To: to}}
}

func startOfDay(t time.Time, loc *time.Location) time.Time {
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, loc)
}
