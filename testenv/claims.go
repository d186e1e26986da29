package testenv

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/traject-ocmw/traject/domain"
	"github.com/traject-ocmw/traject/policy"
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
	var out ClaimDossiers
	seedClaimDossiers(t, db, fx.CentreID, fx.CounsellorID, "920202", []claimDossier{
		{&out.Extended, "Emma", "Extra", []claimEvent{{"2024-12-20", "trajectory_started", ""}, {"2025-01-15", "gpmi_signed", ""}}, ""},
		{&out.NoExtension, "Noah", "Niet", []claimEvent{{"2024-12-20", "trajectory_started", ""}, {"2025-01-15", "gpmi_signed", ""}}, ""},
		{&out.NotInForce, "Nina", "Nogniet", []claimEvent{{"2024-12-20", "trajectory_started", ""}, {"2025-01-10", "gpmi_signed", ""},
			{"2025-12-20", "closed", ""}, {"2026-01-20", "trajectory_started", ""}}, "2026-02-01"},
		{&out.FourMonthBreak, "Pieter", "Pauze", []claimEvent{{"2025-05-20", "trajectory_started", ""}, {"2025-06-10", "gpmi_signed", ""},
			{"2025-08-01", "closed", ""}, {"2025-12-10", "trajectory_started", ""}}, ""},
		{&out.Reentered, "Rik", "Terug", []claimEvent{{"2025-02-10", "trajectory_started", ""}, {"2025-03-01", "gpmi_signed", ""},
			{"2025-05-01", "closed", ""}, {"2025-10-01", "trajectory_started", ""}, {"2025-10-15", "gpmi_signed", ""}}, ""},
		{&out.Ends30th, "Dirk", "Dertig", []claimEvent{{"2024-12-20", "trajectory_started", ""}, {"2025-01-02", "gpmi_signed", ""},
			{"2025-02-01", "article60", ""}, {"2025-05-30", "post_article60", "2025-05-30"}}, ""},
		{&out.Ends31st, "Elke", "Eenendertig", []claimEvent{{"2024-12-20", "trajectory_started", ""}, {"2025-01-02", "gpmi_signed", ""},
			{"2025-02-01", "article60", ""}, {"2025-05-31", "post_article60", "2025-05-31"}}, ""},
		{&out.Leap, "Lea", "Schrikkel", []claimEvent{{"2028-02-01", "trajectory_started", ""}, {"2028-02-29", "gpmi_signed", ""}}, ""},
	})
	return out
}

// Article60Centre is a Flemish centre, whose region funds Article 60
// months under the default policy (tijdelijke werkervaring: 250 and 195
// euro a month, at most 24 months a person), with a coordinator and two
// dossiers on Article 60 contracts. Every day is fixed.
type Article60Centre struct {
	CentreID, CoordinatorID, CounsellorID string
	// Long: on an Article 60 contract from 1 January 2023 to 31 March
	// 2025 (27 months): December 2024 is their 24th month, January 2025
	// their 25th, past the maximum.
	Long string
	// Short: on an Article 60 contract from 15 November 2024 to 30 June
	// 2025: November 2024 is their first month, January 2025 their third.
	Short string
}

// SeedArticle60Centre adds the centre "gent" (Flanders) with its staff
// and dossiers. National numbers start with 930303.
func SeedArticle60Centre(t testing.TB, db *pgxpool.Pool) Article60Centre {
	t.Helper()
	ctx := context.Background()
	st := store.New(db)
	out := Article60Centre{CentreID: "gent", CoordinatorID: "a5e6f7a8-1b2c-4d3e-8f40-5a6b7c8d9e01", CounsellorID: "b6f7a8b9-2c3d-4e4f-9051-6b7c8d9e0f12"}
	if err := st.CreateCentre(ctx, store.Centre{ID: out.CentreID, Name: "OCMW Gent", Region: "flanders", Language: "nl"}); err != nil {
		t.Fatalf("testenv: seed the Flemish centre: %v", err)
	}
	for _, u := range []store.User{
		{ID: out.CoordinatorID, Email: "griet@ocmw-gent.example", DisplayName: "Griet", Role: domain.RoleCoordinator},
		{ID: out.CounsellorID, Email: "geert@ocmw-gent.example", DisplayName: "Geert", Role: domain.RoleCounsellor},
	} {
		u.CentreID, u.Language = out.CentreID, "nl"
		if _, err := st.CreateUser(ctx, u); err != nil {
			t.Fatalf("testenv: seed the Flemish centre: %v", err)
		}
	}
	seedClaimDossiers(t, db, out.CentreID, out.CounsellorID, "930303", []claimDossier{
		{&out.Long, "Lotte", "Lang", []claimEvent{{"2022-12-01", "trajectory_started", ""}, {"2022-12-15", "gpmi_signed", ""},
			{"2023-01-01", "article60", ""}, {"2025-03-31", "post_article60", "2025-03-31"}}, ""},
		{&out.Short, "Koen", "Kort", []claimEvent{{"2024-10-01", "trajectory_started", ""}, {"2024-10-20", "gpmi_signed", ""},
			{"2024-11-15", "article60", ""}, {"2025-06-30", "post_article60", "2025-06-30"}}, ""},
	})
	return out
}

