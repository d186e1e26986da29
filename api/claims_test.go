package api_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/traject-ocmw/traject/policy"
	"github.com/traject-ocmw/traject/store"
	"github.com/traject-ocmw/traject/testenv"
)

// TestClaimsAndExtensionsThroughTheAPI seeds a dossier for every case of
// the month's claims, records an extension through the API (and refuses
// bad ones, naming the field), then reads each month's code or reason in
// the JSON, the CSV and the XLSX (read back), and the Article 60 months
// once the centre's region funds them.
func TestClaimsAndExtensionsThroughTheAPI(t *testing.T) {
	a := newAPITest(t)
	d := testenv.SeedClaims(t, a.db, a.fx)
	yesterday := testDay(-1)

	// A line's code or reason, by participant, in the three formats.
	type line struct{ code, reason, signed string }
	fromJSON := func(month, asOf string) map[string]line {
		t.Helper()
		q := "/v1/claims?month=" + month
		if asOf != "" {
			q += "&as_of=" + asOf
		}
		status, raw := a.do("GET", q, "coordinator", nil)
		if status != 200 {
			t.Fatalf("claims %s: %d %s", q, status, raw)
		}
		var body struct {
			GPMI []struct {
				ParticipantID string `json:"participant_id"`
				Code, Reason  string
				SignedOn      string `json:"signed_on"`
			}
		}
		if err := json.Unmarshal(raw, &body); err != nil {
			t.Fatal(err)
		}
		out := map[string]line{}
		for _, l := range body.GPMI {
			out[l.ParticipantID] = line{l.Code, l.Reason, strings.TrimSuffix(l.SignedOn, "T00:00:00Z")}
		}
		return out
	}
	// The downloads name people by national number.
	numbers := map[string]string{}
	rows, err := a.db.Query(context.Background(), `SELECT id::text, national_number FROM participants WHERE national_number LIKE '920202%'`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id, nn string
		if err := rows.Scan(&id, &nn); err != nil {
			t.Fatal(err)
		}
		numbers[nn] = id
	}
	rows.Close()
	fromRows := func(rows [][]string) map[string]line {
		t.Helper()
		if len(rows) == 0 || strings.Join(rows[0], ";") != "national_number;family_name;given_name;qualifies;code;reason;signed_on" {
			t.Fatalf("header: %v", rows)
		}
		out := map[string]line{}
		for _, r := range rows[1:] {
			if id, ok := numbers[r[0]]; ok {
				out[id] = line{r[4], r[5], r[6]}
			}
		}
		return out
	}
	fromCSV := func(month, asOf string) map[string]line {
		t.Helper()
		resp, raw := a.exchange("GET", "/v1/claims?month="+month+"&as_of="+asOf+"&format=csv", "coordinator", nil)
		if resp.StatusCode != 200 || !strings.HasPrefix(string(raw), "\ufeff") {
			t.Fatalf("CSV: %d %s", resp.StatusCode, raw)
		}
		r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(raw, []byte("\ufeff"))))
		r.Comma = ';'
		rows, err := r.ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		return fromRows(rows)
	}
	fromXLSX := func(month, asOf string) map[string]line {
		t.Helper()
		resp, raw := a.exchange("GET", "/v1/claims?month="+month+"&as_of="+asOf+"&format=xlsx", "coordinator", nil)
		if resp.StatusCode != 200 {
			t.Fatalf("XLSX: %d %s", resp.StatusCode, raw)
		}
		x, err := excelize.OpenReader(bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		rows, err := x.GetRows(x.GetSheetList()[0])
		if err != nil {
			t.Fatal(err)
		}
		// excelize leaves out a row's empty cells at its end
		for i := range rows {
			for len(rows[i]) < 7 {
				rows[i] = append(rows[i], "")
			}
		}
		return fromRows(rows)
	}
	check := func(month, asOf string, want map[string]line) {
		t.Helper()
		day := asOf
		if day == "" {
			day = testDay(0)
		}
		for format, got := range map[string]map[string]line{"JSON": fromJSON(month, asOf), "CSV": fromCSV(month, day), "XLSX": fromXLSX(month, day)} {
			for id, w := range want {
				g, ok := got[id]
				if !ok || g.code != w.code || g.reason != w.reason || (w.signed != "" && g.signed != w.signed) {
					t.Errorf("%s %s as of %s, %s: %+v (listed %v), want %+v", format, month, day, id, g, ok, w)
				}
			}
		}
	}

	// Bad extensions: 422 naming the field.
	base := "/v1/participants/" + d.Extended + "/gpmi-extensions"
	unsigned := a.create(a.participant())
	for _, c := range []struct {
		path  string
		body  map[string]any
		field string
	}{
		{base, map[string]any{"extended_on": "2026-01-20"}, "motivation"},
		{base, map[string]any{"extended_on": "2026-01-20", "motivation": "   "}, "motivation"},
		{base, map[string]any{"extended_on": "2024-12-31", "motivation": "Te vroeg."}, "extended_on"},
		{base, map[string]any{"extended_on": "2099-01-01", "motivation": "Later."}, "extended_on"},
		{base, map[string]any{"motivation": "Geen dag."}, "extended_on"},
		{"/v1/participants/" + unsigned + "/gpmi-extensions", map[string]any{"extended_on": yesterday, "motivation": "Niet ondertekend."}, "extended_on"},
	} {
		if status, raw := a.do("POST", c.path, "an", c.body); status != 422 || !strings.Contains(string(raw), `"`+c.field+`"`) {
			t.Errorf("%v: %d %s, want 422 naming %s", c.body, status, raw, c.field)
		}
	}
	if status, _ := a.do("POST", base, "bcsd", map[string]any{"extended_on": "2026-01-20", "motivation": "x"}); status != 403 {
		t.Errorf("the BCSD records an extension: %d", status)
	}
	motivation := "Het traject loopt nog: de opleiding lasser eindigt in juni."
	if status, raw := a.do("POST", base, "an", map[string]any{"extended_on": "2026-01-20", "motivation": motivation}); status != 201 || !strings.Contains(string(raw), `"extended_on":"2026-01-20"`) {
		t.Fatalf("extension: %d %s", status, raw)
	}
	if status, raw := a.do("GET", base, "coordinator", nil); status != 200 || !strings.Contains(string(raw), motivation) {
		t.Errorf("extensions: %d %s", status, raw)
	}
	if status, raw := a.do("GET", "/v1/participants/"+d.Extended+"/timeline", "an", nil); status != 200 || !strings.Contains(string(raw), "gpmi_extended") || strings.Contains(string(raw), "lasser") {
		t.Errorf("the timeline says it was extended, without the motivation: %d %s", status, raw)
	}

	check("2026-02", "", map[string]line{
		d.Extended:    {code: "17"},
		d.NoExtension: {reason: "no_extension"},
		d.NotInForce:  {reason: "not_in_force_end_first_period"},
		d.Ends30th:    {reason: "article60"},
	})
	// Reproducible: as the log stood yesterday, the extension was not there.
	check("2026-02", yesterday, map[string]line{d.Extended: {reason: "no_extension"}})
	check("2025-12", "", map[string]line{d.FourMonthBreak: {reason: "break_without_new_gpmi"}})
	check("2025-10", "", map[string]line{d.Reentered: {code: "11", signed: "2025-10-15"}})
	check("2025-04", "", map[string]line{d.Ends30th: {reason: "article60"}, d.Ends31st: {reason: "article60"}})
	check("2028-02", "2028-03-31", map[string]line{d.Leap: {code: "11", signed: "2028-02-29"}})
	check("2029-02", "2029-03-31", map[string]line{d.Leap: {code: "11"}})
	check("2029-03", "2029-04-30", map[string]line{d.Leap: {reason: "no_extension"}})

	// Article 60 months, once the region funds them: a contract ending on
	// 31 May runs on May's last day, one ending on the 30th does not.
	if _, err := a.db.Exec(context.Background(), `UPDATE centres SET region = 'flanders' WHERE id = $1`, a.fx.CentreID); err != nil {
		t.Fatal(err)
	}
	status, raw := a.do("GET", "/v1/claims?month=2025-05", "coordinator", nil)
	if status != 200 {
		t.Fatalf("claims: %d %s", status, raw)
	}
	var may struct {
		Article60 struct {
			Lines []struct {
				ParticipantID string `json:"participant_id"`
				Month         int
				Qualifies     bool
			}
			QuarterMonths int `json:"quarter_months"`
		}
	}
	if err := json.Unmarshal(raw, &may); err != nil {
		t.Fatal(err)
	}
	months := map[string]int{}
	for _, l := range may.Article60.Lines {
		months[l.ParticipantID] = l.Month
	}
	if _, ok := months[d.Ends30th]; ok || months[d.Ends31st] != 4 {
		t.Errorf("May 2025's Article 60 lines: %s", raw)
	}
	// April and May of the 31st's, April of the 30th's (the fixture's own
	// dossiers hold no contract then).
	if may.Article60.QuarterMonths != 3 {
		t.Errorf("quarter months %d, want 3: %s", may.Article60.QuarterMonths, raw)
	}
}

