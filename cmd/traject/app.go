package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/jackc/pgx/v5/pgxpool"
	"go.temporal.io/sdk/client"
	sdklog "go.temporal.io/sdk/log"

	"github.com/traject-ocmw/traject/api"
	"github.com/traject-ocmw/traject/devserver"
	"github.com/traject-ocmw/traject/mailcapture"
	"github.com/traject-ocmw/traject/metrics"
	"github.com/traject-ocmw/traject/notify"
	"github.com/traject-ocmw/traject/store"
	"github.com/traject-ocmw/traject/web"
	"github.com/traject-ocmw/traject/worker"
	"github.com/traject-ocmw/traject/workflows"
)

// runDev runs the embedded Temporal server, the worker, the API and the mail
// capture server in this process until ctx ends, then stops them in reverse.
func runDev(ctx context.Context, cfg *config, logger *slog.Logger) error {
	// Bind the API port first: a port in use is the most common start error
	// and should fail before anything slow starts.
	ln, err := listen(cfg.HTTPAddr)
	if err != nil {
		return err
	}
	defer func() { _ = ln.Close() }()
	publicURL := cfg.PublicURL
	if publicURL == "" {
		publicURL = "http://" + ln.Addr().String()
	}
	verifier, signIn, err := identityProvider(ctx, cfg, publicURL)
	if err != nil {
		return err
	}
	hostSignIn, err := hostIdentityProviders(ctx, cfg, publicURL)
	if err != nil {
		return err
	}

	pool, err := openDatabase(ctx, cfg, logger, true)
	if err != nil {
		return err
	}
	defer pool.Close()

	mail, err := mailcapture.Start(cfg.DevSMTPAddr, func(m mailcapture.Message) {
		// Numbers only: subjects and addresses can name a participant.
		logger.Info("mail captured", "seq", m.Seq, "recipients", len(m.To), "bytes", len(m.Raw), "read", "GET /dev/mail/"+fmt.Sprint(m.Seq))
	})
	if err != nil {
		return err
	}
	defer func() { _ = mail.Close() }()

	opts := devserver.Options{
		DataDir:          cfg.DataDir,
		Namespace:        cfg.TemporalNamespace,
		FrontendPort:     cfg.TemporalPort,
		SearchAttributes: workflows.SearchAttributes(),
		Retention:        cfg.TemporalRetention,
		Logger:           logger,
		LogLevel:         temporalLogLevel(cfg.LogLevel),
	}
	if cfg.TemporalStore == "postgres" {
		store, err := postgresStore(cfg.DatabaseURL)
		if err != nil {
			return err
		}
		opts.Postgres = store
		opts.HistoryShards = int32(cfg.TemporalShards)
	}
	started := time.Now()
	temporalServer, err := devserver.Start(ctx, opts)
	if err != nil {
		return err
	}
	defer func() {
		if err := temporalServer.Stop(); err != nil {
			logger.Warn("embedded temporal stop", "err", err)
		}
	}()
	logger.Info("embedded temporal server up", "address", temporalServer.FrontendAddress(), "store", cfg.TemporalStore, "took", time.Since(started).Round(time.Millisecond))

	m, err := newMetrics(ctx, pool, cfg.MetricsAddr, logger, nil)
	if err != nil {
		return err
	}
	c, err := dialTemporal(ctx, client.Options{HostPort: temporalServer.FrontendAddress(), Namespace: temporalServer.Namespace(), MetricsHandler: m.Temporal()}, logger)
	if err != nil {
		return err
	}
	defer c.Close()

	// In dev every message goes to the capture server.
	host, port, _ := net.SplitHostPort(mail.Addr())
	portNumber, _ := strconv.Atoi(port)
	mailer, err := notify.NewMailer(notify.SMTP{Host: host, Port: portNumber, TLS: "none", From: "OCMW Traject (dev) <traject@localhost>"})
	if err != nil {
		return err
	}
	w := worker.New(c, cfg.TaskQueue, worker.Dependencies{DB: pool, Mailer: mailer, PublicURL: publicURL}, cfg.WorkflowCache)
	if err := w.Start(); err != nil {
		return fmt.Errorf("worker: %w", err)
	}
	defer w.Stop()
	defer ensureSchedules(ctx, c, temporalServer.Namespace(), pool, cfg.TaskQueue, logger)()

	// dev alone offers a sign-in as any user, and serves plain HTTP.
	pages, err := web.New(web.Options{Logger: logger, DB: pool, DevSignIn: true, InsecureCookies: true, IdleTimeout: cfg.SessionIdle, Temporal: c, UpdateWait: cfg.UpdateWait, TaskQueue: cfg.TaskQueue, OIDC: signIn, HostOIDC: hostSignIn})
	if err != nil {
		return err
	}
	handler := api.New(api.Options{Logger: logger, Ready: readyChecks(pool, c), DevMail: mail, DB: pool, Temporal: c, TaskQueue: cfg.TaskQueue, OIDC: verifier, Metrics: m, UpdateWait: cfg.UpdateWait, Pages: pages})
	logger.Info("traject dev ready",
		"api", "http://"+ln.Addr().String(),
		"temporal", temporalServer.FrontendAddress(),
		"namespace", temporalServer.Namespace(),
		"mail_capture", mail.Addr(),
		"data_dir", cfg.DataDir,
	)
	return serveHTTP(ctx, ln, handler, logger)
}

