package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
	"github.com/jackc/pgx/v5/pgxpool"
	sdkworker "go.temporal.io/sdk/worker"

	"github.com/traject-ocmw/traject/api"
	"github.com/traject-ocmw/traject/store"
	"github.com/traject-ocmw/traject/testenv"
	"github.com/traject-ocmw/traject/worker"
)

func TestMain(m *testing.M) { testenv.Main(m) }

// apiTest runs the real router against a fresh database and the embedded
// Temporal server, with a worker running the real trajectories. Every
// response is validated against the OpenAPI document.
type apiTest struct {
	t      testing.TB
	db     *pgxpool.Pool
	fx     testenv.Fixture
	url    string
	router routers.Router
	tokens map[string]string // by who: an, bram, coordinator, bcsd, other (another centre's coordinator)
	// validate checks every response against openapi.yaml; benchmarks turn it off.
	validate bool
}

func newAPITest(t testing.TB) *apiTest { return newAPITestWith(t, nil) }

// newAPITestWith lets a test set options such as an OIDC verifier.
func newAPITestWith(t testing.TB, configure func(*api.Options)) *apiTest {
	t.Helper()
	db := testenv.Database(t)
	fx := testenv.Seed(t, db)
	ctx := context.Background()
	if _, err := db.Exec(ctx, `
		INSERT INTO centres (id, name, region) VALUES ('anderlecht', 'OCMW Anderlecht', 'brussels');
		INSERT INTO staff_users (id, centre_id, email, display_name, role) VALUES ('5d6e7f80-1111-4222-8333-944455566677', 'anderlecht', 'dirk@ocmw.example', 'Dirk', 'coordinator');
		INSERT INTO staff_users (id, centre_id, email, display_name, role) VALUES ('4c5d6e7f-0000-4111-8222-833344455566', 'molenbeek', 'admin@ocmw.example', 'Admin', 'admin');`); err != nil {
		t.Fatal(err)
	}
	c := testenv.Client(t)
	queue := "api-" + t.Name()
	w := sdkworker.New(c, queue, sdkworker.Options{})
	worker.Register(w, worker.Dependencies{DB: db})
	if err := w.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.Stop)
	opts := api.Options{Logger: testenv.Logger(t), DB: db, Temporal: c, TaskQueue: queue}
	if configure != nil {
		configure(&opts)
	}
	srv := httptest.NewServer(api.New(opts))
	t.Cleanup(srv.Close)

	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(api.OpenAPI)
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(ctx); err != nil {
		t.Fatalf("openapi.yaml is not valid: %v", err)
	}
	doc.Servers = openapi3.Servers{{URL: srv.URL}}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	a := &apiTest{t: t, db: db, fx: fx, url: srv.URL, router: router, tokens: map[string]string{}, validate: true}
	for who, user := range map[string]string{
		"an": fx.CounsellorID, "bram": fx.Counsellor2ID, "coordinator": fx.CoordinatorID, "bcsd": fx.BCSDID,
		"other": "5d6e7f80-1111-4222-8333-944455566677", "admin": "4c5d6e7f-0000-4111-8222-833344455566",
	} {
		_, token, err := store.New(db).CreateToken(ctx, user, "test "+who)
		if err != nil {
			t.Fatal(err)
		}
		a.tokens[who] = token
	}
	return a
}

func init() {
	openapi3filter.RegisterBodyDecoder("application/problem+json", openapi3filter.JSONBodyDecoder)
	// The document types CSV reports as a string; the statistics tests
	// parse them with either delimiter themselves.
	openapi3filter.RegisterBodyDecoder("text/csv", func(body io.Reader, _ http.Header, _ *openapi3.SchemaRef, _ openapi3filter.EncodingFn) (any, error) {
		raw, err := io.ReadAll(body)
		return string(raw), err
	})
	openapi3filter.RegisterBodyDecoder("application/pdf", openapi3filter.FileBodyDecoder)
}

// do sends a request as who ("" for none) and checks the response against
// the OpenAPI document. body is JSON-encoded unless it is a string.
func (a *apiTest) do(method, path, who string, body any) (int, []byte) {
	a.t.Helper()
	resp, raw := a.exchange(method, path, who, body)
	return resp.StatusCode, raw
}

