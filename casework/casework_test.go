package casework_test

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"
	sdkworker "go.temporal.io/sdk/worker"

	"github.com/traject-ocmw/traject/casework"
	"github.com/traject-ocmw/traject/domain"
	"github.com/traject-ocmw/traject/policy"
	"github.com/traject-ocmw/traject/store"
	"github.com/traject-ocmw/traject/testenv"
	"github.com/traject-ocmw/traject/worker"
	"github.com/traject-ocmw/traject/workflows"
)

func TestMain(m *testing.M) { testenv.Main(m) }

// env is casework against a real database and Temporal, with a worker.
type env struct {
	db    *pgxpool.Pool
	st    *store.Store
	fx    testenv.Fixture
	work  *casework.Service
	admin string
}

func newEnv(t *testing.T) *env {
	db := testenv.Database(t)
	fx := testenv.Seed(t, db)
	c := testenv.Client(t)
	queue := "casework-" + t.Name()
	w := sdkworker.New(c, queue, sdkworker.Options{})
	worker.Register(w, worker.Dependencies{DB: db})
	if err := w.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.Stop)
	st := store.New(db)
	admin, err := st.CreateUser(context.Background(), store.User{CentreID: fx.CentreID, Email: "ada@ocmw.example", DisplayName: "Ada", Role: domain.RoleAdmin, Language: "nl"})
	if err != nil {
		t.Fatal(err)
	}
	return &env{db: db, st: st, fx: fx, admin: admin,
		work: casework.New(casework.Options{Store: st, Temporal: c, TaskQueue: queue, Logger: testenv.Logger(t), UpdateWait: 10 * time.Second})}
}

func (e *env) caller(role domain.Role, id string) casework.Caller {
	return casework.Caller{UserID: id, CentreID: e.fx.CentreID, Role: role, RequestID: "test-" + id}
}

// status is how the doors would answer err.
func status(err error) int { return casework.Explain(err).Status }

// outcomes lists the audit log's outcomes of an action, oldest first.
func (e *env) outcomes(t *testing.T, action string) []string {
	t.Helper()
	rows, err := e.db.Query(context.Background(), `SELECT outcome FROM audit_log WHERE action = $1 ORDER BY id`, action)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for rows.Next() {
		var o string
		_ = rows.Scan(&o)
		out = append(out, o)
	}
	return out
}