// TestArticle60ClaimsInFlanders reads a Flemish centre's Article 60 months
// through the API: each person's month number, the policy's amounts in
// cents, the quarter's totals so far, and the 25th month refused with its
// reason; the Brussels centre has none (article60 is null).
func TestArticle60ClaimsInFlanders(t *testing.T) {
	a := newAPITest(t)
	gent := testenv.SeedArticle60Centre(t, a.db)
	_, token, err := store.New(a.db).CreateToken(context.Background(), gent.CoordinatorID, "test griet")
	if err != nil {
		t.Fatal(err)
	}
	a.tokens["griet"] = token
	type line struct {
		ParticipantID     string `json:"participant_id"`
		Month             int
		Qualifies         bool
		Reason            string
		MonthlyFeeCents   int `json:"monthly_fee_cents"`
		CompensationCents int `json:"compensation_cents"`
	}
	type article60 struct {
		Scheme                   string
		Lines                    []line
		Quarter                  string
		QuarterMonths            int `json:"quarter_months"`
		QuarterFeeCents          int `json:"quarter_fee_cents"`
		QuarterCompensationCents int `json:"quarter_compensation_cents"`
	}
	read := func(who, month string) *article60 {
		t.Helper()
		status, raw := a.do("GET", "/v1/claims?month="+month, who, nil)
		if status != 200 {
			t.Fatalf("%s %s: %d %s", who, month, status, raw)
		}
		var body struct{ Article60 *article60 }
		if err := json.Unmarshal(raw, &body); err != nil {
			t.Fatal(err)
		}
		return body.Article60
	}
	paid := func(month int) line {
		return line{Month: month, Qualifies: true, MonthlyFeeCents: 25000, CompensationCents: 19500}
	}
	for _, c := range []struct {
		month       string
		long, short line
		quarter     article60
	}{
		{"2024-12", paid(24), paid(2), article60{Quarter: "2024-Q4", QuarterMonths: 5, QuarterFeeCents: 125000, QuarterCompensationCents: 97500}},
		{"2025-01", line{Month: 25, Reason: "article60_past_maximum"}, paid(3), article60{Quarter: "2025-Q1", QuarterMonths: 1, QuarterFeeCents: 25000, QuarterCompensationCents: 19500}},
		{"2025-03", line{Month: 27, Reason: "article60_past_maximum"}, paid(5), article60{Quarter: "2025-Q1", QuarterMonths: 3, QuarterFeeCents: 75000, QuarterCompensationCents: 58500}},
	} {
		got := read("griet", c.month)
		if got == nil {
			t.Fatalf("%s: no Article 60 months in Flanders", c.month)
		}
		byID := map[string]line{}
		for _, l := range got.Lines {
			id := l.ParticipantID
			l.ParticipantID = ""
			byID[id] = l
		}
		if byID[gent.Long] != c.long || byID[gent.Short] != c.short || len(got.Lines) != 2 {
			t.Errorf("%s: lines %+v, want %+v and %+v", c.month, got.Lines, c.long, c.short)
		}
		if got.Scheme != "TWE" || got.Quarter != c.quarter.Quarter || got.QuarterMonths != c.quarter.QuarterMonths ||
			got.QuarterFeeCents != c.quarter.QuarterFeeCents || got.QuarterCompensationCents != c.quarter.QuarterCompensationCents {
			t.Errorf("%s: quarter %+v, want %+v", c.month, *got, c.quarter)
		}
	}
	if got := read("coordinator", "2024-12"); got != nil {
		t.Errorf("Brussels has no Article 60 funding configured: %+v", *got)
	}
}

