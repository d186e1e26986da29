package api

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"io"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/traject-ocmw/traject/casework"
	"github.com/traject-ocmw/traject/domain"

	"github.com/traject-ocmw/traject/store"
)

// idempotent makes a write carrying an Idempotency-Key act once: the first
// answer is stored and a retry gets it again (with Idempotent-Replayed:
// true); a key reused for another request is refused. A 5xx is not stored,
// so that a retry can succeed. While a first attempt runs, its process
// holds the key and shows it is alive every heartbeatEvery; a retry waits
// for it (up to waitForFirst), and takes the key over as soon as that
// attempt is over without an answer: ended in this process, or silent for
// silentAfter (its process died, or lost the database, which also kept it
// from releasing the key). Acting twice is harmless then: the workflow
// update carries an ID made from the key (see updateID), so Temporal
// answers the second with the first's outcome. Keys belong to the user who
// sent them.
func (s *server) idempotent(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key := r.Header.Get("Idempotency-Key")
		if key == "" || r.Method == http.MethodGet {
			next.ServeHTTP(w, r)
			return
		}
		if len(key) > 255 || !store.CleanText(key) {
			badQuery(w, r, domain.Problem("Idempotency-Key", domain.MaxBytes, "255"))
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
		if err != nil {
			problem(w, r, &casework.BodyError{TooLarge: true, Err: err})
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		hash := sha256.Sum256(append([]byte(r.Method+" "+r.URL.Path+"\n"), body...))
		k := store.IdempotencyKey{UserID: principalFrom(r.Context()).UserID, Key: key, Method: r.Method, Path: r.URL.Path, RequestHash: hash[:], Owner: s.instance}
		held, answered := s.acquire(w, r, k)
		if answered {
			return
		}
		if !held {
			w.Header().Set("Retry-After", strconv.Itoa(casework.RetryAfter))
			problem(w, r, casework.ErrKeyRunning)
			return
		}
		release := s.running.hold(k)
		stop := s.heartbeat(r.Context(), k)
		rec := &recorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		stop()
		ctx := context.WithoutCancel(r.Context())
		if rec.status >= 500 {
			err = s.store.ReleaseKey(ctx, k)
		} else {
			err = s.store.KeepAnswer(ctx, k, rec.status, rec.Header().Get("Content-Type"), rec.body.Bytes())
		}
		release()
		if err != nil {
			// The key stays claimed and silent: a retry takes it over
			// after silentAfter and is answered as this attempt was.
			s.logger.WarnContext(ctx, "idempotency key not settled", "err", err)
		}
	})
}

// How a running first attempt shows it is alive, and how long a retry
// waits for it.
const (
	heartbeatEvery = 2 * time.Second
	silentAfter    = 3 * heartbeatEvery
	waitForFirst   = 10 * time.Second
)

// acquire claims the key, or waits for its first attempt: answered is true
// when it wrote the answer (the stored one, or a refusal), held when the
// caller now runs the request.
func (s *server) acquire(w http.ResponseWriter, r *http.Request, k store.IdempotencyKey) (held, answered bool) {
	deadline := time.Now().Add(waitForFirst)
	for {
		claimed, err := s.store.ClaimKey(r.Context(), k)
		if err != nil {
			s.fail(w, r, err)
			return false, true
		}
		if claimed {
			return true, false
		}
		state, err := s.store.KeyState(r.Context(), k.UserID, k.Key)
		if errors.Is(err, store.ErrNotFound) {
			continue // released meanwhile: claim it
		}
		if err != nil {
			s.fail(w, r, err)
			return false, true
		}
		if !bytes.Equal(state.RequestHash, k.RequestHash) {
			invalid(w, r, domain.Problem("Idempotency-Key", domain.KeyReused))
			return false, true
		}
		if state.Status != nil {
			if state.ContentType != nil {
				w.Header().Set("Content-Type", *state.ContentType)
			}
			w.Header().Set("Idempotent-Replayed", "true")
			w.WriteHeader(*state.Status)
			_, _ = w.Write(state.Body)
			return false, true
		}
		// The first attempt ended here without settling the key, or its
		// heartbeat stopped: take it over.
		over := state.Owner == s.instance && !s.running.has(k)
		silentFor := silentAfter
		if over {
			silentFor = 0
		}
		if over || state.Silent >= silentAfter {
			took, err := s.store.TakeOverKey(r.Context(), k, state.Owner, silentFor)
			if err != nil {
				s.fail(w, r, err)
				return false, true
			}
			if took {
				return true, false
			}
			continue
		}
		if time.Now().After(deadline) {
			return false, false
		}
		select {
		case <-r.Context().Done():
			return false, false
		case <-time.After(250 * time.Millisecond):
		}
	}
}

// heartbeat refreshes the key while the request runs; the returned
// function stops it.
func (s *server) heartbeat(ctx context.Context, k store.IdempotencyKey) (stop func()) {
	ctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(heartbeatEvery)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				_ = s.store.HeartbeatKey(ctx, k) // a missed beat only lets a retry take over sooner
			}
		}
	}()
	return func() { cancel(); <-done }
}

// runningKeys are the keys whose first attempt runs in this process.
type runningKeys struct {
	mu   sync.Mutex
	keys map[[2]string]int
}

func (rk *runningKeys) hold(k store.IdempotencyKey) (release func()) {
	id := [2]string{k.UserID, k.Key}
	rk.mu.Lock()
	if rk.keys == nil {
		rk.keys = map[[2]string]int{}
	}
	rk.keys[id]++
	rk.mu.Unlock()
	return func() {
		rk.mu.Lock()
		if rk.keys[id]--; rk.keys[id] <= 0 {
			delete(rk.keys, id)
		}
		rk.mu.Unlock()
	}
}

func (rk *runningKeys) has(k store.IdempotencyKey) bool {
	rk.mu.Lock()
	defer rk.mu.Unlock()
	return rk.keys[[2]string{k.UserID, k.Key}] > 0
}

// recorder keeps a copy of what a handler answers.
type recorder struct {
	http.ResponseWriter
	status int
	body   bytes.Buffer
}

func (r *recorder) WriteHeader(status int) {
	r.status = status
	r.ResponseWriter.WriteHeader(status)
}

func (r *recorder) Write(b []byte) (int, error) {
	r.body.Write(b)
	return r.ResponseWriter.Write(b)
}
