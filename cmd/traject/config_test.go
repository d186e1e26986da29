package main

import (
	"bytes"
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/traject-ocmw/traject/testenv"
)

// Every bad setting fails at start with one line that names the flag and
// its environment variable, before anything is started.
func TestBadSettingsFailWithOneLineNamingThem(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = busy.Close() }()

	cases := []struct {
		name string
		args []string
		env  map[string]string
		want string
	}{
		{"malformed database URL", []string{"dev", "--database-url", "postgres://u:pw@[::1/x"}, nil, "--database-url (TRAJECT_DATABASE_URL): not a valid PostgreSQL URL"},
		{"database URL from env", []string{"dev"}, map[string]string{"TRAJECT_DATABASE_URL": "postgres://127.0.0.1:5432"}, "--database-url (TRAJECT_DATABASE_URL): the URL names no database"},
		{"unreachable database", []string{"dev", "--database-url", "postgres://postgres@127.0.0.1:1/traject", "--http-addr", "127.0.0.1:0"}, nil, "cannot reach PostgreSQL at 127.0.0.1:1"},
		{"port in use", []string{"dev", "--http-addr", busy.Addr().String()}, nil, "cannot listen on " + busy.Addr().String()},
		{"bad http address", []string{"serve", "--http-addr", "localhost"}, nil, "--http-addr (TRAJECT_HTTP_ADDR)"},
		{"bad log level", []string{"dev", "--log-level", "loud"}, nil, "--log-level (TRAJECT_LOG_LEVEL)"},
		{"bad store", []string{"dev", "--temporal-store", "mysql"}, nil, "--temporal-store (TRAJECT_TEMPORAL_STORE)"},
		{"worker without SMTP", []string{"worker"}, nil, "--smtp-host (TRAJECT_SMTP_HOST): is required"},
		{"bad metrics address", []string{"worker", "--smtp-host", "relay", "--smtp-from", "a@b.example", "--metrics-addr", "9090"}, nil, "--metrics-addr (TRAJECT_METRICS_ADDR)"},
		{"empty workflow cache", []string{"worker", "--smtp-host", "relay", "--smtp-from", "a@b.example", "--workflow-cache", "0"}, nil, "--workflow-cache (TRAJECT_WORKFLOW_CACHE): must be at least 1"},
		{"bad open counts", []string{"bench", "--open", "10000,lots"}, nil, `--open (TRAJECT_OPEN): "lots" is not a positive number`},
		{"bad SMTP TLS", []string{"worker", "--smtp-host", "relay", "--smtp-from", "a@b.example", "--smtp-tls", "maybe"}, nil, "--smtp-tls (TRAJECT_SMTP_TLS)"},
		{"bad From", []string{"worker", "--smtp-host", "relay", "--smtp-from", "nobody"}, nil, "--smtp-from (TRAJECT_SMTP_FROM): is not an e-mail address"},
		{"malformed env number", []string{"dev"}, map[string]string{"TRAJECT_TEMPORAL_PORT": "seventy"}, `"TRAJECT_TEMPORAL_PORT"`},
		{"unknown flag", []string{"dev", "--colour"}, nil, "flag provided but not defined: -colour"},
		{"bad OIDC issuer", []string{"serve", "--oidc-issuer", "idp.example"}, nil, "--oidc-issuer (TRAJECT_OIDC_ISSUER): is not an http(s) URL"},
		{"OIDC without audience", []string{"serve", "--oidc-issuer", "https://idp.example"}, nil, "--oidc-audience (TRAJECT_OIDC_AUDIENCE): is required"},
		{"OIDC without public URL", []string{"serve", "--oidc-issuer", "https://idp.example", "--oidc-audience", "traject"}, nil, "--public-url (TRAJECT_PUBLIC_URL): is required with --oidc-issuer"},
		{"unreachable OIDC issuer", []string{"serve", "--oidc-issuer", "http://127.0.0.1:1", "--oidc-audience", "traject", "--public-url", "https://traject.example", "--http-addr", "127.0.0.1:0"}, nil, "--oidc-issuer (TRAJECT_OIDC_ISSUER): discovery failed"},
		{"host providers without public URL", []string{"serve", "--host-oidc-file", "hosts.json"}, nil, "--public-url (TRAJECT_PUBLIC_URL): is required with --host-oidc-file"},
		{"missing host providers file", []string{"serve", "--host-oidc-file", "/no/such/hosts.json", "--public-url", "https://traject.example"}, nil, "--host-oidc-file (TRAJECT_HOST_OIDC_FILE): open /no/such/hosts.json"},
		{"no subcommand", nil, nil, "name a subcommand"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			stderr := new(bytes.Buffer)
			err := run(context.Background(), tc.args, new(bytes.Buffer), stderr)
			if err == nil {
				t.Fatal("run succeeded")
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error = %q, want it to contain %q", err, tc.want)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error spans several lines: %q", err)
			}
			if strings.Contains(err.Error(), "pw@") {
				t.Errorf("error shows the password: %q", err)
			}
		})
	}
}

