package web

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/traject-ocmw/traject/policy"
	"github.com/traject-ocmw/traject/stats"
	"github.com/traject-ocmw/traject/store"
)

// The statistics the centre publishes, for coordinators and
// administrators: the monthly trajectory table with its chart, outcomes,
// placements, workload and the BCSD, each downloadable as the API's CSV.

// statsRange is the months a statistics page covers: from the first
// month's start to the last month's end.
type statsRange struct {
	First, Last time.Time
	// From and To are the period of the reports over a period: the first
	// day of the first month, and of the month after the last.
	From, To time.Time
}

func (rg statsRange) months() int {
	return (rg.Last.Year()-rg.First.Year())*12 + int(rg.Last.Month()-rg.First.Month()) + 1
}

// maxStatsMonths bounds a page: ten years, as the API.
const maxStatsMonths = 120

// readRange reads ?from=YYYY-MM&to=YYYY-MM; without them, the last twelve
// months up to this one. A range that cannot be read is reported, not
// guessed.
func (p *pages) readRange(r *http.Request) (statsRange, string) {
	lang := p.lang(r)
	now := time.Now().In(p.loc)
	last := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, p.loc)
	first := last.AddDate(0, -11, 0)
	q := r.URL.Query()
	if v := q.Get("from"); v != "" {
		m, err := p.readMonth(v)
		if err != nil {
			return statsRange{}, t(lang, "stats.bad.from")
		}
		first = m
	}
	if v := q.Get("to"); v != "" {
		m, err := p.readMonth(v)
		if err != nil {
			return statsRange{}, t(lang, "stats.bad.to")
		}
		last = m
	}
	rg := statsRange{First: first, Last: last, From: first, To: last.AddDate(0, 1, 0)}
	if n := rg.months(); n < 1 || n > maxStatsMonths {
		return statsRange{}, t(lang, "stats.bad.range", maxStatsMonths)
	}
	return rg, ""
}

// readMonth reads a month as a month field sends it (2026-12) or as a
// person types it where the browser offers a text field (12/2026).
func (p *pages) readMonth(v string) (time.Time, error) {
	v = strings.TrimSpace(v)
	if m, err := time.ParseInLocation("01/2006", v, p.loc); err == nil {
		return m, nil
	}
	return time.ParseInLocation("2006-01", v, p.loc)
}

// statsTables are the statistics pages' tables, one a page.
var statsTables = []string{"trajectories", "outcomes", "placements", "workload", "bcsd"}

// statsReport is one table's report: its rows (in the field of its kind)
// and the CSV the page downloads, the API's.
type statsReport struct {
	Trajectories []stats.TrajectoryRow
	Outcomes     []stats.OutcomeRow
	Placements   []stats.Placement
	Workload     []stats.Workload
	Sanctions    stats.Sanctions
	CSV          stats.Table
}

// report runs the named table's report for the range, as of now. One
// table a page, the tabs leading to the others: a page takes as long as
// its own report (the monthly table of 24 months at 50,000 participants:
// 0.5 s; all five together took 1.7 s).
func (p *pages) report(ctx context.Context, centre, table string, rg statsRange, now time.Time) (statsReport, error) {
	reports := stats.Reports{DB: p.store.Pool()}
	var rep statsReport
	var err error
	switch table {
	case "trajectories":
		rep.Trajectories, err = reports.Trajectories(ctx, centre, stats.MonthEnds(rg.First, rg.Last, p.loc), now)
		rep.CSV = stats.TrajectoryTable(rep.Trajectories, p.loc)
	case "outcomes":
		rep.Outcomes, err = reports.Outcomes(ctx, centre, rg.From, rg.To)
		rep.CSV = stats.OutcomeTable(rep.Outcomes)
	case "placements":
		var pol policy.Policy
		if pol, err = p.store.LoadPolicy(ctx, centre); err != nil {
			return rep, err
		}
		rep.Placements, err = reports.Placements(ctx, centre, now, stats.Percent(pol.Article60.MaxShareOfSiteStaffPct*100))
		rep.CSV = stats.PlacementTable(rep.Placements)
	case "workload":
		rep.Workload, err = reports.Workloads(ctx, centre, now, stats.WeekEnd(now, p.loc))
		rep.CSV = stats.WorkloadTable(rep.Workload)
	case "bcsd":
		rep.Sanctions, err = reports.SanctionsBetween(ctx, centre, rg.From, rg.To)
		rep.CSV = stats.SanctionTable(rep.Sanctions)
	default:
		return rep, &store.NotFoundError{What: "statistics table " + table}
	}
	return rep, err
}

type statsView struct {
	statsReport
	Table              string
	Tables             []string
	FromValue, ToValue string
	Problem            string
	PhaseChart         chart
	OutcomeKinds       []string
	WorkloadChart      chart
	AsOf               time.Time
	// The tables' closing rows: the monthly table's average month (its
	// figures are month-end counts, which do not add up over months),
	// the placements' and the workload's totals.
	TrajectoryAverage stats.TrajectoryRow
	PlacementTotal    stats.PlacementTotals
	WorkloadTotal     stats.Workload
}

