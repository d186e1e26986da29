package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/traject-ocmw/traject/domain"
	"github.com/traject-ocmw/traject/policy"
	"github.com/traject-ocmw/traject/store"
)

// The policy page: a form per section of the centre's deadlines, refused
// with the validator's field errors, and the history of versions with who
// changed what. Coordinators and administrators, as PUT /v1/policy.

// policySections are the sections with a form, in the page's order.
var policySections = []string{"calendar", "gpmi", "article60", "post_article60", "sanction", "notifications", "retention", "notes"}

var (
	periodType  = reflect.TypeFor[policy.Period]()
	periodsType = reflect.TypeFor[[]policy.Period]()
	stringsType = reflect.TypeFor[[]string]()
)

// policyField is one input of a section's form. Kind: period (ISO 8601,
// P3M), periods (a comma-separated list of them), number, checkbox, text,
// list (comma-separated) or json (a structure, as JSON).
type policyField struct {
	Name, Kind, Value, Error string
	ID                       string
}

type policySection struct {
	Name   string
	Fields []policyField
	Open   bool
}

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
		field := policyField{Name: name, ID: "policy-" + section + "-" + name}
		v := val.Field(i)
		switch {
		case f.Type == periodType:
			field.Kind, field.Value = "period", v.Interface().(policy.Period).String()
		case f.Type == periodsType:
			var parts []string
			for _, pd := range v.Interface().([]policy.Period) {
				parts = append(parts, pd.String())
			}
			field.Kind, field.Value = "periods", strings.Join(parts, ", ")
		case f.Type == stringsType:
			field.Kind, field.Value = "list", strings.Join(v.Interface().([]string), ", ")
		case f.Type.Kind() == reflect.Int:
			field.Kind, field.Value = "number", strconv.FormatInt(v.Int(), 10)
		case f.Type.Kind() == reflect.Bool:
			field.Kind = "checkbox"
			if v.Bool() {
				field.Value = "true"
			}
		case f.Type.Kind() == reflect.String:
			field.Kind, field.Value = "text", v.String()
		default:
			// the policy's own values (working-day rules): they marshal
			raw, err := json.MarshalIndent(v.Interface(), "", "  ")
			if err != nil {
				panic(err)
			}
			field.Kind, field.Value = "json", string(raw)
		}
		out = append(out, field)
	}
	return out
}

func jsonName(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
	return name
}

// sectionJSON turns a section's form back into the section's JSON. A
// value that cannot be read names its field.
func sectionJSON(fields []policyField, form map[string][]string) (json.RawMessage, error) {
	obj := map[string]json.RawMessage{}
	get := func(name string) string {
		if v := form[name]; len(v) > 0 {
			return strings.TrimSpace(v[0])
		}
		return ""
	}
	split := func(s string) []string {
		out := []string{}
		for part := range strings.SplitSeq(s, ",") {
			if part = strings.TrimSpace(part); part != "" {
				out = append(out, part)
			}
		}
		return out
	}
	for _, f := range fields {
		raw := get(f.Name)
		if !store.CleanText(raw) && f.Kind != "json" {
			return nil, fieldError(f.Name, domain.NotText)
		}
		var v any
		switch f.Kind {
		case "period":
			if _, err := policy.ParsePeriod(raw); err != nil {
				return nil, fieldError(f.Name, domain.Period)
			}
			v = raw
		case "text":
			v = raw
		case "periods":
			for _, p := range split(raw) {
				if _, err := policy.ParsePeriod(p); err != nil {
					return nil, fieldError(f.Name, domain.Period)
				}
			}
			v = split(raw)
		case "list":
			v = split(raw)
		case "number":
			n, err := strconv.Atoi(raw)
			if err != nil {
				return nil, fieldError(f.Name, domain.NotWhole)
			}
			v = n
		case "checkbox":
			v = raw != ""
		case "json":
			if !json.Valid([]byte(raw)) {
				return nil, fieldError(f.Name, domain.NotJSON)
			}
			obj[f.Name] = json.RawMessage(raw)
			continue
		}
		b, err := json.Marshal(v)
		if err != nil {
			return nil, err
		}
		obj[f.Name] = b
	}
	return json.Marshal(obj)
}

func fieldError(field string, code domain.Code) *policy.FieldError {
	return &policy.FieldError{FieldProblem: domain.Problem(field, code)}
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
	Changes []policyChange
}

type policyChange struct{ Field, From, To string }

func (p *pages) policyPage(w http.ResponseWriter, r *http.Request) {
	p.showPolicy(w, r, http.StatusOK, "", nil, nil)
}

// showPolicy renders the page; a section sent back shows its values, the
// problem and the error at its field.
func (p *pages) showPolicy(w http.ResponseWriter, r *http.Request, status int, sentSection string, sent map[string][]string, fe *policy.FieldError) {
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
	for _, name := range policySections {
		sec := policySection{Name: name, Fields: sectionFields(pol, name)}
		if name == sentSection {
			sec.Open = true
			for i := range sec.Fields {
				f := &sec.Fields[i]
				if vals, ok := sent[f.Name]; ok && len(vals) > 0 {
					f.Value = vals[0]
				} else if f.Kind == "checkbox" {
					f.Value = ""
				}
				at := name + "." + f.Name
				if fe != nil && (fe.Field == at || strings.HasPrefix(fe.Field, at+"[") || strings.HasPrefix(fe.Field, at+".")) {
					f.Error = fieldMessage(lang, fe.FieldProblem)
					view.Errors = append(view.Errors, *f)
				}
			}
		}
		view.Sections = append(view.Sections, sec)
	}
	for i, ver := range versions {
		vv := policyVersionView{PolicyVersion: ver}
		prev := defaultPolicyDoc
		if i+1 < len(versions) {
			prev = versions[i+1].Doc
		}
		if vv.Changes, err = policyChanges(prev, ver.Doc); err != nil {
			p.fail(w, r, err)
			return
		}
		view.Versions = append(view.Versions, vv)
	}
	if sentSection != "" {
		view.Problem = t(lang, "form.fix")
	} else {
		view.Flash = p.sessions.PopString(r.Context(), sessionFlash)
	}
	p.render(w, r, status, "policy.html", "policy.title", view)
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
		p.showPolicy(w, r, http.StatusUnprocessableEntity, section, r.PostForm, &policy.FieldError{FieldProblem: domain.Problem(field, fe.Code, fe.Args...)})
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
// documents, as section.field with the old and new JSON values. A stored
// document that does not read is an error, not an empty history.
func policyChanges(before, after json.RawMessage) ([]policyChange, error) {
	flat := func(doc json.RawMessage) (map[string]string, error) {
		out := map[string]string{}
		var sections map[string]json.RawMessage
		if err := json.Unmarshal(doc, &sections); err != nil {
			return nil, err
		}
		for name, raw := range sections {
			var fields map[string]json.RawMessage
			if json.Unmarshal(raw, &fields) != nil {
				continue // version, time_zone: not a section
			}
			for f, v := range fields {
				var buf bytes.Buffer
				if err := json.Compact(&buf, v); err != nil {
					return nil, err
				}
				out[name+"."+f] = buf.String()
			}
		}
		return out, nil
	}
	a, err := flat(before)
	if err != nil {
		return nil, err
	}
	b, err := flat(after)
	if err != nil {
		return nil, err
	}
	var out []policyChange
	for k, v := range b {
		if a[k] != v {
			out = append(out, policyChange{Field: k, From: a[k], To: v})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Field < out[j].Field })
	return out, nil
}
