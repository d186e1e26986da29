package devserver

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strconv"

	"go.temporal.io/server/common/config"
	tlog "go.temporal.io/server/common/log"
	"go.temporal.io/server/common/persistence/sql/sqlplugin/postgresql"
	"go.temporal.io/server/tools/common/schema"
	sqltool "go.temporal.io/server/tools/sql"
)

// PostgresStore places the embedded server's data in two PostgreSQL databases,
// <Prefix>_temporal and <Prefix>_temporal_visibility, on the given server.
// Both are created and their schemas brought up to date at every start.
type PostgresStore struct {
	Host     string
	Port     uint16
	User     string
	Password string
	// SSLMode is passed to the driver as is (disable, require, verify-full...).
	SSLMode string
	// Prefix names the databases. Usually traject's own database name.
	Prefix string
}

func (p *PostgresStore) sqlConfig(database string) *config.SQL {
	attrs := map[string]string{}
	if p.SSLMode != "" {
		attrs["sslmode"] = p.SSLMode
	}
	return &config.SQL{
		PluginName:        postgresql.PluginNamePGX,
		DatabaseName:      database,
		ConnectAddr:       net.JoinHostPort(p.Host, strconv.Itoa(int(p.Port))),
		ConnectProtocol:   "tcp",
		User:              p.User,
		Password:          p.Password,
		ConnectAttributes: attrs,
		MaxConns:          20,
		MaxIdleConns:      20,
	}
}

func (p *PostgresStore) prepare(ctx context.Context, shards int32, logger *slog.Logger) (config.Persistence, error) {
	stores := map[string]string{
		"default":    p.Prefix + "_temporal",
		"visibility": p.Prefix + "_temporal_visibility",
	}
	schemas := map[string]string{
		"default":    "postgresql/v12/temporal",
		"visibility": "postgresql/v12/visibility",
	}
	quiet := tlog.NewNoopLogger()
	admin, err := sqltool.NewConnection(p.sqlConfig("postgres"), quiet)
	if err != nil {
		return config.Persistence{}, fmt.Errorf("embedded temporal: postgres %s: %w", p.sqlConfig("postgres").ConnectAddr, err)
	}
	defer admin.Close()
	for _, kind := range []string{"default", "visibility"} {
		name := stores[kind]
		if err := ctx.Err(); err != nil {
			return config.Persistence{}, err
		}
		if err := admin.CreateDatabase(name); err != nil {
			return config.Persistence{}, fmt.Errorf("embedded temporal: create database %s: %w", name, err)
		}
		if err := upgradeSchema(p.sqlConfig(name), schemas[kind], quiet); err != nil {
			return config.Persistence{}, fmt.Errorf("embedded temporal: schema of %s: %w", name, err)
		}
		logger.Debug("temporal store ready", "database", name)
	}
	return config.Persistence{
		DefaultStore:     "default",
		VisibilityStore:  "visibility",
		NumHistoryShards: shards,
		DataStores: map[string]config.DataStore{
			"default":    {SQL: p.sqlConfig(stores["default"])},
			"visibility": {SQL: p.sqlConfig(stores["visibility"])},
		},
	}, nil
}

// upgradeSchema does what temporal-sql-tool's setup-schema and update-schema
// do, from the schema files embedded in the server module.
func upgradeSchema(cfg *config.SQL, schemaName string, logger tlog.Logger) error {
	conn, err := sqltool.NewConnection(cfg, logger)
	if err != nil {
		return err
	}
	defer conn.Close()
	if err := conn.CreateSchemaVersionTables(); err != nil {
		return err
	}
	if _, err := conn.ReadSchemaVersion(); errors.Is(err, sql.ErrNoRows) {
		setup := schema.NewSetupSchemaTask(conn, &schema.SetupConfig{InitialVersion: "0.0"}, logger)
		if err := setup.Run(); err != nil {
			return err
		}
	} else if err != nil {
		return err
	}
	update := schema.NewUpdateSchemaTask(conn, &schema.UpdateConfig{DBName: cfg.DatabaseName, SchemaName: schemaName}, logger)
	return update.Run()
}