// runServe runs the API alone against an external Temporal cluster. It
// listens at once; until PostgreSQL and Temporal answer it waits for them,
// and /readyz says which it waits for.
func runServe(ctx context.Context, cfg *config, logger *slog.Logger) error {
	copts, err := cfg.temporalClientOptions()
	if err != nil {
		return err
	}
	ln, err := listen(cfg.HTTPAddr)
	if err != nil {
		return err
	}
	defer func() { _ = ln.Close() }()
	verifier, signIn, err := identityProvider(ctx, cfg, cfg.PublicURL)
	if err != nil {
		return err
	}
	hostSignIn, err := hostIdentityProviders(ctx, cfg, cfg.PublicURL)
	if err != nil {
		return err
	}
	deps := &dependencies{}
	handler := &switchHandler{}
	handler.set(api.Starting(logger, deps.checks(false)))
	served := make(chan error, 1)
	go func() { served <- serveHTTP(ctx, ln, handler, logger) }()

	pool, err := retryUntilUp(ctx, logger, "PostgreSQL", func(ctx context.Context) (*pgxpool.Pool, error) {
		return openDatabase(ctx, cfg, logger, false)
	})
	if err != nil {
		return startAborted(ctx, err, served)
	}
	defer pool.Close()
	deps.pool.Store(pool)
	m, err := newMetrics(ctx, pool, cfg.MetricsAddr, logger, nil)
	if err != nil {
		return err
	}
	copts.MetricsHandler = m.Temporal()
	c, err := retryUntilUp(ctx, logger, "Temporal", func(ctx context.Context) (client.Client, error) {
		return dialTemporal(ctx, copts, logger)
	})
	if err != nil {
		return startAborted(ctx, err, served)
	}
	defer c.Close()
	deps.client.Store(&c)
	pages, err := web.New(web.Options{Logger: logger, DB: pool, IdleTimeout: cfg.SessionIdle, Temporal: c, UpdateWait: cfg.UpdateWait, TaskQueue: cfg.TaskQueue,
		OIDC: signIn, HostOIDC: hostSignIn, InsecureCookies: loopbackHTTP(cfg.PublicURL)})
	if err != nil {
		return err
	}
	handler.set(api.New(api.Options{Logger: logger, Ready: readyChecks(pool, c), DB: pool, Temporal: c, TaskQueue: cfg.TaskQueue, OIDC: verifier, Metrics: m, UpdateWait: cfg.UpdateWait, Pages: pages}))
	logger.Info("traject serve ready", "api", "http://"+ln.Addr().String(), "temporal", copts.HostPort, "namespace", copts.Namespace)
	return <-served
}

// startAborted ends a start that was told to stop while it waited: a clean
// stop, not an error.
func startAborted(ctx context.Context, err error, served <-chan error) error {
	if ctx.Err() != nil {
		if served != nil {
			<-served
		}
		return nil
	}
	return err
}

// runWorker runs the Temporal worker alone until ctx ends. It waits at
// start for PostgreSQL and Temporal; its metrics address answers /readyz
// meanwhile.
func runWorker(ctx context.Context, cfg *config, logger *slog.Logger) error {
	copts, err := cfg.temporalClientOptions()
	if err != nil {
		return err
	}
	mailer, err := notify.NewMailer(cfg.SMTP)
	if err != nil {
		return settingError("smtp-host", err.Error())
	}
	deps := &dependencies{}
	m, err := newMetrics(ctx, nil, cfg.MetricsAddr, logger, deps.checks(true))
	if err != nil {
		return err
	}
	pool, err := retryUntilUp(ctx, logger, "PostgreSQL", func(ctx context.Context) (*pgxpool.Pool, error) {
		return openDatabase(ctx, cfg, logger, false)
	})
	if err != nil {
		return startAborted(ctx, err, nil)
	}
	defer pool.Close()
	deps.pool.Store(pool)
	m.WatchService(pool)
	copts.MetricsHandler = m.Temporal()
	c, err := retryUntilUp(ctx, logger, "Temporal", func(ctx context.Context) (client.Client, error) {
		return dialTemporal(ctx, copts, logger)
	})
	if err != nil {
		return startAborted(ctx, err, nil)
	}
	defer c.Close()
	deps.client.Store(&c)
	w := worker.New(c, cfg.TaskQueue, worker.Dependencies{DB: pool, Mailer: mailer, PublicURL: cfg.PublicURL}, cfg.WorkflowCache)
	if err := w.Start(); err != nil {
		return fmt.Errorf("worker: %w", err)
	}
	defer w.Stop()
	deps.worker.Store(true)
	defer ensureSchedules(ctx, c, copts.Namespace, pool, cfg.TaskQueue, logger)()
	logger.Info("traject worker ready", "temporal", copts.HostPort, "namespace", copts.Namespace, "task_queue", cfg.TaskQueue)
	<-ctx.Done()
	logger.Info("traject worker stopping")
	return nil
}

