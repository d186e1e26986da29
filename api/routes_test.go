package api_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/traject-ocmw/traject/api"
	"github.com/traject-ocmw/traject/store"
)

// The route table is the one declaration of who may call what: the OpenAPI
// document must name every operation of it with its operationId and its
// roles (x-roles), and describe no /v1 operation the table lacks.
func TestOpenAPIMatchesTheRouteTable(t *testing.T) {
	doc, err := openapi3.NewLoader().LoadFromData(api.OpenAPI)
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatal(err)
	}
	declared := map[string]bool{}
	ids := map[string]bool{}
	for _, r := range api.Routes() {
		key := r.Method + " " + r.Path
		declared[key] = true
		if ids[r.OperationID] {
			t.Errorf("operationId %s twice in the table", r.OperationID)
		}
		ids[r.OperationID] = true
		item := doc.Paths.Find(r.Path)
		if item == nil || item.GetOperation(r.Method) == nil {
			t.Errorf("%s: not in openapi.yaml", key)
			continue
		}
		op := item.GetOperation(r.Method)
		if op.OperationID != r.OperationID {
			t.Errorf("%s: operationId %q, the table says %q", key, op.OperationID, r.OperationID)
		}
		var roles []string
		if raw, ok := op.Extensions["x-roles"].([]any); ok {
			for _, v := range raw {
				s, _ := v.(string)
				roles = append(roles, s)
			}
		}
		var want []string
		for _, role := range r.Roles {
			want = append(want, string(role))
		}
		if !slices.Equal(roles, want) {
			t.Errorf("%s: x-roles %v, the table says %v", key, roles, want)
		}
	}
	for path, item := range doc.Paths.Map() {
		if !strings.HasPrefix(path, "/v1/") {
			continue
		}
		for method, op := range item.Operations() {
			if !declared[method+" "+path] {
				t.Errorf("%s %s (%s) is documented but not routed", method, path, op.OperationID)
			}
		}
	}
}

// The OpenAPI document offers the host functions and the skills plan's
// trainings the service takes, no more and no fewer.
func TestOpenAPICodeLists(t *testing.T) {
	doc, err := openapi3.NewLoader().LoadFromData(api.OpenAPI)
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string][]string{"HostFunction": store.HostFunctions, "Training": store.Trainings,
		"StudyResult": store.StudyResults, "PlacementKind": store.PlacementKinds,
		"CivicObligation": store.CivicObligations, "CivicStatus": store.CivicStatuses} {
		schema := doc.Components.Schemas[name]
		if schema == nil || schema.Value == nil {
			t.Fatalf("no %s schema", name)
		}
		var enum []string
		for _, v := range schema.Value.Enum {
			enum = append(enum, v.(string))
		}
		if !slices.Equal(enum, want) {
			t.Errorf("%s: the document's %v, the service's %v", name, enum, want)
		}
	}
}
