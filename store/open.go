package store

// Opening traject's PostgreSQL database, creating it when it is missing and
// applying the embedded migrations.

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/tern/v2/migrate"

	"github.com/traject-ocmw/traject/migrations"
)

// ParseURL checks a database URL (or key=value DSN) without connecting.
func ParseURL(url string) (*pgxpool.Config, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		// pgx's message quotes the whole URL, password included.
		return nil, errors.New("not a valid PostgreSQL URL (expected postgres://user@host:port/database?sslmode=...)")
	}
	if cfg.ConnConfig.Database == "" {
		return nil, errors.New("the URL names no database")
	}
	if !strings.Contains(url, "pool_max_conns") {
		cfg.MaxConns = defaultMaxConns
	}
	return cfg, nil
}

// defaultMaxConns replaces pgx's default pool of max(4, cores): the worker's
// read-model writes run inside workflow tasks, and a burst of timers made
// hundreds of them queue for four connections (a 1,000-contract burst took
// 80 s instead of 31). A URL's pool_max_conns still wins.
const defaultMaxConns = 16

// EnsureExists creates the database the URL names when it does not exist yet,
// connecting to the server's "postgres" maintenance database to do so.
func EnsureExists(ctx context.Context, url string) error {
	cfg, err := ParseURL(url)
	if err != nil {
		return err
	}
	name := cfg.ConnConfig.Database
	admin := cfg.ConnConfig.Copy()
	admin.Database = "postgres"
	conn, err := pgx.ConnectConfig(ctx, admin)
	if err != nil {
		return fmt.Errorf("cannot reach PostgreSQL at %s: %w", address(cfg), unwrapConnect(err))
	}
	defer func() { _ = conn.Close(ctx) }()
	var exists bool
	if err := conn.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, name).Scan(&exists); err != nil {
		return fmt.Errorf("look up database %q: %w", name, err)
	}
	if exists {
		return nil
	}
	_, err = conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize())
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "42P04" { // created meanwhile by another process
		return nil
	}
	if err != nil {
		return fmt.Errorf("create database %q: %w", name, err)
	}
	return nil
}

// Open connects a pool and checks that the server answers.
func Open(ctx context.Context, url string) (*pgxpool.Pool, error) {
	cfg, err := ParseURL(url)
	if err != nil {
		return nil, err
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("cannot reach PostgreSQL at %s: %w", address(cfg), unwrapConnect(err))
	}
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := pool.Ping(pingCtx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("cannot reach PostgreSQL at %s: %w", address(cfg), unwrapConnect(err))
	}
	return pool, nil
}

// versionTable records the applied migration number.
const versionTable = "schema_version"

// Migrate applies every migration not applied yet, each in its own
// transaction. tern holds a PostgreSQL advisory lock meanwhile, which
// serialises concurrent starts (a worker and an API process starting together).
func Migrate(ctx context.Context, pool *pgxpool.Pool, logger *slog.Logger) error {
	return withMigrator(ctx, pool, func(m *migrate.Migrator) error {
		m.OnStart = func(seq int32, name, _, _ string) {
			logger.Info("applying migration", "version", seq, "file", name)
		}
		if err := m.Migrate(ctx); err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
		return nil
	})
}

// MigrateTo applies the migrations up to version and no further: a test
// builds a database in an earlier shape with it, to migrate from.
func MigrateTo(ctx context.Context, pool *pgxpool.Pool, version int32) error {
	return withMigrator(ctx, pool, func(m *migrate.Migrator) error {
		if err := m.MigrateTo(ctx, version); err != nil {
			return fmt.Errorf("migrate to %d: %w", version, err)
		}
		return nil
	})
}

// Migration is one migration file and whether it is applied.
type Migration struct {
	Version int32
	File    string
	Applied bool
}

// Status lists every embedded migration in order.
func Status(ctx context.Context, pool *pgxpool.Pool) ([]Migration, error) {
	var out []Migration
	err := withMigrator(ctx, pool, func(m *migrate.Migrator) error {
		current, err := m.GetCurrentVersion(ctx)
		if err != nil {
			return fmt.Errorf("migration status: %w", err)
		}
		for _, mig := range m.Migrations {
			out = append(out, Migration{Version: mig.Sequence, File: mig.Name, Applied: mig.Sequence <= current})
		}
		return nil
	})
	return out, err
}

func withMigrator(ctx context.Context, pool *pgxpool.Pool, fn func(*migrate.Migrator) error) error {
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	defer conn.Release()
	m, err := migrate.NewMigrator(ctx, conn.Conn(), versionTable)
	if err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	if err := m.LoadMigrations(migrations.FS); err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	return fn(m)
}

func address(cfg *pgxpool.Config) string {
	return fmt.Sprintf("%s:%d", cfg.ConnConfig.Host, cfg.ConnConfig.Port)
}

// unwrapConnect reduces a failed connection to its cause on one line: pgx
// repeats host, user and database, and joins one error per address tried.
func unwrapConnect(err error) error {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return errors.New(pgErr.Message)
	}
	var opErr *net.OpError
	if errors.As(err, &opErr) {
		return opErr
	}
	msg, _, _ := strings.Cut(err.Error(), "\n")
	return errors.New(msg)
}

// DropDatabase removes a database, closing its connections; the tests drop
// theirs with it. serverURL names any database of the same server.
func DropDatabase(ctx context.Context, serverURL, name string) error {
	conn, err := pgx.Connect(ctx, serverURL)
	if err != nil {
		return err
	}
	defer func() { _ = conn.Close(ctx) }()
	_, err = conn.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)")
	return err
}

// DropDatabases drops the databases the URL's server holds under these
// names, if they exist, closing their connections first. `traject bench
// --compare` gives each run fresh databases so that no run inherits
// another's rows.
func DropDatabases(ctx context.Context, url string, names ...string) error {
	cfg, err := ParseURL(url)
	if err != nil {
		return err
	}
	admin := cfg.ConnConfig.Copy()
	admin.Database = "postgres"
	conn, err := pgx.ConnectConfig(ctx, admin)
	if err != nil {
		return fmt.Errorf("cannot reach PostgreSQL at %s: %w", address(cfg), unwrapConnect(err))
	}
	defer func() { _ = conn.Close(ctx) }()
	for _, name := range names {
		if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)"); err != nil {
			return fmt.Errorf("drop database %q: %w", name, err)
		}
	}
	return nil
}
