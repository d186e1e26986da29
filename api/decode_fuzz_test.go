package api

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/traject-ocmw/traject/casework"
	"github.com/traject-ocmw/traject/policy"
)

// bodies are the request bodies the API decodes, one fresh value each.
var bodies = map[string]func() any{
	"participant": func() any { return &casework.NewParticipant{} },
	"host":        func() any { return &hostRequest{} },
	"user":        func() any { return &casework.UserChange{} },
	"policy":      func() any { p := policy.Default(); return &p },
}

func init() {
	for _, a := range casework.Actions {
		bodies[a.OperationID] = func() any { return a.New() }
	}
}

// FuzzDecode feeds any bytes to every body's decoder: it answers a 4xx
// problem or accepts a value whose every text is clean, and never panics.
// `go test` runs the seeds; `go test -fuzz FuzzDecode ./api` explores.
func FuzzDecode(f *testing.F) {
	for _, seed := range []string{
		`{}`, `{"given_name":"Sara","birth_date":"1990-05-17"}`, `{"to":"article60","contract":{"host_id":"x","trainings":[{"code":"a\u0000"}]}}`,
		`{"name":"x","positions":[{"function":"driver","positions":1e400}]}`, `{"gpmi":{"sign_within":"P3M"},"time_zone":"\u0000"}`,
		`{"held":null}`, `{"hearing_at":"not a time"}`, `[]`, `null`, `{"a":1}{"b":2}`, "{\"text\":\"\xff\"}", `{"days":-1}`,
		`{"months":99999999999999999999}`, `{"contract":{"trainings":[null]}}`,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, body string) {
		for name, newBody := range bodies {
			v := newBody()
			rec := httptest.NewRecorder()
			req := httptest.NewRequest(http.MethodPost, "/v1/x", bytes.NewReader([]byte(body)))
			if decode(rec, req, v) {
				if bad := casework.UncleanFields(v); len(bad) > 0 {
					t.Errorf("%s: accepted unclean text in %v", name, bad)
				}
				continue
			}
			if rec.Code < 400 || rec.Code >= 500 {
				t.Errorf("%s: %d for %q", name, rec.Code, body)
			}
			var p Problem
			if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil || p.Status != rec.Code {
				t.Errorf("%s: not a problem body: %s", name, rec.Body)
			}
		}
	})
}
