package store_test

import (
	"context"
	"testing"

	"github.com/traject-ocmw/traject/migrations"
	"github.com/traject-ocmw/traject/store"
	"github.com/traject-ocmw/traject/testenv"
)

// Migration 042 respells the statistics downloads audited before it
// (read_stats_<table>) as read_stats:<table>, and only those: the action
// filter then finds them with the ones written since.
func TestReadStatsRespelled(t *testing.T) {
	db := testenv.Database(t)
	fx := testenv.Seed(t, db)
	ctx := context.Background()
	for _, action := range []string{"read_stats_workload", "read_stats", "read_statsx"} {
		if _, err := db.Exec(ctx, `INSERT INTO audit_log (centre_id, action, object_type, object_id, outcome) VALUES ($1, $2, 'centre', $1, 'ok')`, fx.CentreID, action); err != nil {
			t.Fatal(err)
		}
	}
	sql, err := migrations.FS.ReadFile("042_read_stats_action.sql")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(ctx, string(sql)); err != nil {
		t.Fatal(err)
	}
	lines, err := store.New(db).AuditSearch(ctx, fx.CentreID, store.AuditQuery{Action: "read_stats", Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, l := range lines {
		got = append(got, l.Action)
	}
	if len(got) != 2 || got[0] != "read_stats" || got[1] != "read_stats:workload" {
		t.Errorf("the statistics reads found: %v, want read_stats and read_stats:workload", got)
	}
}
