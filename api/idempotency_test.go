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

	"github.com/traject-ocmw/traject/testenv"
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

// waitForTrajectory waits for the trajectory's first state in the read
// model, which the API's checks of a write on the dossier read.
func waitForTrajectory(t testing.TB, a *apiTest, id string) {
	t.Helper()
	testenv.Eventually(t, "the trajectory's first state in the read model", func() bool {
		var n int
		_ = a.db.QueryRow(context.Background(), `SELECT count(*) FROM trajectories WHERE participant_id = $1`, id).Scan(&n)
		return n == 1
	})
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

// A first attempt that never stored its answer holds its key while it shows
// it is alive (its heartbeat): a retry waits for it and then gets 409 with
// Retry-After. One whose heartbeat stopped (its process died, or lost the
// database) is taken over by the retry at once, and so is one of this very
// process that has ended: seconds, not minutes.
func TestIdempotencyKeyOfAnAbandonedAttempt(t *testing.T) {
	a := newAPITest(t)
	for i, c := range []struct {
		key, owner string
		silent     time.Duration
		want       int
	}{
		{"alive", "another-process", 0, http.StatusConflict},
		{"silent", "another-process", 7 * time.Second, http.StatusCreated},
		{"from before heartbeats", "", 10 * time.Second, http.StatusCreated},
	} {
		body := a.participant()
		body["national_number"] = nationalNumber(900 + i)
		raw, _ := json.Marshal(body)
		hash := sha256.Sum256(append([]byte("POST /v1/participants\n"), raw...))
		if _, err := a.db.Exec(context.Background(), `
			INSERT INTO idempotency_keys (user_id, key, method, path, request_hash, owner, heartbeat_at, created_at)
			VALUES ($1, $2, 'POST', '/v1/participants', $3, NULLIF($5, ''), CASE WHEN $5 = '' THEN NULL ELSE now() - make_interval(secs => $4) END,
			        now() - make_interval(secs => $4))`,
			a.fx.CoordinatorID, c.key, hash[:], c.silent.Seconds(), c.owner); err != nil {
			t.Fatal(err)
		}
		if c.want == http.StatusConflict {
			// keep it alive while the retry waits
			stop := make(chan struct{})
			go func() {
				for {
					select {
					case <-stop:
						return
					case <-time.After(time.Second):
						_, _ = a.db.Exec(context.Background(), `UPDATE idempotency_keys SET heartbeat_at = now() WHERE key = $1`, c.key)
					}
				}
			}()
			started := time.Now()
			status, out, header := a.postWithKey("/v1/participants", "coordinator", c.key, body)
			close(stop)
			if status != c.want || header.Get("Retry-After") == "" || time.Since(started) < 5*time.Second {
				t.Errorf("%s: %d after %s, Retry-After %q: %s; want 409 after waiting", c.key, status, time.Since(started), header.Get("Retry-After"), out)
			}
			continue
		}
		if status, out, _ := a.postWithKey("/v1/participants", "coordinator", c.key, body); status != c.want {
			t.Errorf("%s: %d %s, want %d", c.key, status, out, c.want)
		}
	}
}
