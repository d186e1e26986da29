package store

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/traject-ocmw/traject/domain"
)

// CourseKinds are what a literacy course teaches: reading and writing, or
// Dutch or French as a foreign language.
var CourseKinds = []string{"literacy", "dutch", "french"}

// CourseStatuses are where a person stands on a course: on its waiting
// list, enrolled, then completed or stopped; withdrawn from the list
// without a place.
var CourseStatuses = []string{"waiting", "enrolled", "completed", "stopped", "withdrawn"}

// LiteracyEvents are the timeline events of literacy: a level test, a
// referral to a course, an enrolment, an end, and a place free for the
// person first on the list.
var LiteracyEvents = []string{"level_test_recorded", "course_referred", "course_enrolled", "course_ended", "course_place_free"}

// MaxLiteracyName is the longest partner or course name, in characters.
const MaxLiteracyName = 200

// Partner is an organisation that gives literacy or language courses with
// the centre.
type Partner struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// Course is a literacy or language course, the centre's own (no partner)
// or a partner's, with its places: taken by the enrolled, free, and the
// people waiting for one.
type Course struct {
	ID          string  `json:"id"`
	PartnerID   *string `json:"partner_id"`
	PartnerName *string `json:"partner_name"`
	Name        string  `json:"name"`
	Kind        string  `json:"kind"`
	Places      int     `json:"places"`
	Enrolled    int     `json:"enrolled"`
	Free        int     `json:"free"`
	Waiting     int     `json:"waiting"`
}

// CourseInput is a course as a coordinator writes it.
type CourseInput struct {
	PartnerID string `json:"partner_id,omitempty"`
	Name      string `json:"name"`
	Kind      string `json:"kind"`
	Places    *int   `json:"places"`
}

// CheckCourse names the fields of a course at fault (the partner's
// existence is the store's to check).
func CheckCourse(in *CourseInput) []FieldProblem {
	var out []FieldProblem
	in.Name = strings.TrimSpace(in.Name)
	out = append(out, checkName("name", in.Name)...)
	if !slices.Contains(CourseKinds, in.Kind) {
		out = append(out, domain.Problem("kind", domain.OneOf, CourseKinds...))
	}
	switch {
	case in.Places == nil:
		out = append(out, domain.Problem("places", domain.Required))
	case *in.Places < 0:
		out = append(out, domain.Problem("places", domain.NotNegative))
	}
	if in.PartnerID != "" {
		if _, err := uuid.Parse(in.PartnerID); err != nil {
			out = append(out, domain.Problem("partner_id", domain.NotID))
		}
	}
	return out
}

// CheckPartnerName names a partner's name at fault.
func CheckPartnerName(name string) []FieldProblem {
	return checkName("name", strings.TrimSpace(name))
}

func checkName(field, v string) []FieldProblem {
	switch {
	case v == "":
		return []FieldProblem{domain.Problem(field, domain.Required)}
	case !CleanText(v):
		return []FieldProblem{domain.Problem(field, domain.NotText)}
	case len([]rune(v)) > MaxLiteracyName:
		return []FieldProblem{domain.Problem(field, domain.TooLong, "200")}
	}
	return nil
}

