package store_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/traject-ocmw/traject/store"
	"github.com/traject-ocmw/traject/testenv"
)

// dossierNumbers is the migration that numbers the dossiers.
const dossierNumbers = 35

// The participants registered before the migration are numbered per
// centre in the order they were registered; each intake after it takes the
// centre's next number, whichever door it came through: a retried intake
// (the same ID) keeps its number and one refused (a national number the
// centre has) takes none, so no number is skipped; intakes at once take
// distinct numbers.
func TestDossierNumbers(t *testing.T) {
	ctx := context.Background()
	url := testenv.DatabaseURL(t)
	if err := store.EnsureExists(ctx, url); err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := store.MigrateTo(ctx, db, dossierNumbers-1); err != nil {
		t.Fatal(err)
	}
	const (
		third  = "11111111-1111-4111-8111-111111111111"
		first  = "22222222-2222-4222-8222-222222222222"
		second = "33333333-3333-4333-8333-333333333333"
		other  = "44444444-4444-4444-8444-444444444444"
	)
	for _, q := range []string{
		`INSERT INTO centres (id, name, region) VALUES ('molenbeek', 'OCMW Molenbeek', 'brussels'), ('anderlecht', 'OCMW Anderlecht', 'brussels')`,
		`INSERT INTO participants (id, centre_id, given_name, family_name, birth_date, language, leefloon_decision_date, created_at) VALUES
			('` + third + `', 'molenbeek', 'Drie', 'Test', '1990-01-01', 'nl', '2025-01-01', '2024-03-01'),
			('` + first + `', 'molenbeek', 'Een', 'Test', '1990-01-01', 'nl', '2025-01-01', '2024-01-01'),
			('` + second + `', 'molenbeek', 'Twee', 'Test', '1990-01-01', 'nl', '2025-01-01', '2024-02-01'),
			('` + other + `', 'anderlecht', 'Ander', 'Test', '1990-01-01', 'nl', '2025-01-01', '2024-06-01')`,
	} {
		if _, err := db.Exec(ctx, q); err != nil {
			t.Fatalf("%v\n%s", err, q)
		}
	}
	if err := store.Migrate(ctx, db, testenv.Logger(t)); err != nil {
		t.Fatal(err)
	}
	st := store.New(db)
	number := func(id string) int {
		t.Helper()
		d, err := st.Dossier(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return d.Number
	}
	for id, want := range map[string]int{first: 1, second: 2, third: 3, other: 1} {
		if got := number(id); got != want {
			t.Errorf("%s: number %d, want %d", id, got, want)
		}
	}

	intake := func(id, nn string) error {
		_, err := st.CreateParticipant(ctx, store.NewParticipant{ID: id, CentreID: "molenbeek", GivenName: "Nieuw", FamilyName: "Test",
			BirthDate: time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC), NationalNumber: nn, Language: "nl", LeefloonDecisionDate: time.Now()})
		return err
	}
	fourth := uuid.NewString()
	if err := intake(fourth, "90010100155"); err != nil {
		t.Fatal(err)
	}
	if err := intake(fourth, "90010100155"); err != nil { // the same intake again
		t.Fatal(err)
	}
	if got := number(fourth); got != 4 {
		t.Errorf("the first intake after the migration: %d, want 4", got)
	}
	if err := intake(uuid.NewString(), "90010100155"); !errors.As(err, new(*store.ConflictError)) {
		t.Errorf("a national number the centre has: %v", err)
	}
	fifth := uuid.NewString()
	if err := intake(fifth, ""); err != nil {
		t.Fatal(err)
	}
	if got := number(fifth); got != 5 {
		t.Errorf("after a retried and a refused intake: %d, want 5 (no number skipped)", got)
	}

	var wg sync.WaitGroup
	ids := make([]string, 10)
	errs := make([]error, 10)
	for i := range ids {
		ids[i] = uuid.NewString()
		wg.Go(func() { errs[i] = intake(ids[i], fmt.Sprintf("9001010%02d%02d", 20+i, 0)) })
	}
	wg.Wait()
	var got []int
	for i, id := range ids {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		got = append(got, number(id))
	}
	slices.Sort(got)
	if want := []int{6, 7, 8, 9, 10, 11, 12, 13, 14, 15}; !slices.Equal(got, want) {
		t.Errorf("ten intakes at once: %v, want %v", got, want)
	}
	if got := number(other); got != 1 {
		t.Errorf("another centre's number moved: %d", got)
	}
}
