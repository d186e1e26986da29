package store_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/traject-ocmw/traject/domain"
	"github.com/traject-ocmw/traject/store"
	"github.com/traject-ocmw/traject/testenv"
)

// TestCentreFileChecksReadsWhatFileFactsReads holds the centre's one-pass
// read to the dossier's own: the same facts for every dossier, today and
// as of a past day, and a counsellor's read only their own dossiers.
func TestCentreFileChecksReadsWhatFileFactsReads(t *testing.T) {
	db := testenv.Database(t)
	fx := testenv.Seed(t, db)
	d := testenv.SeedFileChecks(t, db, fx)
	st := store.New(db)
	ctx := context.Background()
	brussels, _ := time.LoadLocation("Europe/Brussels")
	for _, asOf := range []time.Time{time.Now(), time.Now().AddDate(0, 0, -100)} {
		files, err := st.CentreFileChecks(ctx, store.ViewerOf(fx.CentreID, fx.CoordinatorID, domain.RoleCoordinator), asOf, brussels)
		if err != nil {
			t.Fatal(err)
		}
		if len(files) != 7 { // the six seeded and the fixture's own
			t.Errorf("%d dossiers, want 7", len(files))
		}
		for _, f := range files {
			one, err := st.FileFacts(ctx, f.Facts.ParticipantID, asOf, brussels)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(one, f.Facts) {
				t.Errorf("%s as of %s:\ncentre  %+v\ndossier %+v", f.Facts.FamilyName, asOf.Format(time.DateOnly), f.Facts, one)
			}
		}
	}
	files, err := st.CentreFileChecks(ctx, store.ViewerOf(fx.CentreID, fx.Counsellor2ID, domain.RoleCounsellor), time.Now(), brussels)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, f := range files {
		ids = append(ids, f.Facts.ParticipantID)
		if f.Counsellor != "Bram" {
			t.Errorf("Bram reads %s's dossier %s", f.Counsellor, f.Facts.FamilyName)
		}
		// A counsellor's records are read by their dossiers' IDs, not by
		// the centre: the same facts all the same.
		one, err := st.FileFacts(ctx, f.Facts.ParticipantID, time.Now(), brussels)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(one, f.Facts) {
			t.Errorf("Bram's %s:\ncentre  %+v\ndossier %+v", f.Facts.FamilyName, f.Facts, one)
		}
	}
	if !reflect.DeepEqual(ids, []string{d.OneFaceToFace, d.ExemptUnreviewed}) {
		t.Errorf("Bram's dossiers: %v", ids)
	}
}

// A day the workflow wrote is read as time.Parse(time.DateOnly) reads its
// first ten characters; anything else, or no text, is no day.
func TestWrittenDay(t *testing.T) {
	for text, want := range map[string]string{
		"2026-03-01T00:00:00Z":      "2026-03-01",
		"2028-02-29T00:00:00+01:00": "2028-02-29",
		"2027-02-29T00:00:00Z":      "",
		"2026-04-31":                "",
		"2026-13-01":                "",
		"26-03-01":                  "",
		"":                          "",
		"2026/03/01":                "",
	} {
		got, ok := store.ReadWrittenDay([]byte(text))
		if s := got.Format(time.DateOnly); (want == "") == ok || ok && s != want {
			t.Errorf("%q: %s %v, want %q", text, s, ok, want)
		}
		if want != "" {
			if parsed, err := time.Parse(time.DateOnly, text[:10]); err != nil || !parsed.Equal(got) {
				t.Errorf("%q: %s, time.Parse %s %v", text, got, parsed, err)
			}
		}
	}
	if _, ok := store.ReadWrittenDay(nil); ok {
		t.Error("NULL is a day")
	}
}

// The driver hands a NULL to the day too: a row without a day after one
// with it leaves none behind in the reused field.
func TestWrittenDayOfNull(t *testing.T) {
	db := testenv.Database(t)
	rows, err := db.Query(context.Background(), `SELECT d FROM (VALUES (1, '2026-03-01T00:00:00Z'), (2, NULL)) AS v(n, d) ORDER BY n`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	scanner, read := store.WrittenDayScanner()
	var got []string
	for rows.Next() {
		if err := rows.Scan(scanner); err != nil {
			t.Fatal(err)
		}
		if day, ok := read(); ok {
			got = append(got, day.Format(time.DateOnly))
		} else {
			got = append(got, "no day")
		}
	}
	if want := []string{"2026-03-01", "no day"}; !reflect.DeepEqual(got, want) {
		t.Errorf("%v, want %v", got, want)
	}
}