// Partners lists the centre's partners by name.
func (s *Store) Partners(ctx context.Context, centreID string) ([]Partner, error) {
	rows, err := s.db.Query(ctx, `SELECT id::text, name FROM literacy_partners WHERE centre_id = $1 AND archived_at IS NULL ORDER BY name, id`, centreID)
	if err != nil {
		return nil, classify("partners", err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowToStructByPos[Partner])
	return out, classify("partners", err)
}

// SavePartner adds a partner (id empty; its ID is answered) or renames one.
func (s *Store) SavePartner(ctx context.Context, centreID, id, name string) (string, error) {
	name = strings.TrimSpace(name)
	if id == "" {
		id = uuid.NewString()
		_, err := s.db.Exec(ctx, `INSERT INTO literacy_partners (id, centre_id, name) VALUES ($1, $2, $3)`, id, centreID, name)
		return id, classify("partner", err)
	}
	tag, err := s.db.Exec(ctx, `UPDATE literacy_partners SET name = $3 WHERE id = $1 AND centre_id = $2 AND archived_at IS NULL`, id, centreID, name)
	if err == nil && tag.RowsAffected() == 0 {
		return "", notFound("partner")
	}
	return id, classify("partner", err)
}

// courseColumns read a course with its counts, on literacy_courses c.
const courseColumns = `c.id::text, c.partner_id::text, lp.name, c.name, c.kind, c.places,
	(SELECT count(*) FROM course_places e WHERE e.course_id = c.id AND e.status = 'enrolled')::int,
	(SELECT count(*) FROM course_places w WHERE w.course_id = c.id AND w.status = 'waiting')::int`

func scanCourse(row pgx.Row) (Course, error) {
	var c Course
	err := row.Scan(&c.ID, &c.PartnerID, &c.PartnerName, &c.Name, &c.Kind, &c.Places, &c.Enrolled, &c.Waiting)
	c.Free = max(c.Places-c.Enrolled, 0)
	return c, err
}

// Courses lists the centre's courses (one when id is given; ErrNotFound
// when it is not the centre's), the centre's own first, then by partner
// and name.
func (s *Store) Courses(ctx context.Context, centreID, id string) ([]Course, error) {
	if id != "" {
		if _, err := uuid.Parse(id); err != nil {
			return nil, notFound("course")
		}
	}
	rows, err := s.db.Query(ctx, `
		SELECT `+courseColumns+`
		FROM literacy_courses c LEFT JOIN literacy_partners lp ON lp.id = c.partner_id
		WHERE c.centre_id = $1 AND c.archived_at IS NULL AND ($2 = '' OR c.id::text = $2)
		ORDER BY lp.name NULLS FIRST, c.name, c.id`, centreID, id)
	if err != nil {
		return nil, classify("courses", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Course, error) { return scanCourse(r) })
	if err == nil && id != "" && len(out) == 0 {
		return nil, notFound("course")
	}
	return out, classify("courses", err)
}

// SaveCourse adds a course (id empty; its ID is answered) or replaces
// one. Places raised above those taken free places for the first people
// on the list: each gets a timeline event once (offerPlaces).
func (s *Store) SaveCourse(ctx context.Context, centreID, id string, in CourseInput) (string, error) {
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		if in.PartnerID != "" {
			var ok bool
			if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM literacy_partners WHERE id = $1 AND centre_id = $2 AND archived_at IS NULL)`,
				in.PartnerID, centreID).Scan(&ok); err != nil {
				return err
			}
			if !ok {
				return &InvalidError{Fields: []FieldProblem{domain.Problem("partner_id", domain.NotID)}}
			}
		}
		if id == "" {
			id = uuid.NewString()
			_, err := tx.Exec(ctx, `INSERT INTO literacy_courses (id, centre_id, partner_id, name, kind, places) VALUES ($1, $2, NULLIF($3, '')::uuid, $4, $5, $6)`,
				id, centreID, in.PartnerID, in.Name, in.Kind, *in.Places)
			return err
		}
		tag, err := tx.Exec(ctx, `UPDATE literacy_courses SET partner_id = NULLIF($3, '')::uuid, name = $4, kind = $5, places = $6
			WHERE id = $1 AND centre_id = $2 AND archived_at IS NULL`, id, centreID, in.PartnerID, in.Name, in.Kind, *in.Places)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return notFound("course")
		}
		_, err = tx.Exec(ctx, offerPlaces, id)
		return err
	})
	if err != nil {
		return "", classify("course", err)
	}
	return id, nil
}

// offerPlaces records, once for each, that a place is free for the people
// at the head of a course's waiting list ($1), as many as the course has
// free places. My work reads the same rank (FreePlaceSteps).
const offerPlaces = `
	INSERT INTO timeline_events (event_key, participant_id, centre_id, occurred_at, kind, data)
	SELECT 'course-offer/' || w.id::text, w.participant_id, w.centre_id, now(), 'course_place_free',
	       jsonb_build_object('course_id', w.course_id::text, 'place_id', w.id::text)
	FROM (SELECT w.* FROM course_places w WHERE w.course_id = $1 AND w.status = 'waiting'
	      ORDER BY w.since, w.created_at, w.id
	      LIMIT (SELECT GREATEST(c.places - (SELECT count(*) FROM course_places e WHERE e.course_id = c.id AND e.status = 'enrolled'), 0)
	             FROM literacy_courses c WHERE c.id = $1)) w
	ON CONFLICT (event_key) DO NOTHING`

// LevelTest is a level test's day and the level reached.
type LevelTest struct {
	ID       string `json:"id"`
	TestedOn string `json:"tested_on"`
	Level    string `json:"level"`
}

// InsertLevelTest records a level test and its timeline event (the level,
// a code) in one transaction; a retried write (same ID) is left as it is.
func (s *Store) InsertLevelTest(ctx context.Context, id, participantID, centreID, authorID string, on time.Time, level string) error {
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `INSERT INTO level_tests (id, participant_id, centre_id, tested_on, level, author_id)
			VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING`, id, participantID, centreID, on, level, authorID)
		if err != nil || tag.RowsAffected() == 0 {
			return err
		}
		_, err = tx.Exec(ctx, `
			INSERT INTO timeline_events (event_key, participant_id, centre_id, occurred_at, kind, actor_id, data)
			VALUES ('level-test/' || $1::text, $2, $3, now(), 'level_test_recorded', $4, jsonb_build_object('level', $5::text, 'tested_on', $6::text))`,
			id, participantID, centreID, authorID, level, on.Format(time.DateOnly))
		return err
	})
	return classify("level test", err)
}

// CoursePlace is a person's place on a course: its status, the day they
// were referred, and while they wait their position on the list (1 is
// next), the days waited and whether a place is free for them.
type CoursePlace struct {
	ID          string  `json:"id"`
	Course      Course  `json:"course"`
	Status      string  `json:"status"`
	Since       string  `json:"since"`
	EnrolledOn  *string `json:"enrolled_on"`
	EndedOn     *string `json:"ended_on"`
	Position    *int    `json:"position"`
	DaysWaited  int     `json:"days_waited"`
	PlaceIsFree bool    `json:"place_is_free"`
}

// Literacy is what a dossier holds of literacy: its level tests, newest
// first, and its places on courses, the open ones first.
type Literacy struct {
	LevelTests []LevelTest   `json:"level_tests"`
	Places     []CoursePlace `json:"places"`
}

// placeColumns read a place with its course, on course_places p and
// literacy_courses c; $today is the day days are counted to.
const placeColumns = `p.id::text, p.status, to_char(p.since, 'YYYY-MM-DD'), to_char(p.enrolled_on, 'YYYY-MM-DD'), to_char(p.ended_on, 'YYYY-MM-DD'),
	CASE WHEN p.status = 'waiting' THEN (SELECT count(*) FROM course_places w WHERE w.course_id = p.course_id AND w.status = 'waiting'
	     AND (w.since, w.created_at, w.id) <= (p.since, p.created_at, p.id))::int END,
	(COALESCE(p.enrolled_on, p.ended_on, $2::date) - p.since)::int, ` + courseColumns

func scanPlace(row pgx.Row) (CoursePlace, error) {
	var p CoursePlace
	c := &p.Course
	err := row.Scan(&p.ID, &p.Status, &p.Since, &p.EnrolledOn, &p.EndedOn, &p.Position, &p.DaysWaited,
		&c.ID, &c.PartnerID, &c.PartnerName, &c.Name, &c.Kind, &c.Places, &c.Enrolled, &c.Waiting)
	c.Free = max(c.Places-c.Enrolled, 0)
	p.PlaceIsFree = p.Position != nil && *p.Position <= c.Free
	return p, err
}

// ParticipantLiteracy reads a dossier's level tests and course places,
// counting days waited to today.
func (s *Store) ParticipantLiteracy(ctx context.Context, participantID string, today time.Time) (Literacy, error) {
	var out Literacy
	rows, err := s.db.Query(ctx, `SELECT id::text, to_char(tested_on, 'YYYY-MM-DD'), level FROM level_tests
		WHERE participant_id = $1 ORDER BY tested_on DESC, created_at DESC, id`, participantID)
	if err != nil {
		return out, classify("level tests", err)
	}
	if out.LevelTests, err = pgx.CollectRows(rows, pgx.RowToStructByPos[LevelTest]); err != nil {
		return out, classify("level tests", err)
	}
	rows, err = s.db.Query(ctx, `
		SELECT `+placeColumns+`
		FROM course_places p JOIN literacy_courses c ON c.id = p.course_id LEFT JOIN literacy_partners lp ON lp.id = c.partner_id
		WHERE p.participant_id = $1
		ORDER BY p.status NOT IN ('waiting', 'enrolled'), p.created_at DESC, p.id`, participantID, today)
	if err != nil {
		return out, classify("course places", err)
	}
	out.Places, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (CoursePlace, error) { return scanPlace(r) })
	if out.LevelTests == nil {
		out.LevelTests = []LevelTest{}
	}
	if out.Places == nil {
		out.Places = []CoursePlace{}
	}
	return out, classify("course places", err)
}

// CoursePlaceOf reads one place of a participant.
func (s *Store) CoursePlaceOf(ctx context.Context, participantID, placeID string, today time.Time) (CoursePlace, error) {
	if _, err := uuid.Parse(placeID); err != nil {
		return CoursePlace{}, notFound("course place")
	}
	p, err := scanPlace(s.db.QueryRow(ctx, `
		SELECT `+placeColumns+`
		FROM course_places p JOIN literacy_courses c ON c.id = p.course_id LEFT JOIN literacy_partners lp ON lp.id = c.partner_id
		WHERE p.participant_id = $1 AND p.id = $3`, participantID, today, placeID))
	return p, classify("course place", err)
}

// Referral puts a person on a course's waiting list.
type Referral struct {
	ID, ParticipantID, CentreID, CourseID, ActorID string
	Since                                          time.Time
	// MaxLists is the policy's limit on the waiting lists one person is on.
	MaxLists int
}

// Refer puts the person on the course's list, in one transaction that
// locks the person's places: refused (409, naming course_id) when they
// are on that list already or enrolled on it, or already on MaxLists
// lists. A retried write (same ID) is left as it is.
func (s *Store) Refer(ctx context.Context, r Referral) error {
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		var exists bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM course_places WHERE id = $1)`, r.ID).Scan(&exists); err != nil || exists {
			return err
		}
		var ok bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM literacy_courses WHERE id = $1 AND centre_id = $2 AND archived_at IS NULL)`,
			r.CourseID, r.CentreID).Scan(&ok); err != nil {
			return err
		}
		if !ok {
			return &InvalidError{Fields: []FieldProblem{domain.Problem("course_id", domain.NotID)}}
		}
		// The participant's row serialises their referrals.
		if _, err := tx.Exec(ctx, `SELECT 1 FROM participants WHERE id = $1 FOR UPDATE`, r.ParticipantID); err != nil {
			return err
		}
		var onThis bool
		var lists int
		if err := tx.QueryRow(ctx, `SELECT bool_or(course_id = $2) IS TRUE, count(*) FILTER (WHERE status = 'waiting')::int
			FROM course_places WHERE participant_id = $1 AND status IN ('waiting', 'enrolled')`, r.ParticipantID, r.CourseID).Scan(&onThis, &lists); err != nil {
			return err
		}
		switch {
		case onThis:
			return &ConflictError{Code: domain.OnThisList, Field: "course_id"}
		case lists >= r.MaxLists:
			return &ConflictError{Code: domain.TooManyLists, Field: "course_id", Args: []string{strconv.Itoa(r.MaxLists)}}
		}
		if _, err := tx.Exec(ctx, `INSERT INTO course_places (id, participant_id, centre_id, course_id, since, referred_by) VALUES ($1, $2, $3, $4, $5, $6)`,
			r.ID, r.ParticipantID, r.CentreID, r.CourseID, r.Since, r.ActorID); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, placeEvent, r.ID, "course_referred", r.ActorID, r.Since.Format(time.DateOnly)); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, offerPlaces, r.CourseID)
		return err
	})
	return classify("course place", err)
}

// placeEvent writes a place's step ($2) on the timeline, with the course
// and the day ($4), once.
const placeEvent = `
	INSERT INTO timeline_events (event_key, participant_id, centre_id, occurred_at, kind, actor_id, data)
	SELECT 'course/' || p.id::text || '/' || $2::text, p.participant_id, p.centre_id, now(), $2::text, $3::uuid,
	       jsonb_build_object('course_id', p.course_id::text, 'place_id', p.id::text, 'on', $4::text)
	FROM course_places p WHERE p.id = $1
	ON CONFLICT (event_key) DO NOTHING`

// Enrol takes a place on the course for a person on its list, from the
// day given: refused (409, naming the field) when they are not waiting,
// when no place is free for them (the people before them on the list
// come first), or when they follow another course.
func (s *Store) Enrol(ctx context.Context, participantID, placeID, actorID string, on time.Time) error {
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		var courseID, status string
		var since time.Time
		err := tx.QueryRow(ctx, `SELECT course_id::text, status, since FROM course_places WHERE id = $1 AND participant_id = $2`, placeID, participantID).
			Scan(&courseID, &status, &since)
		if errors.Is(err, pgx.ErrNoRows) {
			return notFound("course place")
		} else if err != nil {
			return err
		}
		if status != "waiting" {
			return &ConflictError{Code: domain.NotWaiting, Field: "status"}
		}
		if on.Before(since) {
			return &InvalidError{Fields: []FieldProblem{domain.Problem("on", domain.BeforeReferral)}}
		}
		// The course's row serialises the places taken on it.
		var places int
		if err := tx.QueryRow(ctx, `SELECT places FROM literacy_courses WHERE id = $1 FOR UPDATE`, courseID).Scan(&places); err != nil {
			return err
		}
		var enrolled, position int
		var elsewhere bool
		if err := tx.QueryRow(ctx, `
			SELECT (SELECT count(*) FROM course_places WHERE course_id = p.course_id AND status = 'enrolled')::int,
			       (SELECT count(*) FROM course_places w WHERE w.course_id = p.course_id AND w.status = 'waiting'
			          AND (w.since, w.created_at, w.id) <= (p.since, p.created_at, p.id))::int,
			       EXISTS (SELECT 1 FROM course_places e WHERE e.participant_id = p.participant_id AND e.status = 'enrolled')
			FROM course_places p WHERE p.id = $1`, placeID).Scan(&enrolled, &position, &elsewhere); err != nil {
			return err
		}
		switch {
		case elsewhere:
			return &ConflictError{Code: domain.EnrolledElsewhere, Field: "course_id"}
		case position > places-enrolled:
			return &ConflictError{Code: domain.NoFreePlace, Field: "course_id", Args: []string{strconv.Itoa(position), strconv.Itoa(max(places-enrolled, 0))}}
		}
		if _, err := tx.Exec(ctx, `UPDATE course_places SET status = 'enrolled', enrolled_on = $2 WHERE id = $1`, placeID, on); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, placeEvent, placeID, "course_enrolled", actorID, on.Format(time.DateOnly))
		return err
	})
	return classify("course place", err)
}

// EndPlaceStatuses are how a place ends: an enrolment completed or
// stopped, a wait withdrawn.
var EndPlaceStatuses = []string{"completed", "stopped", "withdrawn"}

// endPlace ends a place ($1, the participant's $2) as $3 on $4 when its
// status is one of $5, writes its step on the timeline, and in the same
// statement finds who the place it frees goes to: the first people still
// waiting on the course, as many as it then has free places, each told
// once on their timeline. It answers the place's course and the next
// people's participant IDs, in the list's order; no row when the place
// was not found in a status it may end from.
const endPlace = `
	WITH ended AS (
		UPDATE course_places SET status = $3, ended_on = $4
		WHERE id = $1 AND participant_id = $2 AND status = ANY($5::text[])
		RETURNING id, course_id, participant_id, centre_id),
	step AS (
		INSERT INTO timeline_events (event_key, participant_id, centre_id, occurred_at, kind, actor_id, data)
		SELECT 'course/' || e.id::text || '/course_ended', e.participant_id, e.centre_id, now(), 'course_ended', $6::uuid,
		       jsonb_build_object('course_id', e.course_id::text, 'place_id', e.id::text, 'on', $7::text, 'outcome', $3::text)
		FROM ended e
		ON CONFLICT (event_key) DO NOTHING),
	free AS (
		SELECT GREATEST(c.places - (SELECT count(*) FROM course_places x
		                            WHERE x.course_id = c.id AND x.status = 'enrolled' AND x.id <> e.id), 0) AS n
		FROM literacy_courses c JOIN ended e ON e.course_id = c.id),
	next AS (
		SELECT w.id, w.participant_id, w.centre_id, w.course_id, w.since, w.created_at
		FROM course_places w, ended e
		WHERE w.course_id = e.course_id AND w.status = 'waiting' AND w.id <> e.id
		ORDER BY w.since, w.created_at, w.id
		LIMIT (SELECT n FROM free)),
	told AS (
		INSERT INTO timeline_events (event_key, participant_id, centre_id, occurred_at, kind, data)
		SELECT 'course-offer/' || n.id::text, n.participant_id, n.centre_id, now(), 'course_place_free',
		       jsonb_build_object('course_id', n.course_id::text, 'place_id', n.id::text)
		FROM next n
		ON CONFLICT (event_key) DO NOTHING)
	SELECT e.course_id::text,
	       COALESCE((SELECT array_agg(n.participant_id::text ORDER BY n.since, n.created_at, n.id) FROM next n), '{}')
	FROM ended e`

// EndPlace ends a person's place: an enrolment completed or stopped, a
// wait withdrawn (status). It answers who the freed place goes to: the
// participant IDs of the people first on the list, as many as the course
// has free places (one statement: the end, its timeline step and the
// next people). A place already ended, or ended in a way its status does
// not allow, is a conflict naming status.
func (s *Store) EndPlace(ctx context.Context, participantID, placeID, actorID, status string, on time.Time) (next []string, err error) {
	from := []string{"enrolled"}
	if status == "withdrawn" {
		from = []string{"waiting"}
	}
	var since time.Time
	err = s.db.QueryRow(ctx, `SELECT since FROM course_places WHERE id = $1 AND participant_id = $2`, placeID, participantID).Scan(&since)
	if err != nil {
		return nil, classify("course place", err)
	}
	if on.Before(since) {
		return nil, &InvalidError{Fields: []FieldProblem{domain.Problem("on", domain.BeforeReferral)}}
	}
	var courseID string
	err = s.db.QueryRow(ctx, endPlace, placeID, participantID, status, on, from, actorID, on.Format(time.DateOnly)).Scan(&courseID, &next)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, &ConflictError{Code: domain.NotInStatus, Field: "status"}
	}
	return next, classify("course place", err)
}

// FreePlace is a place free on a course for a person waiting first on its
// list: the counsellor's to-do, to enrol them.
type FreePlace struct {
	ParticipantID, GivenName, FamilyName string
	PlaceID, CourseName                  string
	Since                                time.Time
}

// FreePlaces lists, for the dossiers the viewer sees (a counsellor: those
// they hold), the people for whom a place is free on a course they wait
// for, longest waiting first.
func (s *Store) FreePlaces(ctx context.Context, v Viewer) ([]FreePlace, error) {
	rows, err := s.db.Query(ctx, `
		WITH ranked AS (
			SELECT w.*, row_number() OVER (PARTITION BY w.course_id ORDER BY w.since, w.created_at, w.id) AS position
			FROM course_places w WHERE w.centre_id = $1 AND w.status = 'waiting')
		SELECT p.id::text, p.given_name, p.family_name, r.id::text, c.name, r.since
		FROM ranked r
		JOIN literacy_courses c ON c.id = r.course_id
		JOIN participants p ON p.id = r.participant_id
		LEFT JOIN trajectories t ON t.participant_id = p.id
		WHERE r.position <= c.places - (SELECT count(*) FROM course_places e WHERE e.course_id = c.id AND e.status = 'enrolled')
		  AND (NOT $2 OR COALESCE(t.counsellor_id, p.intake_counsellor_id) = $3::uuid)
		  AND (NOT $4 OR `+withProcedure+`)
		ORDER BY r.since, r.created_at, r.id`, v.CentreID, v.CaseloadOnly, v.UserID, v.ProceduresOnly)
	if err != nil {
		return nil, classify("free places", err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowToStructByPos[FreePlace])
	return out, classify("free places", err)
}

// WaitingEntry is one person on a course's waiting list.
type WaitingEntry struct {
	Position      int    `json:"position"`
	PlaceID       string `json:"place_id"`
	ParticipantID string `json:"participant_id"`
	Name          string `json:"name"`
	Since         string `json:"since"`
	DaysWaited    int    `json:"days_waited"`
	PlaceIsFree   bool   `json:"place_is_free"`
}

// WaitingList reads a course's waiting list in its order, with the days
// each person waited to today.
func (s *Store) WaitingList(ctx context.Context, centreID, courseID string, today time.Time) ([]WaitingEntry, error) {
	courses, err := s.Courses(ctx, centreID, courseID)
	if err != nil {
		return nil, err
	}
	free := courses[0].Free
	rows, err := s.db.Query(ctx, `
		SELECT row_number() OVER (ORDER BY w.since, w.created_at, w.id)::int, w.id::text, p.id::text, p.family_name || ' ' || p.given_name,
		       to_char(w.since, 'YYYY-MM-DD'), ($2::date - w.since)::int, false
		FROM course_places w JOIN participants p ON p.id = w.participant_id
		WHERE w.course_id = $1 AND w.status = 'waiting'
		ORDER BY w.since, w.created_at, w.id`, courseID, today)
	if err != nil {
		return nil, classify("waiting list", err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowToStructByPos[WaitingEntry])
	for i := range out {
		out[i].PlaceIsFree = out[i].Position <= free
	}
	if out == nil {
		out = []WaitingEntry{}
	}
	return out, classify("waiting list", err)
}

// LiteracyFigures are a year's literacy figures of a centre: level tests
// taken, enrolments and their ends, and per course how many enrolled and
// the median days they waited.
type LiteracyFigures struct {
	Year       int                `json:"year"`
	LevelTests int                `json:"level_tests"`
	Enrolments int                `json:"enrolments"`
	Completed  int                `json:"completed"`
	Stopped    int                `json:"stopped"`
	Courses    []CourseWaitFigure `json:"courses"`
}

// CourseWaitFigure is one course's enrolments of the year and the median
// of the days from referral to enrolment (nil: none enrolled).
type CourseWaitFigure struct {
	CourseID   string   `json:"course_id"`
	Name       string   `json:"name"`
	Enrolments int      `json:"enrolments"`
	MedianWait *float64 `json:"median_wait_days"`
}

// LiteracyFiguresOf counts a year (its calendar days) of the centre.
func (s *Store) LiteracyFiguresOf(ctx context.Context, centreID string, year int) (LiteracyFigures, error) {
	f := LiteracyFigures{Year: year, Courses: []CourseWaitFigure{}}
	from := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC)
	to := from.AddDate(1, 0, 0)
	err := s.db.QueryRow(ctx, `
		SELECT (SELECT count(*) FROM level_tests WHERE centre_id = $1 AND tested_on >= $2 AND tested_on < $3)::int,
		       (SELECT count(*) FROM course_places WHERE centre_id = $1 AND enrolled_on >= $2 AND enrolled_on < $3)::int,
		       (SELECT count(*) FROM course_places WHERE centre_id = $1 AND status = 'completed' AND ended_on >= $2 AND ended_on < $3)::int,
		       (SELECT count(*) FROM course_places WHERE centre_id = $1 AND status = 'stopped' AND ended_on >= $2 AND ended_on < $3)::int`,
		centreID, from, to).Scan(&f.LevelTests, &f.Enrolments, &f.Completed, &f.Stopped)
	if err != nil {
		return f, classify("literacy figures", err)
	}
	rows, err := s.db.Query(ctx, `
		SELECT c.id::text, c.name, count(p.id)::int,
		       percentile_cont(0.5) WITHIN GROUP (ORDER BY p.enrolled_on - p.since)
		FROM literacy_courses c LEFT JOIN literacy_partners lp ON lp.id = c.partner_id
		LEFT JOIN course_places p ON p.course_id = c.id AND p.enrolled_on >= $2 AND p.enrolled_on < $3
		WHERE c.centre_id = $1
		GROUP BY c.id, c.name, lp.name
		ORDER BY lp.name NULLS FIRST, c.name, c.id`, centreID, from, to)
	if err != nil {
		return f, classify("literacy figures", err)
	}
	f.Courses, err = pgx.CollectRows(rows, pgx.RowToStructByPos[CourseWaitFigure])
	if f.Courses == nil {
		f.Courses = []CourseWaitFigure{}
	}
	return f, classify("literacy figures", err)
}
