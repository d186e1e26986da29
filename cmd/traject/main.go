// Command traject runs the SPI trajectory service of an OCMW / CPAS.
//
//	traject dev          embedded Temporal server + worker + API + mail capture, one process
//	traject serve        the HTTP API, against a Temporal cluster
//	traject worker       the Temporal worker, against a Temporal cluster and an SMTP relay
//	traject migrate up   apply database migrations
//	traject migrate status
//	traject centre create --id ID --name NAME --region REGION
//	traject user create --centre ID|--host ID --email ADDRESS --name NAME --role ROLE
//	traject token create --user ID --name TEXT
//	traject token revoke --id ID
//
// Every flag can also be set as an environment variable TRAJECT_<FLAG>,
// e.g. --database-url as TRAJECT_DATABASE_URL; a flag wins over its variable.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"syscall"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/peterbourgon/ff/v3"
	"github.com/peterbourgon/ff/v3/ffcli"

	"github.com/traject-ocmw/traject/casework"
	"github.com/traject-ocmw/traject/domain"
	"github.com/traject-ocmw/traject/messages"
	"github.com/traject-ocmw/traject/store"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
	case errors.As(err, new(usageError)):
		fmt.Fprintf(os.Stderr, "traject: %v (see traject -h)\n", err)
		os.Exit(2)
	default:
		fmt.Fprintf(os.Stderr, "traject: %v\n", err)
		os.Exit(1)
	}
}

// usageError is a command line that could not be parsed.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

