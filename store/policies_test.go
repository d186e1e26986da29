package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/traject-ocmw/traject/policy"
	"github.com/traject-ocmw/traject/store"
	"github.com/traject-ocmw/traject/testenv"
)

// TestPolicyAtReadsTheVersionInForce reads a centre's policy as it stood
// at several instants: the legal defaults before its first version, then
// each version from the moment it was saved; LoadPolicy keeps reading the
// newest.
func TestPolicyAtReadsTheVersionInForce(t *testing.T) {
	db := testenv.Database(t)
	fx := testenv.Seed(t, db)
	st := store.New(db)
	ctx := context.Background()
	v1 := testenv.SavePolicyOn(t, db, fx.CentreID, "2025-11-10", func(p *policy.Policy) { p.Claims.GeneralCode = "21" })
	v2 := testenv.SavePolicyOn(t, db, fx.CentreID, "2026-01-15", func(p *policy.Policy) { p.Claims.GeneralCode = "31" })
	brussels, _ := time.LoadLocation("Europe/Brussels")
	saved := time.Date(2025, 11, 10, 10, 0, 0, 0, brussels)
	for _, c := range []struct {
		at      time.Time
		version int
		code    string
	}{
		{time.Date(2025, 10, 31, 23, 59, 59, 0, brussels), 0, "11"},
		{saved.Add(-time.Microsecond), 0, "11"},
		{saved, v1, "21"},
		{time.Date(2025, 12, 31, 23, 59, 59, 0, brussels), v1, "21"},
		{time.Date(2026, 1, 31, 23, 59, 59, 0, brussels), v2, "31"},
		{time.Now(), v2, "31"},
	} {
		p, err := st.PolicyAt(ctx, fx.CentreID, c.at)
		if err != nil {
			t.Fatal(err)
		}
		if p.Version != c.version || p.Claims.GeneralCode != c.code || p.Claims.ExtensionCode != "17" {
			t.Errorf("at %s: version %d, codes %s/%s; want version %d, code %s/17", c.at, p.Version, p.Claims.GeneralCode, p.Claims.ExtensionCode, c.version, c.code)
		}
	}
	if p, err := st.LoadPolicy(ctx, fx.CentreID); err != nil || p.Version != v2 {
		t.Errorf("newest: version %d, %v", p.Version, err)
	}
	if p, err := st.PolicyAt(ctx, "nowhere", time.Now()); err != nil || p.Version != 0 || p.Claims.GeneralCode != "11" {
		t.Errorf("a centre without a policy: version %d, code %s, %v", p.Version, p.Claims.GeneralCode, err)
	}
}
