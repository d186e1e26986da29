package store_test

import (
	"context"
	"testing"

	"github.com/traject-ocmw/traject/policy"
	"github.com/traject-ocmw/traject/store"
	"github.com/traject-ocmw/traject/testenv"
)

// A centre has one time zone, its policy's: the mail and the daily summary
// read the one the deadlines and pages read.
func TestCentreTimeZoneIsItsPolicys(t *testing.T) {
	db := testenv.Database(t)
	fx := testenv.Seed(t, db)
	st := store.New(db)
	ctx := context.Background()
	zones := func() (string, string) {
		t.Helper()
		c, err := st.Centre(ctx, fx.CentreID)
		if err != nil {
			t.Fatal(err)
		}
		m, err := st.MessageContext(ctx, fx.CentreID, fx.ParticipantID)
		if err != nil {
			t.Fatal(err)
		}
		return c.TimeZone, m.TimeZone
	}
	// A centre that saved no policy has the default's.
	if _, err := db.Exec(ctx, `DELETE FROM centre_policies WHERE centre_id = $1`, fx.CentreID); err != nil {
		t.Fatal(err)
	}
	if c, m := zones(); c != policy.Default().TimeZone || m != policy.Default().TimeZone {
		t.Errorf("without a policy: centre %q, messages %q, want the default %q", c, m, policy.Default().TimeZone)
	}
	p := policy.Default()
	p.TimeZone = "Europe/London"
	if _, err := st.SavePolicy(ctx, fx.CentreID, p, fx.CoordinatorID); err != nil {
		t.Fatal(err)
	}
	if c, m := zones(); c != "Europe/London" || m != "Europe/London" {
		t.Errorf("after the policy moved to London: centre %q, messages %q", c, m)
	}
}
