package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"
	"golang.org/x/net/html"

	"github.com/traject-ocmw/traject/domain"
	"github.com/traject-ocmw/traject/messages"
	"github.com/traject-ocmw/traject/policy"
	"github.com/traject-ocmw/traject/store"
	"github.com/traject-ocmw/traject/testenv"
	"github.com/traject-ocmw/traject/web"
	"github.com/traject-ocmw/traject/workflows"
)

// Every page of the role matrix, for every role that may open it, in Dutch
// and in French, with seeded data (a dossier with deadlines, a hearing, a
// decided and a notified procedure, a worker in Article 60 with a host's
// check and a signalled problem, mail that did not arrive, an audit log):
// its visible text (text, the values of fields a person reads, titles and
// labels of controls, the charts' words) shows no message key and no
// internal code (a snake_case identifier: sanction_warning, full_time,
// host_admin, kitchen_help), no month or day as ISO 8601 (2026-12), no
// numeric and written-out dates on one page, no "(en)" or "week/weken"
// standing in for a plural, and in French a no-break space before
// : ; ? and !.
func TestPagesShowNoCodes(t *testing.T) {
	db := testenv.Database(t)
	fx := testenv.Seed(t, db)
	st := store.New(db)
	ctx := context.Background()
	now := time.Now()
	fatou := seedDeadlines(t, st, fx.CentreID, fx.CounsellorID, "Fatou",
		workflows.Deadline{ID: "gpmi.sign", Kind: workflows.KindGPMISign, Due: now.Add(-24 * time.Hour), Actor: domain.ActorCounsellor,
			Reminders: []workflows.Reminder{{At: now.Add(-30 * 24 * time.Hour), To: []domain.Actor{domain.ActorCounsellor}, Sent: true}}},
		workflows.Deadline{ID: "gpmi.eval", Kind: workflows.KindGPMIEvaluation, Due: now.Add(2 * 24 * time.Hour), Actor: domain.ActorParticipant})
	youssef := seedDeadlines(t, st, fx.CentreID, fx.CounsellorID, "Youssef",
		workflows.Deadline{ID: "x", Kind: workflows.KindCheckIn, Due: now.Add(time.Hour), Actor: domain.ActorCounsellor})
	seedProcedures(t, st, fx, fatou, youssef)
	notified := seedDeadlines(t, st, fx.CentreID, fx.Counsellor2ID, "Nadia")
	seedNotifiedProcedure(t, st, fx, notified)
	seedAnalysis(t, st, fx.CentreID, fx.CounsellorID, fatou)
	if _, err := st.InsertNote(ctx, store.NewNote{ID: uuid.NewString(), ParticipantID: fatou, CentreID: fx.CentreID, AuthorID: fx.CounsellorID,
		HappenedOn: now.AddDate(0, 0, -2), Kind: "home_visit", Text: "Huisbezoek, de huur is betaald."}); err != nil {
		t.Fatal(err)
	}
	letter := seedLetter(t, st, fx, fatou)
	seedLiteracy(t, st, fx, fatou, youssef)
	files := testenv.SeedFileChecks(t, db, fx)
	hostUser, worker := seedHostWorker(t, st, fx)
	chef, err := st.ActiveUser(ctx, hostUser)
	if err != nil {
		t.Fatal(err)
	}
	hostAdmin, err := st.CreateUser(ctx, store.User{HostID: chef.HostID, Email: "baas@resto.example", DisplayName: "Baas", Role: domain.RoleHostAdmin, Language: "nl"})
	if err != nil {
		t.Fatal(err)
	}
	admin := seedAdmin(t, st, fx.CentreID)
	// A policy of the centre's own: its page says the legal defaults
	// beside the changed fields and the change in its list of versions.
	pol := policy.Default()
	pol.GPMI.SignWithin = policy.Months(2)
	pol.Notifications.DigestAt, pol.Notifications.WeeklyDigestOn = "08:00", "friday"
	pol.Literacy.Levels = []string{"alfa_a", "a1", "a2"}
	pol.Retention.ClosedDossiers = policy.Months(7 * 12)
	if _, err := st.SavePolicy(ctx, fx.CentreID, pol, admin); err != nil {
		t.Fatal(err)
	}
	if _, _, err := st.CreateToken(ctx, fx.CoordinatorID, "reporting"); err != nil {
		t.Fatal(err)
	}
	// Mail of every state, about the procedure's letters among others.
	for i, m := range []struct {
		kind    string
		to      domain.Actor
		failure string
	}{
		{"sanction_warning", domain.ActorParticipant, store.FailureNoAddress},
		{"sanction_hearing_invitation", domain.ActorParticipant, ""},
		{"gpmi_sign_reminder", domain.ActorCounsellor, store.FailureRejected},
		{"a60_host_signal", domain.ActorCounsellor, ""},
	} {
		id, _, err := st.QueueMessage(ctx, store.OutboxEntry{Key: fmt.Sprint("mail/", i), NoticeKey: fmt.Sprint("notice/", i), CentreID: fx.CentreID,
			ParticipantID: fatou, Kind: m.kind, Recipient: m.to, RecipientID: fatou, MessageID: fmt.Sprint(i, "@test")})
		if err != nil {
			t.Fatal(err)
		}
		if m.failure != "" {
			if err := st.MarkFailed(ctx, id, m.failure, "550 mailbox unavailable"); err != nil {
				t.Fatal(err)
			}
		}
	}
	// Audit entries of actions the pages never take themselves, by every
	// role.
	for _, a := range []store.Access{
		{CentreID: fx.CentreID, ActorID: hostAdmin, ActorRole: string(domain.RoleHostAdmin), Action: "read_outbox", ObjectType: "centre", ObjectID: fx.CentreID, Outcome: "refused"},
		{CentreID: fx.CentreID, ActorID: fx.CounsellorID, ActorRole: string(domain.RoleCounsellor), Action: "create_participant", ObjectType: "participant", ObjectID: fatou, Outcome: "attempted"},
		{CentreID: fx.CentreID, ActorID: fx.CoordinatorID, ActorRole: string(domain.RoleCoordinator), Action: "change_contract_end", ObjectType: "participant", ObjectID: worker, Outcome: "ok"},
	} {
		if _, err := st.Audit(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	h, err := web.New(web.Options{Logger: testenv.Discard(), DB: db, DevSignIn: true, InsecureCookies: true})
	if err != nil {
		t.Fatal(err)
	}

	people := []struct {
		role domain.Role
		id   string
	}{{domain.RoleCounsellor, fx.CounsellorID}, {domain.RoleCoordinator, fx.CoordinatorID}, {domain.RoleBCSD, fx.BCSDID},
		{domain.RoleHost, hostUser}, {domain.RoleHostAdmin, hostAdmin}, {domain.RoleAdmin, admin}}
	// paths fills a page's pattern with each seeded object it can show.
	paths := func(pattern string) []string {
		switch {
		case strings.HasPrefix(pattern, "/dossiers/{id}/procedures/{n}"):
			return []string{"/dossiers/" + fatou + "/procedures/1", "/dossiers/" + youssef + "/procedures/1", "/dossiers/" + notified + "/procedures/1"}
		case strings.HasPrefix(pattern, "/dossiers/{id}/letters/{letter}"):
			return []string{"/dossiers/" + fatou + "/letters/" + letter}
		case pattern == "/dossiers/{id}":
			return []string{"/dossiers/" + fatou, "/dossiers/" + youssef, "/dossiers/" + notified, "/dossiers/" + worker, "/dossiers/" + files.ExemptUnreviewed, "/dossiers/" + files.AllMet}
		case pattern == "/host/workers/{id}":
			return []string{"/host/workers/" + worker}
		case pattern == "/stats":
			out := []string{"/stats"}
			for _, tb := range []string{"outcomes", "placements", "workload", "bcsd"} {
				out = append(out, "/stats?table="+tb)
			}
			return out
		case pattern == "/caseload":
			return []string{"/caseload", "/caseload?phase=article60"}
		case pattern == "/dossiers/{id}/inspection-pack":
			return []string{"/dossiers/" + fatou + "/inspection-pack", "/dossiers/" + files.TwoEvaluations + "/inspection-pack", "/dossiers/" + files.ExemptUnreviewed + "/inspection-pack"}
		case pattern == "/claims":
			// the seeded files' months: code 11, and past the first period
			return []string{"/claims", "/claims?month=" + time.Now().AddDate(0, -2, 0).Format("2006-01")}
		case pattern == "/file-checks":
			return []string{"/file-checks", "/file-checks?state=due", "/file-checks?counsellor=none"}
		case strings.Contains(pattern, "{"):
			t.Errorf("%s: no seeded object to open it with", pattern)
			return nil
		}
		return []string{pattern}
	}
	opened := 0
	// The sign-in page, to a visitor in either language.
	for _, lang := range []string{"nl", "fr"} {
		visitor := newBrowser(t, h)
		visitor.do("POST", "/language", url.Values{"lang": {lang}, "back": {"/signin"}})
		status, page, _ := visitor.do("GET", "/signin", nil)
		if status != http.StatusOK || !strings.Contains(page, `lang="`+lang+`"`) {
			t.Fatalf("the sign-in page in %s: %d", lang, status)
		}
		for _, problem := range pageTextProblems(t, page, lang) {
			t.Errorf("visitor/%s /signin: %s", lang, problem)
		}
	}
	for _, who := range people {
		for _, lang := range []string{"nl", "fr"} {
			b := newBrowserSignedIn(t, h, who.id)
			if _, _, header := b.do("POST", "/language", url.Values{"lang": {lang}, "back": {"/"}}); header.Get("Location") != "/" {
				t.Fatalf("%s: language switch to %s", who.role, lang)
			}
			// (a page that does not exist first: the error page)
			for _, rt := range append([]web.Route{{Method: http.MethodGet, Pattern: "/no-such-page", Roles: domain.PeopleRoles}}, web.Routes()...) {
				if rt.Method != http.MethodGet || !slices.Contains(rt.Roles, who.role) || strings.HasSuffix(rt.Pattern, ".csv") || strings.HasSuffix(rt.Pattern, ".xlsx") || strings.HasSuffix(rt.Pattern, "/pdf") {
					continue
				}
				for _, p := range paths(rt.Pattern) {
					status, page, header := b.do("GET", p, nil)
					what := fmt.Sprintf("%s/%s %s", who.role, lang, p)
					if status >= 500 || !strings.HasPrefix(header.Get("Content-Type"), "text/html") {
						t.Errorf("%s: %d %s", what, status, header.Get("Content-Type"))
						continue
					}
					opened++
					for _, problem := range pageTextProblems(t, page, lang) {
						t.Errorf("%s: %s", what, problem)
					}
				}
			}
		}
	}
	if opened < 100 {
		t.Errorf("only %d pages opened", opened)
	}
}

// seedNotifiedProcedure gives a participant a procedure whose decision (a
// suspended sanction) was notified a week ago: its appeal window runs.
func seedNotifiedProcedure(t *testing.T, st *store.Store, fx testenv.Fixture, participant string) {
	t.Helper()
	now := time.Now().Truncate(time.Second)
	invited, heard, decided, notified := now.AddDate(0, 0, -40), now.AddDate(0, 0, -30), now.AddDate(0, 0, -10), now.AddDate(0, 0, -7)
	appeal := notified.AddDate(0, 3, 1)
	held := true
	pid := workflows.SanctionWorkflowID(participant, 1)
	state := workflows.SanctionState{SanctionInput: workflows.SanctionInput{ProcedureID: pid, ParticipantID: participant, CentreID: fx.CentreID, ReportedAt: now.AddDate(0, 0, -50)},
		Stage: workflows.StageNotified, InvitedOn: &invited, HearingOn: &heard, HearingHeld: &held, NotifiedOn: &notified, RegisteredNumber: "RR123456785BE",
		Decision: &workflows.Decision{Kind: workflows.DecisionSuspended, DecidedOn: decided}, AppealUntil: &appeal, Version: 5}
	snap := domain.ProcedureSnapshot{ProcedureID: pid, Stage: string(workflows.StageNotified), Decision: workflows.DecisionSuspended, Version: 5, State: state}
	if err := st.RecordTimelineEvent(context.Background(), domain.TimelineEvent{EventKey: pid + "/notified", ParticipantID: participant, CentreID: fx.CentreID,
		OccurredAt: now, Kind: "decision_notified", Data: map[string]any{"procedure_id": pid}, Procedure: &snap}); err != nil {
		t.Fatal(err)
	}
}

var (
	// snakeCase is an identifier of two words or more joined by "_".
	snakeCase = regexp.MustCompile(`\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b`)
	// dotted is a word of words joined by dots, as the catalogue's keys.
	dotted = regexp.MustCompile(`\b[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+\b`)
	email  = regexp.MustCompile(`[\w.+-]+@[\w.-]+`)
	// isoDay is a month or a day written as ISO 8601 (2026-12, 2026-12-02),
	// or a chart's shortened month (26-12).
	isoDay = regexp.MustCompile(`\b(?:\d{4}-\d{2}(?:-\d{2})?|\d{2}-\d{2})\b`)
	// numericDate and longDate are the two ways a day is written.
	numericDate = regexp.MustCompile(`\b\d{2}/\d{2}/\d{4}\b`)
	longDate    = regexp.MustCompile(`\b\d{1,2}(?:er)? (?:januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december|janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre) \d{4}\b`)
	// pluralHack is a word with its plural's ending in brackets.
	pluralHack = regexp.MustCompile(`\p{L}\((?:en|s|n|e|es|x)\)`)
	// slashed is two words joined by a slash.
	slashed = regexp.MustCompile(`(\p{L}+)/(\p{L}+)`)
)

// keyPrefixes are the first words of the catalogue's keys (nav, work,
// dossier...).
var keyPrefixes = func() map[string]bool {
	out := map[string]bool{}
	for _, k := range messages.Keys("nl") {
		first, _, _ := strings.Cut(k, ".")
		out[first] = true
	}
	return out
}()

// pageTextProblems lists what a page's visible text shows that a person
// should not read.
func pageTextProblems(t *testing.T, page, lang string) []string {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	var problems []string
	seen := map[string]bool{}
	report := func(format string, args ...any) {
		if p := fmt.Sprintf(format, args...); !seen[p] {
			seen[p] = true
			problems = append(problems, p)
		}
	}
	var numeric, written string
	check := func(text, textLang string) {
		text = email.ReplaceAllString(text, " ")
		for _, m := range snakeCase.FindAllString(text, -1) {
			report("code %q in %q", m, excerpt(text, m))
		}
		for _, m := range dotted.FindAllString(text, -1) {
			first, _, _ := strings.Cut(m, ".")
			if messages.Has("nl", m) || keyPrefixes[first] {
				report("message key %q in %q", m, excerpt(text, m))
			}
		}
		for _, m := range isoDay.FindAllString(text, -1) {
			report("ISO date %q in %q", m, excerpt(text, m))
		}
		if m := numericDate.FindString(text); m != "" && numeric == "" {
			numeric = excerpt(text, m)
		}
		if m := longDate.FindString(text); m != "" && written == "" {
			written = excerpt(text, m)
		}
		for _, m := range pluralHack.FindAllString(text, -1) {
			report("a plural in brackets %q in %q", m, excerpt(text, m))
		}
		for _, m := range slashed.FindAllStringSubmatch(text, -1) {
			if one, more := strings.ToLower(m[1]), strings.ToLower(m[2]); strings.HasPrefix(more, one) && len(more)-len(one) <= 2 {
				report("both forms %q in %q", m[0], excerpt(text, m[0]))
			}
		}
		if textLang == "fr" {
			for i, r := range text {
				if !strings.ContainsRune(":;?!", r) || i == 0 {
					continue
				}
				before, _ := utf8.DecodeLastRuneInString(text[:i])
				after, _ := utf8.DecodeRuneInString(text[i+1:])
				switch {
				case before == '\u00a0' || before == '\u202f':
				case r == ':' && unicode.IsDigit(before) && unicode.IsDigit(after): // 17:13
				case r == ':' && after == '/': // https://
				case strings.ContainsRune(":;?!", before): // ?!
				default:
					report("no no-break space before %q in %q", string(r), excerpt(text, text[max(0, i-12):i+1]))
				}
			}
		}
	}
	// visible reads an element's attributes a person reads (or hears),
	// then its text, in the language it is in: the text of an inline
	// element runs on with its neighbours' ("santé</strong>: " is
	// "santé: "), a block's stands apart.
	type segment struct {
		lang string
		text strings.Builder
	}
	var segments []*segment
	write := func(s, lang string) {
		if len(segments) == 0 || segments[len(segments)-1].lang != lang {
			segments = append(segments, &segment{lang: lang})
		}
		segments[len(segments)-1].text.WriteString(s)
	}
	var visible func(n *html.Node, lang string)
	visible = func(n *html.Node, lang string) {
		switch n.Type {
		case html.TextNode:
			write(n.Data, lang)
			return
		case html.ElementNode:
			switch n.Data {
			case "script", "style", "head":
				return
			}
			typ := attr(n, "type")
			if l := attr(n, "lang"); l != "" {
				lang = l
			}
			for _, a := range n.Attr {
				switch {
				case a.Key == "title" || a.Key == "alt" || a.Key == "placeholder" || a.Key == "aria-label":
					check(a.Val, lang)
				case a.Key == "value" && n.Data == "input" && !slices.Contains([]string{"hidden", "checkbox", "radio", "date", "month", "time", "datetime-local"}, typ):
					check(a.Val, lang)
				}
			}
			if !inline[n.Data] {
				write("\n", lang)
				defer write("\n", lang)
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			visible(c, lang)
		}
	}
	visible(doc, lang)
	for _, s := range segments {
		check(s.text.String(), s.lang)
	}
	if numeric != "" && written != "" {
		report("two date styles: %q and %q", numeric, written)
	}
	return problems
}

// inline are the elements whose text runs on with the text around them.
var inline = map[string]bool{"a": true, "strong": true, "em": true, "span": true, "time": true, "code": true, "abbr": true, "b": true, "i": true,
	"small": true, "sup": true, "sub": true, "label": true, "kbd": true, "mark": true, "bdi": true}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// excerpt is the few words around m in text.
func excerpt(text, m string) string {
	i := strings.Index(text, m)
	if i < 0 {
		return m
	}
	from, to := max(0, i-30), min(len(text), i+len(m)+30)
	for from > 0 && !utf8.RuneStart(text[from]) {
		from--
	}
	for to < len(text) && !utf8.RuneStart(text[to]) {
		to++
	}
	return strings.Join(strings.Fields(text[from:to]), " ")
}
