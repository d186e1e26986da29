package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/traject-ocmw/traject/bench"
	"github.com/traject-ocmw/traject/devserver"
	"github.com/traject-ocmw/traject/workflows"
)

// benchConfig holds the settings only `traject bench` reads.
type benchConfig struct {
	Participants int
	Bursts       string
	Mails        int
	Concurrency  int
	Samples      int
	LoadFor      time.Duration
	BurstTimeout time.Duration
	OpenAt       string
	JSON         string
	// ReadProfile is a file for a CPU profile of the timed dossier reads.
	ReadProfile string
	// Compare names another traject binary to alternate with this one.
	Compare string
	Rounds  int
}

const benchDatabaseURL = "postgres://postgres@127.0.0.1:5432/traject_bench?sslmode=disable"

func (b *benchConfig) flags(cfg *config) func(fs *flag.FlagSet) {
	return func(fs *flag.FlagSet) {
		// its own database by default: the bench adds thousands of dossiers
		if f := fs.Lookup("database-url"); f != nil {
			f.DefValue = benchDatabaseURL
			_ = f.Value.Set(benchDatabaseURL)
		}
		fs.StringVar(&cfg.TemporalStore, "temporal-store", "sqlite", "embedded Temporal persistence: sqlite or postgres; ignored when TEMPORAL_ADDRESS or --temporal-address names a server")
		fs.StringVar(&cfg.TemporalAddress, "temporal-address", "", "an external Temporal frontend to measure instead of the embedded server (default: TEMPORAL_ADDRESS)")
		fs.StringVar(&cfg.TemporalNamespace, "temporal-namespace", "", "namespace of the external server (default: TEMPORAL_NAMESPACE, else default)")
		fs.IntVar(&b.Participants, "participants", 10000, "participants created through the API and kept loaded for the latency figures")
		fs.StringVar(&b.Bursts, "bursts", "1000,10000", "sizes of the timer bursts, comma-separated")
		fs.IntVar(&b.Mails, "mails", 5000, "messages sent to the local SMTP server")
		fs.IntVar(&b.Concurrency, "concurrency", 16, "concurrent clients while loading")
		fs.IntVar(&b.Samples, "samples", 1000, "dossier reads timed for the latency figures (and a third as many transitions)")
		fs.DurationVar(&b.LoadFor, "load-for", 30*time.Second, "how long wrk loads the API with mixed reads and transitions (0: not at all)")
		fs.DurationVar(&b.BurstTimeout, "burst-timeout", 10*time.Minute, "how long a timer burst may take to drain before it is reported as not drained")
		fs.StringVar(&b.OpenAt, "open", "", "numbers of open trajectories to read the memory at, comma-separated, topped up with new ones (empty: once, at the end)")
		cfg.workerFlags(fs)
		cfg.publicURLFlag(fs)
		fs.StringVar(&b.JSON, "json", "bench.json", "file the report is written to as JSON (empty: none)")
		fs.StringVar(&b.ReadProfile, "read-profile", "", "file for a CPU profile of the process while the dossier reads are timed (go tool pprof reads it)")
		fs.StringVar(&b.Compare, "compare", "", "another traject binary: run it and this one in turn, each on fresh databases with the same flags, and print each figure's median and range side by side")
		fs.IntVar(&b.Rounds, "rounds", 3, "with --compare: runs of each binary (the order alternates each round)")
	}
}

func (b *benchConfig) validate(cfg *config) func() error {
	return func() error {
		if b.Participants < 1 {
			return settingError("participants", "must be at least 1")
		}
		if _, err := counts(b.Bursts); err != nil {
			return settingError("bursts", err.Error())
		}
		if _, err := counts(b.OpenAt); err != nil {
			return settingError("open", err.Error())
		}
		if err := cfg.validateWorker(); err != nil {
			return err
		}
		if b.Concurrency < 1 || b.Concurrency > 1024 {
			return settingError("concurrency", "must be between 1 and 1024")
		}
		if b.Compare != "" && (b.Rounds < 1 || b.Rounds > 50) {
			return settingError("rounds", "must be between 1 and 50")
		}
		if cfg.TemporalStore != "sqlite" && cfg.TemporalStore != "postgres" {
			return settingError("temporal-store", fmt.Sprintf("%q is not sqlite or postgres", cfg.TemporalStore))
		}
		return nil
	}
}

// counts reads a comma-separated list of positive numbers.
func counts(list string) ([]int, error) {
	var out []int
	for _, s := range strings.Split(list, ",") {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			return nil, fmt.Errorf("%q is not a positive number", s)
		}
		out = append(out, n)
	}
	return out, nil
}

// runBench measures against the external Temporal server when one is
// named, else against an embedded one on SQLite or PostgreSQL.
func runBench(ctx context.Context, cfg *config, b *benchConfig, stdout io.Writer, logger *slog.Logger) error {
	pool, err := openDatabase(ctx, cfg, logger, true)
	if err != nil {
		return err
	}
	defer pool.Close()
	bursts, _ := counts(b.Bursts)
	openAt, _ := counts(b.OpenAt)

	var c client.Client
	var server string
	if cfg.TemporalAddress != "" || os.Getenv("TEMPORAL_ADDRESS") != "" {
		copts, err := cfg.temporalClientOptions()
		if err != nil {
			return err
		}
		if c, err = dialTemporal(ctx, copts, logger); err != nil {
			return err
		}
		server = "external Temporal at " + copts.HostPort
	} else {
		dir, err := os.MkdirTemp("", "traject-bench-")
		if err != nil {
			return err
		}
		defer func() { _ = os.RemoveAll(dir) }()
		opts := devserver.Options{DataDir: dir, Namespace: "default", SearchAttributes: workflows.SearchAttributes(), Logger: logger, LogLevel: "error"}
		server = "embedded Temporal on SQLite"
		if cfg.TemporalStore == "postgres" {
			if opts.Postgres, err = postgresStore(cfg.DatabaseURL); err != nil {
				return err
			}
			opts.HistoryShards = 4
			server = "embedded Temporal on PostgreSQL (4 shards)"
		}
		srv, err := devserver.Start(ctx, opts)
		if err != nil {
			return err
		}
		defer func() { _ = srv.Stop() }()
		if c, err = dialTemporal(ctx, client.Options{HostPort: srv.FrontendAddress(), Namespace: srv.Namespace()}, logger); err != nil {
			return err
		}
	}
	defer c.Close()
	var profile *os.File
	if b.ReadProfile != "" {
		if profile, err = os.Create(b.ReadProfile); err != nil {
			return settingError("read-profile", err.Error())
		}
		defer func() { _ = profile.Close() }()
	}
	logger.Info("bench starting", "server", server, "participants", b.Participants, "bursts", b.Bursts)
	bc := bench.Config{
		Client: c, DB: pool, Server: server, Participants: b.Participants, Bursts: bursts, Mails: b.Mails,
		Concurrency: b.Concurrency, Samples: b.Samples, LoadFor: b.LoadFor, BurstTimeout: b.BurstTimeout,
		OpenAt: openAt, WorkflowCache: cfg.WorkflowCache, Logger: logger,
	}
	if profile != nil {
		bc.ReadProfile = profile
	}
	report, err := bench.Run(ctx, bc)
	report.WriteTable(stdout)
	if b.JSON != "" {
		raw, jerr := json.MarshalIndent(report, "", "  ")
		if jerr == nil {
			jerr = os.WriteFile(b.JSON, append(raw, '\n'), 0o644)
		}
		if jerr != nil {
			return fmt.Errorf("bench report: %w", jerr)
		}
	}
	return err
}