// newMetrics makes the process's Prometheus registry with the service
// gauges (pool: nil, the caller adds them later) and serves it on addr
// (empty: not served), apart from the API so that the API port answers
// authenticated calls only; with ready, the address answers /readyz too
// (the worker has no other). It flushes the SDK's instruments when ctx
// ends.
func newMetrics(ctx context.Context, pool *pgxpool.Pool, addr string, logger *slog.Logger, ready []api.Check) (*metrics.Metrics, error) {
	m, err := metrics.New(logger)
	if err != nil {
		return nil, fmt.Errorf("metrics: %w", err)
	}
	if pool != nil {
		m.WatchService(pool)
	}
	context.AfterFunc(ctx, func() { _ = m.Shutdown(context.Background()) })
	if addr == "" {
		return m, nil
	}
	ln, err := listen(addr)
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", m.Handler())
	if ready != nil {
		mux.Handle("GET /readyz", api.Starting(logger, ready))
	}
	go func() {
		if err := serveHTTP(ctx, ln, mux, logger); err != nil {
			logger.Error("metrics server", "err", err)
		}
	}()
	return m, nil
}

// loopbackHTTP is a public URL on this machine over plain HTTP, where a
// Secure cookie would never come back: a trial, not a centre's service.
func loopbackHTTP(publicURL string) bool {
	u, err := url.Parse(publicURL)
	if err != nil || u.Scheme != "http" {
		return false
	}
	ip := net.ParseIP(u.Hostname())
	return u.Hostname() == "localhost" || (ip != nil && ip.IsLoopback())
}

// identityProvider discovers the configured issuer at start, so that a
// wrong URL fails now with one line rather than at the first login. It
// gives the API its ID token verifier and the pages their sign-in.
func identityProvider(ctx context.Context, cfg *config, publicURL string) (*oidc.IDTokenVerifier, *web.OIDC, error) {
	if cfg.OIDCIssuer == "" {
		return nil, nil, nil
	}
	dctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	provider, err := oidc.NewProvider(dctx, cfg.OIDCIssuer)
	if err != nil {
		return nil, nil, fmt.Errorf("setting --oidc-issuer (TRAJECT_OIDC_ISSUER): discovery failed: %w", err)
	}
	signIn := &web.OIDC{Provider: provider, ClientID: cfg.OIDCAudience, ClientSecret: cfg.OIDCClientSecret,
		RedirectURL: strings.TrimSuffix(publicURL, "/") + web.CallbackPath}
	return provider.Verifier(&oidc.Config{ClientID: cfg.OIDCAudience}), signIn, nil
}

// hostIdentityProviders discovers the hosts' own providers at start, as
// identityProvider does the centre's.
func hostIdentityProviders(ctx context.Context, cfg *config, publicURL string) (map[string]*web.OIDC, error) {
	if cfg.HostOIDCFile == "" {
		return nil, nil
	}
	list, err := readHostProviders(cfg.HostOIDCFile)
	if err != nil {
		return nil, settingError("host-oidc-file", err.Error())
	}
	out := map[string]*web.OIDC{}
	for _, h := range list {
		dctx, cancel := context.WithTimeout(ctx, 15*time.Second)
		provider, err := oidc.NewProvider(dctx, h.Issuer)
		cancel()
		if err != nil {
			return nil, settingError("host-oidc-file", fmt.Sprintf("discovery of %s failed: %v", h.Issuer, err))
		}
		out[h.HostID] = &web.OIDC{Provider: provider, ClientID: h.ClientID, ClientSecret: h.ClientSecret,
			RedirectURL: strings.TrimSuffix(publicURL, "/") + web.CallbackPath}
	}
	return out, nil
}