func TestUsageErrorsAreMarkedForExitCode2(t *testing.T) {
	err := run(context.Background(), []string{"dev", "--colour"}, new(bytes.Buffer), new(bytes.Buffer))
	if !errors.As(err, new(usageError)) {
		t.Errorf("unknown flag: %v is not a usage error", err)
	}
	err = run(context.Background(), []string{"dev", "--log-level", "loud"}, new(bytes.Buffer), new(bytes.Buffer))
	if errors.As(err, new(usageError)) {
		t.Errorf("bad value: %v is a usage error, want a setting error (exit 1)", err)
	}
}

// A new installation starts without any user: the operator adds a centre,
// its first administrator and a token from the command line.
func TestBootstrapCommands(t *testing.T) {
	url := testenv.DatabaseURL(t)
	ctx := context.Background()
	out := new(bytes.Buffer)
	if err := run(ctx, []string{"centre", "create", "--database-url", url, "--id", "molenbeek", "--name", "OCMW Molenbeek", "--region", "brussels"}, out, new(bytes.Buffer)); err != nil {
		t.Fatal(err)
	}
	if err := run(ctx, []string{"centre", "create", "--database-url", url, "--id", "molenbeek", "--name", "Again", "--region", "brussels"}, out, new(bytes.Buffer)); err == nil || !strings.Contains(err.Error(), "exists already") {
		t.Errorf("second centre with the same ID: %v", err)
	}
	out.Reset()
	if err := run(ctx, []string{"user", "create", "--database-url", url, "--centre", "molenbeek", "--email", "admin@ocmw.example", "--name", "Admin", "--role", "admin"}, out, new(bytes.Buffer)); err != nil {
		t.Fatal(err)
	}
	id := strings.TrimSuffix(strings.TrimPrefix(out.String(), "user "), " created\n")
	out.Reset()
	if err := run(ctx, []string{"token", "create", "--database-url", url, "--user", id, "--name", "setup"}, out, new(bytes.Buffer)); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "\ntrj_") {
		t.Errorf("token output: %q", out.String())
	}
	if err := run(ctx, []string{"user", "create", "--database-url", url, "--centre", "nowhere", "--email", "a@b.example", "--name", "A", "--role", "admin"}, out, new(bytes.Buffer)); err == nil || !strings.Contains(err.Error(), "no such centre nowhere") {
		t.Errorf("user of an unknown centre: %v", err)
	}
	if err := run(ctx, []string{"user", "create", "--database-url", url, "--host", "11111111-1111-4111-8111-111111111111", "--email", "h@host.example", "--name", "H", "--role", "host"}, out, new(bytes.Buffer)); err == nil || !strings.Contains(err.Error(), "no such host organisation") {
		t.Errorf("user of an unknown host: %v", err)
	}
	if err := run(ctx, []string{"user", "create", "--database-url", url, "--host", "11111111-1111-4111-8111-111111111111", "--centre", "molenbeek", "--email", "h@host.example", "--name", "H", "--role", "host"}, out, new(bytes.Buffer)); err == nil || !strings.Contains(err.Error(), "exactly one of --centre and --host") {
		t.Errorf("a user of a centre and a host: %v", err)
	}
}

// The hosts' providers file names each host once, with an http(s) issuer
// and a client ID; anything else is refused with the entry at fault.
func TestReadHostProviders(t *testing.T) {
	host := "6f1c2d3e-4a5b-4c6d-8e7f-8091a2b3c4d5"
	for body, want := range map[string]string{
		`[{"host_id": "` + host + `", "issuer": "https://login.resto.example", "client_id": "traject"}]`: "",
		`{"host_id": "` + host + `"}`: "is not a JSON list",
		`[{"host_id": "resto", "issuer": "https://login.resto.example", "client_id": "traject"}]`:                                                                      "entry 1: host_id",
		`[{"host_id": "` + host + `", "issuer": "login.resto.example", "client_id": "traject"}]`:                                                                       "entry 1: issuer",
		`[{"host_id": "` + host + `", "issuer": "https://login.resto.example"}]`:                                                                                       "entry 1: client_id",
		`[{"host_id": "` + host + `", "issuer": "https://a.example", "client_id": "x"}, {"host_id": "` + host + `", "issuer": "https://b.example", "client_id": "y"}]`: "entry 2: host_id",
		`[{"host_id": "` + host + `", "issuer": "https://a.example", "client_id": "x", "secret": "s"}]`:                                                                "unknown field",
	} {
		path := filepath.Join(t.TempDir(), "hosts.json")
		if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		list, err := readHostProviders(path)
		switch {
		case want == "" && (err != nil || len(list) != 1 || list[0].HostID != host):
			t.Errorf("%s: %v %+v", body, err, list)
		case want != "" && (err == nil || !strings.Contains(err.Error(), want)):
			t.Errorf("%s: %v, want %q", body, err, want)
		}
	}
}
