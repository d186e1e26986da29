package web

import (
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/traject-ocmw/traject/casework"
	"github.com/traject-ocmw/traject/filecheck"
	"github.com/traject-ocmw/traject/policy"
)

// The month's claims (/claims, coordinators and administrators): the
// GPMI lines with their code or why not, the Article 60 months where the
// region funds them, and the GPMI lines as CSV and XLSX in the page's
// words.

// claimLine is a GPMI line in words.
type claimLine struct {
	filecheck.ClaimLine
	// Says is the code or the reason in words.
	Says string
}

// claimCount is how many lines say the same.
type claimCount struct {
	Label string
	Lines int
}

// article60Line is an Article 60 month in words.
type article60Line struct {
	filecheck.Article60Line
	Fee, Compensation, Reason string
}

// claimsView is the claims page.
type claimsView struct {
	Month      string
	MonthWords string
	Claims     casework.MonthClaims
	Lines      []claimLine
	Counts     []claimCount
	Article60  []article60Line
	// Quarter names the quarter; QuarterFee and QuarterCompensation are
	// its totals in euro.
	Quarter, QuarterFee, QuarterCompensation string
	CSV, Excel                               string
	// Codes says what the two GPMI codes the month applied mean.
	Codes string
}

// claimsMonth is the month asked (?month=YYYY-MM), last month by default.
func claimsMonth(q url.Values) string {
	if m := q.Get("month"); m != "" {
		return m
	}
	now := time.Now().In(brussels)
	return time.Date(now.Year(), now.Month()-1, 1, 0, 0, 0, 0, time.UTC).Format("2006-01")
}

// reasonWords says why a month does not qualify under the month's rules
// (the break's length is theirs).
func reasonWords(lang, reason string, rules policy.Claims) string {
	if reason == filecheck.BreakWithoutNewGPMI {
		return t(lang, "claims.reason."+reason, periodText(lang, rules.BreakNeedsNewGPMI))
	}
	return t(lang, "claims.reason."+reason)
}

// claimCode is a line's code (a federal number, shown as such) or reason.
func claimCode(lang string, l filecheck.ClaimLine, rules policy.Claims) string {
	if l.Qualifies {
		return t(lang, "claims.code", l.Code)
	}
	return reasonWords(lang, l.Reason, rules)
}

// claimSays is claimCode with, for a reason about the first period, the
// day it ended.
func claimSays(lang string, l filecheck.ClaimLine, rules policy.Claims) string {
	says := claimCode(lang, l, rules)
	if l.Qualifies {
		return says
	}
	switch l.Reason {
	case filecheck.NotInForceEndFirstPeriod, filecheck.NoExtension, filecheck.ExtensionWithoutMotivation:
		// Which first period: the coordinator checks it against the
		// dossier's extension.
		if l.SignedOn != nil {
			says += " " + t(lang, "claims.reason.first_period", shortDate(rules.FirstPeriod.After(*l.SignedOn)))
		}
	}
	return says
}

// euro writes cents as Belgians read an amount: 1.250,00 euro.
func euro(lang string, cents int) string {
	whole, rest := cents/100, cents%100
	s := thousands(whole)
	r := strconv.Itoa(rest)
	if rest < 10 {
		r = "0" + r
	}
	return t(lang, "claims.euro", s+","+r)
}

// thousands writes a whole number with a point between its thousands, as
// Belgians do: 50.000.
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "." + s[i:]
	}
	return s
}

// readClaims reads the month asked (?month=YYYY-MM, last month by
// default) of the viewer's centre and audits the read, for the page and
// its downloads alike. When it answers false it has written the error
// page (a bad month, a role that may not read claims, a failed audit).
func (p *pages) readClaims(w http.ResponseWriter, r *http.Request) (string, casework.MonthClaims, bool) {
	v, _ := viewerFrom(r.Context())
	month := claimsMonth(r.URL.Query())
	c, err := p.work.Claims(r.Context(), p.caller(r), month, "")
	if err != nil {
		p.fail(w, r, err)
		return "", casework.MonthClaims{}, false
	}
	if !p.audit(w, r, "read_claims", "centre", v.CentreID) {
		return "", casework.MonthClaims{}, false
	}
	return month, c, true
}

// claims is the month's claims page.
func (p *pages) claims(w http.ResponseWriter, r *http.Request) {
	lang := p.lang(r)
	month, c, ok := p.readClaims(w, r)
	if !ok {
		return
	}
	first, _ := time.Parse("2006-01", month)
	q := url.Values{"month": {month}}.Encode()
	view := claimsView{Month: month, MonthWords: monthWords(lang, first), Claims: c, CSV: "/claims.csv?" + q, Excel: "/claims.xlsx?" + q}
	view.Codes = t(lang, "claims.codes", c.Codes.General, c.Codes.Extension)
	counts := map[string]int{}
	var order []string
	for _, l := range c.GPMI {
		view.Lines = append(view.Lines, claimLine{ClaimLine: l, Says: claimSays(lang, l, c.Rules)})
		// Counted by code or reason, whatever each line's own day.
		says := claimCode(lang, l, c.Rules)
		if counts[says] == 0 {
			order = append(order, says)
		}
		counts[says]++
	}
	for _, s := range order {
		view.Counts = append(view.Counts, claimCount{Label: s, Lines: counts[s]})
	}
	if a := c.Article60; a != nil {
		for _, l := range a.Lines {
			line := article60Line{Article60Line: l}
			if l.Qualifies {
				line.Fee, line.Compensation = euro(lang, l.MonthlyFeeCents), euro(lang, l.CompensationCents)
			} else {
				line.Reason = reasonWords(lang, l.Reason, c.Rules)
			}
			view.Article60 = append(view.Article60, line)
		}
		view.Quarter = t(lang, "claims.quarter", (int(first.Month())-1)/3+1, first.Year())
		view.QuarterFee, view.QuarterCompensation = euro(lang, a.QuarterFeeCents), euro(lang, a.QuarterCompensationCts)
	}
	p.render(w, r, http.StatusOK, "claims.html", "claims.title", view)
}

// claimsDownload answers the month's GPMI lines as the page shows them, in
// its language: CSV (semicolons, for Excel in Belgium) or XLSX.
func (p *pages) claimsDownload(w http.ResponseWriter, r *http.Request) {
	lang := p.lang(r)
	month, c, ok := p.readClaims(w, r)
	if !ok {
		return
	}
	words := casework.ClaimWords{
		Header: []string{t(lang, "claims.col.national_number"), t(lang, "filecheck.col.family_name"), t(lang, "filecheck.col.given_name"),
			t(lang, "claims.col.qualifies"), t(lang, "claims.col.code"), t(lang, "claims.col.reason"), t(lang, "claims.col.signed_on")},
		Yes: func(b bool) string {
			if b {
				return t(lang, "claims.yes")
			}
			return t(lang, "claims.no")
		},
		Reason: func(s string) string { return reasonWords(lang, s, c.Rules) },
		Date:   func(d time.Time) string { return shortDate(d) },
	}
	table := c.Table(t(lang, "claims.title"), words)
	name := "traject-" + t(lang, "claims.file") + "-" + month
	if r.URL.Path == "/claims.xlsx" {
		p.download(w, r, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", name+".xlsx", func(w io.Writer) error { return table.WriteXLSX(w) })
		return
	}
	p.download(w, r, "text/csv; charset=utf-8", name+".csv", table.WriteCSV)
}
