package api

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"io"
	"net/http"
	"time"

	"github.com/traject-ocmw/traject/store"
)

// idempotent makes a write carrying an Idempotency-Key act once: the first
// answer is stored and a retry gets it again (with Idempotent-Replayed:
// true). A key reused for another request is refused, and so is a retry
// while the first is still running. A 5xx is not stored, so that a retry
// can succeed; neither is the answer of a first attempt whose process
// stopped or lost its database before storing it: that attempt is
// forgotten after abandonedAfter. Keys belong to the user who sent them.
func (s *server) idempotent(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key := r.Header.Get("Idempotency-Key")
		if key == "" || r.Method == http.MethodGet {
			next.ServeHTTP(w, r)
			return
		}
		if len(key) > 255 || !store.CleanText(key) {
			writeProblem(w, r, http.StatusBadRequest, "Idempotency-Key must be printable text of at most 255 bytes",
				FieldError{"Idempotency-Key", "must be printable text of at most 255 bytes"})
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
		if err != nil {
			writeProblem(w, r, http.StatusRequestEntityTooLarge, "the body is too large")
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		hash := sha256.Sum256(append([]byte(r.Method+" "+r.URL.Path+"\n"), body...))
		k := store.IdempotencyKey{UserID: principalFrom(r.Context()).UserID, Key: key, Method: r.Method, Path: r.URL.Path, RequestHash: hash[:]}
		claimed, err := s.store.ClaimKey(r.Context(), k, abandonedAfter)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if !claimed {
			s.replay(w, r, k)
			return
		}
		rec := &recorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		ctx := context.WithoutCancel(r.Context())
		if rec.status >= 500 {
			err = s.store.ReleaseKey(ctx, k.UserID, key)
		} else {
			contentType := rec.Header().Get("Content-Type")
			err = s.store.KeepAnswer(ctx, k.UserID, key, store.StoredAnswer{Status: &rec.status, ContentType: &contentType, Body: rec.body.Bytes()})
		}
		if err != nil {
			s.logger.ErrorContext(ctx, "idempotency key not stored", "err", err)
		}
	})
}

// abandonedAfter is when a first attempt that never stored its answer is
// given up: well past the server's 60 s write timeout.
const abandonedAfter = 5 * time.Minute

func (s *server) replay(w http.ResponseWriter, r *http.Request, k store.IdempotencyKey) {
	a, err := s.store.Answer(r.Context(), k.UserID, k.Key)
	if errors.Is(err, store.ErrNotFound) { // the first attempt failed and was forgotten meanwhile
		writeProblem(w, r, http.StatusConflict, "retry: the first request with this Idempotency-Key did not complete")
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !bytes.Equal(a.RequestHash, k.RequestHash) {
		writeProblem(w, r, http.StatusUnprocessableEntity, "this Idempotency-Key was used for another request", FieldError{"Idempotency-Key", "already used for a different request"})
		return
	}
	if a.Status == nil {
		writeProblem(w, r, http.StatusConflict, "the first request with this Idempotency-Key is still running")
		return
	}
	if a.ContentType != nil {
		w.Header().Set("Content-Type", *a.ContentType)
	}
	w.Header().Set("Idempotent-Replayed", "true")
	w.WriteHeader(*a.Status)
	_, _ = w.Write(a.Body)
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
