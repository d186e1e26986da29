package web

import (
	"net/http"
	"slices"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/traject-ocmw/traject/casework"
	"github.com/traject-ocmw/traject/domain"
)

// route is one page or form post of a signed-in user: its method and
// pattern, who may open it, what serves it, and its entry in the menu
// (a message key; empty: none). This table is the one declaration of who
// may open what: the router answers 403 to any other role before the
// handler runs, the menu lists the entries the viewer may open, and
// TestRoleMatrix holds every route to it for every role.
type route struct {
	method, pattern string
	roles           []domain.Role
	serve           func(*pages, http.ResponseWriter, *http.Request)
	nav             string
}

// Who may open a page.
var (
	signedIn = domain.PeopleRoles
	staff    = domain.StaffRoles
	// dossierReaders open dossiers and the caseload; what they may do
	// there is each write's own roles (casework.Actions). The
	// administrator opens none (professional secrecy: they manage users,
	// policy, mail and audit), and the BCSD only those referred to it
	// (store.ViewerOf).
	dossierReaders = []domain.Role{domain.RoleCounsellor, domain.RoleCoordinator, domain.RoleBCSD}
	dossierWriters = []domain.Role{domain.RoleCounsellor, domain.RoleCoordinator}
	// procedureWriters send the BCSD procedure's steps (each step's own
	// roles narrow it).
	procedureWriters = []domain.Role{domain.RoleBCSD, domain.RoleCoordinator, domain.RoleCounsellor}
	coordinators     = []domain.Role{domain.RoleCoordinator}
	managers         = []domain.Role{domain.RoleCoordinator, domain.RoleAdmin}
	admins           = []domain.Role{domain.RoleAdmin}
	agendaReaders    = []domain.Role{domain.RoleBCSD, domain.RoleCoordinator}
	// sheetReaders read the centre's monthly attendance sheet: a
	// counsellor their own dossiers' workers, the coordinators and the
	// administrator (who passes it on for the wages) the centre's.
	sheetReaders = []domain.Role{domain.RoleCounsellor, domain.RoleCoordinator, domain.RoleAdmin}
	hostStaff    = domain.HostRoles
	hostAdmins   = []domain.Role{domain.RoleHostAdmin}
)

