package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/traject-ocmw/traject/stats"
	"github.com/traject-ocmw/traject/store"
	"github.com/traject-ocmw/traject/testenv"
)

// hostsAcrossCentres is the migration that makes a host a party of its own.
const hostsAcrossCentres = 19

// From a database in the shape before migration 019 (each centre with its
// own copy of a host): every host keeps its ID, name, address, staff and
// positions, now as a host with one site and an agreement with its
// centre; a contract's host, the occupancy and the statistics' history
// read the same after the migration; a centre still sees only its own
// hosts.
func TestHostsMigrateAcrossCentres(t *testing.T) {
	ctx := context.Background()
	url := testenv.DatabaseURL(t)
	if err := store.EnsureExists(ctx, url); err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := store.MigrateTo(ctx, db, hostsAcrossCentres-1); err != nil {
		t.Fatal(err)
	}
	const (
		resto   = "11111111-1111-4111-8111-111111111111" // Molenbeek's
		restoAn = "22222222-2222-4222-8222-222222222222" // Anderlecht's copy of the same host
		old     = "33333333-3333-4333-8333-333333333333" // archived
		worker  = "44444444-4444-4444-8444-444444444444"
	)
	for _, q := range []string{
		`INSERT INTO centres (id, name, region) VALUES ('molenbeek', 'OCMW Molenbeek', 'brussels'), ('anderlecht', 'OCMW Anderlecht', 'brussels')`,
		`INSERT INTO host_organisations (id, centre_id, name, email, language, created_at, staff, address) VALUES
			('` + resto + `', 'molenbeek', 'Resto Zenne', 'hr@resto.example', 'nl', '2025-03-01 10:00+01', 40, 'Zennestraat 1'),
			('` + restoAn + `', 'anderlecht', 'Resto Zenne', NULL, 'fr', '2025-06-01 10:00+02', NULL, NULL)`,
		`INSERT INTO host_organisations (id, centre_id, name, language, created_at, archived_at) VALUES
			('` + old + `', 'molenbeek', 'Oude Drukkerij', 'nl', '2024-01-01', '2025-01-01')`,
		`INSERT INTO host_positions (host_id, function, positions) VALUES
			('` + resto + `', 'kitchen_help', 3), ('` + resto + `', 'driver', 1), ('` + restoAn + `', 'kitchen_help', 2), ('` + old + `', 'printer', 1)`,
		`INSERT INTO staff_users (id, centre_id, email, display_name, role, language) VALUES
			('6f1c2a52-7d7e-4d55-9c1e-0b7b8f0e9a11', 'molenbeek', 'an@ocmw.example', 'An', 'counsellor', 'nl')`,
		// A worker of Molenbeek at the host: in Article 60 since 1 October.
		`INSERT INTO participants (id, centre_id, given_name, family_name, birth_date, language, leefloon_decision_date)
			VALUES ('` + worker + `', 'molenbeek', 'Sam', 'Test', '1990-01-01', 'nl', '2025-01-01')`,
		`INSERT INTO trajectories (participant_id, centre_id, workflow_id, phase, phase_since, counsellor_id, version, state, contract_host_id, contract_function)
			VALUES ('` + worker + `', 'molenbeek', 'trajectory:` + worker + `', 'article60', '2026-10-01', '6f1c2a52-7d7e-4d55-9c1e-0b7b8f0e9a11', 3, '{}', '` + resto + `', 'kitchen_help')`,
		`INSERT INTO timeline_events (event_key, participant_id, centre_id, occurred_at, seq, kind, phase_to, data) VALUES
			('w/1', '` + worker + `', 'molenbeek', '2026-01-01', 1, 'trajectory_started', NULL, '{}'),
			('w/2', '` + worker + `', 'molenbeek', '2026-10-01', 2, 'phase_changed', 'article60', '{"host_id": "` + resto + `", "function": "kitchen_help"}')`,
	} {
		if _, err := db.Exec(ctx, q); err != nil {
			t.Fatalf("%v\n%s", err, q)
		}
	}

	if err := store.Migrate(ctx, db, testenv.Logger(t)); err != nil {
		t.Fatal(err)
	}
	st := store.New(db)
	hosts, err := st.Hosts(ctx, "molenbeek", "")
	if err != nil {
		t.Fatal(err)
	}
	if len(hosts) != 1 {
		t.Fatalf("Molenbeek's hosts after the migration: %+v", hosts)
	}
	h := hosts[0]
	if h.ID != resto || h.Name != "Resto Zenne" || h.Address == nil || *h.Address != "Zennestraat 1" || h.Staff == nil || *h.Staff != 40 ||
		h.Email == nil || *h.Email != "hr@resto.example" || h.Language != "nl" {
		t.Errorf("the host as migrated: %+v", h)
	}
	want := []store.HostPosition{{Function: "driver", Positions: 1, Occupied: 0}, {Function: "kitchen_help", Positions: 3, Occupied: 1}}
	if len(h.Positions) != 2 || h.Positions[0] != want[0] || h.Positions[1] != want[1] {
		t.Errorf("positions and occupancy: %+v, want %+v", h.Positions, want)
	}
	an, err := st.Hosts(ctx, "anderlecht", "")
	if err != nil || len(an) != 1 || an[0].ID != restoAn || an[0].Language != "fr" || an[0].Positions[0].Occupied != 0 {
		t.Errorf("Anderlecht's hosts: %+v %v", an, err)
	}
	if _, err := st.Hosts(ctx, "anderlecht", resto); err == nil {
		t.Error("Anderlecht sees Molenbeek's host")
	}
	var agreements, sites int
	var from time.Time
	if err := db.QueryRow(ctx, `SELECT count(*), min(valid_from) FROM host_agreements WHERE host_id = $1 AND centre_id = 'molenbeek'`, resto).Scan(&agreements, &from); err != nil {
		t.Fatal(err)
	}
	if agreements != 1 || from.Format("2006-01-02") != "2025-03-01" {
		t.Errorf("Molenbeek's agreement: %d from %s", agreements, from)
	}
	if err := db.QueryRow(ctx, `SELECT count(*) FROM host_sites`).Scan(&sites); err != nil || sites != 3 {
		t.Errorf("sites: %d %v", sites, err)
	}
	if offers, err := st.HostOffers(ctx, worker, resto, "driver"); err != nil || !offers {
		t.Errorf("the contract check no longer finds the host's positions: %v %v", offers, err)
	}
	if offers, _ := st.HostOffers(ctx, worker, old, "printer"); offers {
		t.Error("an archived host still offers positions")
	}

	// The statistics read the contract at its host as before.
	p, err := stats.Reports{DB: db}.Placements(ctx, "molenbeek", time.Now(), 2000)
	if err != nil {
		t.Fatal(err)
	}
	if len(p) != 1 || p[0].HostID != resto || p[0].Occupied != 1 || p[0].Positions != 4 || p[0].Staff == nil || *p[0].Staff != 40 {
		t.Errorf("placements after the migration: %+v", p)
	}
	out, err := stats.Reports{DB: db}.Outcomes(ctx, "molenbeek", time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range out {
		if row.Group == "host" && (row.Key != resto || row.Name != "Resto Zenne" || row.Supported != 1) {
			t.Errorf("the outcomes' host row: %+v", row)
		}
	}
}
