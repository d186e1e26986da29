package api_test

import (
	"encoding/json"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/traject-ocmw/traject/api"
)

// hostileText is what a fuzzer or an attacker puts in a text: each must be
// refused at the edge with 422 naming the field, or taken as text. None may
// reach PostgreSQL as a NUL byte (a 500 once) or end in any 5xx.
var hostileText = []string{"a\x00b", "\x00", "tab\there", "bell\x07", "\u202e", "'; DROP TABLE participants; --", "%_\\", strings.Repeat("é", 3000)}

// Every operation of the route table, called by a role it admits on a real
// dossier, with each query parameter and each string field of its body set
// to each hostile value: no 5xx, and a NUL or control character is a 422
// that names the field.
func TestHostileValuesOnEveryRoute(t *testing.T) {
	w := newHostWorld(t)
	a := w.a
	doc, err := openapi3.NewLoader().LoadFromData(api.OpenAPI)
	if err != nil {
		t.Fatal(err)
	}
	participant := a.create(a.participant())
	if status, raw := a.do("POST", "/v1/participants/"+participant+"/non-cooperation", "an", map[string]any{"description": "Afspraak gemist."}); status != 200 {
		t.Fatalf("%d %s", status, raw)
	}
	// A note of the coordinator's, whom the correction's checks reach.
	status, raw := a.do("POST", "/v1/participants/"+participant+"/notes", "coordinator", map[string]any{"kind": "other", "happened_on": "2026-11-02", "text": "Nota."})
	var note struct{ ID string }
	if _ = json.Unmarshal(raw, &note); status != 201 {
		t.Fatalf("%d %s", status, raw)
	}
	host := a.host()
	// A literacy partner, a course and a place on its list, so that their
	// routes reach their bodies' checks.
	status, raw = a.do("POST", "/v1/literacy/partners", "coordinator", map[string]any{"name": "Lire et Écrire"})
	var partner struct{ ID string }
	if _ = json.Unmarshal(raw, &partner); status != 201 {
		t.Fatalf("partner: %d %s", status, raw)
	}
	status, raw = a.do("POST", "/v1/literacy/courses", "coordinator", map[string]any{"partner_id": partner.ID, "name": "Alfa", "kind": "literacy", "places": 1})
	var course struct{ ID string }
	if _ = json.Unmarshal(raw, &course); status != 201 {
		t.Fatalf("course: %d %s", status, raw)
	}
	status, raw = a.do("POST", "/v1/participants/"+participant+"/course-places", "coordinator", map[string]any{"course_id": course.ID})
	var place struct{ ID string }
	if _ = json.Unmarshal(raw, &place); status != 201 {
		t.Fatalf("place: %d %s", status, raw)
	}
	// A programme and a placement, so that their result and end reach
	// their bodies' checks.
	status, raw = a.do("POST", "/v1/participants/"+participant+"/programmes", "coordinator",
		map[string]any{"school": "CVO", "name": "Zorgkundige", "starts_on": "2026-09-01", "expected_end_on": "2027-06-30"})
	var programme struct{ ID string }
	if _ = json.Unmarshal(raw, &programme); status != 201 {
		t.Fatalf("programme: %d %s", status, raw)
	}
	status, raw = a.do("POST", "/v1/participants/"+participant+"/placements", "coordinator",
		map[string]any{"kind": "ibo", "company": "Bakkerij", "from": "2026-01-05", "to": "2026-06-30"})
	var placement struct{ ID string }
	if _ = json.Unmarshal(raw, &placement); status != 201 {
		t.Fatalf("placement: %d %s", status, raw)
	}
	caller := map[string]string{"counsellor": "an", "coordinator": "coordinator", "bcsd": "bcsd", "admin": "admin", "host": "hostA", "host_admin": "hostAdmin"}
	for _, r := range api.Routes() {
		op := doc.Paths.Find(r.Path).GetOperation(r.Method)
		who := caller[string(r.Roles[0])]
		if slices.Contains(r.Roles, "coordinator") {
			who = "coordinator" // sees every dossier of the centre
		}
		path := strings.NewReplacer("{n}", "1", "{note}", note.ID, "{place}", place.ID, "{programme}", programme.ID, "{placement}", placement.ID).Replace(r.Path)
		switch {
		case strings.HasPrefix(path, "/v1/literacy/partners/"):
			path = strings.Replace(path, "{id}", partner.ID, 1)
		case strings.HasPrefix(path, "/v1/literacy/courses/"):
			path = strings.Replace(path, "{id}", course.ID, 1)
		case strings.HasPrefix(path, "/v1/participants/"):
			path = strings.Replace(path, "{id}", participant, 1)
		case strings.HasPrefix(path, "/v1/hosts/"):
			path = strings.Replace(path, "{id}", host, 1)
		case strings.HasPrefix(path, "/v1/host/workers/"):
			path = strings.Replace(path, "{id}", w.molenbeekA, 1)
		case strings.HasPrefix(path, "/v1/host/users/"), strings.HasPrefix(path, "/v1/host/tokens/"):
			path = strings.Replace(path, "{id}", w.hostAUser, 1)
		case strings.HasPrefix(path, "/v1/users/"):
			path = strings.Replace(path, "{id}", a.fx.Counsellor2ID, 1)
		case strings.HasPrefix(path, "/v1/tokens/"):
			path = strings.Replace(path, "{id}", a.fx.CoordinatorID, 1)
		}
		var params []string
		for _, p := range op.Parameters {
			if p.Value.In == "query" {
				params = append(params, p.Value.Name)
			}
		}
		var fields []string // free text; a date or time field refuses any of it as malformed (400)
		typed := map[string]bool{}
		if op.RequestBody != nil {
			if mt := op.RequestBody.Value.Content.Get("application/json"); mt != nil && mt.Schema != nil {
				for name, prop := range mt.Schema.Value.Properties {
					if prop.Value.Type.Is("string") {
						fields = append(fields, name)
						typed[name] = prop.Value.Format == "date-time"
					}
				}
			}
		}
		for _, v := range hostileText {
			refused := strings.ContainsAny(v, "\x00\x07\t") && v != "tab\there"
			for _, p := range params {
				status, raw := a.do(r.Method, path+"?"+url.Values{p: {v}}.Encode(), who, nil)
				check(t, r.OperationID+" ?"+p+"="+strconvQuote(v), status, raw, refused, p)
			}
			for _, f := range fields {
				if r.Method == "DELETE" {
					continue
				}
				status, raw := a.do(r.Method, path, who, map[string]any{f: v})
				check(t, r.OperationID+" body."+f+"="+strconvQuote(v), status, raw, refused && !typed[f], f)
			}
		}
		// An unknown field is named.
		if op.RequestBody != nil {
			status, raw := a.do(r.Method, path, who, map[string]any{"no_such_field": 1})
			if _, named := problem(t, raw); status != 400 || !slices.Contains(named, "no_such_field") {
				t.Errorf("%s with an unknown field: %d %s", r.OperationID, status, raw)
			}
		}
	}
}

func check(t *testing.T, what string, status int, raw []byte, refused bool, field string) {
	t.Helper()
	if status >= 500 {
		t.Errorf("%s: %d %s", what, status, raw)
		return
	}
	if !refused {
		return
	}
	var p api.Problem
	_ = json.Unmarshal(raw, &p)
	named := slices.ContainsFunc(p.Errors, func(e api.FieldError) bool { return e.Field == field })
	if status != 422 || !named {
		t.Errorf("%s: %d, want 422 naming %s: %s", what, status, field, raw)
	}
}

func strconvQuote(s string) string {
	if len(s) > 20 {
		s = s[:20] + "…"
	}
	b, _ := json.Marshal(s)
	return string(b)
}
