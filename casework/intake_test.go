package casework_test

import (
	"context"
	"encoding/json"
	"errors"
	"github.com/google/uuid"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/traject-ocmw/traject/casework"
	"github.com/traject-ocmw/traject/domain"
	"github.com/traject-ocmw/traject/store"
	"github.com/traject-ocmw/traject/testenv"
	"github.com/traject-ocmw/traject/workflows"
)

// fields names the fields of an invalid request, with their codes.
func fields(err error) map[string]domain.Code {
	var invalid *casework.InvalidError
	if !errors.As(err, &invalid) {
		return nil
	}
	out := map[string]domain.Code{}
	for _, f := range invalid.Fields {
		out[f.Field] = f.Code
	}
	return out
}

// state reads a dossier's trajectory once its workflow has written it.
func (e *env) state(t *testing.T, id string, ok func(workflows.State) bool) workflows.State {
	t.Helper()
	var s workflows.State
	testenv.Eventually(t, "the trajectory's read model", func() bool {
		d, err := e.st.Dossier(context.Background(), id)
		return err == nil && json.Unmarshal(d.Trajectory, &s) == nil && s.Phase != "" && ok(s)
	})
	return s
}

// The intake takes the person's contact details and the day the leefloon
// decision was notified (the GPMI's months run from it by default); the
// national number must agree with the birth date; a number the centre
// knows names its dossier, and whether the caller may open it.
func TestIntake(t *testing.T) {
	// keys new each run: a participant's ID, its workflow's too, comes from its key
	run := t.Name() + "-" + uuid.NewString()
	e := newEnv(t)
	ctx := context.Background()
	an := e.caller(domain.RoleCounsellor, e.fx.CounsellorID)
	an.Key = run
	in := casework.NewParticipant{GivenName: "Sara", FamilyName: "Peeters", BirthDate: "1990-05-17", NationalNumber: "90.05.17-123.31",
		Language: "nl", CounsellorID: e.fx.CounsellorID, LeefloonDecisionDate: "2026-11-02", LeefloonNotifiedDate: "2026-11-16",
		Phone: "+32 2 555 01 02", Street: "Gemeenteplein 1", Postcode: "1080", Municipality: "Molenbeek"}

	bad := in
	bad.BirthDate, bad.NationalNumber, bad.Postcode, bad.Phone = "1990-05-18", "90.05.17-123.31", "108", "call me"
	bad.LeefloonNotifiedDate = "2026-10-30"
	got := fields(func() error { _, err := e.work.CreateParticipant(ctx, an, bad); return err }())
	want := map[string]domain.Code{"national_number": domain.NotBirthDate, "postcode": domain.NotPostcode, "phone": domain.NotPhone,
		"leefloon_notified_date": domain.NotBefore}
	for f, code := range want {
		if got[f] != code {
			t.Errorf("%s: %q, want %q (all: %v)", f, got[f], code, got)
		}
	}
	future := in
	future.BirthDate = time.Now().AddDate(1, 0, 0).Format(time.DateOnly)
	if got := fields(func() error { _, err := e.work.CreateParticipant(ctx, an, future); return err }()); got["birth_date"] != domain.InFuture {
		t.Errorf("a birth date to come: %v", got)
	}

	id, err := e.work.CreateParticipant(ctx, an, in)
	if err != nil {
		t.Fatal(err)
	}
	d, err := e.st.Dossier(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if d.Phone == nil || *d.Phone != in.Phone || d.Postcode == nil || *d.Postcode != "1080" || d.LeefloonNotifiedDate == nil || *d.LeefloonNotifiedDate != "2026-11-16" || d.DetailsVersion != 1 {
		t.Errorf("stored: %+v", d)
	}
	s := e.state(t, id, func(workflows.State) bool { return true })
	i := slices.IndexFunc(s.Deadlines, func(d workflows.Deadline) bool { return d.Kind == workflows.KindGPMISign })
	if i < 0 || s.Deadlines[i].Due.Before(time.Date(2027, 2, 15, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("the GPMI's signature is due %v, want three months after the notification of 16 November", s.Deadlines)
	}

	// The same person again: the centre's dossier, which its counsellor
	// may open and another counsellor may not.
	again := in
	again.GivenName = "Sarah"
	an.Key = run + "-again"
	_, err = e.work.CreateParticipant(ctx, an, again)
	var known *casework.KnownPersonError
	if !errors.As(err, &known) || known.ParticipantID != id || known.Closed || !known.Visible || status(err) != http.StatusConflict {
		t.Fatalf("a known person: %v", err)
	}
	other := e.caller(domain.RoleCounsellor, e.fx.Counsellor2ID)
	other.Key = run + "-other"
	again.CounsellorID = e.fx.Counsellor2ID
	if _, err = e.work.CreateParticipant(ctx, other, again); !errors.As(err, &known) || known.Visible {
		t.Errorf("another counsellor's person: %+v %v", known, err)
	}
	if f := casework.Explain(err); f.Known == nil || f.Key != "problem.participant_exists" {
		t.Errorf("explained as %+v", f)
	}
}

// Personal details change at the version the editor saw: a second edit
// made on the same version is told what changed meanwhile, by whom; the
// log names fields, never values.
func TestPersonalDetails(t *testing.T) {
	// keys new each run: a participant's ID, its workflow's too, comes from its key
	run := t.Name() + "-" + uuid.NewString()
	e := newEnv(t)
	ctx := context.Background()
	an := e.caller(domain.RoleCounsellor, e.fx.CounsellorID)
	an.Key = run
	id, err := e.work.CreateParticipant(ctx, an, casework.NewParticipant{GivenName: "Tom", FamilyName: "Claes", BirthDate: "1990-05-17",
		NationalNumber: "90051712331", Email: "tom@example.be", Language: "nl", CounsellorID: e.fx.CounsellorID, LeefloonDecisionDate: "2026-11-02"})
	if err != nil {
		t.Fatal(err)
	}
	e.state(t, id, func(workflows.State) bool { return true })

	if _, err := e.work.UpdateDetails(ctx, an, id, 1, map[string]string{"postcode": "10800"}); fields(err)["postcode"] != domain.NotPostcode {
		t.Errorf("a malformed postcode: %v", err)
	}
	if _, err := e.work.UpdateDetails(ctx, e.caller(domain.RoleBCSD, e.fx.BCSDID), id, 1, map[string]string{"phone": "02 555 01 02"}); status(err) != http.StatusForbidden {
		t.Errorf("the BCSD edits details: %v", err)
	}
	if _, err := e.work.UpdateDetails(ctx, e.caller(domain.RoleCounsellor, e.fx.Counsellor2ID), id, 1, map[string]string{"phone": "02 555 01 02"}); status(err) != http.StatusNotFound {
		t.Errorf("another counsellor's dossier: %v", err)
	}
	now, err := e.work.UpdateDetails(ctx, an, id, 1, map[string]string{"phone": "02 555 01 02", "email": "", "language": "fr"})
	if err != nil {
		t.Fatal(err)
	}
	if now.Version != 2 || now.Phone != "02 555 01 02" || now.Email != "" {
		t.Errorf("after the edit: %+v", now)
	}
	// The coordinator edits the version they loaded before the counsellor's.
	_, err = e.work.UpdateDetails(ctx, e.caller(domain.RoleCoordinator, e.fx.CoordinatorID), id, 1, map[string]string{"street": "Rue Haute 5"})
	var stale *store.StaleDetailsError
	if !errors.As(err, &stale) || stale.Current.Version != 2 || len(stale.Since) != 1 || stale.Since[0].ChangedBy != e.fx.CounsellorID ||
		!slices.Equal(stale.Since[0].Fields, []string{"email", "phone", "language"}) || status(err) != http.StatusConflict {
		t.Fatalf("a stale edit: %+v %v", stale, err)
	}
	if _, err := e.work.UpdateDetails(ctx, e.caller(domain.RoleCoordinator, e.fx.CoordinatorID), id, 2, map[string]string{"street": "Rue Haute 5", "phone": "02 555 01 02"}); err != nil {
		t.Fatal(err)
	}
	// What the intake got wrong is corrected the same way: a number that
	// does not begin with the birth date is named, one the centre holds
	// for another person is a conflict, a right one is stored normalised.
	coord := e.caller(domain.RoleCoordinator, e.fx.CoordinatorID)
	if _, err := e.work.UpdateDetails(ctx, coord, id, 3, map[string]string{"national_number": "85.07.30-033.28"}); fields(err)["national_number"] != domain.NotBirthDate {
		t.Errorf("a number of another birth date: %v", err)
	}
	if _, err := e.work.UpdateDetails(ctx, coord, id, 3, map[string]string{"national_number": "85.07.30-033.28", "birth_date": "1985-07-30"}); status(err) != http.StatusConflict {
		t.Errorf("the fixture's number: %v", err)
	}
	fixed, err := e.work.UpdateDetails(ctx, coord, id, 3, map[string]string{"national_number": "90.05.17-125.29", "given_name": "Thomas", "family_name": ""})
	if fields(err)["family_name"] != domain.Required {
		t.Errorf("a family name cleared: %+v %v", fixed, err)
	}
	if fixed, err = e.work.UpdateDetails(ctx, coord, id, 3, map[string]string{"national_number": "90.05.17-125.29", "given_name": "Thomas"}); err != nil ||
		fixed.NationalNumber != "90051712529" || fixed.GivenName != "Thomas" || fixed.Version != 4 {
		t.Errorf("a corrected number and name: %+v %v", fixed, err)
	}
	changes, err := e.st.DetailsChanges(ctx, id)
	if err != nil || len(changes) != 3 || !slices.Equal(changes[0].Fields, []string{"given_name", "national_number"}) || !slices.Equal(changes[1].Fields, []string{"street"}) {
		t.Errorf("the change log: %+v %v", changes, err)
	}
	var logged string
	if err := e.db.QueryRow(ctx, `SELECT string_agg(a::text, ' ') FROM audit_log a WHERE action = 'update_details'`).Scan(&logged); err != nil {
		t.Fatal(err)
	}
	if slices.ContainsFunc([]string{"02 555 01 02", "Rue Haute", "Thomas"}, func(s string) bool { return strings.Contains(logged, s) }) {
		t.Errorf("the audit log holds a value: %s", logged)
	}
	if got := e.outcomes(t, "update_details"); len(got) != 5 || got[0] != "ok" || got[1] != "refused" || got[2] != "ok" || got[3] != "refused" || got[4] != "ok" {
		t.Errorf("update_details audited as %v", got)
	}
}

// A person whose trajectory closed comes back: the intake finds the
// closed dossier, and re-entry starts a new run of it that keeps the
// timeline and counts its versions on; while it runs, re-entry is refused.
func TestReentry(t *testing.T) {
	// keys new each run: a participant's ID, its workflow's too, comes from its key
	run := t.Name() + "-" + uuid.NewString()
	e := newEnv(t)
	ctx := context.Background()
	coord := e.caller(domain.RoleCoordinator, e.fx.CoordinatorID)
	coord.Key = run
	in := casework.NewParticipant{GivenName: "Tom", FamilyName: "Claes", BirthDate: "1990-05-17", NationalNumber: "90051712331",
		Language: "nl", CounsellorID: e.fx.CounsellorID, LeefloonDecisionDate: "2026-11-02"}
	id, err := e.work.CreateParticipant(ctx, coord, in)
	if err != nil {
		t.Fatal(err)
	}
	e.state(t, id, func(workflows.State) bool { return true })
	reentry := casework.Reentry{CounsellorID: e.fx.Counsellor2ID, LeefloonDecisionDate: "2026-12-01"}
	coord.Key = ""
	coord.RequestID = "reentry-open"
	if err := e.work.Reenter(ctx, coord, id, reentry); status(err) != http.StatusConflict {
		t.Fatalf("re-entry while the trajectory runs: %v", err)
	}
	coord.RequestID = "close"
	var result any
	if err := e.work.Act(ctx, coord, id, 0, workflows.UpdateTransition, &casework.Transition{To: "closed", Outcome: "moved"}, &result); err != nil {
		t.Fatal(err)
	}
	closed := e.state(t, id, func(s workflows.State) bool { return s.Phase == workflows.PhaseClosed })

	coord.Key = run + "-again"
	if _, err := e.work.CreateParticipant(ctx, coord, in); func() bool {
		var known *casework.KnownPersonError
		return !errors.As(err, &known) || !known.Closed || known.ParticipantID != id
	}() {
		t.Fatalf("the intake of a closed person: %v", err)
	}
	if err := e.work.Reenter(ctx, e.caller(domain.RoleBCSD, e.fx.BCSDID), id, reentry); status(err) != http.StatusForbidden {
		t.Errorf("the BCSD re-opens: %v", err)
	}
	coord.Key = run + "-reentry"
	if err := e.work.Reenter(ctx, coord, id, casework.Reentry{CounsellorID: e.fx.Counsellor2ID}); fields(err)["leefloon_decision_date"] != domain.Required {
		t.Errorf("re-entry without a decision: %v", err)
	}
	testenv.Eventually(t, "the closed run to end", func() bool {
		return e.work.Reenter(ctx, coord, id, reentry) == nil
	})
	s := e.state(t, id, func(s workflows.State) bool { return s.Phase == workflows.PhaseIntake })
	if s.CounsellorID != e.fx.Counsellor2ID || s.Version <= closed.Version {
		t.Errorf("after re-entry: counsellor %s, version %d (closed at %d)", s.CounsellorID, s.Version, closed.Version)
	}
	d, _ := e.st.Dossier(ctx, id)
	if d.LeefloonDecisionDate != "2026-12-01" {
		t.Errorf("the new decision: %s", d.LeefloonDecisionDate)
	}
	events, err := e.st.Timeline(ctx, id, 0, 200)
	if err != nil || len(events) < 3 {
		t.Errorf("the timeline keeps both runs: %d events, %v", len(events), err)
	}
	if err := e.work.Reenter(ctx, coord, id, reentry); status(err) != http.StatusConflict {
		t.Errorf("re-entry of a dossier open again: %v", err)
	}
}
