package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/traject-ocmw/traject/domain"
	"github.com/traject-ocmw/traject/policy"
	"github.com/traject-ocmw/traject/store"
)

// The policy page: a form per section of the centre's deadlines, refused
// with the validator's field errors, and the history of versions with who
// changed what. Coordinators and administrators, as PUT /v1/policy. A
// person types a period as a number and picks its unit (3 months), a list
// of them as numbers in one unit (30, 7 days), the working-days rules as
// a date, a number of days per week and age bands, the weekly digest's day
// from a list: the API keeps ISO 8601 and JSON, the page never asks for
// them.

// policySections are the sections with a form, in the page's order.
var policySections = []string{"calendar", "gpmi", "article60", "post_article60", "sanction", "notifications", "retention", "notes", "literacy", "civic_integration"}

// policyChoices are the values a list of codes may hold, by field: the
// literacy levels a centre's tests give and the regions whose centres
// record civic integration. The form offers each as a box to tick, in
// this order, labelled with the message prefix.value.
var policyChoices = map[string]struct {
	Prefix string
	Values []string
}{
	"levels":  {"level.", policy.LiteracyLevels},
	"regions": {"region.", policy.Regions},
}

var (
	periodType  = reflect.TypeFor[policy.Period]()
	periodsType = reflect.TypeFor[[]policy.Period]()
	stringsType = reflect.TypeFor[[]string]()
	rulesType   = reflect.TypeFor[[]policy.WorkingDaysRule]()
)

// policyField is one input of a section's form. Kind: period (a number
// and a unit), periods (numbers in one unit), number, checkbox, time,
// weekday, dates (days off, as 26/12/2026), rules (the working-days
// rules) or choices (codes to tick, policyChoices).
type policyField struct {
	Name, Kind, Value, Error string
	ID                       string
	// Unit is a period's, in Units (message keys as labels).
	Unit  string
	Units []option
	// Options are a choice's (weekday), their labels message keys.
	Options []option
	// Rules are the working-days rules, a spare one last.
	Rules []ruleRow
	// Picked are the ticked choices' values.
	Picked []string
	// Legal is the legal default, for a field whose centre value differs
	// from it.
	Legal *legalDefault
	// raw is the policy's value the field shows.
	raw any
}

// legalDefault is a field's legal default beside a centre value that
// differs: said in words, and as the form's inputs take it, for the link
// that puts it back. The script fills the field in place; without it (and
// for the working-days rules, which it does not fill) the link opens the
// page with the field filled. Either way the section's own button saves.
type legalDefault struct {
	// Note says it ("Standaard: 3 maanden"), Reset and For name the link
	// and the field it fills, Filled what the page says once it is filled.
	Note, Reset, For, Filled string
	// Key is section.field, for the link.
	Key string
	// Fill is the field's kind when the script fills it, with Value,
	// Unit and the Picked choices (comma-separated).
	Fill, Value, Unit, Picked string
}

// Described lists the ids that describe a field's input: its error, its
// hint and its legal default.
func (f policyField) Described() string {
	var ids []string
	if f.Error != "" {
		ids = append(ids, f.ID+"-error")
	}
	if f.Kind == "periods" || f.Kind == "dates" {
		ids = append(ids, f.ID+"-hint")
	}
	if f.Legal != nil {
		ids = append(ids, f.ID+"-legal")
	}
	return strings.Join(ids, " ")
}

// IsPicked tells a ticked choice.
func (f policyField) IsPicked(v string) bool { return slices.Contains(f.Picked, v) }

// ruleRow is a working-days rule on the form: its first day, the days it
// counts a week, and its age bands, a spare one last.
type ruleRow struct {
	Index         int
	From, PerWeek string
	Bands         []bandRow
}

type bandRow struct {
	Index        int
	MinAge, Days string
}

type policySection struct {
	Name   string
	Fields []policyField
	Open   bool
}