// claimEvent is a day of a claims dossier: trajectory_started,
// gpmi_signed, or the phase it moves to (with a contract's last day, for
// post_article60).
type claimEvent struct{ on, kind, end string }

// claimDossier is a claims dossier: its ID's place, the person, the
// timeline, and an extension's day (recorded that day with its
// motivation) or "".
type claimDossier struct {
	id            *string
	given, family string
	events        []claimEvent
	extension     string
}

// seedClaimDossiers writes the dossiers with fixed days in the centre,
// under the counsellor, numbered from prefix.
func seedClaimDossiers(t testing.TB, db *pgxpool.Pool, centre, counsellor, prefix string, dossiers []claimDossier) {
	t.Helper()
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
	for i, d := range dossiers {
		id := uuid.NewString()
		*d.id = id
		var events []seedEvent
		phase := string(workflows.PhaseIntake)
		for _, e := range d.events {
			on := day(e.on)
			switch e.kind {
			case "trajectory_started":
				phase = string(workflows.PhaseFacilitator)
				events = append(events, seedEvent{at: at(on), kind: e.kind})
			case "gpmi_signed":
				events = append(events, seedEvent{at: at(on), kind: e.kind, data: map[string]any{"signed_on": on, "acknowledged": true}})
			default:
				ev := phaseChange(at(on), phase, e.kind)
				if e.end != "" {
					ev.data["contract_end"] = day(e.end)
				}
				phase = e.kind
				events = append(events, ev)
			}
		}
		person := store.NewParticipant{ID: id, CentreID: centre, GivenName: d.given, FamilyName: d.family,
			BirthDate: time.Date(1992, 2, 2, 0, 0, 0, 0, time.UTC), NationalNumber: nationalNumber(prefix, i, "002"),
			Language: "nl", LeefloonDecisionDate: day(d.events[0].on)}
		seedParticipant(t, db, "claims", person)
		seedTimeline(t, db, "claims", person, counsellor, events)
		if d.extension != "" {
			if _, err := db.Exec(context.Background(), `INSERT INTO gpmi_extensions (id, participant_id, centre_id, extended_on, motivation, author_id, written_at)
				VALUES ($1, $2, $3, $4, 'Het traject loopt nog: de opleiding eindigt in juni.', $5, $6)`,
				uuid.NewString(), id, centre, day(d.extension), counsellor, at(day(d.extension))); err != nil {
				t.Fatalf("testenv: seed claims: %v", err)
			}
		}
	}
}

// SavePolicyOn saves a new version of the centre's policy, its newest
// changed by change, as if saved at 10:00 in Brussels on day (YYYY-MM-DD),
// and returns its number: a centre that changed its rules on that day.
func SavePolicyOn(t testing.TB, db *pgxpool.Pool, centreID, day string, change func(*policy.Policy)) int {
	t.Helper()
	ctx := context.Background()
	brussels, err := time.LoadLocation("Europe/Brussels")
	if err != nil {
		t.Fatal(err)
	}
	d, err := time.ParseInLocation(time.DateOnly, day, brussels)
	if err != nil {
		t.Fatal(err)
	}
	st := store.New(db)
	p, err := st.LoadPolicy(ctx, centreID)
	if err != nil {
		t.Fatalf("testenv: policy of %s: %v", centreID, err)
	}
	change(&p)
	version, err := st.SavePolicy(ctx, centreID, p, "")
	if err != nil {
		t.Fatalf("testenv: save the policy of %s: %v", centreID, err)
	}
	if _, err := db.Exec(ctx, `UPDATE centre_policies SET created_at = $3 WHERE centre_id = $1 AND version = $2`,
		centreID, version, d.Add(10*time.Hour)); err != nil {
		t.Fatalf("testenv: date the policy of %s: %v", centreID, err)
	}
	return version
}