// exchange is do with the whole response (its body already read).
func (a *apiTest) exchange(method, path, who string, body any) (*http.Response, []byte) {
	a.t.Helper()
	var sent []byte
	switch b := body.(type) {
	case nil:
	case string:
		sent = []byte(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			a.t.Fatal(err)
		}
		sent = raw
	}
	var reader io.Reader
	if body != nil {
		reader = bytes.NewReader(sent)
	}
	req, err := http.NewRequest(method, a.url+path, reader)
	if err != nil {
		a.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if who != "" {
		req.Header.Set("Authorization", "Bearer "+a.tokens[who])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		a.t.Fatal(err)
	}
	if a.validate {
		if body != nil {
			req.Body = io.NopCloser(bytes.NewReader(sent))
		}
		a.conforms(req, resp, raw)
	}
	return resp, raw
}

// conforms fails the test when a response is not what the OpenAPI document
// says: an undocumented status, a missing field, a wrong type.
func (a *apiTest) conforms(req *http.Request, resp *http.Response, body []byte) {
	a.t.Helper()
	route, params, err := a.router.FindRoute(req)
	if err != nil {
		a.t.Errorf("%s %s is not in openapi.yaml: %v", req.Method, req.URL.Path, err)
		return
	}
	// A request the service accepted must be one the document describes.
	if resp.StatusCode < 300 {
		in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route,
			Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}}
		if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil {
			a.t.Errorf("%s %s was accepted but does not match openapi.yaml: %v", req.Method, req.URL.Path, err)
		}
		if req.Body != nil {
			req.Body = io.NopCloser(bytes.NewReader(nil))
		}
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{
			Request: req, PathParams: params, Route: route,
			Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, IncludeResponseStatus: true},
		},
		Status: resp.StatusCode, Header: resp.Header, Body: io.NopCloser(bytes.NewReader(body)),
		Options: &openapi3filter.Options{IncludeResponseStatus: true},
	}
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		a.t.Errorf("%s %s -> %d does not match openapi.yaml: %v\n%s", req.Method, req.URL.Path, resp.StatusCode, err, body)
	}
}

func (a *apiTest) participant() map[string]any {
	return map[string]any{
		"given_name": "Sara", "family_name": "Peeters", "birth_date": "1990-05-17", "gender": "f",
		"national_number": "90.05.17-123.31", "email": "sara.peeters@example.be", "language": "nl",
		"counsellor_id": a.fx.CounsellorID, "leefloon_decision_date": "2026-11-02",
	}
}

// create makes a participant as the coordinator and waits until the
// trajectory has written its first state.
func (a *apiTest) create(body map[string]any) string {
	a.t.Helper()
	status, raw := a.do("POST", "/v1/participants", "coordinator", body)
	if status != http.StatusCreated {
		a.t.Fatalf("create: %d %s", status, raw)
	}
	var d struct {
		ID string `json:"id"`
	}
	_ = json.Unmarshal(raw, &d)
	waitForTrajectory(a.t, a, d.ID)
	return d.ID
}

// host adds a host organisation with kitchen help and driver positions.
func (a *apiTest) host() string {
	a.t.Helper()
	status, raw := a.do("POST", "/v1/hosts", "coordinator", map[string]any{
		"name": "Restaurant Social", "email": "jobs@restosocial.example", "language": "fr",
		"positions": []map[string]any{{"function": "kitchen_help", "positions": 3}, {"function": "driver", "positions": 1}},
	})
	if status != http.StatusCreated {
		a.t.Fatalf("host: %d %s", status, raw)
	}
	var h struct {
		ID string `json:"id"`
	}
	_ = json.Unmarshal(raw, &h)
	return h.ID
}

func problem(t *testing.T, raw []byte) (detail string, fields []string) {
	t.Helper()
	var p api.Problem
	if err := json.Unmarshal(raw, &p); err != nil {
		t.Fatalf("not a problem: %s", raw)
	}
	for _, f := range p.Errors {
		fields = append(fields, f.Field)
	}
	return p.Detail, fields
}

