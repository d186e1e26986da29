package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/mail"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/contrib/envconfig"

	"github.com/traject-ocmw/traject/notify"
	"github.com/traject-ocmw/traject/store"
	"github.com/traject-ocmw/traject/web"
)

// envPrefix: every flag can also be set as TRAJECT_<FLAG_NAME>, flags winning.
const envPrefix = "TRAJECT"

// config is every setting of every subcommand. Each subcommand registers the
// flags it uses and validates them before it touches anything.
type config struct {
	DatabaseURL string
	HTTPAddr    string
	// UpdateWait bounds how long a write waits for its workflow update.
	UpdateWait time.Duration
	// SessionIdle ends a web session nobody used for this long.
	SessionIdle time.Duration
	// PublicURL is where staff open the web pages (the links in messages).
	PublicURL   string
	MetricsAddr string
	DataDir     string
	LogLevel    string
	LogFormat   string
	TaskQueue   string
	// WorkflowCache is how many trajectories a worker keeps in memory.
	WorkflowCache int

	// Temporal client. Empty flags leave TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE,
	// TEMPORAL_API_KEY and the TLS variables to the SDK's envconfig.
	TemporalAddress   string
	TemporalNamespace string

	// Embedded Temporal server (dev only).
	TemporalStore     string
	TemporalPort      int
	TemporalShards    int
	TemporalRetention time.Duration
	DevSMTPAddr       string

	SMTP notify.SMTP

	// OIDC admits ID tokens of a centre's identity provider.
	OIDCIssuer   string
	OIDCAudience string
	// OIDCClientSecret is the pages' client secret at the provider (empty:
	// a public client, PKCE alone).
	OIDCClientSecret string
	// HostOIDCFile names a JSON file of host organisations' own identity
	// providers for the pages' sign-in (see hostProviders).
	HostOIDCFile string
}

const defaultDatabaseURL = "postgres://postgres@127.0.0.1:5432/traject?sslmode=disable"

func (c *config) commonFlags(fs *flag.FlagSet) {
	fs.StringVar(&c.DatabaseURL, "database-url", defaultDatabaseURL, "PostgreSQL URL of traject's database")
	fs.StringVar(&c.LogLevel, "log-level", "info", "log level: debug, info, warn or error")
	fs.StringVar(&c.LogFormat, "log-format", "text", "log format: text or json")
}

func (c *config) httpFlags(fs *flag.FlagSet) {
	fs.StringVar(&c.HTTPAddr, "http-addr", "127.0.0.1:8080", "address the HTTP API listens on")
	fs.DurationVar(&c.SessionIdle, "session-idle", 30*time.Minute, "a web page session nobody used for this long ends (sign in again)")
	fs.DurationVar(&c.UpdateWait, "update-wait", 20*time.Second, "how long a write waits for the worker to apply it; then it answers 503 with Retry-After (a retry with the same Idempotency-Key is the same update)")
	fs.StringVar(&c.OIDCIssuer, "oidc-issuer", "", "OpenID Connect issuer URL whose ID tokens the API accepts (empty: API tokens only)")
	fs.StringVar(&c.OIDCAudience, "oidc-audience", "", "client ID the ID tokens must be issued for, and the pages' client ID at the provider (required with --oidc-issuer)")
	fs.StringVar(&c.OIDCClientSecret, "oidc-client-secret", "", "the pages' client secret at the provider (empty: a public client with PKCE)")
	fs.StringVar(&c.HostOIDCFile, "host-oidc-file", "", `JSON file of host organisations' own identity providers, each signing in that host's users only: [{"host_id": "...", "issuer": "https://...", "client_id": "...", "client_secret": "..."}]`)
}

// publicURLFlag is shared by the processes that need the pages' address:
// the worker for links in messages, serve for the sign-in's redirect.
func (c *config) publicURLFlag(fs *flag.FlagSet) {
	fs.StringVar(&c.PublicURL, "public-url", "", "where staff open the web pages, e.g. https://traject.ocmw.example; messages link to a dossier's page under it, and the identity provider sends staff back to it (dev: its own address)")
}

func (c *config) temporalFlags(fs *flag.FlagSet) {
	fs.StringVar(&c.TemporalAddress, "temporal-address", "", "Temporal frontend host:port (default: TEMPORAL_ADDRESS, else localhost:7233)")
	fs.StringVar(&c.TemporalNamespace, "temporal-namespace", "", "Temporal namespace (default: TEMPORAL_NAMESPACE, else default)")
	fs.StringVar(&c.TaskQueue, "task-queue", "traject", "Temporal task queue of the trajectory worker")
}

// metricsFlags registers --metrics-addr with the subcommand's default: the
// worker and serve differ, so both can run on one host.
func (c *config) metricsFlags(def string) func(*flag.FlagSet) {
	return func(fs *flag.FlagSet) {
		fs.StringVar(&c.MetricsAddr, "metrics-addr", def, "address /metrics (Prometheus) is served on, apart from the API (empty: none)")
	}
}

