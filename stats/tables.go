package stats

import (
	"encoding/csv"
	"io"
	"sort"
	"strconv"
	"time"
)

// Table is a report as CSV: a header row, then one row per record, with
// shares written with the decimal mark the delimiter calls for. The API
// and the statistics pages write the same tables, so a download from
// either holds the same bytes.
type Table struct {
	// Name is the report's name in the file name: traject-<name>.csv.
	Name   string
	Header []string
	Rows   func(mark byte) [][]string
}

// WriteCSV writes the table with commas and decimal points, or, with
// semicolon, as Belgian Excel opens it: a byte order mark, semicolons and
// decimal commas.
func (t Table) WriteCSV(w io.Writer, semicolon bool) error {
	mark := byte('.')
	out := csv.NewWriter(w)
	if semicolon {
		mark = ','
		out.Comma = ';'
		if _, err := w.Write([]byte("\ufeff")); err != nil { // Excel reads UTF-8 only behind a BOM
			return err
		}
	}
	if err := out.Write(t.Header); err != nil {
		return err
	}
	return out.WriteAll(t.Rows(mark))
}

// FileName is the name a download of the table is saved under.
func (t Table) FileName() string { return "traject-" + t.Name + ".csv" }

func itoa(n int) string { return strconv.Itoa(n) }

// TrajectoryTable is the published monthly table.
func TrajectoryTable(rows []TrajectoryRow, loc *time.Location) Table {
	return Table{Name: "trajectories",
		Header: []string{"month", "as_of", "partial", "leefloon_dossiers", "in_trajectory", "in_trajectory_pct", "exempt",
			"facilitator", "literacy", "studies", "work", "article60", "spi_dossiers", "spi_pct", "intake", "post_article60"},
		Rows: func(mark byte) [][]string {
			out := make([][]string, len(rows))
			for i, x := range rows {
				out[i] = []string{x.Month, x.AsOf.In(loc).Format(time.RFC3339), strconv.FormatBool(x.Partial),
					itoa(x.LeefloonDossiers), itoa(x.InTrajectory), x.InTrajectoryPct.Format(mark), itoa(x.Exempt),
					itoa(x.Facilitator), itoa(x.Literacy), itoa(x.Studies), itoa(x.Work), itoa(x.Article60),
					itoa(x.SPIDossiers), x.SPIPct.Format(mark), itoa(x.Intake), itoa(x.PostArticle60)}
			}
			return out
		},
	}
}

// OutcomeKinds are the outcomes that occur in rows, in a stable order: one
// CSV column each.
func OutcomeKinds(rows []OutcomeRow) []string {
	seen := map[string]bool{}
	for _, x := range rows {
		for o := range x.Outcomes {
			seen[o] = true
		}
	}
	outcomes := make([]string, 0, len(seen))
	for o := range seen {
		outcomes = append(outcomes, o)
	}
	sort.Strings(outcomes)
	return outcomes
}

// OutcomeTable is the contracts of a period and how they ended, in total
// and per host, function and gender.
func OutcomeTable(rows []OutcomeRow) Table {
	outcomes := OutcomeKinds(rows)
	return Table{Name: "outcomes",
		Header: append([]string{"group", "key", "name", "supported", "ended", "hired_by_host_pct"}, outcomes...),
		Rows: func(mark byte) [][]string {
			out := make([][]string, len(rows))
			for i, x := range rows {
				out[i] = []string{x.Group, x.Key, x.Name, itoa(x.Supported), itoa(x.Ended), x.HiredShare.Format(mark)}
				for _, o := range outcomes {
					out[i] = append(out[i], itoa(x.Outcomes[o]))
				}
			}
			return out
		},
	}
}

// PlacementTable is the positions per host and function, and each site's
// share of Article 60 workers against the ceiling.
func PlacementTable(hosts []Placement) Table {
	return Table{Name: "placements",
		Header: []string{"host_id", "host", "function", "positions", "occupied", "open", "staff", "article60_share_pct", "ceiling_pct", "above_ceiling", "occupied_all_centres", "social_economy"},
		Rows: func(mark byte) [][]string {
			var out [][]string
			for _, h := range hosts {
				staff, share := "", ""
				if h.Staff != nil {
					staff = itoa(*h.Staff)
				}
				if h.Article60Share != nil {
					share = h.Article60Share.Format(mark)
				}
				out = append(out, []string{h.HostID, h.Name, "", itoa(h.Positions), itoa(h.Occupied), itoa(h.Open),
					staff, share, h.CeilingPct.Format(mark), strconv.FormatBool(h.AboveCeiling), itoa(h.AllCentres), strconv.FormatBool(h.SocialEconomy)})
				for _, f := range h.Functions {
					out = append(out, []string{h.HostID, h.Name, f.Function, itoa(f.Positions), itoa(f.Occupied), itoa(f.Open), "", "", "", "", "", ""})
				}
			}
			return out
		},
	}
}

// WeekEnd is the end of the week now falls in: the next Monday, midnight.
func WeekEnd(now time.Time, loc *time.Location) time.Time {
	now = now.In(loc)
	monday := time.Date(now.Year(), now.Month(), now.Day()-(int(now.Weekday())+6)%7, 0, 0, 0, 0, loc)
	return monday.AddDate(0, 0, 7)
}

// WorkloadTable is each counsellor's caseload, due this week and overdue.
func WorkloadTable(counsellors []Workload) Table {
	return Table{Name: "workload",
		Header: []string{"counsellor_id", "name", "caseload", "due_this_week", "overdue"},
		Rows: func(byte) [][]string {
			out := make([][]string, len(counsellors))
			for i, c := range counsellors {
				out[i] = []string{c.CounsellorID, c.Name, itoa(c.Caseload), itoa(c.DueThisWeek), itoa(c.Overdue)}
			}
			return out
		},
	}
}

// SanctionTable is the BCSD's procedures, hearings and decisions of a
// period, one measure a row.
func SanctionTable(b Sanctions) Table {
	return Table{Name: "bcsd",
		Header: []string{"measure", "value"},
		Rows: func(mark byte) [][]string {
			avg := ""
			if b.AverageDaysToDecision != nil {
				avg = strconv.FormatFloat(*b.AverageDaysToDecision, 'f', 1, 64)
				if mark != '.' {
					avg = string(append([]byte(avg[:len(avg)-2]), mark, avg[len(avg)-1]))
				}
			}
			out := [][]string{{"opened", itoa(b.Opened)}, {"hearings_held", itoa(b.HearingsHeld)},
				{"hearings_missed", itoa(b.HearingsMissed)}, {"average_days_to_decision", avg}}
			kinds := make([]string, 0, len(b.Decisions))
			for k := range b.Decisions {
				kinds = append(kinds, k)
			}
			sort.Strings(kinds)
			for _, k := range kinds {
				out = append(out, []string{"decisions_" + k, itoa(b.Decisions[k])})
			}
			return out
		},
	}
}
