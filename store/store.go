// Package store owns every SQL statement that the API, the activities, the
// CLI and the web pages run against traject's PostgreSQL database (the
// statistics keep theirs in package stats). It speaks pgx only: no HTTP, no
// Temporal. Driver errors leave it as its own few kinds (ErrNotFound,
// ErrConflict, ErrUnavailable, *InvalidError), so that a caller maps them in
// one place.
package store

import (
	"github.com/jackc/pgx/v5/pgxpool"
)

// Store is traject's database.
type Store struct {
	db *pgxpool.Pool
}

// New wraps an open pool (see Open).
func New(db *pgxpool.Pool) *Store { return &Store{db: db} }

// Pool is the pool underneath, for the statistics and the health checks.
func (s *Store) Pool() *pgxpool.Pool { return s.db }