// TestClaimsKeepThePolicyOfTheirMonth: the centre changes its GPMI codes
// and its break rule after a month; that month keeps the codes and rules
// in force at its end (or at the end of as_of, when that comes first),
// the months after apply the new ones, and the JSON says which codes it
// applied. A Flemish centre's quarter adds each month with its own
// amounts.
func TestClaimsKeepThePolicyOfTheirMonth(t *testing.T) {
	a := newAPITest(t)
	d := testenv.SeedClaims(t, a.db, a.fx)
	motivation := "Het traject loopt nog: de opleiding lasser eindigt in juni."
	if status, raw := a.do("POST", "/v1/participants/"+d.Extended+"/gpmi-extensions", "an", map[string]any{"extended_on": "2026-01-20", "motivation": motivation}); status != 201 {
		t.Fatalf("extension: %d %s", status, raw)
	}
	// On 10 November 2025 the centre claims with 21 and 27 and waits for a
	// new GPMI only after a break of more than 6 months; on 15 January
	// 2026 with 31 and 37, after more than 3 months again.
	testenv.SavePolicyOn(t, a.db, a.fx.CentreID, "2025-11-10", func(p *policy.Policy) {
		p.Claims.GeneralCode, p.Claims.ExtensionCode, p.Claims.BreakNeedsNewGPMI = "21", "27", policy.Months(6)
	})
	testenv.SavePolicyOn(t, a.db, a.fx.CentreID, "2026-01-15", func(p *policy.Policy) {
		p.Claims.GeneralCode, p.Claims.ExtensionCode, p.Claims.BreakNeedsNewGPMI = "31", "37", policy.Months(3)
	})
	type codes struct{ General, Extension string }
	type line struct{ Code, Reason string }
	read := func(month, asOf string) (codes, map[string]line) {
		t.Helper()
		q := "/v1/claims?month=" + month
		if asOf != "" {
			q += "&as_of=" + asOf
		}
		status, raw := a.do("GET", q, "coordinator", nil)
		if status != 200 {
			t.Fatalf("claims %s: %d %s", q, status, raw)
		}
		var body struct {
			Codes *codes
			GPMI  []struct {
				ParticipantID string `json:"participant_id"`
				Code, Reason  string
			}
		}
		if err := json.Unmarshal(raw, &body); err != nil {
			t.Fatal(err)
		}
		if body.Codes == nil {
			t.Fatalf("claims %s: no codes: %s", q, raw)
		}
		lines := map[string]line{}
		for _, l := range body.GPMI {
			lines[l.ParticipantID] = line{l.Code, l.Reason}
		}
		return *body.Codes, lines
	}
	for _, c := range []struct {
		month, asOf string
		codes       codes
		lines       map[string]line
	}{
		// Before the change: the legal defaults.
		{"2025-10", "", codes{"11", "17"}, map[string]line{d.Reentered: {Code: "11"}}},
		// November asked on the 5th, before the change: what it said then.
		{"2025-11", "2025-11-05", codes{"11", "17"}, map[string]line{d.Reentered: {Code: "11"}}},
		{"2025-11", "", codes{"21", "27"}, map[string]line{d.Reentered: {Code: "21"}}},
		// A break of four months needs no new GPMI under the rule of December.
		{"2025-12", "", codes{"21", "27"}, map[string]line{d.Reentered: {Code: "21"}, d.FourMonthBreak: {Code: "21"}}},
		{"2026-01", "", codes{"31", "37"}, map[string]line{d.Reentered: {Code: "31"}, d.FourMonthBreak: {Reason: "break_without_new_gpmi"}}},
		{"2026-02", "", codes{"31", "37"}, map[string]line{d.Extended: {Code: "37"}, d.NoExtension: {Reason: "no_extension"}}},
	} {
		got, lines := read(c.month, c.asOf)
		if got != c.codes {
			t.Errorf("%s as of %q: codes %+v, want %+v", c.month, c.asOf, got, c.codes)
		}
		for id, w := range c.lines {
			if lines[id] != w {
				t.Errorf("%s as of %q, %s: %+v, want %+v", c.month, c.asOf, id, lines[id], w)
			}
		}
	}

	// The downloads carry the month's code.
	resp, raw := a.exchange("GET", "/v1/claims?month=2025-10&format=csv", "coordinator", nil)
	if resp.StatusCode != 200 || !strings.Contains(string(raw), ";Terug;Rik;true;11;;2025-10-15") {
		t.Errorf("CSV of October 2025: %d %s", resp.StatusCode, raw)
	}

	// Flanders raises the monthly fee on 10 February 2025: January keeps
	// 250 euro, February and March pay 260, and March's quarter adds them.
	gent := testenv.SeedArticle60Centre(t, a.db)
	_, token, err := store.New(a.db).CreateToken(context.Background(), gent.CoordinatorID, "test griet")
	if err != nil {
		t.Fatal(err)
	}
	a.tokens["griet"] = token
	testenv.SavePolicyOn(t, a.db, gent.CentreID, "2025-02-10", func(p *policy.Policy) { p.Claims.Article60.MonthlyFeeCents = 26000 })
	for _, c := range []struct {
		month                     string
		fee, quarter, quarterComp int
	}{
		{"2025-01", 25000, 25000, 19500},
		{"2025-03", 26000, 25000 + 26000 + 26000, 3 * 19500},
	} {
		status, raw := a.do("GET", "/v1/claims?month="+c.month, "griet", nil)
		if status != 200 {
			t.Fatalf("%s: %d %s", c.month, status, raw)
		}
		var body struct {
			Article60 struct {
				Lines []struct {
					ParticipantID   string `json:"participant_id"`
					MonthlyFeeCents int    `json:"monthly_fee_cents"`
				}
				QuarterFeeCents          int `json:"quarter_fee_cents"`
				QuarterCompensationCents int `json:"quarter_compensation_cents"`
			}
		}
		if err := json.Unmarshal(raw, &body); err != nil {
			t.Fatal(err)
		}
		for _, l := range body.Article60.Lines {
			if l.ParticipantID == gent.Short && l.MonthlyFeeCents != c.fee {
				t.Errorf("%s: Short's fee %d, want %d", c.month, l.MonthlyFeeCents, c.fee)
			}
		}
		if body.Article60.QuarterFeeCents != c.quarter || body.Article60.QuarterCompensationCents != c.quarterComp {
			t.Errorf("%s: quarter %d + %d, want %d + %d: %s", c.month, body.Article60.QuarterFeeCents, body.Article60.QuarterCompensationCents, c.quarter, c.quarterComp, raw)
		}
	}
}
