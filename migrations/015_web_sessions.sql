-- Server-side sessions of the web pages (github.com/alexedwards/scs with its
-- pgx store): the cookie holds a random token only; what the session knows
-- (who signed in, the language chosen) stays here and ends with it.
CREATE TABLE sessions (
    token  text PRIMARY KEY,
    data   bytea NOT NULL,
    expiry timestamptz NOT NULL
);
CREATE INDEX sessions_expiry_idx ON sessions (expiry);