func TestCreateReadAndTimeline(t *testing.T) {
	a := newAPITest(t)
	id := a.create(a.participant())

	status, raw := a.do("GET", "/v1/participants/"+id, "an", nil)
	if status != http.StatusOK {
		t.Fatalf("GET: %d %s", status, raw)
	}
	var d struct {
		NationalNumber string `json:"national_number"`
		Trajectory     struct {
			Phase     string `json:"phase"`
			NextActor string `json:"next_actor"`
			Deadlines []struct {
				ID string `json:"id"`
			} `json:"deadlines"`
		} `json:"trajectory"`
	}
	if err := json.Unmarshal(raw, &d); err != nil {
		t.Fatal(err)
	}
	if d.NationalNumber != "90051712331" || d.Trajectory.Phase != "intake" || len(d.Trajectory.Deadlines) != 1 || d.Trajectory.Deadlines[0].ID != "gpmi.sign" {
		t.Errorf("dossier = %s", raw)
	}

	status, raw = a.do("GET", "/v1/participants/"+id+"/timeline?limit=1", "coordinator", nil)
	if status != http.StatusOK || !strings.Contains(string(raw), `"kind":"trajectory_started"`) {
		t.Errorf("timeline: %d %s", status, raw)
	}

	var reads, creates int
	if err := a.db.QueryRow(context.Background(), `
		SELECT count(*) FILTER (WHERE action = 'read_dossier' AND actor_id = $2), count(*) FILTER (WHERE action = 'create_participant' AND actor_id = $3)
		FROM audit_log WHERE object_id = $1`, id, a.fx.CounsellorID, a.fx.CoordinatorID).Scan(&reads, &creates); err != nil {
		t.Fatal(err)
	}
	if reads != 1 || creates != 1 {
		t.Errorf("audit log: %d reads by the counsellor, %d creations by the coordinator; want 1 and 1", reads, creates)
	}
}

func TestBadInputIsAProblemNamingTheField(t *testing.T) {
	a := newAPITest(t)
	with := func(change func(map[string]any)) map[string]any {
		p := a.participant()
		change(p)
		return p
	}
	cases := []struct {
		name   string
		body   any
		status int
		fields []string
	}{
		{"not JSON", `{"given_name": `, 400, nil},
		{"two objects", `{} {}`, 400, nil},
		{"unknown field", with(func(p map[string]any) { p["nickname"] = "Fa" }), 400, []string{"nickname"}},
		{"wrong type", with(func(p map[string]any) { p["given_name"] = 42 }), 400, []string{"given_name"}},
		{"huge body", `{"given_name": "` + strings.Repeat("a", 70000) + `"}`, 413, nil},
		{"bad check digits", with(func(p map[string]any) { p["national_number"] = "85073003329" }), 422, []string{"national_number"}},
		{"missing fields", map[string]any{"language": "de"}, 422, []string{"given_name", "family_name", "birth_date", "leefloon_decision_date", "national_number", "language", "counsellor_id"}},
		{"counsellor of another centre", with(func(p map[string]any) { p["counsellor_id"] = "5d6e7f80-1111-4222-8333-944455566677" }), 422, []string{"counsellor_id"}},
		{"bad e-mail", with(func(p map[string]any) { p["email"] = "fatima at example" }), 422, []string{"email"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			status, raw := a.do("POST", "/v1/participants", "coordinator", c.body)
			if status != c.status {
				t.Fatalf("status %d, want %d: %s", status, c.status, raw)
			}
			if _, fields := problem(t, raw); len(c.fields) > 0 && strings.Join(fields, ",") != strings.Join(c.fields, ",") {
				t.Errorf("fields %v, want %v", fields, c.fields)
			}
		})
	}
	a.create(a.participant())
	status, raw := a.do("POST", "/v1/participants", "coordinator", a.participant())
	if _, fields := problem(t, raw); status != http.StatusConflict || len(fields) != 1 || fields[0] != "national_number" {
		t.Errorf("duplicate national number: %d %s", status, raw)
	}
}