func (c *config) smtpFlags(fs *flag.FlagSet) {
	fs.StringVar(&c.SMTP.Host, "smtp-host", "", "SMTP relay host")
	fs.IntVar(&c.SMTP.Port, "smtp-port", 587, "SMTP relay port")
	fs.StringVar(&c.SMTP.User, "smtp-user", "", "SMTP user (empty: no authentication)")
	fs.StringVar(&c.SMTP.Password, "smtp-password", "", "SMTP password")
	fs.StringVar(&c.SMTP.TLS, "smtp-tls", "starttls", "SMTP TLS mode: starttls, tls (implicit) or none")
	fs.StringVar(&c.SMTP.From, "smtp-from", "", "From address of every message, e.g. \"OCMW Traject <traject@ocmw.example>\"")
}

func (c *config) workerFlags(fs *flag.FlagSet) {
	fs.IntVar(&c.WorkflowCache, "workflow-cache", 10000, "workflow runs the worker keeps in memory (the SDK's sticky cache); fewer saves memory, and a run evicted is replayed from its history when it wakes")
}

func (c *config) validatePublicURL() error {
	if c.PublicURL != "" {
		if u, err := url.Parse(c.PublicURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return settingError("public-url", "is not an http(s) URL")
		}
	}
	return nil
}

// validateServe: the pages' sign-in needs the address the provider sends
// staff back to.
func (c *config) validateServe() error {
	if err := c.validatePublicURL(); err != nil {
		return err
	}
	if c.OIDCIssuer != "" && c.PublicURL == "" {
		return settingError("public-url", "is required with --oidc-issuer: the identity provider sends staff back to <public-url>"+web.CallbackPath)
	}
	if c.HostOIDCFile != "" && c.PublicURL == "" {
		return settingError("public-url", "is required with --host-oidc-file: the hosts' identity providers send their users back to <public-url>"+web.CallbackPath)
	}
	if c.HostOIDCFile != "" {
		if _, err := readHostProviders(c.HostOIDCFile); err != nil {
			return settingError("host-oidc-file", err.Error())
		}
	}
	return nil
}

// hostProvider is one host organisation's identity provider, as the
// --host-oidc-file lists them.
type hostProvider struct {
	HostID       string `json:"host_id"`
	Issuer       string `json:"issuer"`
	ClientID     string `json:"client_id"`
	ClientSecret string `json:"client_secret"`
}

// readHostProviders reads and checks the file: a host at most once, each
// with an http(s) issuer and a client ID.
func readHostProviders(path string) ([]hostProvider, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var list []hostProvider
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&list); err != nil {
		return nil, fmt.Errorf("is not a JSON list of {host_id, issuer, client_id, client_secret}: %w", err)
	}
	seen := map[string]bool{}
	for i, h := range list {
		u, err := url.Parse(h.Issuer)
		switch {
		case uuid.Validate(h.HostID) != nil || seen[h.HostID]:
			return nil, fmt.Errorf("entry %d: host_id must be a host's ID, once", i+1)
		case err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "":
			return nil, fmt.Errorf("entry %d: issuer is not an http(s) URL", i+1)
		case h.ClientID == "":
			return nil, fmt.Errorf("entry %d: client_id is required", i+1)
		}
		seen[h.HostID] = true
	}
	return list, nil
}

func (c *config) validateWorker() error {
	if err := c.validatePublicURL(); err != nil {
		return err
	}
	if c.WorkflowCache < 1 {
		return settingError("workflow-cache", "must be at least 1")
	}
	return nil
}

func (c *config) devFlags(fs *flag.FlagSet) {
	fs.StringVar(&c.DataDir, "data-dir", "./data", "directory of the embedded Temporal server's SQLite file")
	fs.StringVar(&c.TemporalStore, "temporal-store", "sqlite", "embedded Temporal persistence: sqlite (in the data directory) or postgres (databases beside traject's)")
	fs.IntVar(&c.TemporalPort, "temporal-port", 7233, "port of the embedded Temporal frontend on 127.0.0.1 (0: any free port)")
	fs.IntVar(&c.TemporalShards, "temporal-shards", 4, "history shards of the embedded server on postgres; fixed at first start")
	fs.DurationVar(&c.TemporalRetention, "temporal-retention", 30*24*time.Hour, "how long the embedded server keeps closed workflow histories; at most the shortest dossier retention of the centres")
	fs.StringVar(&c.DevSMTPAddr, "dev-smtp-addr", "127.0.0.1:1025", "address of the in-process SMTP capture server (port 0: any free port)")
	fs.StringVar(&c.TemporalNamespace, "temporal-namespace", "default", "namespace created on the embedded server")
	fs.StringVar(&c.TaskQueue, "task-queue", "traject", "Temporal task queue of the trajectory worker")
}

// settingError names the flag and its environment variable, so one line
// tells the operator what to fix wherever they set it.
func settingError(flagName, problem string) error {
	env := envPrefix + "_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
	return fmt.Errorf("setting --%s (%s): %s", flagName, env, problem)
}