// An administrator manages the centre's users and tokens; the rules hold
// whichever door sends them, and every write is audited with its outcome.
func TestUsersAndTokens(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	admin := e.caller(domain.RoleAdmin, e.admin)

	if _, err := e.work.CreateUser(ctx, e.caller(domain.RoleCoordinator, e.fx.CoordinatorID), casework.UserChange{Email: "x@ocmw.example"}); status(err) != http.StatusForbidden {
		t.Errorf("a coordinator adds a user: %v", err)
	}
	_, err := e.work.CreateUser(ctx, admin, casework.UserChange{Email: "not an address", Role: "boss", Language: "de"})
	var invalid *casework.InvalidError
	if !errors.As(err, &invalid) || len(invalid.Fields) < 2 {
		t.Fatalf("a malformed user: %v", err)
	}
	u, err := e.work.CreateUser(ctx, admin, casework.UserChange{Email: "dirk@ocmw.example", DisplayName: "Dirk", Role: domain.RoleCounsellor, Language: "nl"})
	if err != nil || u.ID == "" || !u.Active {
		t.Fatalf("add a user: %+v %v", u, err)
	}
	if _, err := e.work.CreateUser(ctx, admin, casework.UserChange{Email: "dirk@ocmw.example", DisplayName: "Dirk 2", Role: domain.RoleCounsellor, Language: "nl"}); status(err) != http.StatusConflict {
		t.Errorf("the same address twice: %v", err)
	}
	// An administrator does not remove their own role, nor deactivate
	// themselves: in the API as in the pages.
	if _, err := e.work.UpdateUser(ctx, admin, e.admin, casework.UserChange{Role: domain.RoleCoordinator}); status(err) != http.StatusConflict {
		t.Errorf("an administrator drops their own role: %v", err)
	}
	no := false
	if _, err := e.work.UpdateUser(ctx, admin, e.admin, casework.UserChange{Active: &no}); status(err) != http.StatusConflict {
		t.Errorf("an administrator deactivates themselves: %v", err)
	}
	if _, err := e.work.UpdateUser(ctx, admin, u.ID, casework.UserChange{Email: "other@ocmw.example"}); status(err) != http.StatusUnprocessableEntity {
		t.Errorf("a changed address: %v", err)
	}
	tk, err := e.work.CreateToken(ctx, admin, u.ID, "laptop")
	if err != nil || tk.Token == "" {
		t.Fatalf("token: %v", err)
	}
	if _, err := e.work.UpdateUser(ctx, admin, u.ID, casework.UserChange{Active: &no}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.work.CreateToken(ctx, admin, u.ID, "phone"); status(err) != http.StatusConflict {
		t.Errorf("a token for an inactive user: %v", err)
	}
	if err := e.work.RevokeToken(ctx, admin, tk.ID); err != nil {
		t.Fatal(err)
	}
	if err := e.work.RevokeToken(ctx, admin, tk.ID); status(err) != http.StatusNotFound {
		t.Errorf("revoked twice: %v", err)
	}
	// Another centre's administrator finds nobody.
	other := casework.Caller{UserID: e.admin, CentreID: "elsewhere", Role: domain.RoleAdmin}
	if _, err := e.work.UpdateUser(ctx, other, u.ID, casework.UserChange{DisplayName: "X"}); status(err) != http.StatusNotFound {
		t.Errorf("another centre's user: %v", err)
	}
	if got := e.outcomes(t, "create_user"); len(got) != 2 || got[0] != "ok" || got[1] != "refused" {
		t.Errorf("create_user audited as %v", got)
	}
}

// A dossier opened through casework starts its trajectory; a second
// attempt with the same key finds the same participant; a known national
// number in the centre is a conflict on that field.
func TestCreateParticipant(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	an := e.caller(domain.RoleCounsellor, e.fx.CounsellorID)
	an.Key = "intake-1-" + uuid.NewString() // the same each retry, new each run
	in := casework.NewParticipant{GivenName: "Sara", FamilyName: "Peeters", BirthDate: "1990-05-17", NationalNumber: "90.05.17-123.31",
		Language: "nl", CounsellorID: e.fx.CounsellorID, LeefloonDecisionDate: "2026-11-02"}
	bad := in
	bad.CounsellorID = e.fx.Counsellor2ID
	_, err := e.work.CreateParticipant(ctx, an, bad)
	var invalid *casework.InvalidError
	if !errors.As(err, &invalid) || invalid.Fields[0].String() != domain.Problem("counsellor_id", domain.OwnCaseload).String() {
		t.Errorf("into another's caseload: %v", err)
	}
	id, err := e.work.CreateParticipant(ctx, an, in)
	if err != nil {
		t.Fatal(err)
	}
	again, err := e.work.CreateParticipant(ctx, an, in)
	if err != nil || again != id {
		t.Fatalf("the same key again: %s %v, want %s", again, err, id)
	}
	testenv.Eventually(t, "the trajectory's read model", func() bool {
		d, err := e.st.Dossier(ctx, id)
		return err == nil && string(d.Trajectory) != "null"
	})
	an.Key = "intake-2-" + uuid.NewString()
	if _, err := e.work.CreateParticipant(ctx, an, in); status(err) != http.StatusConflict {
		t.Errorf("the same national number under another key: %v", err)
	}
	if _, err := e.work.CreateParticipant(ctx, e.caller(domain.RoleBCSD, e.fx.BCSDID), in); status(err) != http.StatusForbidden {
		t.Errorf("the BCSD opens a dossier: %v", err)
	}
}

// A write on a dossier: a malformed one names its field and changes
// nothing; the workflow's refusal comes back as its reason; a closed
// trajectory is a conflict.
func TestActRefusals(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	an := e.caller(domain.RoleCounsellor, e.fx.CounsellorID)
	an.Key = "intake-" + uuid.NewString()
	id, err := e.work.CreateParticipant(ctx, an, casework.NewParticipant{GivenName: "Tom", FamilyName: "Claes", BirthDate: "1985-07-30",
		NationalNumber: "85073003328", Language: "nl", CounsellorID: e.fx.CounsellorID, LeefloonDecisionDate: "2026-11-02"})
	if status(err) != http.StatusConflict { // the fixture's participant holds this number
		t.Fatalf("a known number: %v", err)
	}
	id, err = e.work.CreateParticipant(ctx, an, casework.NewParticipant{GivenName: "Tom", FamilyName: "Claes", BirthDate: "1990-05-17",
		NationalNumber: "90051712331", Language: "nl", CounsellorID: e.fx.CounsellorID, LeefloonDecisionDate: "2026-11-02"})
	if err != nil {
		t.Fatal(err)
	}
	// each write its own request (an update's ID comes from it)
	an.Key = ""
	act := func(update string, req casework.Request, n int) error {
		an.RequestID = "act-" + strconv.Itoa(n)
		var result any
		return e.work.Act(ctx, an, id, 0, update, req, &result)
	}
	agreements := []casework.AgreementInput{{Domain: "work", PersonDoes: "Solliciteert.", CentreDoes: "Zoekt vacatures mee."}}
	e.state(t, id, func(workflows.State) bool { return true })
	if _, err := e.work.RecordNeedsAnalysis(ctx, an, id, casework.NeedsAnalysisInput{DoneOn: "2026-11-18",
		Domains: []store.DomainFinding{{Domain: "work", Situation: "Werkloos sinds 2024."}}}); err != nil {
		t.Fatal(err)
	}
	err = act(workflows.UpdateSignGPMI, &casework.SignGPMI{SignedOn: "yesterday", Agreements: agreements, Acknowledged: true}, 1)
	if f := casework.Explain(err); f.Status != http.StatusUnprocessableEntity || len(f.Fields) != 1 || f.Fields[0].Code != domain.NotDate {
		t.Errorf("a malformed date: %+v", f)
	}
	if err := act(workflows.UpdateSignGPMI, &casework.SignGPMI{SignedOn: "2026-11-20", Agreements: agreements, Acknowledged: true}, 2); err != nil {
		t.Fatal(err)
	}
	err = act(workflows.UpdateSignGPMI, &casework.SignGPMI{SignedOn: "2026-11-21", Agreements: agreements, Acknowledged: true}, 3)
	if f := casework.Explain(err); f.Status != http.StatusConflict || f.Key != "refusal."+string(domain.ReasonGPMISigned) {
		t.Errorf("signed twice: %+v (%v)", f, err)
	}
	err = act(workflows.UpdateTransition, &casework.Transition{To: "work"}, 4)
	if f := casework.Explain(err); f.Status != http.StatusForbidden || f.Key != "refusal.role" {
		t.Errorf("a counsellor moves a phase: %+v (%v)", f, err)
	}
	if got := e.outcomes(t, workflows.UpdateSignGPMI); len(got) != 3 || got[0] != "refused" || got[1] != "ok" || got[2] != "refused" {
		t.Errorf("sign_gpmi audited as %v", got)
	}
}

// A policy is saved as its next version by the roles that may; a field
// the policy refuses is named.
func TestSavePolicy(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	chris := e.caller(domain.RoleCoordinator, e.fx.CoordinatorID)
	p, err := e.work.Policy(ctx, chris)
	if err != nil {
		t.Fatal(err)
	}
	p.GPMI.SignWithin = policy.Months(2)
	saved, err := e.work.SavePolicy(ctx, chris, p)
	if err != nil || saved.Version != 1 {
		t.Fatalf("save: %d %v", saved.Version, err)
	}
	p.Sanction.DecisionWithin = policy.Days(0)
	_, err = e.work.SavePolicy(ctx, chris, p)
	if f := casework.Explain(err); f.Status != http.StatusUnprocessableEntity || len(f.Fields) != 1 || f.Fields[0].Field != "sanction.decision_within" {
		t.Errorf("a zero period: %+v", f)
	}
	if _, err := e.work.SavePolicy(ctx, e.caller(domain.RoleCounsellor, e.fx.CounsellorID), p); status(err) != http.StatusForbidden {
		t.Errorf("a counsellor saves the policy: %v", err)
	}
	if got := e.outcomes(t, "change_policy"); len(got) != 2 || got[0] != "ok" || got[1] != "refused" {
		t.Errorf("change_policy audited as %v", got)
	}
}

// Hosts: registered, changed, archived while no contract runs there.
func TestHosts(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	chris := e.caller(domain.RoleCoordinator, e.fx.CoordinatorID)
	if _, err := e.work.SaveHost(ctx, chris, "", store.HostInput{Language: "nl"}); status(err) != http.StatusUnprocessableEntity {
		t.Errorf("a host without a name: %v", err)
	}
	id, err := e.work.SaveHost(ctx, chris, "", store.HostInput{Name: "Resto", Language: "nl", Positions: []store.HostPosition{{Function: "kitchen_help", Positions: 2}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.work.SaveHost(ctx, chris, id, store.HostInput{Name: "Resto Zuid", Language: "nl", Positions: []store.HostPosition{{Function: "kitchen_help", Positions: 3}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.work.SaveHost(ctx, e.caller(domain.RoleCounsellor, e.fx.CounsellorID), id, store.HostInput{Name: "X", Language: "nl"}); status(err) != http.StatusForbidden {
		t.Errorf("a counsellor changes a host: %v", err)
	}
	if err := e.work.ArchiveHost(ctx, chris, id); err != nil {
		t.Fatal(err)
	}
	if _, err := e.work.SaveHost(ctx, chris, "0b8e7c1e-3f4a-4c7e-9a59-2f6f1d1e8c99", store.HostInput{Name: "X", Language: "nl"}); status(err) != http.StatusNotFound {
		t.Errorf("an unknown host: %v", err)
	}
}
