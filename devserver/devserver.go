// Package devserver runs a real Temporal server inside the traject process.
//
// It exists because the Temporal CLI's dev server is an internal package and
// temporaltest keeps everything in memory. The server persists to a SQLite file
// (the default, one history shard) or to PostgreSQL databases of its own beside
// traject's (several shards), so that a small centre can run one durable
// process without operating a Temporal cluster.
package devserver

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	namespacepb "go.temporal.io/api/namespace/v1"
	"go.temporal.io/api/operatorservice/v1"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/server/common/cluster"
	"go.temporal.io/server/common/config"
	"go.temporal.io/server/common/dynamicconfig"
	tlog "go.temporal.io/server/common/log"
	"go.temporal.io/server/common/membership/static"
	"go.temporal.io/server/common/metrics"
	sqliteplugin "go.temporal.io/server/common/persistence/sql/sqlplugin/sqlite"
	"go.temporal.io/server/common/primitives"
	"go.temporal.io/server/common/primitives/timestamp"
	sqliteschema "go.temporal.io/server/schema/sqlite"
	"go.temporal.io/server/temporal"
	"google.golang.org/protobuf/types/known/durationpb"
)

const clusterName = "active"

// Options configures the embedded server. The zero value of a field means its
// documented default.
type Options struct {
	// DataDir holds the SQLite file (temporal.db). Ignored with Postgres.
	DataDir string
	// Postgres, when set, stores Temporal's data in PostgreSQL instead of SQLite.
	Postgres *PostgresStore
	// Namespace is created at start if it does not exist. Default "default".
	Namespace string
	// Retention of closed workflow histories in the namespace. Default 30 days.
	Retention time.Duration
	// SearchAttributes are registered on the namespace at every start, so a
	// new release can add one to an existing data directory.
	SearchAttributes map[string]enumspb.IndexedValueType
	// IP the services bind to. Default 127.0.0.1.
	IP string
	// FrontendPort is the gRPC port clients dial. 0 picks a free port.
	FrontendPort int
	// HistoryShards is fixed the first time a store is used and can never
	// change afterwards. Default 1 on SQLite (a single writer gains nothing
	// from more) and 4 on PostgreSQL.
	HistoryShards int32
	// Logger receives the server's warnings and errors.
	Logger *slog.Logger
	// LogLevel of the server's own logger: debug, info, warn or error. Default
	// error: at warn it reports every poll it cuts short while stopping.
	LogLevel string
}

// Server is a running embedded Temporal server.
type Server struct {
	server   temporal.Server
	frontend string
	ns       string
}