// trajectoryAverage is the average month of the monthly table, rounded to
// whole dossiers, its shares those of the averages.
func trajectoryAverage(rows []stats.TrajectoryRow) stats.TrajectoryRow {
	var sum stats.TrajectoryRow
	if len(rows) == 0 {
		return sum
	}
	for _, r := range rows {
		sum.LeefloonDossiers += r.LeefloonDossiers
		sum.InTrajectory += r.InTrajectory
		sum.Exempt += r.Exempt
		sum.Facilitator += r.Facilitator
		sum.Literacy += r.Literacy
		sum.Studies += r.Studies
		sum.Work += r.Work
		sum.Article60 += r.Article60
		sum.SPIDossiers += r.SPIDossiers
		sum.Intake += r.Intake
		sum.PostArticle60 += r.PostArticle60
	}
	n := len(rows)
	avg := func(total int) int { return (total + n/2) / n }
	out := stats.TrajectoryRow{LeefloonDossiers: avg(sum.LeefloonDossiers), InTrajectory: avg(sum.InTrajectory), Exempt: avg(sum.Exempt),
		Facilitator: avg(sum.Facilitator), Literacy: avg(sum.Literacy), Studies: avg(sum.Studies), Work: avg(sum.Work), Article60: avg(sum.Article60),
		SPIDossiers: avg(sum.SPIDossiers), Intake: avg(sum.Intake), PostArticle60: avg(sum.PostArticle60)}
	out.InTrajectoryPct = stats.Share(sum.InTrajectory, sum.LeefloonDossiers)
	out.SPIPct = stats.Share(sum.SPIDossiers, sum.LeefloonDossiers)
	return out
}

// workloadTotal adds up the counsellors' dossiers and deadlines.
func workloadTotal(rows []stats.Workload) stats.Workload {
	var t stats.Workload
	for _, r := range rows {
		t.Caseload += r.Caseload
		t.DueThisWeek += r.DueThisWeek
		t.Overdue += r.Overdue
	}
	return t
}

// statistics is the page: every table of the range, with its chart and
// its CSV.
func (p *pages) statistics(w http.ResponseWriter, r *http.Request) {
	v, _ := viewerFrom(r.Context())
	lang := p.lang(r)
	rg, problem := p.readRange(r)
	view := statsView{FromValue: r.URL.Query().Get("from"), ToValue: r.URL.Query().Get("to"), Problem: problem, Table: "trajectories", Tables: statsTables}
	if tb := r.URL.Query().Get("table"); slices.Contains(statsTables, tb) {
		view.Table = tb
	}
	if problem != "" {
		p.render(w, r, http.StatusBadRequest, "stats.html", "stats.title", view)
		return
	}
	view.FromValue, view.ToValue = rg.First.Format("2006-01"), rg.Last.Format("2006-01")
	now := time.Now()
	view.AsOf = now
	rep, err := p.report(r.Context(), v.CentreID, view.Table, rg, now)
	if err != nil {
		p.fail(w, r, err)
		return
	}
	view.statsReport = rep
	view.OutcomeKinds = stats.OutcomeKinds(rep.Outcomes)
	if !p.audit(w, r, "read_stats", "centre", v.CentreID) {
		return
	}
	view.PhaseChart = phaseChart(lang, view.Trajectories)
	view.WorkloadChart = workloadChart(lang, view.Workload)
	view.TrajectoryAverage = trajectoryAverage(view.Trajectories)
	view.PlacementTotal = stats.Totals(view.Placements)
	view.WorkloadTotal = workloadTotal(view.Workload)
	p.render(w, r, http.StatusOK, "stats.html", "stats.title", view)
}

// statisticsCSV answers one table as CSV: the same bytes as the API's
// ?format=csv for the same range (and ?delimiter=semicolon).
func (p *pages) statisticsCSV(w http.ResponseWriter, r *http.Request) {
	v, _ := viewerFrom(r.Context())
	rg, problem := p.readRange(r)
	if problem != "" {
		p.errorPage(w, r, http.StatusBadRequest, problem)
		return
	}
	rep, err := p.report(r.Context(), v.CentreID, chi.URLParam(r, "report"), rg, time.Now())
	if !p.found(w, r, err) {
		return
	}
	table := rep.CSV
	if !p.audit(w, r, "read_stats:"+table.Name, "centre", v.CentreID) {
		return
	}
	p.download(w, r, "text/csv; charset=utf-8", table.FileName(), func(w io.Writer) error {
		return table.WriteCSV(w, r.URL.Query().Get("delimiter") == "semicolon")
	})
}

// chart is an SVG chart drawn by the server: bars (stacked when a bar has
// several parts) and an optional line, with the legend. The table beside
// it holds the same figures for screen readers.
type chart struct {
	Width, Height int
	Bars          []chartBar
	Legend        []chartSeries
	Line          string // SVG points of the line, empty: none
	LineLabel     string
	// Points are the line's points, each marked.
	Points []chartPoint
	Axis   []chartTick
	// ShareAxis is the line's own scale, on the right at ShareX: 0 to
	// 100 %, apart from the counts' on the left.
	ShareAxis []chartTick
	ShareX    int
	Label     string
}

