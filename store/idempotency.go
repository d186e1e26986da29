package store

import (
	"context"
	"time"
)

// IdempotencyKey is a write's key as its caller sent it.
type IdempotencyKey struct {
	UserID, Key, Method, Path string
	// RequestHash tells a retry of the same request from another request
	// under the same key.
	RequestHash []byte
}

// ClaimKey records the key as running, unless it is taken; a first attempt
// of the same request that never stored an answer and is older than
// abandonedAfter gives its key up. It answers whether the caller holds the
// key now.
func (s *Store) ClaimKey(ctx context.Context, k IdempotencyKey, abandonedAfter time.Duration) (bool, error) {
	claim := func() (bool, error) {
		tag, err := s.db.Exec(ctx, `
			INSERT INTO idempotency_keys (user_id, key, method, path, request_hash) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT DO NOTHING`, k.UserID, k.Key, k.Method, k.Path, k.RequestHash)
		return err == nil && tag.RowsAffected() == 1, classify("claim idempotency key", err)
	}
	if claimed, err := claim(); claimed || err != nil {
		return claimed, err
	}
	tag, err := s.db.Exec(ctx, `
		DELETE FROM idempotency_keys
		WHERE user_id = $1 AND key = $2 AND request_hash = $3 AND status IS NULL AND created_at < now() - make_interval(secs => $4)`,
		k.UserID, k.Key, k.RequestHash, abandonedAfter.Seconds())
	if err != nil || tag.RowsAffected() == 0 {
		return false, classify("claim idempotency key", err)
	}
	return claim()
}

// ReleaseKey forgets a claimed key whose attempt left no answer to keep.
func (s *Store) ReleaseKey(ctx context.Context, userID, key string) error {
	_, err := s.db.Exec(ctx, `DELETE FROM idempotency_keys WHERE user_id = $1 AND key = $2`, userID, key)
	return classify("release idempotency key", err)
}

// StoredAnswer is the answer kept under a key; Status is nil while the
// first attempt runs.
type StoredAnswer struct {
	RequestHash []byte
	Status      *int
	ContentType *string
	Body        []byte
}

// KeepAnswer stores the first attempt's answer under its key.
func (s *Store) KeepAnswer(ctx context.Context, userID, key string, a StoredAnswer) error {
	_, err := s.db.Exec(ctx, `UPDATE idempotency_keys SET status = $3, content_type = $4, body = $5 WHERE user_id = $1 AND key = $2`,
		userID, key, a.Status, a.ContentType, a.Body)
	return classify("keep idempotent answer", err)
}

// Answer reads what is kept under a key; ErrNotFound when nothing is.
func (s *Store) Answer(ctx context.Context, userID, key string) (StoredAnswer, error) {
	var a StoredAnswer
	err := s.db.QueryRow(ctx, `SELECT request_hash, status, content_type, body FROM idempotency_keys WHERE user_id = $1 AND key = $2`, userID, key).
		Scan(&a.RequestHash, &a.Status, &a.ContentType, &a.Body)
	return a, classify("idempotent answer", err)
}
