package bench

import (
	"fmt"
	"io"
	"slices"
	"strconv"
)

// Spread is one figure of one build over several runs.
type Spread struct {
	Median   float64   `json:"median"`
	Min      float64   `json:"min"`
	Max      float64   `json:"max"`
	Runs     int       `json:"runs"`
	Unit     string    `json:"unit"`
	Absent   bool      `json:"absent,omitempty"`
	Observed []float64 `json:"values"`
}

// Comparison sets the same figure of two builds side by side.
type Comparison struct {
	Name string `json:"name"`
	A    Spread `json:"a"`
	B    Spread `json:"b"`
	// Change is B's median over A's (1.10: B is 10% higher).
	Change float64 `json:"change,omitempty"`
}

// Compare summarises each figure over the runs of two builds, in the order
// the first build's first report names them (figures only the second
// build has follow).
func Compare(a, b []Report) []Comparison {
	var names []string
	seen := map[string]bool{}
	for _, reports := range [][]Report{a, b} {
		for _, r := range reports {
			for _, f := range r.Figures {
				if !seen[f.Name] {
					seen[f.Name] = true
					names = append(names, f.Name)
				}
			}
		}
	}
	out := make([]Comparison, 0, len(names))
	for _, name := range names {
		c := Comparison{Name: name, A: spread(a, name), B: spread(b, name)}
		if !c.A.Absent && !c.B.Absent && c.A.Median != 0 {
			c.Change = c.B.Median / c.A.Median
		}
		out = append(out, c)
	}
	return out
}

func spread(reports []Report, name string) Spread {
	var s Spread
	for _, r := range reports {
		for _, f := range r.Figures {
			if f.Name == name {
				s.Observed = append(s.Observed, f.Value)
				s.Unit = f.Unit
			}
		}
	}
	s.Runs = len(s.Observed)
	if s.Runs == 0 {
		s.Absent = true
		return s
	}
	sorted := slices.Sorted(slices.Values(s.Observed))
	s.Min, s.Max = sorted[0], sorted[len(sorted)-1]
	if n := len(sorted); n%2 == 1 {
		s.Median = sorted[n/2]
	} else {
		s.Median = (sorted[n/2-1] + sorted[n/2]) / 2
	}
	return s
}

// WriteComparison prints the comparison for a terminal: each build's
// median with its range, and the change.
func WriteComparison(w io.Writer, nameA, nameB string, rows []Comparison) {
	fmt.Fprintf(w, "%-52s %-10s %26s %26s %7s\n", "figure", "unit", nameA+": median [range]", nameB+": median [range]", "B/A")
	for _, c := range rows {
		unit := c.A.Unit
		if unit == "" {
			unit = c.B.Unit
		}
		change := ""
		if c.Change != 0 {
			change = strconv.FormatFloat(c.Change, 'f', 2, 64)
		}
		fmt.Fprintf(w, "%-52s %-10s %26s %26s %7s\n", c.Name, unit, c.A.text(), c.B.text(), change)
	}
}

func (s Spread) text() string {
	if s.Absent {
		return "-"
	}
	f := func(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }
	return fmt.Sprintf("%s [%s-%s]", f(s.Median), f(s.Min), f(s.Max))
}
