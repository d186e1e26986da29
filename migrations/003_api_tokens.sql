-- Bearer tokens for the API. Only a SHA-256 hash is stored: the token is
-- shown once, when created. A revoked token stays for the audit trail.
CREATE TABLE api_tokens (
    id            uuid PRIMARY KEY,
    user_id       uuid NOT NULL REFERENCES staff_users (id),
    name          text NOT NULL,
    token_hash    bytea NOT NULL UNIQUE,
    created_at    timestamptz NOT NULL DEFAULT now(),
    revoked_at    timestamptz,
    last_used_at  timestamptz
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);