// Start prepares the store (schema, namespace), starts every Temporal service
// and waits until the frontend answers for the namespace.
func Start(ctx context.Context, opts Options) (*Server, error) {
	opts.setDefaults()
	persistence, err := opts.persistence(ctx)
	if err != nil {
		return nil, err
	}
	// All four chosen together, held open while choosing, and never the
	// frontend port asked for: free until it is bound, it could be picked
	// for another service (seen: the worker service on the frontend's port).
	ports, err := freePorts(opts.IP, 4, opts.FrontendPort)
	if err != nil {
		return nil, err
	}
	if opts.FrontendPort == 0 {
		opts.FrontendPort = ports[3]
	}
	frontend := net.JoinHostPort(opts.IP, strconv.Itoa(opts.FrontendPort))
	if err := checkPortFree(frontend); err != nil {
		return nil, err
	}

	services := map[string]int{
		string(primitives.FrontendService): opts.FrontendPort,
		string(primitives.HistoryService):  ports[0],
		string(primitives.MatchingService): ports[1],
		string(primitives.WorkerService):   ports[2],
	}
	cfg := &config.Config{
		Global: config.Global{
			Membership: config.Membership{MaxJoinDuration: 30 * time.Second, BroadcastAddress: opts.IP},
		},
		Persistence: persistence,
		ClusterMetadata: &cluster.Config{
			EnableGlobalNamespace:    false,
			FailoverVersionIncrement: 10,
			MasterClusterName:        clusterName,
			CurrentClusterName:       clusterName,
			ClusterInformation: map[string]cluster.ClusterInformation{
				clusterName: {Enabled: true, InitialFailoverVersion: 1, RPCAddress: frontend},
			},
		},
		DCRedirectionPolicy: config.DCRedirectionPolicy{Policy: "noop"},
		Services:            map[string]config.Service{},
		Archival: config.Archival{
			History:    config.HistoryArchival{State: "disabled"},
			Visibility: config.VisibilityArchival{State: "disabled"},
		},
		NamespaceDefaults: config.NamespaceDefaults{Archival: config.ArchivalNamespaceDefaults{
			History:    config.HistoryArchivalNamespaceDefaults{State: "disabled"},
			Visibility: config.VisibilityArchivalNamespaceDefaults{State: "disabled"},
		}},
		PublicClient: config.PublicClient{HostPort: frontend},
	}
	// Static membership: one process hosts every service, so there is no ring
	// to join and no stale member to wait for after a crash.
	hosts := map[primitives.ServiceName]static.Hosts{}
	for name, port := range services {
		cfg.Services[name] = config.Service{RPC: config.RPC{GRPCPort: port, BindOnIP: opts.IP}}
		hosts[primitives.ServiceName(name)] = static.SingleLocalHost(net.JoinHostPort(opts.IP, strconv.Itoa(port)))
	}

	if err := createNamespace(cfg, opts); err != nil {
		return nil, err
	}

	logger := tlog.NewZapLogger(tlog.BuildZapLogger(tlog.Config{Level: opts.LogLevel, Format: "json"}))
	srv, err := temporal.NewServer(
		temporal.WithConfig(cfg),
		temporal.ForServices(temporal.DefaultServices),
		temporal.WithStaticHosts(hosts),
		temporal.WithLogger(logger),
		temporal.WithCustomMetricsHandler(metrics.NoopMetricsHandler),
		temporal.WithDynamicConfigClient(dynamicconfig.StaticClient{
			// Search attributes added at start are visible at once.
			dynamicconfig.ForceSearchAttributesCacheRefreshOnRead.Key(): []dynamicconfig.ConstrainedValue{{Value: true}},
			// One partition per task queue. With the default four, a worker's
			// few pollers wait on some partitions while tasks in the others
			// reach them by forwarding (10 a second) or when a 60 s long poll
			// ends: a burst of 1,000 timers stalled for a minute.
			dynamicconfig.MatchingNumTaskqueueReadPartitions.Key():  []dynamicconfig.ConstrainedValue{{Value: 1}},
			dynamicconfig.MatchingNumTaskqueueWritePartitions.Key(): []dynamicconfig.ConstrainedValue{{Value: 1}},
		}),
	)
	if err != nil {
		return nil, fmt.Errorf("embedded temporal: %w", err)
	}
	if err := srv.Start(); err != nil {
		return nil, fmt.Errorf("embedded temporal: start: %w", err)
	}
	s := &Server{server: srv, frontend: frontend, ns: opts.Namespace}
	if err := s.configureNamespace(ctx, opts); err != nil {
		_ = s.Stop()
		return nil, err
	}
	return s, nil
}

// FrontendAddress is the host:port a Temporal client dials.
func (s *Server) FrontendAddress() string { return s.frontend }

// Namespace is the namespace created at start.
func (s *Server) Namespace() string { return s.ns }

// Stop shuts every service down.
func (s *Server) Stop() error { return s.server.Stop() }

func (o *Options) setDefaults() {
	if o.Namespace == "" {
		o.Namespace = "default"
	}
	if o.Retention == 0 {
		o.Retention = 30 * 24 * time.Hour
	}
	if o.IP == "" {
		o.IP = "127.0.0.1"
	}
	if o.HistoryShards == 0 {
		o.HistoryShards = 1
		if o.Postgres != nil {
			o.HistoryShards = 4
		}
	}
	if o.LogLevel == "" {
		o.LogLevel = "error"
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
}

// persistence prepares the store and returns its configuration.
func (o *Options) persistence(ctx context.Context) (config.Persistence, error) {
	if o.Postgres != nil {
		return o.Postgres.prepare(ctx, o.HistoryShards, o.Logger)
	}
	if err := os.MkdirAll(o.DataDir, 0o750); err != nil {
		return config.Persistence{}, fmt.Errorf("data directory %s: %w", o.DataDir, err)
	}
	path := filepath.Join(o.DataDir, "temporal.db")
	sqlCfg := &config.SQL{
		PluginName:   sqliteplugin.PluginName,
		DatabaseName: path,
		ConnectAttributes: map[string]string{
			"mode": "rwc",
			// WAL lets readers run beside the single writer; measured 3 to 4
			// times faster than the default rollback journal.
			"journal_mode": "wal",
			"synchronous":  "normal",
		},
	}
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		if err := sqliteschema.SetupSchema(sqlCfg); err != nil {
			_ = os.Remove(path) // a half-made file would be taken as ready next time
			return config.Persistence{}, fmt.Errorf("embedded temporal: sqlite schema: %w", err)
		}
	}
	return config.Persistence{
		DefaultStore:     "sqlite",
		VisibilityStore:  "sqlite",
		NumHistoryShards: o.HistoryShards,
		DataStores:       map[string]config.DataStore{"sqlite": {SQL: sqlCfg}},
	}, nil
}

