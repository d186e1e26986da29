// Package migrations holds traject's PostgreSQL schema as numbered, forward-only
// SQL files, embedded in the binary and applied by `traject migrate up` and at
// the start of every subcommand that uses the database.
package migrations

import "embed"

// FS holds the migration files, named NNN_what.sql, in the form tern reads.
//
//go:embed *.sql
var FS embed.FS
