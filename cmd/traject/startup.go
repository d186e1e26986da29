package main

import (
	"context"
	"log/slog"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"go.temporal.io/sdk/client"

	"github.com/traject-ocmw/traject/api"
)

// dependencies are what serve and worker wait for at start. Until each is
// there, its readiness check answers api.ErrWaiting, so /readyz says what
// the process waits for.
type dependencies struct {
	pool   atomic.Pointer[pgxpool.Pool]
	client atomic.Pointer[client.Client]
	// worker, for the worker process: its pollers run.
	worker atomic.Bool
}

func (d *dependencies) checks(withWorker bool) []api.Check {
	checks := []api.Check{
		{Name: "postgres", Check: func(ctx context.Context) error {
			p := d.pool.Load()
			if p == nil {
				return api.ErrWaiting
			}
			return p.Ping(ctx)
		}},
		{Name: "temporal", Check: func(ctx context.Context) error {
			c := d.client.Load()
			if c == nil {
				return api.ErrWaiting
			}
			_, err := (*c).CheckHealth(ctx, &client.CheckHealthRequest{})
			return err
		}},
	}
	if withWorker {
		checks = append(checks, api.Check{Name: "worker", Check: func(context.Context) error {
			if !d.worker.Load() {
				return api.ErrWaiting
			}
			return nil
		}})
	}
	return checks
}

// retryUntilUp calls connect until it succeeds or ctx ends, waiting 1 s,
// 2 s, 4 s ... up to 30 s between tries and logging why each time: a
// process started while PostgreSQL or Temporal is away waits for it (as
// under a supervisor that would restart it) instead of exiting.
func retryUntilUp[T any](ctx context.Context, logger *slog.Logger, what string, connect func(context.Context) (T, error)) (T, error) {
	wait := time.Second
	for {
		v, err := connect(ctx)
		if err == nil || ctx.Err() != nil {
			return v, err
		}
		logger.Warn("waiting for "+what, "retry_in", wait, "err", err)
		select {
		case <-ctx.Done():
			return v, err
		case <-time.After(wait):
		}
		wait = min(2*wait, 30*time.Second)
	}
}

// switchHandler serves one handler and then another: a starting process's
// health endpoints, then the whole API.
type switchHandler struct{ current atomic.Pointer[http.Handler] }

func (s *switchHandler) set(h http.Handler) { s.current.Store(&h) }

func (s *switchHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	(*s.current.Load()).ServeHTTP(w, r)
}
