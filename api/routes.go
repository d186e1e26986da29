package api

import (
	"net/http"
	"slices"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/traject-ocmw/traject/casework"
	"github.com/traject-ocmw/traject/domain"
)

// route is one operation of /v1: its method and path (chi's pattern, as in
// the OpenAPI document), its operationId there, who may call it and what
// serves it. This table is the one declaration of who may do what: the
// router refuses other roles with 403 before the handler runs, and the
// tests check the OpenAPI document's operationId and x-roles against it.
type route struct {
	method, pattern, operationID string
	roles                        []domain.Role
	serve                        func(*server, http.ResponseWriter, *http.Request)
}

// Who may call a route.
var (
	everyone    = domain.StaffRoles
	caseworkers = []domain.Role{domain.RoleCounsellor, domain.RoleCoordinator}
	managers    = []domain.Role{domain.RoleCoordinator, domain.RoleAdmin}
	admins      = []domain.Role{domain.RoleAdmin}
	// dossierReaders open dossiers: the administrator manages users,
	// policy, mail and audit without them (professional secrecy), and the
	// BCSD sees only the dossiers referred to it (store.ViewerOf).
	dossierReaders = []domain.Role{domain.RoleCounsellor, domain.RoleCoordinator, domain.RoleBCSD}
	agendaReader   = []domain.Role{domain.RoleBCSD, domain.RoleCoordinator}
	// coordinators read what the whole centre's files need (the files at
	// risk); a counsellor reads their own on their My work page.
	coordinators = []domain.Role{domain.RoleCoordinator}
	hostAdmins   = []domain.Role{domain.RoleHostAdmin}
	// sheetReaders read the centre's monthly attendance sheet: the
	// counsellors who follow the workers, the coordinators and the
	// administrator who passes it on for the wages.
	sheetReaders = []domain.Role{domain.RoleCounsellor, domain.RoleCoordinator, domain.RoleAdmin}
	// courseReaders list the literacy partners and courses with their
	// places; the waiting list names people, so only coordinators read it.
	courseReaders = []domain.Role{domain.RoleCounsellor, domain.RoleCoordinator, domain.RoleAdmin}
)

// staffOnly keeps a centre's staff roles: a host user acts on a worker
// through /v1/host, never on a dossier.
func staffOnly(roles []domain.Role) []domain.Role {
	var out []domain.Role
	for _, r := range roles {
		if slices.Contains(domain.StaffRoles, r) {
			out = append(out, r)
		}
	}
	return out
}