// ensureSchedules brings the digest schedules in line in the background:
// after a crash the server answers schedule updates only once the dead
// worker's sticky queue times out, and readiness must not wait for that.
// The returned function waits for it to end, at shutdown.
func ensureSchedules(ctx context.Context, c client.Client, namespace string, pool *pgxpool.Pool, taskQueue string, logger *slog.Logger) (wait func()) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := worker.EnsureSchedules(ctx, c, pool, taskQueue); err != nil && ctx.Err() == nil {
			logger.Error("schedules not set up; digests and retention will not run until the next start", "err", err)
		}
		if err := worker.CheckNamespaceRetention(ctx, c, namespace, pool); err != nil && ctx.Err() == nil {
			logger.Error("temporal namespace retention", "err", err)
		}
	}()
	return func() { <-done }
}

// openDatabase connects (creating the database first in dev) and applies
// pending migrations.
func openDatabase(ctx context.Context, cfg *config, logger *slog.Logger, create bool) (*pgxpool.Pool, error) {
	if create {
		if err := store.EnsureExists(ctx, cfg.DatabaseURL); err != nil {
			return nil, err
		}
	}
	pool, err := store.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return nil, err
	}
	if err := store.Migrate(ctx, pool, logger); err != nil {
		pool.Close()
		return nil, err
	}
	return pool, nil
}

// withDatabase opens (creating and migrating when needed) the database for
// an administrative command.
func withDatabase(ctx context.Context, cfg *config, logger *slog.Logger, fn func(*pgxpool.Pool) error) error {
	pool, err := openDatabase(ctx, cfg, logger, true)
	if err != nil {
		return err
	}
	defer pool.Close()
	return fn(pool)
}

// createToken prints a new API token for a staff user, once.
func createToken(ctx context.Context, cfg *config, user, name string, out io.Writer) error {
	pool, err := store.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer pool.Close()
	id, token, err := store.New(pool).CreateToken(ctx, user, name)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "token id %s\n%s\n(shown once: only its hash is stored)\n", id, token)
	return nil
}

func revokeToken(ctx context.Context, cfg *config, id string, out io.Writer) error {
	pool, err := store.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer pool.Close()
	if err := store.New(pool).RevokeToken(ctx, "", id); err != nil {
		return err
	}
	fmt.Fprintf(out, "token %s revoked\n", id)
	return nil
}

func printMigrationStatus(ctx context.Context, cfg *config, out io.Writer) error {
	pool, err := store.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer pool.Close()
	list, err := store.Status(ctx, pool)
	if err != nil {
		return err
	}
	for _, m := range list {
		state := "pending"
		if m.Applied {
			state = "applied"
		}
		fmt.Fprintf(out, "%03d  %-8s %s\n", m.Version, state, m.File)
	}
	return nil
}

func dialTemporal(ctx context.Context, opts client.Options, logger *slog.Logger) (client.Client, error) {
	opts.Logger = sdklog.NewStructuredLogger(logger.With("component", "temporal-sdk"))
	dialCtx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	c, err := client.DialContext(dialCtx, opts)
	if err != nil {
		return nil, fmt.Errorf("cannot reach Temporal at %s (namespace %s): %w", opts.HostPort, opts.Namespace, err)
	}
	return c, nil
}

func readyChecks(pool *pgxpool.Pool, c client.Client) []api.Check {
	return []api.Check{
		{Name: "postgres", Check: pool.Ping},
		{Name: "temporal", Check: func(ctx context.Context) error {
			_, err := c.CheckHealth(ctx, &client.CheckHealthRequest{})
			return err
		}},
	}
}

func listen(addr string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		var opErr *net.OpError
		if errors.As(err, &opErr) && opErr.Err != nil {
			err = opErr.Err
		}
		return nil, fmt.Errorf("cannot listen on %s: %w", addr, err)
	}
	return ln, nil
}

// serveHTTP serves until ctx ends, then drains requests for up to 10 seconds.
func serveHTTP(ctx context.Context, ln net.Listener, handler http.Handler, logger *slog.Logger) error {
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("http: %w", err)
	case <-ctx.Done():
	}
	logger.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("http shutdown: %w", err)
	}
	return nil
}

// postgresStore places the embedded server's databases on the PostgreSQL
// server of traject's own database, named after it.
func postgresStore(url string) (*devserver.PostgresStore, error) {
	cfg, err := store.ParseURL(url)
	if err != nil {
		return nil, settingError("database-url", err.Error())
	}
	cc := cfg.ConnConfig
	sslMode := "disable"
	if cc.TLSConfig != nil {
		sslMode = "require"
	}
	host := cc.Host
	if filepath.IsAbs(host) { // a Unix socket directory: the SQL plugin dials TCP
		host = "127.0.0.1"
	}
	return &devserver.PostgresStore{
		Host: host, Port: cc.Port, User: cc.User, Password: cc.Password,
		SSLMode: sslMode, Prefix: cc.Database,
	}, nil
}

// temporalLogLevel keeps the embedded server quiet unless traject is asked
// for debug output: its info level logs every shard movement.
func temporalLogLevel(level string) string {
	if level == "debug" {
		return "info"
	}
	return "error"
}