func TestAuthenticationAndVisibility(t *testing.T) {
	a := newAPITest(t)
	id := a.create(a.participant())
	path := "/v1/participants/" + id

	if status, _ := a.do("GET", path, "", nil); status != http.StatusUnauthorized {
		t.Errorf("no token: %d", status)
	}
	a.tokens["forged"] = "trj_forged"
	if status, _ := a.do("GET", path, "forged", nil); status != http.StatusUnauthorized {
		t.Errorf("forged token: %d", status)
	}
	ctx := context.Background()
	tokenID, token, err := store.New(a.db).CreateToken(ctx, a.fx.CoordinatorID, "to revoke")
	if err != nil {
		t.Fatal(err)
	}
	a.tokens["revoked"] = token
	if status, _ := a.do("GET", path, "revoked", nil); status != http.StatusOK {
		t.Errorf("fresh token: %d", status)
	}
	// A token's last use is kept to the minute, without a write per request.
	var first, again time.Time
	if err := a.db.QueryRow(ctx, `SELECT last_used_at FROM api_tokens WHERE id = $1`, tokenID).Scan(&first); err != nil {
		t.Fatalf("last use after a request: %v", err)
	}
	a.do("GET", path, "revoked", nil)
	if err := a.db.QueryRow(ctx, `SELECT last_used_at FROM api_tokens WHERE id = $1`, tokenID).Scan(&again); err != nil || !again.Equal(first) {
		t.Errorf("last use rewritten within the minute: %v then %v (%v)", first, again, err)
	}
	if _, err := a.db.Exec(ctx, `UPDATE api_tokens SET last_used_at = now() - interval '2 minutes' WHERE id = $1`, tokenID); err != nil {
		t.Fatal(err)
	}
	a.do("GET", path, "revoked", nil)
	if err := a.db.QueryRow(ctx, `SELECT last_used_at FROM api_tokens WHERE id = $1`, tokenID).Scan(&again); err != nil || time.Since(again) > time.Minute {
		t.Errorf("last use two minutes old not refreshed: %v (%v)", again, err)
	}
	if err := store.New(a.db).RevokeToken(ctx, "", tokenID); err != nil {
		t.Fatal(err)
	}
	if status, _ := a.do("GET", path, "revoked", nil); status != http.StatusUnauthorized {
		t.Errorf("revoked token: %d", status)
	}

	// Another centre, another counsellor's caseload, a malformed ID: 404,
	// the same answer as for a file that does not exist.
	for _, c := range []struct{ who, path string }{
		{"other", path}, {"other", path + "/timeline"}, {"bram", path}, {"an", "/v1/participants/not-a-uuid"},
		{"coordinator", "/v1/participants/00000000-0000-4000-8000-000000000000"},
	} {
		if status, raw := a.do("GET", c.path, c.who, nil); status != http.StatusNotFound {
			t.Errorf("%s GET %s: %d %s", c.who, c.path, status, raw)
		}
	}
	if status, _ := a.do("POST", path+"/transitions", "other", map[string]any{"to": "work"}); status != http.StatusNotFound {
		t.Errorf("another centre's transition: %d", status)
	}
	if status, _ := a.do("POST", "/v1/participants", "bcsd", a.participant()); status != http.StatusForbidden {
		t.Errorf("the BCSD creating a participant: %d", status)
	}
}

func TestTransitionsThroughTheAPI(t *testing.T) {
	a := newAPITest(t)
	id := a.create(a.participant())
	path := "/v1/participants/" + id + "/transitions"

	status, raw := a.do("POST", path, "an", map[string]any{"to": "work"})
	if status != http.StatusForbidden {
		t.Errorf("a counsellor's transition: %d %s", status, raw)
	}
	status, raw = a.do("POST", path, "coordinator", map[string]any{"to": "post_article60"})
	if detail, _ := problem(t, raw); status != http.StatusConflict || !strings.Contains(detail, "cannot move from intake to post_article60") {
		t.Errorf("not allowed: %d %s", status, raw)
	}
	status, raw = a.do("POST", path, "coordinator", map[string]any{"to": "work"})
	if status != http.StatusOK || !strings.Contains(string(raw), `"phase":"work"`) {
		t.Fatalf("to work: %d %s", status, raw)
	}
	var state struct {
		Version int64 `json:"version"`
	}
	_ = json.Unmarshal(raw, &state)

	status, raw = a.do("POST", path, "coordinator", map[string]any{"to": "article60"})
	if _, fields := problem(t, raw); status != http.StatusUnprocessableEntity || strings.Join(fields, ",") != "contract" {
		t.Errorf("no contract: %d %s", status, raw)
	}
	hostID := a.host()
	status, raw = a.do("POST", path, "coordinator", map[string]any{"to": "article60", "contract": map[string]any{"host_id": hostID, "function": "driver", "regime": "full_time", "start": "1 December"}})
	if _, fields := problem(t, raw); status != http.StatusUnprocessableEntity || strings.Join(fields, ",") != "contract.start" {
		t.Errorf("malformed start: %d %s", status, raw)
	}
	status, raw = a.do("POST", path, "coordinator", map[string]any{"to": "facilitator", "expected_version": state.Version - 1})
	if status != http.StatusConflict {
		t.Errorf("stale version: %d %s", status, raw)
	}
	status, raw = a.do("POST", path, "coordinator", map[string]any{
		"to": "article60", "expected_version": state.Version,
		"contract": map[string]any{"host_id": hostID, "function": "driver", "regime": "full_time", "start": "2026-12-01"},
	})
	if status != http.StatusOK || !strings.Contains(string(raw), `"end":"2027-11-29T00:00:00+01:00"`) || !strings.Contains(string(raw), `"age_at_start":36`) {
		t.Errorf("to article60: %d %s", status, raw)
	}
}