// run is main without the process: tests call it with their own context,
// arguments and output.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg := &config{}
	newFlags := func(name string, register ...func(*flag.FlagSet)) *flag.FlagSet {
		fs := flag.NewFlagSet("traject "+name, flag.ContinueOnError)
		fs.SetOutput(stderr)
		for _, r := range register {
			r(fs)
		}
		return fs
	}
	opts := []ff.Option{ff.WithEnvVarPrefix(envPrefix)}

	dev := &ffcli.Command{
		Name:       "dev",
		ShortUsage: "traject dev [flags]",
		ShortHelp:  "run everything in one process: embedded Temporal server, worker, API, mail capture",
		FlagSet:    newFlags("dev", cfg.commonFlags, cfg.httpFlags, cfg.devFlags, cfg.workerFlags, cfg.publicURLFlag, cfg.metricsFlags("127.0.0.1:9090")),
		Options:    opts,
		Exec: func(ctx context.Context, _ []string) error {
			return withLogger(cfg, stderr, func(logger *slog.Logger) error {
				return runDev(ctx, cfg, logger)
			}, cfg.validateHTTP, cfg.validateDev, cfg.validateWorker, cfg.validateMetrics)
		},
	}
	serve := &ffcli.Command{
		Name:       "serve",
		ShortUsage: "traject serve [flags]",
		ShortHelp:  "run the HTTP API against a Temporal cluster",
		FlagSet:    newFlags("serve", cfg.commonFlags, cfg.httpFlags, cfg.publicURLFlag, cfg.temporalFlags, cfg.metricsFlags("127.0.0.1:9091")),
		Options:    opts,
		Exec: func(ctx context.Context, _ []string) error {
			return withLogger(cfg, stderr, func(logger *slog.Logger) error {
				return runServe(ctx, cfg, logger)
			}, cfg.validateHTTP, cfg.validateServe, cfg.validateMetrics)
		},
	}
	worker := &ffcli.Command{
		Name:       "worker",
		ShortUsage: "traject worker [flags]",
		ShortHelp:  "run the Temporal worker against a Temporal cluster and an SMTP relay",
		FlagSet:    newFlags("worker", cfg.commonFlags, cfg.temporalFlags, cfg.smtpFlags, cfg.workerFlags, cfg.publicURLFlag, cfg.metricsFlags("127.0.0.1:9090")),
		Options:    opts,
		Exec: func(ctx context.Context, _ []string) error {
			return withLogger(cfg, stderr, func(logger *slog.Logger) error {
				return runWorker(ctx, cfg, logger)
			}, cfg.validateSMTP, cfg.validateWorker, cfg.validateMetrics)
		},
	}
	migrateUp := &ffcli.Command{
		Name:       "up",
		ShortUsage: "traject migrate up [flags]",
		ShortHelp:  "create the database if missing and apply every pending migration",
		FlagSet:    newFlags("migrate up", cfg.commonFlags),
		Options:    opts,
		Exec: func(ctx context.Context, _ []string) error {
			return withLogger(cfg, stderr, func(logger *slog.Logger) error {
				pool, err := openDatabase(ctx, cfg, logger, true)
				if err != nil {
					return err
				}
				pool.Close()
				return nil
			})
		},
	}
	migrateStatus := &ffcli.Command{
		Name:       "status",
		ShortUsage: "traject migrate status [flags]",
		ShortHelp:  "list the migrations and whether each is applied",
		FlagSet:    newFlags("migrate status", cfg.commonFlags),
		Options:    opts,
		Exec: func(ctx context.Context, _ []string) error {
			return withLogger(cfg, stderr, func(*slog.Logger) error {
				return printMigrationStatus(ctx, cfg, stdout)
			})
		},
	}
	migrate := &ffcli.Command{
		Name:        "migrate",
		ShortUsage:  "traject migrate up|status [flags]",
		ShortHelp:   "manage the PostgreSQL schema",
		FlagSet:     newFlags("migrate"),
		Subcommands: []*ffcli.Command{migrateUp, migrateStatus},
		Exec: func(context.Context, []string) error {
			return usageError{errors.New("migrate needs up or status")}
		},
	}
	var tokenUser, tokenName, tokenID string
	tokenCreateFlags := newFlags("token create", cfg.commonFlags)
	tokenCreateFlags.StringVar(&tokenUser, "user", "", "ID of the staff user the token acts as")
	tokenCreateFlags.StringVar(&tokenName, "name", "", "what the token is for, e.g. \"intake desk laptop\"")
	tokenRevokeFlags := newFlags("token revoke", cfg.commonFlags)
	tokenRevokeFlags.StringVar(&tokenID, "id", "", "ID of the token to revoke")
	token := &ffcli.Command{
		Name:       "token",
		ShortUsage: "traject token create|revoke [flags]",
		ShortHelp:  "manage API bearer tokens",
		FlagSet:    newFlags("token"),
		Subcommands: []*ffcli.Command{{
			Name:       "create",
			ShortUsage: "traject token create --user ID --name TEXT",
			ShortHelp:  "print a new bearer token for a staff user (shown once)",
			FlagSet:    tokenCreateFlags,
			Options:    opts,
			Exec: func(ctx context.Context, _ []string) error {
				return withLogger(cfg, stderr, func(*slog.Logger) error {
					if tokenUser == "" || tokenName == "" {
						return usageError{errors.New("token create needs --user and --name")}
					}
					return createToken(ctx, cfg, tokenUser, tokenName, stdout)
				})
			},
		}, {
			Name:       "revoke",
			ShortUsage: "traject token revoke --id ID",
			ShortHelp:  "revoke a bearer token at once",
			FlagSet:    tokenRevokeFlags,
			Options:    opts,
			Exec: func(ctx context.Context, _ []string) error {
				return withLogger(cfg, stderr, func(*slog.Logger) error {
					if tokenID == "" {
						return usageError{errors.New("token revoke needs --id")}
					}
					return revokeToken(ctx, cfg, tokenID, stdout)
				})
			},
		}},
		Exec: func(context.Context, []string) error {
			return usageError{errors.New("token needs create or revoke")}
		},
	}
	var centre store.Centre
	centreFlags := newFlags("centre create", cfg.commonFlags)
	centreFlags.StringVar(&centre.ID, "id", "", "short ID, e.g. molenbeek")
	centreFlags.StringVar(&centre.Name, "name", "", "name, e.g. \"OCMW Molenbeek\"")
	centreFlags.StringVar(&centre.Region, "region", "", "brussels, flanders or wallonia")
	centreFlags.StringVar(&centre.Language, "language", "nl", "the centre's language: nl or fr")
	centreCmd := &ffcli.Command{
		Name:       "centre",
		ShortUsage: "traject centre create --id ID --name NAME --region REGION",
		ShortHelp:  "add a centre (OCMW / CPAS) to the installation",
		FlagSet:    newFlags("centre"),
		Subcommands: []*ffcli.Command{{
			Name: "create", ShortUsage: "traject centre create --id ID --name NAME --region REGION", ShortHelp: "add a centre",
			FlagSet: centreFlags, Options: opts,
			Exec: func(ctx context.Context, _ []string) error {
				return withLogger(cfg, stderr, func(logger *slog.Logger) error {
					return withDatabase(ctx, cfg, logger, func(pool *pgxpool.Pool) error {
						if err := store.New(pool).CreateCentre(ctx, centre); err != nil {
							return said(err)
						}
						fmt.Fprintf(stdout, "centre %s created\n", centre.ID)
						return nil
					})
				})
			},
		}},
		Exec: func(context.Context, []string) error { return usageError{errors.New("centre needs create")} },
	}
	var user store.User
	userFlags := newFlags("user create", cfg.commonFlags)
	userFlags.StringVar(&user.CentreID, "centre", "", "ID of the user's centre (a centre's staff)")
	userFlags.StringVar(&user.HostID, "host", "", "ID of the user's host organisation (a host's staff, role host or host_admin), instead of --centre")
	userFlags.StringVar(&user.Email, "email", "", "e-mail address")
	userFlags.StringVar(&user.DisplayName, "name", "", "name as colleagues see it")
	userFlags.Func("role", "counsellor, coordinator, bcsd or admin; host or host_admin with --host", func(v string) error {
		user.Role = domain.Role(v) // store.CheckUser refuses any other
		return nil
	})
	userFlags.StringVar(&user.Language, "language", "nl", "nl or fr: the language of the user's mail")
	userCmd := &ffcli.Command{
		Name:       "user",
		ShortUsage: "traject user create --centre ID --email ADDRESS --name NAME --role ROLE",
		ShortHelp:  "add a staff user (the first administrator of a centre; later ones through the API)",
		FlagSet:    newFlags("user"),
		Subcommands: []*ffcli.Command{{
			Name: "create", ShortUsage: "traject user create --centre ID --email ADDRESS --name NAME --role ROLE", ShortHelp: "add a staff user",
			FlagSet: userFlags, Options: opts,
			Exec: func(ctx context.Context, _ []string) error {
				return withLogger(cfg, stderr, func(logger *slog.Logger) error {
					return withDatabase(ctx, cfg, logger, func(pool *pgxpool.Pool) error {
						if (user.CentreID == "") == (user.HostID == "") {
							return usageError{errors.New("give exactly one of --centre and --host")}
						}
						id, err := store.New(pool).CreateUser(ctx, user)
						if err != nil {
							return said(err)
						}
						fmt.Fprintf(stdout, "user %s created\n", id)
						return nil
					})
				})
			},
		}},
		Exec: func(context.Context, []string) error { return usageError{errors.New("user needs create")} },
	}
	var agesCentre string
	agesFlags := newFlags("check ages", cfg.commonFlags)
	agesFlags.StringVar(&agesCentre, "centre", "", "one centre's contracts (default: every centre)")
	checkCmd := &ffcli.Command{
		Name:       "check",
		ShortUsage: "traject check ages [--centre ID]",
		ShortHelp:  "look for dossiers that need a coordinator's correction",
		FlagSet:    newFlags("check"),
		Subcommands: []*ffcli.Command{{
			Name: "ages", ShortUsage: "traject check ages [--centre ID]",
			ShortHelp: "running Article 60 contracts planned with a wrong age at start (and so, maybe, the wrong number of working days)",
			FlagSet:   agesFlags, Options: opts,
			Exec: func(ctx context.Context, _ []string) error {
				return withLogger(cfg, stderr, func(logger *slog.Logger) error {
					return withDatabase(ctx, cfg, logger, func(pool *pgxpool.Pool) error {
						return printAgeMismatches(ctx, pool, agesCentre, stdout)
					})
				})
			},
		}},
		Exec: func(context.Context, []string) error { return usageError{errors.New("check needs ages")} },
	}
	benchCfg := &benchConfig{}
	var benchCmd *ffcli.Command
	benchCmd = &ffcli.Command{
		Name:       "bench",
		ShortUsage: "traject bench [flags]",
		ShortHelp:  "measure starts, history size, API latency, timer bursts, memory and mail throughput",
		FlagSet:    newFlags("bench", cfg.commonFlags, benchCfg.flags(cfg)),
		Options:    opts,
		Exec: func(ctx context.Context, _ []string) error {
			return withLogger(cfg, stderr, func(logger *slog.Logger) error {
				if benchCfg.Compare != "" {
					return runCompare(ctx, cfg, benchCfg, benchCmd.FlagSet, stdout, logger)
				}
				return runBench(ctx, cfg, benchCfg, stdout, logger)
			}, benchCfg.validate(cfg))
		},
	}
	root := &ffcli.Command{
		ShortUsage:  "traject <subcommand> [flags]",
		LongHelp:    "Runs the socio-professional integration trajectories of an OCMW / CPAS.\nEvery flag can also be set as TRAJECT_<FLAG>, e.g. --database-url as TRAJECT_DATABASE_URL.",
		FlagSet:     newFlags(""),
		Subcommands: []*ffcli.Command{dev, serve, worker, migrate, centreCmd, userCmd, token, checkCmd, benchCmd},
	}
	root.Exec = func(context.Context, []string) error {
		fmt.Fprintln(stderr, ffcli.DefaultUsageFunc(root))
		return usageError{errors.New("name a subcommand")}
	}

	if err := root.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{err}
	}
	return root.Run(ctx)
}