// routes lists every operation under /v1.
func routes() []route {
	rs := []route{
		{"POST", "/participants", "createParticipant", caseworkers, (*server).createParticipant},
		{"GET", "/participants", "listParticipants", dossierReaders, (*server).listParticipants},
		{"GET", "/participants/{id}", "getParticipant", dossierReaders, (*server).getParticipant},
		{"PATCH", "/participants/{id}", "updateParticipantDetails", caseworkers, (*server).patchParticipant},
		{"POST", "/participants/{id}/reentry", "reenterParticipant", caseworkers, (*server).reenterParticipant},
		{"GET", "/participants/{id}/timeline", "getTimeline", dossierReaders, (*server).getTimeline},
	}
	// The writes on a dossier, each one workflow update; their roles are
	// the update's own (workflows.UpdateRoles).
	for _, a := range casework.Actions {
		rs = append(rs, route{"POST", "/participants/{id}" + a.Path, a.OperationID, staffOnly(a.Roles()),
			func(s *server, w http.ResponseWriter, r *http.Request) { s.dossierAction(w, r, a) }})
	}
	return append(rs,
		route{"GET", "/participants/{id}/notifications", "getNotifications", dossierReaders, (*server).getNotifications},
		route{"GET", "/participants/{id}/signals", "getSignals", dossierReaders, (*server).getSignals},
		route{"GET", "/participants/{id}/needs-analyses", "listNeedsAnalyses", dossierReaders, (*server).listNeedsAnalyses},
		route{"POST", "/participants/{id}/needs-analyses", "recordNeedsAnalysis", caseworkers, (*server).recordNeedsAnalysis},
		route{"GET", "/participants/{id}/gpmi", "getGPMI", dossierReaders, (*server).getGPMI},
		route{"GET", "/participants/{id}/gpmi-extensions", "listGPMIExtensions", dossierReaders, (*server).listExtensions},
		route{"POST", "/participants/{id}/gpmi-extensions", "recordGPMIExtension", caseworkers, (*server).recordExtension},
		route{"GET", "/participants/{id}/file-check", "getFileCheck", caseworkers, (*server).getFileCheck},
		route{"GET", "/file-checks", "listFileChecks", coordinators, (*server).listFileChecks},
		route{"GET", "/claims", "listClaims", managers, (*server).listClaims},
		route{"GET", "/participants/{id}/notes", "listNotes", dossierReaders, (*server).getNotes},
		route{"GET", "/participants/{id}/letters", "listLetters", dossierReaders, (*server).listLetters},
		route{"POST", "/participants/{id}/procedures/{n}/letters", "produceLetter", dossierReaders, (*server).produceLetter},
		route{"POST", "/participants/{id}/gpmi-letter", "produceGPMILetter", caseworkers, (*server).produceGPMILetter},
		route{"GET", "/participants/{id}/letters/{letter}", "getLetter", dossierReaders, (*server).getLetter},
		route{"GET", "/participants/{id}/letters/{letter}/pdf", "getLetterPDF", dossierReaders, (*server).getLetterPDF},
		route{"GET", "/letter-settings", "getLetterSettings", admins, (*server).getLetterSettings},
		route{"PUT", "/letter-settings", "putLetterSettings", admins, (*server).putLetterSettings},
		route{"POST", "/participants/{id}/notes", "addNote", caseworkers, (*server).addNote},
		route{"POST", "/participants/{id}/notes/{note}/correction", "correctNote", caseworkers, (*server).correctNote},
		route{"GET", "/outbox", "getOutbox", admins, (*server).getOutbox},
		route{"GET", "/host/workers", "listHostWorkers", hostStaff, (*server).listHostWorkers},
		route{"GET", "/host/workers/{id}", "getHostWorker", hostStaff, (*server).getHostWorker},
		route{"POST", "/host/workers/{id}/absences", "recordHostAbsence", hostStaff, (*server).recordHostAbsence},
		route{"POST", "/host/workers/{id}/trainings", "recordHostTraining", hostStaff, (*server).recordHostTraining},
		route{"POST", "/host/workers/{id}/checks", "recordHostWorkerCheck", hostStaff, (*server).recordHostCheck},
		route{"POST", "/host/workers/{id}/problems", "signalHostProblem", hostStaff, (*server).signalHostProblem},
		route{"POST", "/host/workers/{id}/hiring", "recordHostHiring", hostStaff, (*server).recordHostHiring},
		route{"POST", "/host/workers/{id}/attendance", "recordHostAttendance", hostStaff, (*server).recordHostAttendance},
		route{"GET", "/host/attendance", "getHostAttendanceSheet", hostStaff, (*server).attendanceSheet},
		route{"POST", "/host/attendance/declarations", "declareHostAttendanceMonth", hostStaff, (*server).declareAttendanceMonth},
		route{"GET", "/host/report", "getHostReport", hostStaff, (*server).getHostReport},
		route{"GET", "/host/agreements", "listHostAgreements", hostStaff, (*server).listHostAgreements},
		route{"GET", "/attendance", "getAttendanceSheet", sheetReaders, (*server).attendanceSheet},
		route{"GET", "/host/users", "listHostUsers", hostAdmins, (*server).listUsers},
		route{"POST", "/host/users", "createHostUser", hostAdmins, (*server).createUser},
		route{"PUT", "/host/users/{id}", "updateHostUser", hostAdmins, (*server).updateUser},
		route{"POST", "/host/users/{id}/tokens", "createHostUserToken", hostAdmins, (*server).createUserToken},
		route{"DELETE", "/host/tokens/{id}", "revokeHostToken", hostAdmins, (*server).revokeToken},
		route{"GET", "/hosts", "listHosts", everyone, (*server).listHosts},
		route{"POST", "/hosts", "createHost", managers, (*server).createHost},
		route{"GET", "/hosts/{id}", "getHost", everyone, (*server).getHost},
		route{"PUT", "/hosts/{id}", "replaceHost", managers, (*server).replaceHost},
		route{"DELETE", "/hosts/{id}", "archiveHost", managers, (*server).archiveHost},
		route{"POST", "/hosts/{id}/merge", "mergeHost", managers, (*server).mergeHost},
		route{"GET", "/literacy/partners", "listLiteracyPartners", courseReaders, (*server).listPartners},
		route{"POST", "/literacy/partners", "createLiteracyPartner", managers, (*server).createPartner},
		route{"PUT", "/literacy/partners/{id}", "updateLiteracyPartner", managers, (*server).updatePartner},
		route{"GET", "/literacy/courses", "listLiteracyCourses", courseReaders, (*server).listCourses},
		route{"POST", "/literacy/courses", "createLiteracyCourse", managers, (*server).createCourse},
		route{"GET", "/literacy/courses/{id}", "getLiteracyCourse", courseReaders, (*server).getCourse},
		route{"PUT", "/literacy/courses/{id}", "replaceLiteracyCourse", managers, (*server).replaceCourse},
		route{"GET", "/literacy/courses/{id}/waiting-list", "getWaitingList", coordinators, (*server).getWaitingList},
		route{"GET", "/participants/{id}/literacy", "getParticipantLiteracy", dossierReaders, (*server).getLiteracy},
		route{"POST", "/participants/{id}/level-tests", "recordLevelTest", caseworkers, (*server).recordLevelTest},
		route{"POST", "/participants/{id}/course-places", "referToCourse", caseworkers, (*server).referToCourse},
		route{"POST", "/participants/{id}/course-places/{place}/enrolment", "enrolInCourse", caseworkers, (*server).enrolInCourse},
		route{"POST", "/participants/{id}/course-places/{place}/end", "endCoursePlace", caseworkers, (*server).endCoursePlace},
		route{"GET", "/stats/literacy", "getLiteracyStats", managers, (*server).getLiteracyStats},
		route{"GET", "/participants/{id}/phase-records", "getPhaseRecords", dossierReaders, (*server).getPhaseRecords},
		route{"POST", "/participants/{id}/programmes", "addProgramme", caseworkers, (*server).addProgramme},
		route{"POST", "/participants/{id}/programmes/{programme}/result", "recordProgrammeResult", caseworkers, (*server).recordProgrammeResult},
		route{"POST", "/participants/{id}/student-jobs", "addStudentJob", caseworkers, (*server).addStudentJob},
		route{"POST", "/participants/{id}/placements", "addPlacement", caseworkers, (*server).addPlacement},
		route{"POST", "/participants/{id}/placements/{placement}/end", "endPlacement", caseworkers, (*server).endPlacement},
		route{"PUT", "/participants/{id}/civic-integration", "setCivicIntegration", caseworkers, (*server).setCivicIntegration},
		route{"GET", "/users", "listUsers", admins, (*server).listUsers},
		route{"POST", "/users", "createUser", admins, (*server).createUser},
		route{"PUT", "/users/{id}", "updateUser", admins, (*server).updateUser},
		route{"POST", "/users/{id}/tokens", "createUserToken", admins, (*server).createUserToken},
		route{"DELETE", "/tokens/{id}", "revokeToken", admins, (*server).revokeToken},
		route{"GET", "/bcsd/agenda", "getAgenda", agendaReader, (*server).getAgenda},
		route{"GET", "/audit", "getAudit", admins, (*server).getAudit},
		route{"GET", "/stats/trajectories", "getTrajectoryStats", managers, (*server).getTrajectoryStats},
		route{"GET", "/stats/outcomes", "getOutcomeStats", managers, (*server).getOutcomeStats},
		route{"GET", "/stats/placements", "getPlacementStats", managers, (*server).getPlacementStats},
		route{"GET", "/stats/workload", "getWorkloadStats", managers, (*server).getWorkloadStats},
		route{"GET", "/stats/bcsd", "getSanctionStats", managers, (*server).getSanctionStats},
		route{"GET", "/policy", "getPolicy", managers, (*server).getPolicy},
		route{"PUT", "/policy", "putPolicy", managers, (*server).putPolicy},
	)
}

