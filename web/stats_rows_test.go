package web

import (
	"testing"

	"github.com/traject-ocmw/traject/stats"
)

// The monthly table closes on its average month (month-end counts do not
// add up over months), its shares those of the averages; the placements
// and the workload on their totals; the share in trajectory is drawn on
// its own scale, 100 % at the top of the chart whatever the counts.
func TestStatisticsClosingRows(t *testing.T) {
	months := []stats.TrajectoryRow{
		{Month: "2026-01", LeefloonDossiers: 100, InTrajectory: 60, SPIDossiers: 50, Work: 3},
		{Month: "2026-02", LeefloonDossiers: 101, InTrajectory: 61, SPIDossiers: 50, Work: 4},
	}
	avg := trajectoryAverage(months)
	if avg.LeefloonDossiers != 101 || avg.InTrajectory != 61 || avg.Work != 4 || avg.InTrajectoryPct != stats.Share(121, 201) || avg.SPIPct != stats.Share(100, 201) {
		t.Errorf("the average month: %+v", avg)
	}
	if got := trajectoryAverage(nil); got != (stats.TrajectoryRow{}) {
		t.Errorf("no months: %+v", got)
	}
	w := workloadTotal([]stats.Workload{{Caseload: 60, DueThisWeek: 5, Overdue: 2}, {Caseload: 40, DueThisWeek: 1}})
	if w.Caseload != 100 || w.DueThisWeek != 6 || w.Overdue != 2 {
		t.Errorf("the workload's total: %+v", w)
	}
	p := stats.Totals([]stats.Placement{{Positions: 3, Occupied: 2, Open: 1, AllCentres: 4, SocialEconomy: true}, {Positions: 2, Occupied: 2, AllCentres: 2}})
	if p.Positions != 5 || p.Occupied != 4 || p.Open != 1 || p.AllCentres != 6 || p.SocialEconomy.Positions != 3 || p.SocialEconomy.Occupied != 2 {
		t.Errorf("the placements' total: %+v", p)
	}
	full := phaseChart("nl", []stats.TrajectoryRow{{Month: "2026-01", LeefloonDossiers: 10, InTrajectory: 10, InTrajectoryPct: stats.Share(10, 10), Work: 1}})
	if len(full.Points) != 1 || full.Points[0].Y != chartTop || full.ShareX <= full.Bars[0].X+full.Bars[0].Width || full.Width <= full.ShareX {
		t.Errorf("100 %% is not at the top of its own scale, right of the bars: %+v", full)
	}
	if len(full.ShareAxis) != 3 || full.ShareAxis[2].Text != "100\u00a0%" || full.LineLabel != "Aandeel in traject (schaal rechts, 0 tot 100 %)" {
		t.Errorf("the share's scale: %+v %q", full.ShareAxis, full.LineLabel)
	}
}
