package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/traject-ocmw/traject/store"
	"github.com/traject-ocmw/traject/testenv"
)

// serve and worker started while PostgreSQL is away wait for it instead of
// exiting, and /readyz says what they wait for; once it is back they come
// up.
func TestServeAndWorkerWaitForPostgreSQLAtStart(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	dbURL := testenv.DatabaseURL(t)
	if err := store.EnsureExists(ctx, dbURL); err != nil {
		t.Fatal(err)
	}
	proxy := testenv.NewProxy(t, "127.0.0.1:5432")
	proxy.Cut()
	u, _ := url.Parse(dbURL)
	u.Host = proxy.Addr()
	temporal := testenv.Temporal(t)
	smtp := testenv.Mail(t)
	host, port, _ := strings.Cut(smtp.Addr(), ":")
	httpAddr := fmt.Sprintf("127.0.0.1:%d", testenv.FreePort(t))
	workerMetrics := fmt.Sprintf("127.0.0.1:%d", testenv.FreePort(t))
	common := []string{"--database-url", u.String(), "--temporal-address", temporal.FrontendAddress(), "--temporal-namespace", temporal.Namespace(),
		"--task-queue", fmt.Sprintf("startup-%d", time.Now().UnixNano())}
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 2)
	go func() {
		done <- run(runCtx, append([]string{"worker", "--smtp-host", host, "--smtp-port", port, "--smtp-tls", "none", "--smtp-from", "t@ocmw.example", "--metrics-addr", workerMetrics}, common...), new(bytes.Buffer), new(bytes.Buffer))
	}()
	go func() {
		done <- run(runCtx, append([]string{"serve", "--http-addr", httpAddr, "--metrics-addr", ""}, common...), new(bytes.Buffer), new(bytes.Buffer))
	}()

	readiness := func(addr string) (int, map[string]string) {
		resp, err := http.Get("http://" + addr + "/readyz")
		if err != nil {
			return 0, nil
		}
		defer func() { _ = resp.Body.Close() }()
		var body struct{ Checks map[string]string }
		_ = json.NewDecoder(resp.Body).Decode(&body)
		return resp.StatusCode, body.Checks
	}
	for _, addr := range []string{httpAddr, workerMetrics} {
		waitFor(t, addr+" to say it waits for PostgreSQL", func() bool {
			status, checks := readiness(addr)
			return status == http.StatusServiceUnavailable && checks["postgres"] == "waiting"
		})
	}
	time.Sleep(2 * time.Second) // a few tries refused
	select {
	case err := <-done:
		t.Fatalf("a process ended while PostgreSQL was away: %v", err)
	default:
	}
	if proxy.Refused() == 0 {
		t.Error("nobody tried PostgreSQL")
	}
	proxy.Restore()
	for _, addr := range []string{httpAddr, workerMetrics} {
		deadline := time.Now().Add(45 * time.Second)
		for {
			status, checks := readiness(addr)
			if status == http.StatusOK {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s not ready 45 s after PostgreSQL came back: %d %v", addr, status, checks)
			}
			time.Sleep(200 * time.Millisecond)
		}
	}
	stop()
	for range 2 {
		if err := <-done; err != nil {
			t.Errorf("a process did not stop cleanly: %v", err)
		}
	}
}
