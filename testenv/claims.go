package testenv

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/traject-ocmw/traject/domain"
	"github.com/traject-ocmw/traject/store"
	"github.com/traject-ocmw/traject/workflows"
)

// ClaimDossiers are the dossiers SeedClaims adds, by the case each stands
// for; every day is fixed (not counted from today) so that each month's
// expected code or reason is known.
type ClaimDossiers struct {
	// Extended: signed 15 January 2025, nothing else; the test records its
	// extension. February 2026 is past the first period.
	Extended string
	// NoExtension: signed 15 January 2025, never extended: February 2026
	// gives no_extension.
	NoExtension string
	// NotInForce: signed 10 January 2025, closed 20 December 2025, back on
	// 20 January 2026 (a short break: the GPMI goes on), extended on 1
	// February 2026 with a motivation, but the GPMI was not in force on 10
	// January 2026: February 2026 gives not_in_force_end_first_period.
	NotInForce string
	// FourMonthBreak: signed 10 June 2025, closed 1 August 2025, back on 10
	// December 2025 without a new signature: December 2025 gives
	// break_without_new_gpmi.
	FourMonthBreak string
	// Reentered: signed 1 March 2025, closed 1 May 2025, back on 1 October
	// 2025 and signed again on 15 October: October 2025 gives 11 with the
	// new signature.
	Reentered string
	// Ends30th and Ends31st: signed 2 January 2025, on an Article 60
	// contract from 1 February 2025 ending on 30 (resp. 31) May 2025: May
	// is an Article 60 month for the second only; the GPMI months give
	// article60.
	Ends30th, Ends31st string
	// Leap: signed on 29 February 2028 (days to come: ask with an as_of
	// after them): February 2028 gives 11, February 2029 still 11, March
	// 2029 no_extension.
	Leap string
}

