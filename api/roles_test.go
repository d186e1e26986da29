package api_test

import (
	"fmt"
	"testing"
	"time"
)

// Every endpoint for every kind of caller: An (the dossier's counsellor),
// Bram (another counsellor of the centre), the coordinator, the BCSD
// secretariat, an administrator (who opens no dossier), and another
// centre's coordinator. Writes
// use bodies the role check refuses before anything changes; the allowed
// writes are exercised by the other tests. The route table refuses a role
// before it looks at the dossier (403 whatever the ID), so only a role that
// may call the route learns whether the dossier is theirs (404 if not).
func TestRoleMatrix(t *testing.T) {
	a := newAPITest(t)
	id := a.create(a.participant())
	if status, raw := a.do("POST", "/v1/participants/"+id+"/non-cooperation", "an", map[string]any{"description": "Afspraak gemist."}); status != 200 {
		t.Fatalf("%d %s", status, raw)
	}
	hostID := a.host()
	p := "/v1/participants/" + id
	period := "?from=" + time.Now().Format(time.DateOnly) + "&to=" + time.Now().AddDate(0, 1, 0).Format(time.DateOnly)
	who := []string{"an", "bram", "coordinator", "bcsd", "admin", "other"}
	cases := []struct {
		method, path string
		body         any
		want         []int // in the order of who
	}{
		{"GET", p, nil, []int{200, 404, 200, 200, 403, 404}},
		{"GET", p + "/timeline", nil, []int{200, 404, 200, 200, 403, 404}},
		{"GET", p + "/notifications", nil, []int{200, 404, 200, 200, 403, 404}},
		{"GET", p + "/gpmi", nil, []int{200, 404, 200, 200, 403, 404}},
		{"GET", p + "/needs-analyses", nil, []int{200, 404, 200, 200, 403, 404}},
		{"POST", p + "/needs-analyses", map[string]any{}, []int{422, 404, 422, 403, 403, 404}},
		// The BCSD reads notes while a procedure runs: one does here.
		{"GET", p + "/notes", nil, []int{200, 404, 200, 200, 403, 404}},
		{"POST", p + "/notes", map[string]any{}, []int{422, 404, 422, 403, 403, 404}},
		{"POST", p + "/notes/" + p[len(p)-36:] + "/correction", map[string]any{"text": "x"}, []int{404, 404, 404, 403, 403, 404}},
		// The records of phases 3 and 4: read like the dossier, written by its caseworkers.
		{"GET", p + "/phase-records", nil, []int{200, 404, 200, 200, 403, 404}},
		{"POST", p + "/programmes", map[string]any{}, []int{422, 404, 422, 403, 403, 404}},
		{"POST", p + "/programmes/" + p[len(p)-36:] + "/result", map[string]any{"result": "diploma"}, []int{404, 404, 404, 403, 403, 404}},
		{"POST", p + "/student-jobs", map[string]any{}, []int{422, 404, 422, 403, 403, 404}},
		{"POST", p + "/placements", map[string]any{}, []int{422, 404, 422, 403, 403, 404}},
		{"POST", p + "/placements/" + p[len(p)-36:] + "/end", map[string]any{"ended_early": false}, []int{404, 404, 404, 403, 403, 404}},
		{"PUT", p + "/civic-integration", map[string]any{}, []int{422, 404, 422, 403, 403, 404}},
		{"GET", "/v1/participants", nil, []int{200, 200, 200, 200, 403, 200}},
		{"GET", "/v1/hosts", nil, []int{200, 200, 200, 200, 200, 200}},
		{"GET", "/v1/hosts/" + hostID, nil, []int{200, 200, 200, 200, 200, 404}},
		{"GET", "/v1/policy", nil, []int{403, 403, 200, 403, 200, 200}},
		{"GET", "/v1/bcsd/agenda" + period, nil, []int{403, 403, 200, 200, 403, 200}},
		{"GET", "/v1/audit", nil, []int{403, 403, 403, 403, 200, 403}},
		{"GET", "/v1/audit?format=csv", nil, []int{403, 403, 403, 403, 200, 403}},
		{"GET", "/v1/outbox", nil, []int{403, 403, 403, 403, 200, 403}},
		{"GET", "/v1/stats/trajectories", nil, []int{403, 403, 200, 403, 200, 200}},
		{"GET", "/v1/stats/outcomes" + period, nil, []int{403, 403, 200, 403, 200, 200}},
		{"GET", "/v1/stats/placements", nil, []int{403, 403, 200, 403, 200, 200}},
		{"GET", "/v1/stats/workload?format=csv", nil, []int{403, 403, 200, 403, 200, 200}},
		{"GET", "/v1/stats/bcsd" + period, nil, []int{403, 403, 200, 403, 200, 200}},
		{"POST", "/v1/participants", map[string]any{}, []int{422, 422, 422, 403, 403, 422}},
		{"PATCH", p, map[string]any{}, []int{428, 428, 428, 403, 403, 428}},
		// Any caseworker of the centre may re-open a closed dossier.
		{"POST", p + "/reentry", map[string]any{}, []int{422, 422, 422, 403, 403, 404}},
		{"POST", p + "/transitions", map[string]any{"to": "work"}, []int{403, 403, 0, 403, 403, 404}},
		{"POST", p + "/counsellor", map[string]any{"counsellor_id": "not-a-uuid"}, []int{403, 403, 422, 403, 403, 404}},
		{"POST", p + "/procedures/1/decision", map[string]any{"kind": "no_sanction", "decided_on": "2026-01-01"}, []int{403, 403, 409, 409, 403, 404}},
		{"POST", "/v1/hosts", map[string]any{}, []int{403, 403, 422, 403, 422, 422}},
		{"PUT", "/v1/hosts/" + hostID, map[string]any{}, []int{403, 403, 422, 403, 422, 404}},
		{"DELETE", "/v1/hosts/" + hostID, nil, []int{403, 403, 0, 403, 0, 404}},
		{"PUT", "/v1/policy", map[string]any{"gpmi": map[string]any{"sign_within": "P0D"}}, []int{403, 403, 422, 403, 422, 422}},
	}
	for _, c := range cases {
		for i, w := range who {
			if c.want[i] == 0 {
				continue // allowed and acting: covered by the other tests
			}
			t.Run(fmt.Sprintf("%s %s as %s", c.method, c.path, w), func(t *testing.T) {
				if status, raw := a.do(c.method, c.path, w, c.body); status != c.want[i] {
					t.Errorf("%d, want %d: %s", status, c.want[i], raw)
				}
			})
		}
	}
}
