package web

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/traject-ocmw/traject/casework"
	"github.com/traject-ocmw/traject/domain"
	"github.com/traject-ocmw/traject/filecheck"
	"github.com/traject-ocmw/traject/letters"
	"github.com/traject-ocmw/traject/messages"
	"github.com/traject-ocmw/traject/policy"
	"github.com/traject-ocmw/traject/store"
	"github.com/traject-ocmw/traject/workflows"
)

// Every message the pages ask for is in Dutch and in French, with plural
// forms where they ask for it with N or tn and without where they ask with
// T or t; and every message of the catalogue is asked for. (messages'
// TestCatalogue holds the two languages to the same keys and arguments.)
func TestEveryKeyUsed(t *testing.T) {
	uses := append(goKeyUses(t), templateKeyUses(t)...)
	uses = append(uses, builtKeyUses(t)...)
	used := map[string]bool{}
	for _, u := range uses {
		used[u.key] = true
		for _, lang := range []string{"nl", "fr"} {
			switch {
			case !messages.Has(lang, u.key):
				t.Errorf("%s: %s is not in %s.toml", u.where, u.key, lang)
			case u.counted && messages.N(lang, u.key, 2) == u.key:
				t.Errorf("%s: %s is asked for with N or tn, but %s.toml has it without plural forms", u.where, u.key, lang)
			case !u.counted && messages.T(lang, u.key) == u.key:
				t.Errorf("%s: %s has plural forms in %s.toml: ask for it with N or tn", u.where, u.key, lang)
			}
		}
	}
	// A timeline event's label is used while the workflows (or, for the
	// notes, the store) record its kind.
	kinds := map[string]bool{}
	for _, f := range append(parseDir(t, token.NewFileSet(), "../workflows"), parseDir(t, token.NewFileSet(), "../store")...) {
		ast.Inspect(f, func(n ast.Node) bool {
			if s, ok := n.(ast.Expr); ok {
				if kind, ok := literal(s); ok {
					kinds[kind] = true
				}
			}
			return true
		})
	}
	for _, key := range messages.Keys("nl") {
		if kind, ok := strings.CutPrefix(key, "event."); ok {
			if !kinds[kind] {
				t.Errorf("%s labels an event the workflows do not record", key)
			}
			continue
		}
		if !used[key] {
			t.Errorf("%s is in the catalogue but no page asks for it", key)
		}
	}
}

// keyUse is a message key the pages ask for, and where.
type keyUse struct {
	key, where string
	// counted: asked for with N or tn, so a message with plural forms.
	counted bool
}

// goKeyUses are the keys web's Go code, and casework's error table whose
// failures the pages show, write out: a string literal given for a
// parameter named key or ...Key (t, tn, messages.T and N, render's
// titleKey), or for a field named ...Key (a work list's TitleKey, a
// failure's Key).
func goKeyUses(t *testing.T) []keyUse {
	fset := token.NewFileSet()
	code := append(parseDir(t, fset, "."), parseDir(t, fset, "../casework")...)
	// keyParams are, per function name, the positions of its key
	// parameters.
	keyParams := map[string]map[int]bool{}
	for _, f := range append(slices.Clone(code), parseDir(t, fset, "../messages")...) {
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok {
				continue
			}
			i := 0
			for _, field := range fn.Type.Params.List {
				for _, name := range field.Names {
					if name.Name == "key" || strings.HasSuffix(name.Name, "Key") {
						if keyParams[fn.Name.Name] == nil {
							keyParams[fn.Name.Name] = map[int]bool{}
						}
						keyParams[fn.Name.Name][i] = true
					}
					i++
				}
			}
		}
	}
	var uses []keyUse
	for _, f := range code {
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CallExpr:
				var name string
				switch fun := n.Fun.(type) {
				case *ast.Ident:
					name = fun.Name
				case *ast.SelectorExpr:
					name = fun.Sel.Name
				}
				for i, arg := range n.Args {
					if key, ok := literal(arg); ok && keyParams[name][i] {
						uses = append(uses, keyUse{key, fset.Position(arg.Pos()).String(), name == "tn" || name == "N"})
					}
				}
			case *ast.KeyValueExpr:
				if field, ok := n.Key.(*ast.Ident); ok && strings.HasSuffix(field.Name, "Key") {
					if key, ok := literal(n.Value); ok {
						uses = append(uses, keyUse{key, fset.Position(n.Value.Pos()).String(), false})
					}
				}
			}
			return true
		})
	}
	return uses
}

