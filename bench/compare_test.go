package bench

import (
	"math"
	"strings"
	"testing"
)

func reports(figures ...[]Figure) []Report {
	var out []Report
	for _, f := range figures {
		out = append(out, Report{Figures: f})
	}
	return out
}

// Each figure's median and range per build, in the first build's order,
// with a figure one build lacks shown as absent.
func TestCompareMediansAndRanges(t *testing.T) {
	read := func(v float64) Figure { return Figure{Name: "dossier read p99", Value: v, Unit: "ms"} }
	a := reports(
		[]Figure{read(2.4), {Name: "starts", Value: 90, Unit: "/s"}},
		[]Figure{read(6.3), {Name: "starts", Value: 100, Unit: "/s"}},
		[]Figure{read(3.0), {Name: "starts", Value: 80, Unit: "/s"}},
		[]Figure{read(5.1), {Name: "starts", Value: 70, Unit: "/s"}},
	)
	b := reports([]Figure{read(3.5)}, []Figure{read(2.0)}, []Figure{read(4.0), {Name: "new figure", Value: 1, Unit: "x"}})
	rows := Compare(a, b)
	if len(rows) != 3 || rows[0].Name != "dossier read p99" || rows[1].Name != "starts" || rows[2].Name != "new figure" {
		t.Fatalf("rows %+v", rows)
	}
	r := rows[0]
	if r.A.Median != 4.05 || r.A.Min != 2.4 || r.A.Max != 6.3 || r.A.Runs != 4 {
		t.Errorf("A %+v: want median 4.05 of 4 runs in [2.4, 6.3]", r.A)
	}
	if r.B.Median != 3.5 || r.B.Min != 2.0 || r.B.Max != 4.0 || r.B.Runs != 3 {
		t.Errorf("B %+v: want median 3.5 of 3 runs in [2.0, 4.0]", r.B)
	}
	if want := 3.5 / 4.05; math.Abs(r.Change-want) > 1e-9 {
		t.Errorf("change %v, want %v", r.Change, want)
	}
	if !rows[1].B.Absent || rows[1].Change != 0 || !rows[2].A.Absent {
		t.Errorf("a figure one build lacks: %+v, %+v", rows[1], rows[2])
	}
	var out strings.Builder
	WriteComparison(&out, "A", "B", rows)
	for _, want := range []string{"4.0 [2.4-6.3]", "3.5 [2.0-4.0]", "0.86", "85.0 [70.0-100.0]"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, out.String())
		}
	}
}
