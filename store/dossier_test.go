package store_test

import (
	"context"
	"errors"
	"testing"

	"github.com/traject-ocmw/traject/store"
	"github.com/traject-ocmw/traject/testenv"
)

// ReadDossier answers a dossier only to whom may see it, and each answer,
// and nothing else, leaves its entry in the audit log.
func TestReadDossierLogsEachRead(t *testing.T) {
	db := testenv.Database(t)
	fx := testenv.Seed(t, db)
	st := store.New(db)
	ctx := context.Background()
	if _, err := db.Exec(ctx, `
		INSERT INTO trajectories (participant_id, centre_id, workflow_id, phase, phase_since, counsellor_id, state, version)
		VALUES ($1::uuid, $2, 'trajectory-'||$1::text, 'facilitator', now(), $3, '{"phase": "facilitator"}', 1)`,
		fx.ParticipantID, fx.CentreID, fx.CounsellorID); err != nil {
		t.Fatal(err)
	}
	read := func(v store.Viewer, id, request string) (store.Dossier, error) {
		return st.ReadDossier(ctx, v, id, store.Access{
			CentreID: v.CentreID, ActorID: v.UserID, ActorRole: "counsellor",
			Action: "read_dossier", ObjectType: "participant", RequestID: request, Outcome: "ok",
		})
	}
	own := store.Viewer{CentreID: fx.CentreID, UserID: fx.CounsellorID, CaseloadOnly: true}
	d, err := read(own, fx.ParticipantID, "seen")
	if err != nil || d.ID != fx.ParticipantID || d.GivenName != "Fatima" || string(d.Trajectory) != `{"phase": "facilitator"}` {
		t.Fatalf("the counsellor's own dossier: %+v, %v", d, err)
	}
	for name, c := range map[string]struct {
		v  store.Viewer
		id string
	}{
		"another counsellor's":  {store.Viewer{CentreID: fx.CentreID, UserID: fx.Counsellor2ID, CaseloadOnly: true}, fx.ParticipantID},
		"another centre's":      {store.Viewer{CentreID: "elsewhere", UserID: fx.CoordinatorID}, fx.ParticipantID},
		"an unknown one":        {store.Viewer{CentreID: fx.CentreID, UserID: fx.CoordinatorID}, "00000000-0000-4000-8000-000000000000"},
		"one that is not an ID": {store.Viewer{CentreID: fx.CentreID, UserID: fx.CoordinatorID}, "x'; --"},
	} {
		if _, err := read(c.v, c.id, "unseen"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("%s: %v, want not found", name, err)
		}
	}
	var seen, unseen int
	if err := db.QueryRow(ctx, `
		SELECT count(*) FILTER (WHERE request_id = 'seen' AND object_id = $1 AND actor_id = $2 AND centre_id = $3),
		       count(*) FILTER (WHERE request_id = 'unseen')
		FROM audit_log WHERE action = 'read_dossier'`, fx.ParticipantID, fx.CounsellorID, fx.CentreID).Scan(&seen, &unseen); err != nil {
		t.Fatal(err)
	}
	if seen != 1 || unseen != 0 {
		t.Errorf("audit entries: %d for the read answered (want 1), %d for those refused (want 0)", seen, unseen)
	}
}