// createNamespace writes the namespace straight into the store before the
// server starts, so the first client call does not wait for the namespace
// cache to refresh. It does nothing when the namespace exists.
func createNamespace(cfg *config.Config, opts Options) error {
	ns, err := sqliteschema.NewNamespaceConfig(clusterName, opts.Namespace, false, opts.SearchAttributes)
	if err != nil {
		return fmt.Errorf("embedded temporal: namespace: %w", err)
	}
	ns.Detail.Config.Retention = timestamp.DurationPtr(opts.Retention)
	store := cfg.Persistence.DataStores[cfg.Persistence.DefaultStore].SQL
	if err := sqliteschema.CreateNamespaces(store, ns); err != nil {
		return fmt.Errorf("embedded temporal: namespace: %w", err)
	}
	return nil
}

// configureNamespace applies the retention and adds the search attributes
// the namespace lacks, at every start, so that a changed setting or a new
// release takes effect on an existing data directory. Dialling also waits
// for the frontend to answer, which makes it the readiness gate of Start.
func (s *Server) configureNamespace(ctx context.Context, opts Options) error {
	c, err := client.DialContext(ctx, client.Options{HostPort: s.frontend, Namespace: s.ns, Logger: quietSDKLogger{}})
	if err != nil {
		return fmt.Errorf("embedded temporal: dial %s: %w", s.frontend, err)
	}
	defer c.Close()
	desc, err := c.WorkflowService().DescribeNamespace(ctx, &workflowservice.DescribeNamespaceRequest{Namespace: s.ns})
	if err != nil {
		return fmt.Errorf("embedded temporal: describe namespace: %w", err)
	}
	if desc.GetConfig().GetWorkflowExecutionRetentionTtl().AsDuration() != opts.Retention {
		_, err = c.WorkflowService().UpdateNamespace(ctx, &workflowservice.UpdateNamespaceRequest{
			Namespace: s.ns,
			Config:    &namespacepb.NamespaceConfig{WorkflowExecutionRetentionTtl: durationpb.New(opts.Retention)},
		})
		if err != nil {
			return fmt.Errorf("embedded temporal: namespace retention: %w", err)
		}
	}
	want := opts.SearchAttributes
	ops := c.OperatorService()
	have, err := ops.ListSearchAttributes(ctx, &operatorservice.ListSearchAttributesRequest{Namespace: s.ns})
	if err != nil {
		return fmt.Errorf("embedded temporal: list search attributes: %w", err)
	}
	missing := map[string]enumspb.IndexedValueType{}
	for name, typ := range want {
		if _, ok := have.GetCustomAttributes()[name]; !ok {
			missing[name] = typ
		}
	}
	if len(missing) == 0 {
		return nil
	}
	_, err = ops.AddSearchAttributes(ctx, &operatorservice.AddSearchAttributesRequest{Namespace: s.ns, SearchAttributes: missing})
	if err != nil {
		return fmt.Errorf("embedded temporal: add search attributes: %w", err)
	}
	return nil
}

// freePorts finds n ports that can be bound now. They are drawn at random
// below the kernel's ephemeral range (32768 and up on Linux): a port found
// by binding port 0 comes from that range, and any outgoing connection of
// another process can take it before the server binds it, which makes the
// Temporal server exit.
// The embedded server's ports are drawn from [portBase, portBase+portSpan).
var portBase, portSpan = 20000, 12000

func freePorts(ip string, n int, exclude ...int) ([]int, error) {
	var listeners []net.Listener
	defer func() {
		for _, l := range listeners {
			_ = l.Close()
		}
	}()
	ports := make([]int, 0, n)
	for tries := 0; len(ports) < n; tries++ {
		if tries > 1000 {
			return nil, fmt.Errorf("embedded temporal: no free port on %s", ip)
		}
		port := portBase + rand.IntN(portSpan)
		if slices.Contains(exclude, port) {
			continue
		}
		l, err := net.Listen("tcp", net.JoinHostPort(ip, strconv.Itoa(port)))
		if err != nil {
			continue
		}
		listeners = append(listeners, l)
		ports = append(ports, port)
	}
	return ports, nil
}

// FreePort returns one port on ip that can be bound now, chosen as the
// embedded server chooses its own.
func FreePort(ip string) (int, error) {
	ports, err := freePorts(ip, 1)
	if err != nil {
		return 0, err
	}
	return ports[0], nil
}

// checkPortFree turns "address in use" into one clear error before the server
// starts, instead of a fatal log deep inside it.
func checkPortFree(addr string) error {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("embedded temporal: cannot listen on %s: %w", addr, err)
	}
	return l.Close()
}

// quietSDKLogger drops the SDK client's own logs during setup.
type quietSDKLogger struct{}

func (quietSDKLogger) Debug(string, ...any) {}
func (quietSDKLogger) Info(string, ...any)  {}
func (quietSDKLogger) Warn(string, ...any)  {}
func (quietSDKLogger) Error(string, ...any) {}
