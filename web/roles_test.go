package web_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/traject-ocmw/traject/domain"
	"github.com/traject-ocmw/traject/store"
	"github.com/traject-ocmw/traject/web"
)

// Every page and every form post of the table, for each of the six roles
// and a signed-out visitor, answers as the table declares: the sign-in page
// for a visitor, 403 for a role the page is not for, and for a role it is
// for the page (200), a form's outcome (303, 409, 422) or, for an ID that
// names nothing the viewer may see, 404. Never a 5xx.
func TestRoleMatrix(t *testing.T) {
	e := newActingEnv(t)
	ctx := context.Background()
	dossier := e.start("Matrix", time.Now().AddDate(0, -1, 0))
	admin, err := e.db.CreateUser(ctx, store.User{CentreID: e.fx.CentreID, Email: "admin@ocmw.example", DisplayName: "Ada", Role: domain.RoleAdmin, Language: "nl"})
	if err != nil {
		t.Fatal(err)
	}
	host, err := e.db.CreateHost(ctx, e.fx.CentreID, store.HostInput{Name: "Resto", Language: "nl", Positions: []store.HostPosition{{Function: "kitchen_help", Positions: 2}}})
	if err != nil {
		t.Fatal(err)
	}
	hostUser, err := e.db.CreateUser(ctx, store.User{HostID: host, Email: "chef@resto.example", DisplayName: "Chef", Role: domain.RoleHost, Language: "nl"})
	if err != nil {
		t.Fatal(err)
	}
	hostAdmin, err := e.db.CreateUser(ctx, store.User{HostID: host, Email: "baas@resto.example", DisplayName: "Baas", Role: domain.RoleHostAdmin, Language: "nl"})
	if err != nil {
		t.Fatal(err)
	}
	people := map[domain.Role]string{
		domain.RoleCounsellor: e.fx.CounsellorID, domain.RoleCoordinator: e.fx.CoordinatorID, domain.RoleBCSD: e.fx.BCSDID,
		domain.RoleAdmin: admin, domain.RoleHost: hostUser, domain.RoleHostAdmin: hostAdmin,
	}
	nobody := uuid.NewString()
	params := strings.NewReplacer("{note}", nobody, "{place}", nobody, "{n}", "1", "{operation}", "signGPMI", "{record}", "absences", "{section}", "gpmi", "{report}", "trajectories")
	path := func(rt web.Route) string {
		p := rt.Pattern
		if strings.HasPrefix(p, "/dossiers/{id}") {
			p = strings.Replace(p, "{id}", dossier, 1)
		}
		return params.Replace(strings.Replace(p, "{id}", nobody, 1))
	}
	for _, rt := range web.Routes() {
		p := path(rt)
		t.Run(rt.Method+" "+rt.Pattern, func(t *testing.T) {
			visitor := newBrowser(t, e.h)
			if status, _, header := visitor.do(rt.Method, p, formFor(rt)); status != http.StatusSeeOther || header.Get("Location") != "/signin" {
				t.Errorf("signed out: %d to %q", status, header.Get("Location"))
			}
			for _, role := range domain.PeopleRoles {
				b := newBrowserSignedIn(t, e.h, people[role])
				status, page, _ := b.do(rt.Method, p, formFor(rt))
				allowed := slices.Contains(rt.Roles, role)
				switch {
				case !allowed && status != http.StatusForbidden:
					t.Errorf("%s: %d, want 403", role, status)
				case allowed && !slices.Contains([]int{200, 303, 404, 409, 422}, status):
					t.Errorf("%s: %d\n%s", role, status, page)
				case allowed && rt.Method == "GET" && !strings.Contains(rt.Pattern, "{") && status != http.StatusOK && rt.Pattern != "/":
					t.Errorf("%s: %d, want the page", role, status)
				}
			}
		})
	}
}

// formFor is an empty form for a post, none for a page.
func formFor(rt web.Route) url.Values {
	if rt.Method == http.MethodPost {
		return url.Values{}
	}
	return nil
}