type chartPoint struct{ X, Y int }

type chartBar struct {
	X, Width int
	// Label names the bar; Sub, under it, the year of a month's bar at
	// the first bar and at each January.
	Label, Sub string
	LabelX     int
	Parts      []chartRect
	ValueText  string
}

type chartRect struct {
	Y, Height int
	Class     string
}

type chartSeries struct{ Class, Label string }

type chartTick struct {
	Y    int
	Text string
}

// Chart geometry, in SVG units.
const (
	chartHeight = 220
	chartTop    = 10
	chartBottom = 190 // the bars' base line; month labels below it
	chartLeft   = 40
)

// phases are the stacked parts of the monthly chart, in order.
var chartPhases = []string{"facilitator", "literacy", "studies", "work", "article60", "post_article60"}

func phaseChart(lang string, rows []stats.TrajectoryRow) chart {
	c := chart{Height: chartHeight, Label: t(lang, "stats.chart.phases")}
	for i, ph := range chartPhases {
		c.Legend = append(c.Legend, chartSeries{Class: fmt.Sprintf("s%d", i), Label: t(lang, "phase."+ph)})
	}
	maxTotal := 1
	counts := make([][]int, len(rows))
	for i, x := range rows {
		counts[i] = []int{x.Facilitator, x.Literacy, x.Studies, x.Work, x.Article60, x.PostArticle60}
		total := 0
		for _, n := range counts[i] {
			total += n
		}
		maxTotal = max(maxTotal, total)
	}
	step := 36
	scale := float64(chartBottom-chartTop) / float64(maxTotal)
	var line []string
	for i, x := range rows {
		bar := chartBar{X: chartLeft + i*step + 4, Width: step - 8, LabelX: chartLeft + i*step + step/2}
		bar.Label, bar.Sub = axisMonth(lang, x.Month, i == 0)
		y := chartBottom
		for j, n := range counts[i] {
			h := int(float64(n)*scale + 0.5)
			if h == 0 {
				continue
			}
			y -= h
			bar.Parts = append(bar.Parts, chartRect{Y: y, Height: h, Class: fmt.Sprintf("s%d", j)})
		}
		c.Bars = append(c.Bars, bar)
		// the share in trajectory on its own scale, the right axis:
		// 100 % at the top
		share := float64(x.InTrajectoryPct) / 10000
		p := chartPoint{bar.LabelX, chartBottom - int(share*float64(chartBottom-chartTop)+0.5)}
		c.Points = append(c.Points, p)
		line = append(line, fmt.Sprintf("%d,%d", p.X, p.Y))
	}
	c.Line = strings.Join(line, " ")
	c.Axis = []chartTick{{chartBottom, "0"}, {chartTop + 4, fmt.Sprint(maxTotal)}}
	c.ShareX = chartLeft + step*len(rows) + 4
	c.Width = c.ShareX + 44
	for _, pct := range []int{0, 50, 100} {
		c.ShareAxis = append(c.ShareAxis, chartTick{chartBottom - pct*(chartBottom-chartTop)/100 + 4, fmt.Sprintf("%d\u00A0%%", pct)})
	}
	c.LineLabel = t(lang, "stats.chart.share_scale", t(lang, "stats.col.in_trajectory_pct"))
	return c
}

// axisMonth writes a month (YYYY-MM) under its bar: its short name, and
// its year under that at the first bar and at each January.
func axisMonth(lang, month string, first bool) (name, year string) {
	m, err := time.Parse("2006-01", month)
	if err != nil {
		return month, ""
	}
	if first || m.Month() == time.January {
		year = strconv.Itoa(m.Year())
	}
	return shortMonths[lang][m.Month()-1], year
}

func workloadChart(lang string, rows []stats.Workload) chart {
	c := chart{Height: chartHeight, Label: t(lang, "stats.chart.workload"),
		Legend: []chartSeries{{"s3", t(lang, "stats.col.caseload")}}}
	maxN := 1
	for _, x := range rows {
		maxN = max(maxN, x.Caseload)
	}
	step := 60
	c.Width = chartLeft + step*len(rows) + 10
	scale := float64(chartBottom-chartTop) / float64(maxN)
	for i, x := range rows {
		h := int(float64(x.Caseload)*scale + 0.5)
		c.Bars = append(c.Bars, chartBar{X: chartLeft + i*step + 8, Width: step - 16, Label: x.Name, LabelX: chartLeft + i*step + step/2,
			Parts: []chartRect{{Y: chartBottom - h, Height: h, Class: "s3"}}, ValueText: fmt.Sprint(x.Caseload)})
	}
	c.Axis = []chartTick{{chartBottom, "0"}, {chartTop + 4, fmt.Sprint(maxN)}}
	return c
}
