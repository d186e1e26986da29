package api

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"io"
	"net/http"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// idempotent makes a write carrying an Idempotency-Key act once: the first
// answer is stored and a retry gets it again (with Idempotent-Replayed:
// true). A key reused for another request is refused, and so is a retry
// while the first is still running. A 5xx is not stored, so that a retry
// can succeed; neither is the answer of a first attempt whose process
// stopped or lost its database before storing it: that attempt is
// forgotten after abandonedAfter. Keys belong to the user who sent them.
func (s *server) idempotent(db *pgxpool.Pool) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			key := r.Header.Get("Idempotency-Key")
			if key == "" || r.Method == http.MethodGet {
				next.ServeHTTP(w, r)
				return
			}
			if len(key) > 255 {
				writeProblem(w, r, http.StatusBadRequest, "Idempotency-Key is longer than 255 characters")
				return
			}
			body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
			if err != nil {
				writeProblem(w, r, http.StatusRequestEntityTooLarge, "the body is too large")
				return
			}
			r.Body = io.NopCloser(bytes.NewReader(body))
			hash := sha256.Sum256(append([]byte(r.Method+" "+r.URL.Path+"\n"), body...))
			user := principalFrom(r.Context()).UserID

			claimed, err := claimKey(r, db, user, key, hash[:])
			if err != nil {
				s.fail(w, r, err)
				return
			}
			if !claimed {
				s.replay(w, r, db, user, key, hash[:])
				return
			}
			rec := &recorder{ResponseWriter: w, status: http.StatusOK}
			next.ServeHTTP(rec, r)
			ctx := context.WithoutCancel(r.Context())
			if rec.status >= 500 {
				_, err = db.Exec(ctx, `DELETE FROM idempotency_keys WHERE user_id = $1 AND key = $2`, user, key)
			} else {
				_, err = db.Exec(ctx, `UPDATE idempotency_keys SET status = $3, content_type = $4, body = $5 WHERE user_id = $1 AND key = $2`,
					user, key, rec.status, rec.Header().Get("Content-Type"), rec.body.Bytes())
			}
			if err != nil {
				s.logger.ErrorContext(ctx, "idempotency key not stored", "err", err)
			}
		})
	}
}

// abandonedAfter is when a first attempt that never stored its answer is
// given up: well past the server's 60 s write timeout.
const abandonedAfter = 5 * time.Minute

// claimKey records the key as running, unless it is taken; a same request
// abandoned longer than abandonedAfter ago gives its key up.
func claimKey(r *http.Request, db *pgxpool.Pool, user, key string, hash []byte) (bool, error) {
	claim := func() (bool, error) {
		tag, err := db.Exec(r.Context(), `
			INSERT INTO idempotency_keys (user_id, key, method, path, request_hash) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT DO NOTHING`, user, key, r.Method, r.URL.Path, hash)
		return err == nil && tag.RowsAffected() == 1, err
	}
	if claimed, err := claim(); claimed || err != nil {
		return claimed, err
	}
	tag, err := db.Exec(r.Context(), `
		DELETE FROM idempotency_keys
		WHERE user_id = $1 AND key = $2 AND request_hash = $3 AND status IS NULL AND created_at < now() - make_interval(secs => $4)`,
		user, key, hash, abandonedAfter.Seconds())
	if err != nil || tag.RowsAffected() == 0 {
		return false, err
	}
	return claim()
}

func (s *server) replay(w http.ResponseWriter, r *http.Request, db *pgxpool.Pool, user, key string, hash []byte) {
	var stored []byte
	var status *int
	var contentType *string
	var body []byte
	err := db.QueryRow(r.Context(), `SELECT request_hash, status, content_type, body FROM idempotency_keys WHERE user_id = $1 AND key = $2`, user, key).
		Scan(&stored, &status, &contentType, &body)
	if errors.Is(err, pgx.ErrNoRows) { // the first attempt failed and was forgotten meanwhile
		writeProblem(w, r, http.StatusConflict, "retry: the first request with this Idempotency-Key did not complete")
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !bytes.Equal(stored, hash) {
		writeProblem(w, r, http.StatusUnprocessableEntity, "this Idempotency-Key was used for another request", FieldError{"Idempotency-Key", "already used for a different request"})
		return
	}
	if status == nil {
		writeProblem(w, r, http.StatusConflict, "the first request with this Idempotency-Key is still running")
		return
	}
	if contentType != nil {
		w.Header().Set("Content-Type", *contentType)
	}
	w.Header().Set("Idempotent-Replayed", "true")
	w.WriteHeader(*status)
	_, _ = w.Write(body)
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
