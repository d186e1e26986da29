// Package testenv gives integration tests the real components they run
// against: a fresh PostgreSQL database per test, one embedded Temporal server
// per test package, and an in-process SMTP server per test.
//
// PostgreSQL is expected on 127.0.0.1:5432 (override the server with
// TRAJECT_TEST_DATABASE_URL). A test that cannot reach it fails; it never
// skips, so a green run always means the tests ran.
package testenv

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"go.temporal.io/sdk/client"

	"github.com/traject-ocmw/traject/devserver"
	"github.com/traject-ocmw/traject/mailcapture"
	"github.com/traject-ocmw/traject/store"
	"github.com/traject-ocmw/traject/workflows"
)

const defaultServerURL = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

// ServerURL is the PostgreSQL server the tests create their databases on.
func ServerURL() string {
	if u := os.Getenv("TRAJECT_TEST_DATABASE_URL"); u != "" {
		return u
	}
	return defaultServerURL
}

// DatabaseURL returns the URL of a new, empty database that is dropped when
// the test ends. Nothing is created yet: the caller (or EnsureExists) does it.
func DatabaseURL(t testing.TB) string {
	t.Helper()
	name := "traject_test_" + randomHex(6)
	u, err := url.Parse(ServerURL())
	if err != nil {
		t.Fatalf("testenv: TRAJECT_TEST_DATABASE_URL: %v", err)
	}
	u.Path = "/" + name
	t.Cleanup(func() { dropDatabase(t, name) })
	return u.String()
}

// Database returns a pool on a new database with every migration applied.
func Database(t testing.TB) *pgxpool.Pool {
	t.Helper()
	pool, _ := DatabaseAndURL(t)
	return pool
}

// DatabaseAndURL is Database, with the database's URL for a second pool
// (through a Proxy, say).
func DatabaseAndURL(t testing.TB) (*pgxpool.Pool, string) {
	t.Helper()
	ctx := context.Background()
	dbURL := DatabaseURL(t)
	if err := store.EnsureExists(ctx, dbURL); err != nil {
		t.Fatalf("testenv: PostgreSQL is needed on %s: %v", ServerURL(), err)
	}
	pool, err := store.Open(ctx, dbURL)
	if err != nil {
		t.Fatalf("testenv: %v", err)
	}
	t.Cleanup(pool.Close)
	if err := store.Migrate(ctx, pool, Logger(t)); err != nil {
		t.Fatalf("testenv: %v", err)
	}
	return pool, dbURL
}

// DropDatabaseAtCleanup drops a database some code under test created.
func DropDatabaseAtCleanup(t testing.TB, name string) {
	t.Cleanup(func() { dropDatabase(t, name) })
}

func dropDatabase(t testing.TB, name string) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := store.DropDatabase(ctx, ServerURL(), name); err != nil {
		t.Errorf("testenv: drop %s: %v", name, err)
	}
}

var shared struct {
	once   sync.Once
	server *devserver.Server
	dir    string
	err    error
}

// Temporal returns the embedded Temporal server shared by the tests of this
// package, started on first use on SQLite in a temporary directory. Call
// Main from TestMain so that it stops when the package's tests end.
func Temporal(t testing.TB) *devserver.Server {
	t.Helper()
	shared.once.Do(func() {
		shared.dir, shared.err = os.MkdirTemp("", "traject-temporal-")
		if shared.err != nil {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		shared.server, shared.err = devserver.Start(ctx, devserver.Options{
			DataDir:          shared.dir,
			SearchAttributes: workflows.SearchAttributes(),
		})
	})
	if shared.err != nil {
		t.Fatalf("testenv: embedded temporal: %v", shared.err)
	}
	return shared.server
}

// Client dials the shared Temporal server; the client closes with the test.
func Client(t testing.TB) client.Client {
	t.Helper()
	srv := Temporal(t)
	c, err := client.Dial(client.Options{HostPort: srv.FrontendAddress(), Namespace: srv.Namespace(), Logger: sdkLogger(t)})
	if err != nil {
		t.Fatalf("testenv: dial temporal: %v", err)
	}
	t.Cleanup(c.Close)
	return c
}

// Main runs the package's tests and then stops the shared Temporal server.
func Main(m *testing.M) {
	code := m.Run()
	if shared.server != nil {
		_ = shared.server.Stop()
	}
	if shared.dir != "" {
		_ = os.RemoveAll(shared.dir)
	}
	os.Exit(code)
}

// Mail starts an SMTP server that captures every message; it stops with the test.
func Mail(t testing.TB) *mailcapture.Server {
	t.Helper()
	s, err := mailcapture.Start("127.0.0.1:0", nil)
	if err != nil {
		t.Fatalf("testenv: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// FreePort returns a TCP port on 127.0.0.1 that was free a moment ago,
// outside the kernel's ephemeral range so that no outgoing connection takes
// it before the code under test binds it.
func FreePort(t testing.TB) int {
	t.Helper()
	port, err := devserver.FreePort("127.0.0.1")
	if err != nil {
		t.Fatalf("testenv: %v", err)
	}
	return port
}

// Logger writes to the test log, shown only when a test fails or with -v.
func Logger(t testing.TB) *slog.Logger { return loggerAt(t, slog.LevelDebug) }

func loggerAt(t testing.TB, level slog.Level) *slog.Logger {
	w := &testWriter{t: t}
	t.Cleanup(w.close)
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: level}))
}

// Discard is a logger for code whose logs a test does not need.
func Discard() *slog.Logger { return slog.New(slog.DiscardHandler) }

// testWriter drops what background goroutines log after the test ended,
// which testing would otherwise turn into a panic.
type testWriter struct {
	t    testing.TB
	mu   sync.Mutex
	done bool
}

func (w *testWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.done {
		w.t.Log(strings.TrimSuffix(string(p), "\n"))
	}
	return len(p), nil
}

func (w *testWriter) close() {
	w.mu.Lock()
	w.done = true
	w.mu.Unlock()
}

func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(fmt.Sprintf("testenv: random: %v", err))
	}
	return hex.EncodeToString(b)
}