// routes lists every page and form post behind the sign-in, in menu order.
func routes() []route {
	return []route{
		{"GET", "/", signedIn, (*pages).home, ""},
		{"GET", "/host", hostStaff, (*pages).hostWorkers, "nav.workers"},
		{"GET", "/host/workers/{id}", hostStaff, (*pages).hostWorker, ""},
		{"POST", "/host/workers/{id}/attendance", hostStaff, (*pages).hostAttendance, ""},
		{"POST", "/host/workers/{id}/{record}", hostStaff, (*pages).hostRecord, ""},
		{"GET", "/host/attendance", hostStaff, (*pages).hostGrid, "nav.grid"},
		{"POST", "/host/attendance", hostStaff, (*pages).saveHostGrid, ""},
		{"POST", "/host/attendance/declaration", hostStaff, (*pages).declareHostMonth, ""},
		{"GET", "/host/sheet", hostStaff, (*pages).attendanceSheet, ""}, // the grid links it: the host menu keeps to one line
		{"GET", "/host/report", hostStaff, (*pages).hostReport, "nav.report"},
		{"GET", "/host/report.csv", hostStaff, (*pages).hostReport, ""},
		{"GET", "/host/users", hostAdmins, (*pages).users, "nav.admin"},
		{"POST", "/host/users", hostAdmins, (*pages).addUser, ""},
		{"POST", "/host/users/{id}", hostAdmins, (*pages).changeUser, ""},
		{"POST", "/host/users/{id}/tokens", hostAdmins, (*pages).createToken, ""},
		{"POST", "/host/tokens/{id}/revoke", hostAdmins, (*pages).revokeToken, ""},

		{"GET", "/caseload", dossierReaders, (*pages).caseload, "nav.caseload"},
		{"GET", "/caseload.csv", dossierReaders, (*pages).caseloadCSV, ""},
		{"POST", "/caseload/reassign", coordinators, (*pages).reassign, ""},
		{"GET", "/dossiers/new", dossierWriters, (*pages).newDossier, "nav.new_dossier"},
		{"POST", "/dossiers", dossierWriters, (*pages).createDossier, ""},
		{"GET", "/hosts", staff, (*pages).hosts, "nav.hosts"},
		{"POST", "/hosts", managers, (*pages).saveHost, ""},
		{"POST", "/hosts/{id}", managers, (*pages).saveHost, ""},
		{"POST", "/hosts/{id}/archive", managers, (*pages).archiveHost, ""},
		{"GET", "/literacy", managers, (*pages).literacyPage, "nav.literacy"},
		{"POST", "/literacy/partners", managers, (*pages).savePartner, ""},
		{"POST", "/literacy/partners/{id}", managers, (*pages).savePartner, ""},
		{"POST", "/literacy/courses", managers, (*pages).saveCourse, ""},
		{"POST", "/literacy/courses/{id}", managers, (*pages).saveCourse, ""},
		{"GET", "/team", coordinators, (*pages).team, "nav.team"},
		{"GET", "/file-checks", coordinators, (*pages).fileChecks, "nav.filechecks"},
		{"GET", "/file-checks.csv", coordinators, (*pages).fileChecksDownload, ""},
		{"GET", "/file-checks.xlsx", coordinators, (*pages).fileChecksDownload, ""},
		{"GET", "/dossiers/{id}", dossierReaders, (*pages).dossier, ""},
		{"GET", "/dossiers/{id}/inspection-pack", dossierWriters, (*pages).inspectionPack, ""},
		{"POST", "/dossiers/{id}/details", dossierWriters, (*pages).saveDetails, ""},
		{"POST", "/dossiers/{id}/reentry", dossierWriters, (*pages).reenter, ""},
		{"POST", "/dossiers/{id}/notes", dossierWriters, (*pages).addNote, ""},
		{"POST", "/dossiers/{id}/needs-analysis", dossierWriters, (*pages).recordNeedsAnalysis, ""},
		{"POST", "/dossiers/{id}/gpmi-extensions", dossierWriters, (*pages).recordExtension, ""},
		{"POST", "/dossiers/{id}/programmes", dossierWriters, (*pages).addProgramme, ""},
		{"POST", "/dossiers/{id}/programmes/{programme}/result", dossierWriters, (*pages).recordProgrammeResult, ""},
		{"POST", "/dossiers/{id}/student-jobs", dossierWriters, (*pages).addStudentJob, ""},
		{"POST", "/dossiers/{id}/placements", dossierWriters, (*pages).addPlacement, ""},
		{"POST", "/dossiers/{id}/placements/{placement}/end", dossierWriters, (*pages).endPlacement, ""},
		{"POST", "/dossiers/{id}/civic-integration", dossierWriters, (*pages).setCivicIntegration, ""},
		{"POST", "/dossiers/{id}/notes/{note}/correction", dossierWriters, (*pages).correctNote, ""},
		{"POST", "/dossiers/{id}/literacy/level-tests", dossierWriters, (*pages).recordLevelTest, ""},
		{"POST", "/dossiers/{id}/literacy/referrals", dossierWriters, (*pages).referToCourse, ""},
		{"POST", "/dossiers/{id}/literacy/places/{place}/enrol", dossierWriters, (*pages).enrolInCourse, ""},
		{"POST", "/dossiers/{id}/literacy/places/{place}/end", dossierWriters, (*pages).endCoursePlace, ""},
		{"POST", "/dossiers/{id}/act/{operation}", dossierWriters, (*pages).act, ""},
		{"GET", "/dossiers/{id}/procedures/{n}", dossierReaders, (*pages).procedure, ""},
		{"POST", "/dossiers/{id}/procedures/{n}/act/{operation}", procedureWriters, (*pages).actOnProcedure, ""},
		{"POST", "/dossiers/{id}/procedures/{n}/letters/{kind}", procedureWriters, (*pages).produceLetter, ""},
		{"POST", "/dossiers/{id}/gpmi-letter", dossierWriters, (*pages).produceGPMILetter, ""},
		{"GET", "/dossiers/{id}/letters/{letter}", dossierReaders, (*pages).letterPage, ""},
		{"GET", "/dossiers/{id}/letters/{letter}/pdf", dossierReaders, (*pages).letterPDF, ""},
		{"GET", "/admin/users", admins, (*pages).users, "nav.admin"},
		{"POST", "/admin/users", admins, (*pages).addUser, ""},
		{"POST", "/admin/users/{id}", admins, (*pages).changeUser, ""},
		{"POST", "/admin/users/{id}/tokens", admins, (*pages).createToken, ""},
		{"POST", "/admin/tokens/{id}/revoke", admins, (*pages).revokeToken, ""},
		{"GET", "/admin/letters", admins, (*pages).letterSettings, "nav.letters"},
		{"POST", "/admin/letters", admins, (*pages).saveLetterSettings, ""},
		{"GET", "/admin/outbox", admins, (*pages).outboxPage, "nav.outbox"},
		{"GET", "/admin/audit", admins, (*pages).auditPage, "nav.audit"},
		{"GET", "/admin/audit.csv", admins, (*pages).auditCSV, ""},
		{"GET", "/attendance", sheetReaders, (*pages).attendanceSheet, "nav.sheet"},
		{"GET", "/policy", managers, (*pages).policyPage, "nav.policy"},
		{"POST", "/policy/{section}", managers, (*pages).savePolicy, ""},
		{"GET", "/stats", managers, (*pages).statistics, "nav.stats"},
		{"GET", "/claims", managers, (*pages).claims, "nav.claims"},
		{"GET", "/claims.csv", managers, (*pages).claimsDownload, ""},
		{"GET", "/claims.xlsx", managers, (*pages).claimsDownload, ""},
		{"GET", "/stats/{report}.csv", managers, (*pages).statisticsCSV, ""},
		{"GET", "/bcsd", agendaReaders, (*pages).agenda, "nav.bcsd"},
	}
}

