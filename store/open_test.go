package store_test

import (
	"context"
	"strings"
	"testing"

	"github.com/traject-ocmw/traject/store"
	"github.com/traject-ocmw/traject/testenv"
)

// Migrations are forward-only and must apply to an empty database, then
// apply nothing the second time.
func TestMigrateFromEmptyDatabase(t *testing.T) {
	ctx := context.Background()
	url := testenv.DatabaseURL(t)
	if err := store.EnsureExists(ctx, url); err != nil {
		t.Fatal(err)
	}
	if err := store.EnsureExists(ctx, url); err != nil {
		t.Fatalf("second EnsureExists: %v", err)
	}
	pool, err := store.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()

	before, err := store.Status(ctx, pool)
	if err != nil {
		t.Fatal(err)
	}
	if len(before) == 0 {
		t.Fatal("no embedded migrations found")
	}
	for _, m := range before {
		if m.Applied {
			t.Errorf("migration %d applied on an empty database", m.Version)
		}
	}

	if err := store.Migrate(ctx, pool, testenv.Logger(t)); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	if err := store.Migrate(ctx, pool, testenv.Logger(t)); err != nil {
		t.Fatalf("migrate again: %v", err)
	}
	after, err := store.Status(ctx, pool)
	if err != nil {
		t.Fatal(err)
	}
	for i, m := range after {
		if !m.Applied {
			t.Errorf("migration %d (%s) not applied", m.Version, m.File)
		}
		if int(m.Version) != i+1 {
			t.Errorf("migration %s has number %d, want %d: numbers must run 1, 2, 3 without gaps", m.File, m.Version, i+1)
		}
	}

	for _, table := range []string{"centres", "staff_users", "participants", "trajectories", "timeline_events", "audit_log"} {
		var exists bool
		if err := pool.QueryRow(ctx, `SELECT to_regclass($1) IS NOT NULL`, table).Scan(&exists); err != nil {
			t.Fatal(err)
		}
		if !exists {
			t.Errorf("table %s missing after migration", table)
		}
	}
}

func TestOpenErrorsAreOneLineWithoutPassword(t *testing.T) {
	ctx := context.Background()
	for name, url := range map[string]string{
		"refused":     "postgres://u:s3cret@127.0.0.1:1/x?sslmode=disable",
		"no database": "postgres://u:s3cret@127.0.0.1:5432",
		"malformed":   "postgres://u:s3cret@[::1/x",
	} {
		t.Run(name, func(t *testing.T) {
			_, err := store.Open(ctx, url)
			if err == nil {
				t.Fatal("Open succeeded")
			}
			msg := err.Error()
			if strings.Contains(msg, "s3cret") {
				t.Errorf("error shows the password: %q", msg)
			}
			if strings.Contains(msg, "\n") {
				t.Errorf("error spans lines: %q", msg)
			}
		})
	}
}

// A pool holds 16 connections unless the URL says otherwise: pgx's own
// default of four made writes inside workflow tasks queue during bursts.
func TestPoolSizeDefaultsTo16UnlessTheURLSetsIt(t *testing.T) {
	for url, want := range map[string]int32{
		"postgres://postgres@127.0.0.1:5432/traject?sslmode=disable":                  16,
		"postgres://postgres@127.0.0.1:5432/traject?sslmode=disable&pool_max_conns=4": 4,
	} {
		cfg, err := store.ParseURL(url)
		if err != nil {
			t.Fatal(err)
		}
		if cfg.MaxConns != want {
			t.Errorf("%s: pool of %d, want %d", url, cfg.MaxConns, want)
		}
	}
}