// SeedClaims adds to the fixture's centre a dossier for each case of the
// month's claims, as the workflow would have written its timeline.
// National numbers start with 920202.
func SeedClaims(t testing.TB, db *pgxpool.Pool, fx Fixture) ClaimDossiers {
	t.Helper()
	ctx := context.Background()
	st := store.New(db)
	brussels, err := time.LoadLocation("Europe/Brussels")
	if err != nil {
		t.Fatal(err)
	}
	day := func(s string) time.Time {
		d, err := time.Parse(time.DateOnly, s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	at := func(d time.Time) time.Time { return time.Date(d.Year(), d.Month(), d.Day(), 10, 0, 0, 0, brussels) }
	type ev struct {
		on   string
		kind string // trajectory_started, gpmi_signed, or a phase's name
		end  string // a contract's last day, for post_article60
	}
	type dossier struct {
		given, family string
		events        []ev
		extension     string // an extension's day with its motivation, recorded that day
	}
	var out ClaimDossiers
	for i, c := range []struct {
		id *string
		d  dossier
	}{
		{&out.Extended, dossier{"Emma", "Extra", []ev{{"2024-12-20", "trajectory_started", ""}, {"2025-01-15", "gpmi_signed", ""}}, ""}},
		{&out.NoExtension, dossier{"Noah", "Niet", []ev{{"2024-12-20", "trajectory_started", ""}, {"2025-01-15", "gpmi_signed", ""}}, ""}},
		{&out.NotInForce, dossier{"Nina", "Nogniet", []ev{{"2024-12-20", "trajectory_started", ""}, {"2025-01-10", "gpmi_signed", ""},
			{"2025-12-20", "closed", ""}, {"2026-01-20", "trajectory_started", ""}}, "2026-02-01"}},
		{&out.FourMonthBreak, dossier{"Pieter", "Pauze", []ev{{"2025-05-20", "trajectory_started", ""}, {"2025-06-10", "gpmi_signed", ""},
			{"2025-08-01", "closed", ""}, {"2025-12-10", "trajectory_started", ""}}, ""}},
		{&out.Reentered, dossier{"Rik", "Terug", []ev{{"2025-02-10", "trajectory_started", ""}, {"2025-03-01", "gpmi_signed", ""},
			{"2025-05-01", "closed", ""}, {"2025-10-01", "trajectory_started", ""}, {"2025-10-15", "gpmi_signed", ""}}, ""}},
		{&out.Ends30th, dossier{"Dirk", "Dertig", []ev{{"2024-12-20", "trajectory_started", ""}, {"2025-01-02", "gpmi_signed", ""},
			{"2025-02-01", "article60", ""}, {"2025-05-30", "post_article60", "2025-05-30"}}, ""}},
		{&out.Ends31st, dossier{"Elke", "Eenendertig", []ev{{"2024-12-20", "trajectory_started", ""}, {"2025-01-02", "gpmi_signed", ""},
			{"2025-02-01", "article60", ""}, {"2025-05-31", "post_article60", "2025-05-31"}}, ""}},
		{&out.Leap, dossier{"Lea", "Schrikkel", []ev{{"2028-02-01", "trajectory_started", ""}, {"2028-02-29", "gpmi_signed", ""}}, ""}},
	} {
		d := c.d
		id := uuid.NewString()
		*c.id = id
		if _, err := st.CreateParticipant(ctx, store.NewParticipant{ID: id, CentreID: fx.CentreID, GivenName: d.given, FamilyName: d.family,
			BirthDate: time.Date(1992, 2, 2, 0, 0, 0, 0, time.UTC), NationalNumber: "920202" + string(rune('0'+i/10)) + string(rune('0'+i%10)) + "002",
			Language: "nl", LeefloonDecisionDate: day(d.events[0].on)}); err != nil {
			t.Fatalf("testenv: seed claims: %v", err)
		}
		state := workflows.State{ParticipantID: id, CentreID: fx.CentreID, CounsellorID: fx.CounsellorID, Phase: workflows.PhaseFacilitator}
		phase := workflows.PhaseIntake
		for n, e := range d.events {
			on := day(e.on)
			te := domain.TimelineEvent{EventKey: id + "/claims/" + string(rune('a'+n)), ParticipantID: id, CentreID: fx.CentreID, OccurredAt: at(on), Kind: e.kind}
			switch e.kind {
			case "trajectory_started":
				state.GPMI = workflows.GPMIState{}
				phase, state.Phase, state.PhaseSince = workflows.PhaseFacilitator, workflows.PhaseFacilitator, at(on)
			case "gpmi_signed":
				state.GPMI.SignedOn, state.GPMI.Acknowledged = &on, true
				te.Data = map[string]any{"signed_on": on, "acknowledged": true}
			default:
				te.Kind, te.PhaseFrom, te.PhaseTo = "phase_changed", string(phase), e.kind
				te.Data = map[string]any{"from": string(phase), "to": e.kind}
				if e.end != "" {
					te.Data["contract_end"] = day(e.end)
				}
				phase, state.Phase, state.PhaseSince = workflows.Phase(e.kind), workflows.Phase(e.kind), at(on)
			}
			state.Version = int64(n + 1)
			te.Snapshot = domain.TrajectorySnapshot{WorkflowID: "trajectory:" + id, Phase: string(state.Phase), PhaseSince: state.PhaseSince,
				CounsellorID: fx.CounsellorID, Version: state.Version, State: state}
			if err := st.RecordEvent(ctx, te); err != nil {
				t.Fatalf("testenv: seed claims: %v", err)
			}
		}
		if d.extension != "" {
			if _, err := db.Exec(ctx, `INSERT INTO gpmi_extensions (id, participant_id, centre_id, extended_on, motivation, author_id, written_at)
				VALUES ($1, $2, $3, $4, 'Het traject loopt nog: de opleiding eindigt in juni.', $5, $6)`,
				uuid.NewString(), id, fx.CentreID, day(d.extension), fx.CounsellorID, at(day(d.extension))); err != nil {
				t.Fatalf("testenv: seed claims: %v", err)
			}
		}
	}
	return out
}