// The units a period is typed in; "seconds" (how tests shrink a deadline)
// and "iso" (a period of several units, set through the API) are offered
// only to a field that holds one.
var periodUnits = []string{"hours", "days", "weeks", "months", "years"}

// weekdays are the weekly digest's choices, as the policy keeps them.
var weekdays = []string{"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}

// sectionFields lists the fields of a section of p in declaration order,
// with their current values as the form shows them.
func sectionFields(p policy.Policy, section string) []policyField {
	sv := reflect.ValueOf(p)
	var val reflect.Value
	for i := range sv.NumField() {
		if jsonName(sv.Type().Field(i)) == section {
			val = sv.Field(i)
		}
	}
	var out []policyField
	for i := range val.NumField() {
		f := val.Type().Field(i)
		name := jsonName(f)
		v := val.Field(i)
		field := policyField{Name: name, ID: "policy-" + section + "-" + name, raw: v.Interface()}
		switch {
		case f.Type == periodType:
			field.Kind = "period"
			field.Value, field.Unit = periodsValue([]policy.Period{v.Interface().(policy.Period)})
		case f.Type == periodsType:
			field.Kind = "periods"
			field.Value, field.Unit = periodsValue(v.Interface().([]policy.Period))
		case f.Type == stringsType && policyChoices[name].Values != nil:
			field.Kind = "choices"
			field.Picked = slices.Clone(v.Interface().([]string))
			c := policyChoices[name]
			for _, code := range c.Values {
				field.Options = append(field.Options, option{code, c.Prefix + code})
			}
		case f.Type == stringsType: // the centre's own days off
			var days []string
			for _, d := range v.Interface().([]string) {
				days = append(days, formDay(d))
			}
			field.Kind, field.Value = "dates", strings.Join(days, ", ")
		case f.Type == rulesType:
			field.Kind, field.Rules = "rules", ruleRows(v.Interface().([]policy.WorkingDaysRule))
		case f.Type.Kind() == reflect.Int:
			field.Kind, field.Value = "number", strconv.FormatInt(v.Int(), 10)
		case f.Type.Kind() == reflect.Bool:
			field.Kind = "checkbox"
			if v.Bool() {
				field.Value = "true"
			}
		case name == "weekly_digest_on":
			field.Kind, field.Value = "weekday", strings.ToLower(v.String())
			for _, d := range weekdays {
				field.Options = append(field.Options, option{d, "weekday." + d})
			}
		case name == "digest_at":
			field.Kind, field.Value = "time", v.String()
		default:
			panic("policy field " + section + "." + name + " has no form input")
		}
		field.Units = unitOptions(field.Unit)
		out = append(out, field)
	}
	return out
}

// unitOptions are the units a period field offers, with unit among them.
func unitOptions(unit string) []option {
	var out []option
	for _, u := range periodUnits {
		out = append(out, option{u, "policy.unit." + u})
	}
	if unit != "" && !slices.Contains(periodUnits, unit) {
		out = append(out, option{unit, "policy.unit." + unit})
	}
	return out
}

// periodsValue writes periods as numbers in the one unit that holds them
// all exactly: "30, 7" and days, "4" and months, "10" and years for 120
// months, "24" and hours. Periods no one unit holds (P1M15D) are written
// as ISO 8601 with the unit "iso".
func periodsValue(ps []policy.Period) (value, unit string) {
	if len(ps) == 0 {
		return "", "days"
	}
	in := func(n func(policy.Period) (int, bool)) []string {
		var out []string
		for _, p := range ps {
			v, ok := n(p)
			if !ok {
				return nil
			}
			out = append(out, strconv.Itoa(v))
		}
		return out
	}
	for _, u := range []struct {
		unit string
		n    func(policy.Period) (int, bool)
	}{
		{"days", func(p policy.Period) (int, bool) { return p.Days, p.Months == 0 && p.Exact == 0 }},
		{"years", func(p policy.Period) (int, bool) {
			return p.Months / 12, p.Days == 0 && p.Exact == 0 && p.Months%12 == 0 && p.Months >= 24
		}},
		{"months", func(p policy.Period) (int, bool) { return p.Months, p.Days == 0 && p.Exact == 0 }},
		{"hours", func(p policy.Period) (int, bool) {
			return int(p.Exact / time.Hour), p.Months == 0 && p.Days == 0 && p.Exact%time.Hour == 0
		}},
		{"seconds", func(p policy.Period) (int, bool) {
			return int(p.Exact / time.Second), p.Months == 0 && p.Days == 0 && p.Exact%time.Second == 0
		}},
	} {
		if numbers := in(u.n); numbers != nil {
			return strings.Join(numbers, ", "), u.unit
		}
	}
	var iso []string
	for _, p := range ps {
		iso = append(iso, p.String())
	}
	return strings.Join(iso, ", "), "iso"
}

// readPeriods reads the numbers of a period field in its unit, as the
// policy's ISO 8601 periods.
func readPeriods(raw, unit string) ([]string, bool) {
	out := []string{}
	for _, part := range splitList(raw) {
		if unit == "iso" {
			p, err := policy.ParsePeriod(strings.ToUpper(part))
			if err != nil {
				return nil, false
			}
			out = append(out, p.String())
			continue
		}
		n, err := strconv.Atoi(part)
		if err != nil || n < 0 {
			return nil, false
		}
		var p policy.Period
		switch unit {
		case "hours":
			p = policy.Period{Exact: time.Duration(n) * time.Hour}
		case "days":
			p = policy.Days(n)
		case "weeks":
			p = policy.Days(7 * n)
		case "months":
			p = policy.Months(n)
		case "years":
			p = policy.Months(12 * n)
		case "seconds":
			p = policy.Seconds(n)
		default:
			return nil, false
		}
		out = append(out, p.String())
	}
	return out, true
}

// splitList splits a comma-separated list, dropping empty parts.
func splitList(s string) []string {
	out := []string{}
	for part := range strings.SplitSeq(s, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

// formDay writes a stored day (YYYY-MM-DD) as a person types it.
func formDay(s string) string {
	if d, err := time.Parse(time.DateOnly, s); err == nil {
		return d.Format("02/01/2006")
	}
	return s
}

// readDay reads a day as a person types it (26/12/2026, 26/12/26 being
// no date) or as a date field sends it (2026-12-26).
func readDay(s string) (string, bool) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{"02/01/2006", "2/1/2006", time.DateOnly} {
		if d, err := time.Parse(layout, s); err == nil {
			return d.Format(time.DateOnly), true
		}
	}
	return "", false
}

// ruleRows are the working-days rules as the form shows them, each with
// a spare band, and a spare rule.
func ruleRows(rules []policy.WorkingDaysRule) []ruleRow {
	var out []ruleRow
	for i, r := range rules {
		row := ruleRow{Index: i, From: r.From, PerWeek: strconv.Itoa(r.CountedDaysPerWeek)}
		for j, b := range r.Bands {
			row.Bands = append(row.Bands, bandRow{j, strconv.Itoa(b.MinAge), strconv.Itoa(b.Days)})
		}
		row.Bands = append(row.Bands, bandRow{Index: len(row.Bands)})
		out = append(out, row)
	}
	return append(out, ruleRow{Index: len(out), Bands: []bandRow{{Index: 0}}})
}

// formRules reads the working-days rules' inputs back into rows, as they
// were typed; a rule's first day or a band left empty drops it.
func formRules(name string, form map[string][]string) []ruleRow {
	get := func(key string) (string, bool) {
		v, ok := form[key]
		if !ok || len(v) == 0 {
			return "", ok
		}
		return strings.TrimSpace(v[0]), true
	}
	var out []ruleRow
	for i := 0; i < 50; i++ {
		prefix := fmt.Sprintf("%s.%d.", name, i)
		from, ok := get(prefix + "from")
		if !ok {
			break
		}
		perWeek, _ := get(prefix + "per_week")
		row := ruleRow{Index: i, From: from, PerWeek: perWeek}
		for j := 0; j < 50; j++ {
			age, ok := get(fmt.Sprintf("%sband.%d.min_age", prefix, j))
			if !ok {
				break
			}
			days, _ := get(fmt.Sprintf("%sband.%d.days", prefix, j))
			row.Bands = append(row.Bands, bandRow{j, age, days})
		}
		out = append(out, row)
	}
	return out
}

// readRules turns the rows of a rules field into the policy's rules.
func readRules(rows []ruleRow) ([]policy.WorkingDaysRule, *policy.FieldError) {
	out := []policy.WorkingDaysRule{}
	for _, row := range rows {
		if row.From == "" {
			continue // a spare rule, or one cleared to remove it
		}
		from, ok := readDay(row.From)
		if !ok {
			return nil, fieldError("working_days", domain.NotDate)
		}
		perWeek, err := strconv.Atoi(row.PerWeek)
		if err != nil {
			return nil, fieldError("working_days", domain.NotWhole)
		}
		rule := policy.WorkingDaysRule{From: from, CountedDaysPerWeek: perWeek, Bands: []policy.AgeBand{}}
		for _, b := range row.Bands {
			if b.MinAge == "" && b.Days == "" {
				continue
			}
			age, err1 := strconv.Atoi(b.MinAge)
			days, err2 := strconv.Atoi(b.Days)
			if err1 != nil || err2 != nil {
				return nil, fieldError("working_days", domain.NotWhole)
			}
			rule.Bands = append(rule.Bands, policy.AgeBand{MinAge: age, Days: days})
		}
		out = append(out, rule)
	}
	return out, nil
}

func jsonName(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
	return name
}

// sectionJSON turns a section's form back into the section's JSON. A
// value that cannot be read names its field.
func sectionJSON(fields []policyField, form map[string][]string) (json.RawMessage, error) {
	obj := map[string]any{}
	get := func(name string) string {
		if v := form[name]; len(v) > 0 {
			return strings.TrimSpace(v[0])
		}
		return ""
	}
	for _, f := range fields {
		raw := get(f.Name)
		if !store.CleanText(raw) {
			return nil, fieldError(f.Name, domain.NotText)
		}
		switch f.Kind {
		case "period", "periods":
			periods, ok := readPeriods(raw, get(f.Name+".unit"))
			switch {
			case !ok:
				return nil, fieldError(f.Name, domain.Period)
			case f.Kind == "periods":
				obj[f.Name] = periods
			case len(periods) != 1:
				return nil, fieldError(f.Name, domain.Period)
			default:
				obj[f.Name] = periods[0]
			}
		case "dates":
			days := []string{}
			for _, part := range splitList(raw) {
				day, ok := readDay(part)
				if !ok {
					return nil, fieldError(f.Name, domain.NotDate)
				}
				days = append(days, day)
			}
			obj[f.Name] = days
		case "choices":
			picked := []string{}
			for _, v := range form[f.Name] {
				if !store.CleanText(v) {
					return nil, fieldError(f.Name, domain.NotText)
				}
				picked = append(picked, strings.TrimSpace(v))
			}
			// in the order offered, which is the policy's own
			slices.SortStableFunc(picked, func(a, b string) int {
				return slices.Index(policyChoices[f.Name].Values, a) - slices.Index(policyChoices[f.Name].Values, b)
			})
			obj[f.Name] = picked
		case "rules":
			rules, fe := readRules(formRules(f.Name, form))
			if fe != nil {
				return nil, fe
			}
			obj[f.Name] = rules
		case "number":
			n, err := strconv.Atoi(raw)
			if err != nil {
				return nil, fieldError(f.Name, domain.NotWhole)
			}
			obj[f.Name] = n
		case "checkbox":
			obj[f.Name] = raw != ""
		default: // time, weekday: the validator checks them
			obj[f.Name] = raw
		}
	}
	return json.Marshal(obj)
}

func fieldError(field string, code domain.Code, args ...string) *policy.FieldError {
	return &policy.FieldError{FieldProblem: domain.Problem(field, code, args...)}
}

type policyView struct {
	Policy   policy.Policy
	Sections []policySection
	Versions []policyVersionView
	Flash    string
	Problem  string
	Errors   []policyField
}

type policyVersionView struct {
	store.PolicyVersion
	// At is when it was saved in the centre's time zone (06/12/2026
	// 14:05), Datetime the same for the time element.
	At, Datetime string
	Changes      []policyChange
}

// policyChange is a field a version changed, in words: its label, the
// value before and after.
type policyChange struct{ Field, From, To string }

// policyPage shows the policy; ?default=section.field shows that field
// filled with its legal default, to be saved with its section (the link
// beside the field, without the script).
func (p *pages) policyPage(w http.ResponseWriter, r *http.Request) {
	p.showPolicy(w, r, http.StatusOK, "", nil, nil, r.URL.Query().Get("default"))
}

// showPolicy renders the page; a section sent back shows its values, the
// problem and the error at its field; fill (section.field) is a field
// shown with its legal default.
func (p *pages) showPolicy(w http.ResponseWriter, r *http.Request, status int, sentSection string, sent map[string][]string, fe *policy.FieldError, fill string) {
	v, _ := viewerFrom(r.Context())
	lang := p.lang(r)
	pol, err := p.store.LoadPolicy(r.Context(), v.CentreID)
	if err != nil {
		p.fail(w, r, err)
		return
	}
	versions, err := p.store.PolicyVersions(r.Context(), v.CentreID)
	if err != nil {
		p.fail(w, r, err)
		return
	}
	if !p.audit(w, r, "read_policy", "centre", v.CentreID) {
		return
	}
	view := policyView{Policy: pol}
	filled := ""
	for _, name := range policySections {
		sec := policySection{Name: name, Fields: sectionFields(pol, name)}
		legal := sectionFields(policy.Default(), name)
		for i := range sec.Fields {
			f := &sec.Fields[i]
			f.Legal = legalOf(lang, name, *f, legal[i])
			if f.Legal != nil && sentSection == "" && fill == f.Legal.Key {
				keep := f.Legal
				*f = legal[i]
				f.Legal, sec.Open, filled = keep, true, keep.Filled
			}
		}
		if name == sentSection {
			sec.Open = true
			for i := range sec.Fields {
				f := &sec.Fields[i]
				f.refill(sent)
				at := name + "." + f.Name
				if fe != nil && (fe.Field == at || strings.HasPrefix(fe.Field, at+"[") || strings.HasPrefix(fe.Field, at+".")) {
					f.Error = fieldMessage(lang, fe.FieldProblem)
					view.Errors = append(view.Errors, *f)
				}
			}
		}
		view.Sections = append(view.Sections, sec)
	}
	loc := pol.Location()
	for i, ver := range versions {
		at := ver.CreatedAt.In(loc)
		vv := policyVersionView{PolicyVersion: ver, At: at.Format("02/01/2006 15:04"), Datetime: at.Format(time.RFC3339)}
		prev := defaultPolicyDoc
		if i+1 < len(versions) {
			prev = versions[i+1].Doc
		}
		if vv.Changes, err = policyChanges(lang, prev, ver.Doc); err != nil {
			p.fail(w, r, err)
			return
		}
		view.Versions = append(view.Versions, vv)
	}
	switch {
	case sentSection != "":
		view.Problem = t(lang, "form.fix")
	case filled != "":
		view.Flash = filled
	default:
		view.Flash = p.sessions.PopString(r.Context(), sessionFlash)
	}
	p.render(w, r, status, "policy.html", "policy.title", view)
}

// legalOf is the legal default of a field of section, legal being the
// same field of the defaults; nil when the centre keeps the default.
func legalOf(lang, section string, f, legal policyField) *legalDefault {
	if sameValue(f.raw, legal.raw) {
		return nil
	}
	label := t(lang, "policy."+section+"."+f.Name)
	d := &legalDefault{
		Note:   t(lang, "policy.legal", policyValue(lang, f.Name, legal.raw)),
		Reset:  t(lang, "policy.legal.reset"),
		For:    label,
		Filled: t(lang, "policy.legal.filled", label),
		Key:    section + "." + f.Name,
		Value:  legal.Value,
		Unit:   legal.Unit,
		Picked: strings.Join(legal.Picked, ","),
	}
	if f.Kind != "rules" {
		d.Fill = f.Kind
	}
	return d
}

// refill puts what was sent back into a field, as it was typed.
func (f *policyField) refill(sent map[string][]string) {
	first := func(key string) (string, bool) {
		if v, ok := sent[key]; ok && len(v) > 0 {
			return v[0], true
		}
		return "", false
	}
	switch f.Kind {
	case "rules":
		if rows := formRules(f.Name, sent); len(rows) > 0 {
			f.Rules = rows
		}
		return
	case "checkbox":
		f.Value, _ = first(f.Name)
		return
	case "choices":
		f.Picked = sent[f.Name]
		return
	}
	if v, ok := first(f.Name); ok {
		f.Value = v
	}
	if u, ok := first(f.Name + ".unit"); ok && (f.Kind == "period" || f.Kind == "periods") {
		f.Unit, f.Units = u, unitOptions(u)
	}
}

// savePolicy stores a section's new values as a new version: POST
// /policy/{section}.
func (p *pages) savePolicy(w http.ResponseWriter, r *http.Request) {
	lang := p.lang(r)
	section := chi.URLParam(r, "section")
	if !slices.Contains(policySections, section) {
		p.errorPage(w, r, http.StatusNotFound, t(lang, "error.notfound"))
		return
	}
	if err := r.ParseForm(); err != nil {
		p.errorPage(w, r, http.StatusBadRequest, t(lang, "form.unreadable"))
		return
	}
	pol, err := p.work.Policy(r.Context(), p.caller(r))
	if err != nil {
		p.fail(w, r, err)
		return
	}
	changed, err := withSection(pol, section, r.PostForm)
	if err == nil {
		changed, err = p.work.SavePolicy(r.Context(), p.caller(r), changed)
	}
	var fe *policy.FieldError
	switch {
	case errors.As(err, &fe):
		field := fe.Field
		if !strings.HasPrefix(field, section+".") {
			field = section + "." + field
		}
		p.showPolicy(w, r, http.StatusUnprocessableEntity, section, r.PostForm, &policy.FieldError{FieldProblem: domain.Problem(field, fe.Code, fe.Args...)}, "")
		return
	case err != nil:
		p.fail(w, r, err)
		return
	}
	p.sessions.Put(r.Context(), sessionFlash, t(lang, "policy.saved", changed.Version))
	http.Redirect(w, r, "/policy", http.StatusSeeOther)
}

// withSection is pol with one section's values from its form; a value that
// cannot be read is a *policy.FieldError naming its field.
func withSection(pol policy.Policy, section string, form map[string][]string) (policy.Policy, error) {
	raw, err := sectionJSON(sectionFields(pol, section), form)
	if err != nil {
		return pol, err
	}
	doc, err := json.Marshal(pol)
	if err != nil {
		return pol, err
	}
	var whole map[string]json.RawMessage
	if err := json.Unmarshal(doc, &whole); err != nil {
		return pol, err
	}
	whole[section] = raw
	if doc, err = json.Marshal(whole); err != nil {
		return pol, err
	}
	var changed policy.Policy
	if err := json.Unmarshal(doc, &changed); err != nil {
		// every value was read above; what is left is the section's shape
		return pol, fieldError(section, domain.NotJSON)
	}
	return changed, nil
}

// defaultPolicyDoc is the legal defaults as JSON: what the first version
// changed.
var defaultPolicyDoc = func() json.RawMessage {
	doc, err := json.Marshal(policy.Default())
	if err != nil {
		panic(err) // the defaults are a value of the package: they marshal
	}
	return doc
}()

// policyChanges lists the fields whose value differs between two policy
// documents, each read as the store reads it (over the defaults), in the
// page's order, with its label and its values in words. A stored
// document that does not read is an error, not an empty history.
func policyChanges(lang string, before, after json.RawMessage) ([]policyChange, error) {
	read := func(doc json.RawMessage) (reflect.Value, error) {
		p := policy.Default()
		err := json.Unmarshal(doc, &p)
		return reflect.ValueOf(p), err
	}
	a, err := read(before)
	if err != nil {
		return nil, err
	}
	b, err := read(after)
	if err != nil {
		return nil, err
	}
	var out []policyChange
	for i := range b.NumField() {
		section := jsonName(b.Type().Field(i))
		if !slices.Contains(policySections, section) {
			continue // version, time_zone
		}
		sa, sb := a.Field(i), b.Field(i)
		for j := range sb.NumField() {
			va, vb := sa.Field(j).Interface(), sb.Field(j).Interface()
			if sameValue(va, vb) {
				continue
			}
			name := jsonName(sb.Type().Field(j))
			out = append(out, policyChange{Field: t(lang, "policy."+section+"."+name), From: policyValue(lang, name, va), To: policyValue(lang, name, vb)})
		}
	}
	return out, nil
}

// sameValue tells two values of a policy field alike, an empty list and a
// missing one being the same, and a weekday written in capitals the same
// day.
func sameValue(a, b any) bool {
	if sa, ok := a.(string); ok {
		if sb, ok := b.(string); ok {
			return strings.EqualFold(sa, sb)
		}
	}
	return reflect.DeepEqual(a, b) || isEmpty(a) && isEmpty(b)
}

// isEmpty tells an empty list from a missing one as the same value.
func isEmpty(v any) bool {
	rv := reflect.ValueOf(v)
	return rv.Kind() == reflect.Slice && rv.Len() == 0
}

// policyValue writes a policy field's value in words: "3 maanden",
// "30 dagen, 7 dagen", "ja", "maandag", the rules of the working days.
func policyValue(lang, name string, v any) string {
	switch v := v.(type) {
	case policy.Period:
		return periodText(lang, v)
	case []policy.Period:
		var parts []string
		for _, p := range v {
			parts = append(parts, periodText(lang, p))
		}
		if len(parts) == 0 {
			return t(lang, "policy.none")
		}
		return strings.Join(parts, ", ")
	case bool:
		if v {
			return t(lang, "policy.yes")
		}
		return t(lang, "policy.no")
	case int:
		return strconv.Itoa(v)
	case []string:
		if len(v) == 0 {
			return t(lang, "policy.none")
		}
		if c, ok := policyChoices[name]; ok {
			var words []string
			for _, code := range v {
				words = append(words, t(lang, c.Prefix+code))
			}
			return strings.Join(words, ", ")
		}
		var days []string
		for _, d := range v {
			days = append(days, formDay(d))
		}
		return strings.Join(days, ", ")
	case []policy.WorkingDaysRule:
		var rules []string
		for _, r := range v {
			var bands []string
			for _, b := range r.Bands {
				bands = append(bands, t(lang, "policy.band", tn(lang, "dossier.end.days", b.Days), tn(lang, "period.years", b.MinAge)))
			}
			rules = append(rules, t(lang, "policy.rule", formDay(r.From), strings.Join(bands, ", "), tn(lang, "dossier.end.per_week", r.CountedDaysPerWeek)))
		}
		return strings.Join(rules, t(lang, "punct.semicolon")+" ")
	case string:
		if name == "weekly_digest_on" && slices.Contains(weekdays, strings.ToLower(v)) {
			return t(lang, "weekday."+strings.ToLower(v))
		}
		return v
	}
	return fmt.Sprint(v)
}
