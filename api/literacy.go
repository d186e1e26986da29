package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/traject-ocmw/traject/casework"
	"github.com/traject-ocmw/traject/domain"
	"github.com/traject-ocmw/traject/store"
)

// listPartners answers the centre's literacy partners.
func (s *server) listPartners(w http.ResponseWriter, r *http.Request) {
	partners, err := s.store.Partners(r.Context(), principalFrom(r.Context()).CentreID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if partners == nil {
		partners = []store.Partner{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"partners": partners})
}

func (s *server) createPartner(w http.ResponseWriter, r *http.Request) { s.savePartner(w, r, "") }

func (s *server) updatePartner(w http.ResponseWriter, r *http.Request) {
	s.savePartner(w, r, chi.URLParam(r, "id"))
}

func (s *server) savePartner(w http.ResponseWriter, r *http.Request, id string) {
	var req casework.PartnerInput
	if !decode(w, r, &req) {
		return
	}
	status := http.StatusOK
	if id == "" {
		status = http.StatusCreated
	}
	id, err := s.work.SavePartner(r.Context(), s.caller(r), id, req)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if status == http.StatusCreated {
		w.Header().Set("Location", "/v1/literacy/partners")
	}
	writeJSON(w, status, store.Partner{ID: id, Name: req.Name})
}

// listCourses answers the centre's courses with their places.
func (s *server) listCourses(w http.ResponseWriter, r *http.Request) {
	courses, err := s.store.Courses(r.Context(), principalFrom(r.Context()).CentreID, "")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if courses == nil {
		courses = []store.Course{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"courses": courses})
}

func (s *server) getCourse(w http.ResponseWriter, r *http.Request) {
	s.writeCourse(w, r, chi.URLParam(r, "id"), http.StatusOK)
}

func (s *server) createCourse(w http.ResponseWriter, r *http.Request) {
	var req store.CourseInput
	if !decode(w, r, &req) {
		return
	}
	id, err := s.work.SaveCourse(r.Context(), s.caller(r), "", req)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Location", "/v1/literacy/courses/"+id)
	s.writeCourse(w, r, id, http.StatusCreated)
}

func (s *server) replaceCourse(w http.ResponseWriter, r *http.Request) {
	id := chi.URLParam(r, "id")
	if _, err := s.store.Courses(r.Context(), principalFrom(r.Context()).CentreID, id); err != nil {
		s.fail(w, r, err) // an unknown course is 404 before its body is read
		return
	}
	var req store.CourseInput
	if !decode(w, r, &req) {
		return
	}
	if _, err := s.work.SaveCourse(r.Context(), s.caller(r), id, req); err != nil {
		s.fail(w, r, err)
		return
	}
	s.writeCourse(w, r, id, http.StatusOK)
}

func (s *server) writeCourse(w http.ResponseWriter, r *http.Request, id string, status int) {
	courses, err := s.store.Courses(r.Context(), principalFrom(r.Context()).CentreID, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, status, courses[0])
}

// getWaitingList answers a course's waiting list in its order, each
// person with their position and days waited (the coordinators: it names
// people of every counsellor's caseload). The read is audited.
func (s *server) getWaitingList(w http.ResponseWriter, r *http.Request) {
	id := chi.URLParam(r, "id")
	list, err := s.store.WaitingList(r.Context(), principalFrom(r.Context()).CentreID, id, today(s.loc))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !s.audited(w, r, "read_waiting_list", "course", id, "ok") {
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"waiting": list})
}

// today is the day in the zone, at midnight UTC as the store reads dates.
func today(loc *time.Location) time.Time {
	y, m, d := time.Now().In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// getLiteracy answers a dossier's level tests and course places.
func (s *server) getLiteracy(w http.ResponseWriter, r *http.Request) {
	id := chi.URLParam(r, "id")
	lit, err := s.work.ReadLiteracy(r.Context(), s.caller(r), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !s.audited(w, r, "read_literacy", "participant", id, "ok") {
		return
	}
	writeJSON(w, http.StatusOK, lit)
}

func (s *server) recordLevelTest(w http.ResponseWriter, r *http.Request) {
	var req casework.LevelTestInput
	if !decode(w, r, &req) {
		return
	}
	id := chi.URLParam(r, "id")
	lt, err := s.work.RecordLevelTest(r.Context(), s.caller(r), id, req)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Location", "/v1/participants/"+id+"/literacy")
	writeJSON(w, http.StatusCreated, lt)
}

func (s *server) referToCourse(w http.ResponseWriter, r *http.Request) {
	var req casework.ReferralInput
	if !decode(w, r, &req) {
		return
	}
	id := chi.URLParam(r, "id")
	p, err := s.work.Refer(r.Context(), s.caller(r), id, req)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Location", "/v1/participants/"+id+"/literacy")
	writeJSON(w, http.StatusCreated, p)
}

func (s *server) enrolInCourse(w http.ResponseWriter, r *http.Request) {
	// An enrolment has a day only; a status belongs to the end.
	var req struct {
		On string `json:"on,omitempty"`
	}
	if !decode(w, r, &req) {
		return
	}
	p, err := s.work.Enrol(r.Context(), s.caller(r), chi.URLParam(r, "id"), chi.URLParam(r, "place"), casework.PlaceStep{On: req.On})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, p)
}

func (s *server) endCoursePlace(w http.ResponseWriter, r *http.Request) {
	var req casework.PlaceStep
	if !decode(w, r, &req) {
		return
	}
	p, err := s.work.EndPlace(r.Context(), s.caller(r), chi.URLParam(r, "id"), chi.URLParam(r, "place"), req)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, p)
}

// getLiteracyStats answers a year's literacy figures (?year=, default
// this year): level tests, enrolments, ends, and the median wait per
// course.
func (s *server) getLiteracyStats(w http.ResponseWriter, r *http.Request) {
	year := time.Now().In(s.loc).Year()
	if v := r.URL.Query().Get("year"); v != "" {
		y, err := strconv.Atoi(v)
		if err != nil || y < 2000 || y > 2100 {
			badQuery(w, r, domain.Problem("year", domain.Between, "2000", "2100"))
			return
		}
		year = y
	}
	centre := principalFrom(r.Context()).CentreID
	f, err := s.store.LiteracyFiguresOf(r.Context(), centre, year)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !s.audited(w, r, "read_literacy_stats", "centre", centre, "ok") {
		return
	}
	writeJSON(w, http.StatusOK, f)
}