// mount adds every route behind its role check.
func (p *pages) mount(r chi.Router) {
	for _, rt := range routes() {
		serve, roles := rt.serve, rt.roles
		r.MethodFunc(rt.method, rt.pattern, func(w http.ResponseWriter, r *http.Request) {
			if v, _ := viewerFrom(r.Context()); !slices.Contains(roles, v.Role) {
				// Logged: who tried to open what (a dossier by its ID).
				objectType, objectID := "page", r.URL.Path
				if id := chi.URLParam(r, "id"); id != "" && strings.HasPrefix(r.URL.Path, "/dossiers/") {
					objectType, objectID = "participant", id
				}
				if p.auditAs(w, r, "open_page", objectType, objectID, "refused") {
					p.fail(w, r, casework.ErrForbidden)
				}
				return
			}
			if rc := chi.RouteContext(r.Context()); rc != nil {
				if err := casework.CheckPath(rc.URLParams.Keys, rc.URLParams.Values); err != nil {
					p.fail(w, r, err)
					return
				}
			}
			serve(p, w, r)
		})
	}
}

// may tells whether the viewer may send method to the route pattern.
func may(v viewer, method, pattern string) bool {
	for _, rt := range routes() {
		if rt.method == method && rt.pattern == pattern {
			return slices.Contains(rt.roles, v.Role)
		}
	}
	return false
}

// navEntry is one link of the menu, or (Group set, no Path) the entry
// that folds several links under its name.
type navEntry struct {
	Path, Key string
	Current   bool
	Group     []navEntry
}

// manageMenu are the pages the menu folds under one entry, Beheer /
// Gestion: the settings and administration a person opens now and then,
// so that every role's menu keeps to one line at 1280 pixels
// (TestMenuFitsOneLine). The entry is a disclosure (details), which opens
// without JavaScript.
var manageMenu = map[string]bool{
	"/admin/users": true, "/admin/letters": true, "/admin/outbox": true, "/admin/audit": true,
	"/policy": true, "/attendance": true, "/stats": true, "/claims": true, "/literacy": true,
}

// nav is the viewer's menu: the pages of the table with an entry that the
// viewer's role may open, My work first, the pages of
// manageMenu last under one entry.
func nav(v viewer, path string) []navEntry {
	var out, manage []navEntry
	if v.Role.IsStaff() || v.Role.IsHost() {
		out = append(out, navEntry{Path: "/", Key: "nav.work", Current: path == "/"})
	}
	for _, rt := range routes() {
		if rt.nav == "" || !slices.Contains(rt.roles, v.Role) {
			continue
		}
		current := strings.HasPrefix(path, rt.pattern)
		if rt.pattern == "/host" { // the workers' list and each worker's page
			current = path == "/host" || strings.HasPrefix(path, "/host/workers")
		}
		e := navEntry{Path: rt.pattern, Key: rt.nav, Current: current}
		if manageMenu[rt.pattern] {
			manage = append(manage, e)
			continue
		}
		out = append(out, e)
	}
	if len(manage) > 0 {
		group := navEntry{Key: "nav.manage", Group: manage}
		for _, e := range manage {
			group.Current = group.Current || e.Current
		}
		out = append(out, group)
	}
	return out
}

// Route is one page as the table declares it, for the tests.
type Route struct {
	Method, Pattern string
	Roles           []domain.Role
}

// Routes lists the pages behind the sign-in.
func Routes() []Route {
	var out []Route
	for _, rt := range routes() {
		out = append(out, Route{rt.method, rt.pattern, rt.roles})
	}
	return out
}
