package store_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/traject-ocmw/traject/store"
	"github.com/traject-ocmw/traject/testenv"
)

// BenchmarkWaitingListPlaceFrees: a course of one place, taken, with 500
// people waiting; a place frees (store.EndPlace: the end, its timeline
// step and the next person in one statement). Between runs, untimed, the
// next person enrols and a new one joins the list's end, so every run
// finds 500 waiting. Reports the p99 of the runs (target: <= 20 ms).
func BenchmarkWaitingListPlaceFrees(b *testing.B) {
	ctx := context.Background()
	db := testenv.Database(b)
	fx := testenv.Seed(b, db)
	s := store.New(db)
	places := 1
	course, err := s.SaveCourse(ctx, "molenbeek", "", store.CourseInput{Name: "Alfa", Kind: "literacy", Places: &places})
	if err != nil {
		b.Fatal(err)
	}
	n := 0
	person := func(status string) string {
		b.Helper()
		id := uuid.NewString()
		n++
		if _, err := db.Exec(ctx, `INSERT INTO participants (id, centre_id, given_name, family_name, birth_date, national_number, language, leefloon_decision_date)
			VALUES ($1, 'molenbeek', 'P', 'Q', '1980-01-01', $2, 'fr', '2026-01-01')`, id, fmt.Sprintf("80010%06d", n)); err != nil {
			b.Fatal(err)
		}
		if _, err := db.Exec(ctx, `INSERT INTO course_places (id, participant_id, centre_id, course_id, status, since, enrolled_on, referred_by)
			VALUES ($1, $1, 'molenbeek', $2, $3, current_date - 100 + $4 / 10, CASE WHEN $3 = 'enrolled' THEN current_date END, $5)`,
			id, course, status, n, fx.CoordinatorID); err != nil {
			b.Fatal(err)
		}
		return id
	}
	enrolled := person("enrolled")
	for range 500 {
		person("waiting")
	}
	today := time.Now().UTC().Truncate(24 * time.Hour)
	var took []time.Duration
	b.ResetTimer()
	for b.Loop() {
		start := time.Now()
		next, err := s.EndPlace(ctx, enrolled, enrolled, fx.CoordinatorID, "completed", today)
		took = append(took, time.Since(start))
		if err != nil || len(next) != 1 {
			b.Fatalf("end: %v %v", next, err)
		}
		b.StopTimer()
		if err := s.Enrol(ctx, next[0], next[0], fx.CoordinatorID, today); err != nil {
			b.Fatal(err)
		}
		enrolled = next[0]
		person("waiting")
		b.StartTimer()
	}
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)*99/100].Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "p50-ms")
}