// parseDir parses a package's Go files, its tests left out.
func parseDir(t *testing.T, fset *token.FileSet, dir string) []*ast.File {
	paths, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	var files []*ast.File
	for _, path := range paths {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	return files
}

// literal is the string a string literal writes.
func literal(e ast.Expr) (string, bool) {
	lit, ok := e.(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return "", false
	}
	s, err := strconv.Unquote(lit.Value)
	return s, err == nil
}

// constants are the values of a Go file's string constants of type typ.
func constants(t *testing.T, path, typ string) []string {
	f, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, d := range f.Decls {
		gen, ok := d.(*ast.GenDecl)
		if !ok || gen.Tok != token.CONST {
			continue
		}
		for _, spec := range gen.Specs {
			v := spec.(*ast.ValueSpec)
			if ident, ok := v.Type.(*ast.Ident); !ok || ident.Name != typ {
				continue
			}
			for _, value := range v.Values {
				if s, ok := literal(value); ok {
					out = append(out, s)
				}
			}
		}
	}
	if len(out) == 0 {
		t.Fatalf("no constants of type %s in %s", typ, path)
	}
	return out
}

// templateKeyUses are the keys the templates write out: call .T "key",
// call $.N "key" n.
func templateKeyUses(t *testing.T) []keyUse {
	call := regexp.MustCompile(`call \$?\.([TN]) "([^"]*)"`)
	files, _ := fs.Glob(templateFS, "templates/*.html")
	parts, _ := fs.Glob(templateFS, "templates/parts/*.html")
	var uses []keyUse
	for _, f := range append(files, parts...) {
		raw, err := fs.ReadFile(templateFS, f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range call.FindAllStringSubmatch(string(raw), -1) {
			uses = append(uses, keyUse{m[2], f, m[1] == "N"})
		}
	}
	return uses
}

// builtKeyUses are the keys the pages build from a value ("phase."+p,
// printf "stage.%s"), each value taken from the list it comes from.
func builtKeyUses(t *testing.T) []keyUse {
	var uses []keyUse
	add := func(where, prefix string, values ...string) {
		for _, v := range values {
			uses = append(uses, keyUse{prefix + v, where, false})
		}
	}
	// The forms of the dossier, of the BCSD procedure and of a host's
	// worker: title, fields and options.
	var all []actionForm
	all = append(all, forms()...)
	for _, f := range procedureForms() {
		all = append(all, f.actionForm)
	}
	// (a host's checks form is there while a check is due)
	for _, f := range hostForms(store.HostWorker{ChecksDue: []store.CheckDue{{N: 1}}}) {
		all = append(all, f.actionForm)
	}
	all = append(all, pageForms()...)
	all = append(all, literacyForms()...)
	add("literacy.go", "", "literacy.enrol")
	add("store.CourseKinds", "course.kind.", store.CourseKinds...)
	add("literacy.go course statuses", "course.status.", courseStatuses...)
	add("policy.LiteracyLevels", "level.", policy.LiteracyLevels...)
	add("workflows.EmploymentServices", "employment_service.", workflows.EmploymentServices...)
	add("policy.Regions", "region.", policy.Regions...)
	add("intake.go", "", submitKeys...)
	add("casework.Progress", "progress.", append([]string{""}, casework.Progress...)...)
	add("the signature's problems of no field of its form", "field.", "agreements")
	for _, f := range all {
		where := "form " + f.Action.OperationID
		add(where, "", f.TitleKey)
		for _, fld := range f.Fields {
			add(where, "", fld.LabelKey())
			if fld.Legend != "" {
				add(where, "", fld.Legend)
			}
			if fld.Hint != "" {
				add(where, "", fld.Hint)
			}
			if fld.Name == "n" || fld.Name == "code" || fld.Name == "counsellor_id" {
				continue // numbers, codes and people's names
			}
			for _, o := range fld.Options {
				add(where, "", o.Label)
			}
		}
	}
	for _, r := range domain.PeopleRoles {
		add("domain.PeopleRoles", "role.", string(r))
	}
	for _, a := range domain.Actors {
		add("domain.Actors", "actor.", string(a))
	}
	for _, p := range workflows.Phases {
		add("workflows.Phases", "phase.", string(p))
	}
	for _, s := range []workflows.SanctionStage{workflows.StageReported, workflows.StageHearingScheduled, workflows.StageHeard,
		workflows.StageDecided, workflows.StageNotified, workflows.StageClosed} {
		add("workflows' sanction stages", "stage.", string(s))
	}
	add("workflows.OutcomeUnknown", "outcome.", string(workflows.OutcomeUnknown)) // in the statistics
	statuses := append(slices.Clone(store.CountingStatuses), store.NonCountingStatuses...)
	add("store's attendance statuses", "attendance.", statuses...)
	add("store's attendance statuses", "sheet.code.", statuses...)
	add("store's agenda items", "agenda.item.", "hearing", "decision", "notification")
	add("store.CaseloadTags", "caseload.tag.", store.CaseloadTags...)
	for _, k := range letters.Kinds {
		add("letters.Kinds", "letter.kind.", string(k))
		f := letterForm(k)
		add("letter form", "", f.TitleKey)
		for _, fld := range f.Fields {
			add("letter form", "", fld.LabelKey())
			if fld.Hint != "" {
				add("letter form", "", fld.Hint)
			}
		}
	}
	add("letter forms' button", "", "letter.produce")
	add("letter settings", "letters.setting.", letterSettingFields...)
	add("letter settings' hints", "letters.setting.", "court_address.hint", "hearing_place.hint")
	add("store's outbox statuses", "mail.", "pending", "sent", "failed")
	add("outbox.html", "outbox.", "failed", "pending")
	add("store's outbox failures", "delivery.", store.FailureNoAddress, store.FailureNoTemplate, store.FailureRejected, store.FailureGaveUp)
	for _, r := range domain.StaffRoles {
		add("work.go", "work.intro.", string(r))
	}
	add("hosts.html", "hosts.", "name", "address", "email", "staff")
	add("users.html", "users.", "email", "display_name")
	add("statsTables", "stats.", statsTables...)
	for _, st := range filecheck.States {
		add("filecheck.States", "filecheck.state.", string(st))
	}
	add("filecheck.Elements", "filecheck.element.", filecheck.Elements...)
	add("filecheck.Elements", "filecheck.todo.", filecheck.Elements...)
	add("filecheck.ClaimReasons", "claims.reason.", filecheck.ClaimReasons...)
	add("filecheck.Article60Reasons", "claims.reason.", filecheck.Article60Reasons...)
	add("stats' outcome and host report groups", "stats.group.", "total", "host", "function", "gender", "centre")
	for _, rt := range routes() {
		if rt.nav != "" {
			add("routes()", "", rt.nav)
		}
	}
	// A field's fault and a write's refusal, as the error table words them.
	add("domain.Code", "fault.", constants(t, "../domain/problems.go", "Code")...)
	add("domain.Reason", "refusal.", constants(t, "../domain/problems.go", "Reason")...)
	// The words for codes (words.go).
	add("store.HostFunctions", "function.", store.HostFunctions...)
	add("store.Trainings", "training.", store.Trainings...)
	add("words.go's mailKinds", "mail.kind.", append(slices.Clone(mailKinds), "other")...)
	add("words.go's auditActions", "audit.action.", append(slices.Clone(auditActions), "transition", "merge_host", "read_stats_table", "other")...)
	add("words.go's auditObjects", "audit.object.", append(slices.Clone(auditObjects), "other")...)
	add("words.go's auditOutcomes", "audit.outcome.", append(slices.Clone(auditOutcomes), "other")...)
	add("words.go", "", "deadline.other", "role.other", "phase.other", "regime.other", "gender.unknown")
	add("policy.html's units", "policy.unit.", append(slices.Clone(periodUnits), "seconds", "iso")...)
	add("policy.html's weekdays", "weekday.", weekdays...)
	for _, section := range policySections {
		add("policySections", "policy.", section)
		for _, f := range sectionFields(policy.Default(), section) {
			add("policy."+section, "policy."+section+".", f.Name)
		}
	}
	return uses
}

func TestBelgianDates(t *testing.T) {
	d := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	first := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	for _, c := range []struct{ got, want string }{
		{longDate("nl", d), "2 december 2026"},
		{longDate("fr", d), "2 décembre 2026"},
		{longDate("fr", first), "1er mars 2026"},
		{longDate("nl", first), "1 maart 2026"},
		{shortDate(d), "02/12/2026"},
		// a deadline kept as the midnight after its last day, and a task
		// at 08:00 on its day: both fall on 2 December
		{longDate("nl", dueDay(time.Date(2026, 12, 3, 0, 0, 0, 0, brussels))), "2 december 2026"},
		{longDate("nl", dueDay(time.Date(2026, 12, 2, 8, 0, 0, 0, brussels))), "2 december 2026"},
	} {
		if c.got != c.want {
			t.Errorf("%q, want %q", c.got, c.want)
		}
	}
}
