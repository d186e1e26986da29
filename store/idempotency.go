package store

import (
	"context"
	"time"
)

// IdempotencyKey is a write's key as its caller sent it, held by one API
// process (Owner) while its first attempt runs.
type IdempotencyKey struct {
	UserID, Key, Method, Path string
	// RequestHash tells a retry of the same request from another request
	// under the same key.
	RequestHash []byte
	Owner       string
}

// ClaimKey records the key as running under k.Owner, unless it is taken.
// It answers whether the caller holds the key now.
func (s *Store) ClaimKey(ctx context.Context, k IdempotencyKey) (bool, error) {
	tag, err := s.db.Exec(ctx, `
		INSERT INTO idempotency_keys (user_id, key, method, path, request_hash, owner, heartbeat_at) VALUES ($1, $2, $3, $4, $5, $6, now())
		ON CONFLICT DO NOTHING`, k.UserID, k.Key, k.Method, k.Path, k.RequestHash, k.Owner)
	return err == nil && tag.RowsAffected() == 1, classify("claim idempotency key", err)
}

// KeyState is what is kept under a key.
type KeyState struct {
	RequestHash []byte
	// Status is nil while the first attempt runs (or ended without an
	// answer to keep).
	Status      *int
	ContentType *string
	Body        []byte
	Owner       string
	// Silent is how long the running attempt has not shown a sign of life.
	Silent time.Duration
}

// KeyState reads a key; ErrNotFound when nothing is kept under it.
func (s *Store) KeyState(ctx context.Context, userID, key string) (KeyState, error) {
	var k KeyState
	var silent float64
	err := s.db.QueryRow(ctx, `
		SELECT request_hash, status, content_type, body, COALESCE(owner, ''),
		       extract(epoch FROM now() - COALESCE(heartbeat_at, created_at))
		FROM idempotency_keys WHERE user_id = $1 AND key = $2`, userID, key).
		Scan(&k.RequestHash, &k.Status, &k.ContentType, &k.Body, &k.Owner, &silent)
	k.Silent = time.Duration(silent * float64(time.Second))
	return k, classify("idempotency key", err)
}

// TakeOverKey gives a running key whose attempt is over (see KeyState) to
// k.Owner, if it is still as it was read (same owner, no answer) and
// silent for at least silentFor. It answers whether the caller holds it.
func (s *Store) TakeOverKey(ctx context.Context, k IdempotencyKey, previousOwner string, silentFor time.Duration) (bool, error) {
	tag, err := s.db.Exec(ctx, `
		UPDATE idempotency_keys SET owner = $4, heartbeat_at = now()
		WHERE user_id = $1 AND key = $2 AND request_hash = $3 AND status IS NULL AND COALESCE(owner, '') = $5
		  AND COALESCE(heartbeat_at, created_at) <= now() - make_interval(secs => $6)`,
		k.UserID, k.Key, k.RequestHash, k.Owner, previousOwner, silentFor.Seconds())
	return err == nil && tag.RowsAffected() == 1, classify("take over idempotency key", err)
}

// HeartbeatKey tells that the owner's attempt still runs.
func (s *Store) HeartbeatKey(ctx context.Context, k IdempotencyKey) error {
	_, err := s.db.Exec(ctx, `UPDATE idempotency_keys SET heartbeat_at = now() WHERE user_id = $1 AND key = $2 AND owner = $3 AND status IS NULL`,
		k.UserID, k.Key, k.Owner)
	return classify("idempotency heartbeat", err)
}

// ReleaseKey forgets a key the owner holds whose attempt left no answer to
// keep.
func (s *Store) ReleaseKey(ctx context.Context, k IdempotencyKey) error {
	_, err := s.db.Exec(ctx, `DELETE FROM idempotency_keys WHERE user_id = $1 AND key = $2 AND owner = $3 AND status IS NULL`, k.UserID, k.Key, k.Owner)
	return classify("release idempotency key", err)
}

// KeepAnswer stores the owner's answer under its key.
func (s *Store) KeepAnswer(ctx context.Context, k IdempotencyKey, status int, contentType string, body []byte) error {
	_, err := s.db.Exec(ctx, `UPDATE idempotency_keys SET status = $4, content_type = $5, body = $6 WHERE user_id = $1 AND key = $2 AND owner = $3`,
		k.UserID, k.Key, k.Owner, status, contentType, body)
	return classify("keep idempotent answer", err)
}
