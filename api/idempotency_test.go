package api_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"io"
	"net/http"
	"testing"
	"time"
)

func (a *apiTest) postWithKey(path, who, key string, body any) (int, []byte, http.Header) {
	a.t.Helper()
	raw, _ := json.Marshal(body)
	req, _ := http.NewRequest("POST", a.url+path, bytes.NewReader(raw))
	req.Header.Set("Authorization", "Bearer "+a.tokens[who])
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", key)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	out, _ := io.ReadAll(resp.Body)
	req.Body = io.NopCloser(bytes.NewReader(raw))
	a.conforms(req, resp, out)
	return resp.StatusCode, out, resp.Header
}

func waitForTrajectory(t *testing.T, a *apiTest, id string) {
	t.Helper()
	for range 400 {
		var n int
		_ = a.db.QueryRow(context.Background(), `SELECT count(*) FROM trajectories WHERE participant_id = $1`, id).Scan(&n)
		if n == 1 {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("no trajectory")
}

// A retried POST returns the first answer and does not act twice.
func TestIdempotencyKey(t *testing.T) {
	a := newAPITest(t)
	body := a.participant()
	s1, r1, _ := a.postWithKey("/v1/participants", "coordinator", "create-sara", body)
	s2, r2, h2 := a.postWithKey("/v1/participants", "coordinator", "create-sara", body)
	if s1 != http.StatusCreated || s2 != http.StatusCreated || !bytes.Equal(r1, r2) || h2.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("retry: %d then %d (replayed %q)\n%s\n%s", s1, s2, h2.Get("Idempotent-Replayed"), r1, r2)
	}
	var n int
	if err := a.db.QueryRow(context.Background(), `SELECT count(*) FROM participants WHERE family_name = 'Peeters'`).Scan(&n); err != nil || n != 1 {
		t.Errorf("%d participants after a retried create", n)
	}
	body["given_name"] = "Someone else"
	if status, _, _ := a.postWithKey("/v1/participants", "coordinator", "create-sara", body); status != http.StatusUnprocessableEntity {
		t.Errorf("key reused for another request: %d", status)
	}
	// Keys are per user: the same key from someone else is a new request.
	var created struct {
		ID string `json:"id"`
	}
	_ = json.Unmarshal(r1, &created)
	path := "/v1/participants/" + created.ID + "/transitions"
	waitForTrajectory(t, a, created.ID)
	for range 2 {
		if status, raw, _ := a.postWithKey(path, "coordinator", "to-work", map[string]any{"to": "work"}); status != http.StatusOK {
			t.Fatalf("transition: %d %s", status, raw)
		}
	}
	var moves int
	if err := a.db.QueryRow(context.Background(), `SELECT count(*) FROM timeline_events WHERE participant_id = $1 AND kind = 'phase_changed'`, created.ID).Scan(&moves); err != nil || moves != 1 {
		t.Errorf("%d phase changes after a retried transition, want 1", moves)
	}

}

// A first attempt that never stored its answer (its process stopped, or the
// database went away before the answer was kept) blocks its key while it
// may still be running, and gives it up after five minutes.
func TestIdempotencyKeyOfAnAbandonedAttempt(t *testing.T) {
	a := newAPITest(t)
	body := a.participant()
	raw, _ := json.Marshal(body)
	hash := sha256.Sum256(append([]byte("POST /v1/participants\n"), raw...))
	for _, c := range []struct {
		key  string
		age  time.Duration
		want int
	}{{"running", time.Minute, http.StatusConflict}, {"abandoned", 6 * time.Minute, http.StatusCreated}} {
		if _, err := a.db.Exec(context.Background(), `
			INSERT INTO idempotency_keys (user_id, key, method, path, request_hash, created_at)
			VALUES ($1, $2, 'POST', '/v1/participants', $3, now() - make_interval(secs => $4))`,
			a.fx.CoordinatorID, c.key, hash[:], c.age.Seconds()); err != nil {
			t.Fatal(err)
		}
		if status, out, _ := a.postWithKey("/v1/participants", "coordinator", c.key, body); status != c.want {
			t.Errorf("first attempt %s ago: %d %s, want %d", c.age, status, out, c.want)
		}
	}
}