// withLogger validates the settings every subcommand shares plus the given
// ones, builds the logger, and runs fn. Nothing is started before every
// setting has been checked.
func withLogger(cfg *config, stderr io.Writer, fn func(*slog.Logger) error, validate ...func() error) error {
	if err := cfg.validateCommon(); err != nil {
		return err
	}
	for _, v := range validate {
		if err := v(); err != nil {
			return err
		}
	}
	level, _ := parseLevel(cfg.LogLevel)
	hopts := &slog.HandlerOptions{Level: level}
	var h slog.Handler = slog.NewTextHandler(stderr, hopts)
	if cfg.LogFormat == "json" {
		h = slog.NewJSONHandler(stderr, hopts)
	}
	logger := slog.New(h)
	slog.SetDefault(logger)
	return fn(logger)
}

// said words a refused command's problem in English, as the API does; any
// other error stays as it is, for the log.
func said(err error) error {
	f := casework.Explain(err)
	if !f.Refused() || f.Status == http.StatusNotFound { // "no such centre nowhere" says it
		return err
	}
	msg := messages.T("en", f.Key, anys(f.Args)...)
	for _, fp := range f.Fields {
		msg += "; " + fp.Field + " " + messages.T("en", "fault."+string(fp.Code), anys(fp.Args)...)
	}
	return errors.New(msg)
}

func anys(args []string) []any {
	out := make([]any, len(args))
	for i, a := range args {
		out[i] = a
	}
	return out
}