func (c *config) validateCommon() error {
	if _, err := store.ParseURL(c.DatabaseURL); err != nil {
		return settingError("database-url", err.Error())
	}
	if _, err := parseLevel(c.LogLevel); err != nil {
		return settingError("log-level", err.Error())
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		return settingError("log-format", fmt.Sprintf("%q is not text or json", c.LogFormat))
	}
	return nil
}

func (c *config) validateMetrics() error {
	if c.MetricsAddr == "" {
		return nil
	}
	if err := validateHostPort(c.MetricsAddr); err != nil {
		return settingError("metrics-addr", err.Error())
	}
	return nil
}

func (c *config) validateHTTP() error {
	if err := validateHostPort(c.HTTPAddr); err != nil {
		return settingError("http-addr", err.Error())
	}
	if c.SessionIdle < time.Minute || c.SessionIdle > 24*time.Hour {
		return settingError("session-idle", "must be between 1m and 24h")
	}
	if c.UpdateWait < time.Second || c.UpdateWait > 50*time.Second {
		return settingError("update-wait", "must be between 1s and 50s (the server's write timeout is 60s)")
	}
	if c.OIDCIssuer != "" {
		if u, err := url.Parse(c.OIDCIssuer); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return settingError("oidc-issuer", "is not an http(s) URL")
		}
		if c.OIDCAudience == "" {
			return settingError("oidc-audience", "is required with --oidc-issuer")
		}
	}
	return nil
}

func (c *config) validateDev() error {
	if c.DataDir == "" {
		return settingError("data-dir", "must not be empty")
	}
	if c.TemporalStore != "sqlite" && c.TemporalStore != "postgres" {
		return settingError("temporal-store", fmt.Sprintf("%q is not sqlite or postgres", c.TemporalStore))
	}
	if c.TemporalPort < 0 || c.TemporalPort > 65535 {
		return settingError("temporal-port", "must be between 0 and 65535")
	}
	if c.TemporalShards < 1 || c.TemporalShards > 1024 {
		return settingError("temporal-shards", "must be between 1 and 1024")
	}
	if c.TemporalRetention < 24*time.Hour {
		return settingError("temporal-retention", "must be at least 24h")
	}
	if err := validateHostPort(c.DevSMTPAddr); err != nil {
		return settingError("dev-smtp-addr", err.Error())
	}
	if c.TaskQueue == "" {
		return settingError("task-queue", "must not be empty")
	}
	return nil
}

func (c *config) validateSMTP() error {
	if c.SMTP.Host == "" {
		return settingError("smtp-host", "is required: the worker sends reminders by e-mail")
	}
	if c.SMTP.Port < 1 || c.SMTP.Port > 65535 {
		return settingError("smtp-port", "must be between 1 and 65535")
	}
	switch c.SMTP.TLS {
	case "starttls", "tls", "none":
	default:
		return settingError("smtp-tls", fmt.Sprintf("%q is not starttls, tls or none", c.SMTP.TLS))
	}
	if c.SMTP.From == "" {
		return settingError("smtp-from", "is required")
	}
	if _, err := mail.ParseAddress(c.SMTP.From); err != nil {
		return settingError("smtp-from", "is not an e-mail address")
	}
	if c.SMTP.Password != "" && c.SMTP.User == "" {
		return settingError("smtp-user", "is required when a password is set")
	}
	return nil
}

// temporalClientOptions starts from Temporal's own configuration (the
// TEMPORAL_* variables and its config file) and lets traject's flags win.
func (c *config) temporalClientOptions() (client.Options, error) {
	opts, err := envconfig.LoadDefaultClientOptions()
	if err != nil {
		return client.Options{}, fmt.Errorf("setting TEMPORAL_*: %w", err)
	}
	if c.TemporalAddress != "" {
		opts.HostPort = c.TemporalAddress
	}
	if c.TemporalNamespace != "" {
		opts.Namespace = c.TemporalNamespace
	}
	if opts.HostPort == "" {
		opts.HostPort = client.DefaultHostPort
	}
	if opts.Namespace == "" {
		opts.Namespace = client.DefaultNamespace
	}
	if err := validateHostPort(opts.HostPort); err != nil {
		return client.Options{}, settingError("temporal-address", err.Error())
	}
	if c.TaskQueue == "" {
		return client.Options{}, settingError("task-queue", "must not be empty")
	}
	return opts, nil
}

func validateHostPort(addr string) error {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("%q is not host:port", addr)
	}
	_ = host // empty means every interface
	n, err := strconv.Atoi(port)
	if err != nil || n < 0 || n > 65535 {
		return fmt.Errorf("%q has no valid port", addr)
	}
	return nil
}

func parseLevel(s string) (slog.Level, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(s)); err != nil {
		return 0, errors.New("must be debug, info, warn or error")
	}
	return l, nil
}
