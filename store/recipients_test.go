package store_test

import (
	"context"
	"testing"

	"github.com/traject-ocmw/traject/domain"
	"github.com/traject-ocmw/traject/store"
	"github.com/traject-ocmw/traject/testenv"
)

// A message for a host goes to each of its active users in their own
// language; while it has none, to the host's address.
func TestHostRecipients(t *testing.T) {
	db := testenv.Database(t)
	fx := testenv.Seed(t, db)
	st := store.New(db)
	ctx := context.Background()
	host, err := st.CreateHost(ctx, fx.CentreID, store.HostInput{Name: "Resto", Email: "jobs@resto.example", Language: "nl"})
	if err != nil {
		t.Fatal(err)
	}
	got, err := st.Recipients(ctx, "host", fx.CentreID, host)
	if err != nil || len(got) != 1 || got[0].Email != "jobs@resto.example" {
		t.Fatalf("a host without users: %+v %v", got, err)
	}
	for _, u := range []store.User{
		{HostID: host, Email: "chef@resto.example", DisplayName: "Chef", Role: domain.RoleHost, Language: "fr"},
		{HostID: host, Email: "hr@resto.example", DisplayName: "HR", Role: domain.RoleHostAdmin, Language: "nl"},
	} {
		if _, err := st.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	got, err = st.Recipients(ctx, "host", fx.CentreID, host)
	if err != nil || len(got) != 2 {
		t.Fatalf("a host with two users: %+v %v", got, err)
	}
	langs := map[string]string{}
	for _, r := range got {
		langs[r.Email] = r.Language
	}
	if langs["chef@resto.example"] != "fr" || langs["hr@resto.example"] != "nl" {
		t.Errorf("each user in their language: %+v", got)
	}
}