// mount adds every route to r, each behind its role check.
func (s *server) mount(r chi.Router) {
	for _, rt := range routes() {
		serve := rt.serve
		r.With(s.allow(rt.roles, rt.operationID), checkPath).MethodFunc(rt.method, rt.pattern, func(w http.ResponseWriter, r *http.Request) { serve(s, w, r) })
	}
}

// checkPath answers 404 for a path parameter that cannot name anything
// (casework.CheckPath), on every route.
func checkPath(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if rc := chi.RouteContext(r.Context()); rc != nil {
			if err := casework.CheckPath(rc.URLParams.Keys, rc.URLParams.Values); err != nil {
				problem(w, r, err)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// allow refuses callers whose role is not among roles, and logs the
// refusal: who tried what (a dossier's ID, never its content).
func (s *server) allow(roles []domain.Role, operation string) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !slices.Contains(roles, principalFrom(r.Context()).Role) {
				objectType, objectID := refusedObject(r)
				if s.audited(w, r, operation, objectType, objectID, "refused") {
					problem(w, r, casework.ErrForbidden)
				}
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

// Route is one operation as the table declares it, for the tests and the
// documentation.
type Route struct {
	Method, Path, OperationID string
	Roles                     []domain.Role
}

// Routes lists the /v1 operations with their full paths.
func Routes() []Route {
	var out []Route
	for _, rt := range routes() {
		out = append(out, Route{rt.method, "/v1" + rt.pattern, rt.operationID, rt.roles})
	}
	return out
}

// refusedObject names what a refused request was about: the participant
// of a dossier's path, else the path itself.
func refusedObject(r *http.Request) (objectType, objectID string) {
	if strings.HasPrefix(r.URL.Path, "/v1/participants/") {
		if id := chi.URLParam(r, "id"); id != "" {
			return "participant", id
		}
	}
	return "route", r.URL.Path
}
