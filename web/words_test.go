package web

import (
	"go/ast"
	"go/token"
	"slices"
	"strings"
	"testing"

	"github.com/traject-ocmw/traject/domain"
	"github.com/traject-ocmw/traject/messages"
	"github.com/traject-ocmw/traject/notify"
	"github.com/traject-ocmw/traject/store"
	"github.com/traject-ocmw/traject/workflows"
)

// Every code a page may show has its words in both languages: each
// message kind the workflows queue, each deadline kind, each host
// function, each role, and each action the pages, the API and casework
// write to the audit log (a literal given to an audit call, and every
// workflow update).
func TestEveryCodeHasItsWords(t *testing.T) {
	for _, lang := range []string{"nl", "fr"} {
		for kind := range notify.Catalogue {
			if got := mailKind(lang, kind); got == messages.T(lang, "mail.kind.other") || strings.Contains(got, "_") {
				t.Errorf("%s: the message kind %s has no words: %q", lang, kind, got)
			}
		}
		for _, kind := range constants(t, "../workflows/state.go", "DeadlineKind") {
			if got := deadlineWhat(lang, kind); got == messages.T(lang, "deadline.other") {
				t.Errorf("%s: the deadline kind %s has no words", lang, kind)
			}
		}
		for _, kind := range constants(t, "../workflows/contract.go", "DeadlineKind") {
			if got := deadlineWhat(lang, kind); got == messages.T(lang, "deadline.other") {
				t.Errorf("%s: the deadline kind %s has no words", lang, kind)
			}
		}
		for _, f := range store.HostFunctions {
			if got := functionName(lang, f); strings.Contains(got, "function.") || got == strings.ReplaceAll(f, "_", " ") && f != "driver" {
				t.Errorf("%s: the function %s has no words: %q", lang, f, got)
			}
		}
		for _, tr := range store.Trainings {
			if !messages.Has(lang, "training."+tr) {
				t.Errorf("%s: the training %s has no words", lang, tr)
			}
		}
		for _, r := range domain.PeopleRoles {
			if roleName(lang, string(r)) == messages.T(lang, "role.other") {
				t.Errorf("%s: the role %s has no words", lang, r)
			}
		}
		for update := range workflows.UpdateRoles {
			if update != workflows.UpdateTransition && auditAction(lang, update) == messages.T(lang, "audit.action.other") {
				t.Errorf("%s: the update %s has no words in the audit log", lang, update)
			}
		}
		for _, action := range auditedActions(t) {
			if auditAction(lang, action) == messages.T(lang, "audit.action.other") {
				t.Errorf("%s: the audited action %s has no words", lang, action)
			}
		}
		if got := auditAction(lang, "transition:article60"); !strings.Contains(got, messages.T(lang, "phase.article60")) {
			t.Errorf("%s: a transition's words: %q", lang, got)
		}
		if got := auditAction(lang, "read_stats:workload"); !strings.Contains(got, messages.T(lang, "stats.workload")) {
			t.Errorf("%s: a statistics download's words: %q", lang, got)
		}
	}
	if got := functionName("nl", "driver_of_trams"); got != "driver of trams" {
		t.Errorf("a function outside the list: %q", got)
	}
}

// auditedActions are the actions the pages, the API and casework give to
// their audit calls as literals: an argument for a parameter named action
// (the part before ":" of one that carries a value).
func auditedActions(t *testing.T) []string {
	fset := token.NewFileSet()
	var files []*ast.File
	for _, dir := range []string{".", "../api", "../casework"} {
		files = append(files, parseDir(t, fset, dir)...)
	}
	actionParam := map[string]int{}
	for _, f := range files {
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok {
				continue
			}
			i := 0
			for _, field := range fn.Type.Params.List {
				for _, name := range field.Names {
					if name.Name == "action" {
						actionParam[fn.Name.Name] = i
					}
					i++
				}
			}
		}
	}
	var out []string
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			var name string
			switch fun := call.Fun.(type) {
			case *ast.Ident:
				name = fun.Name
			case *ast.SelectorExpr:
				name = fun.Sel.Name
			}
			i, ok := actionParam[name]
			if !ok || i >= len(call.Args) {
				return true
			}
			if s, ok := literal(call.Args[i]); ok {
				action, _, _ := strings.Cut(s, ":")
				if !slices.Contains(out, action) {
					out = append(out, action)
				}
			}
			return true
		})
	}
	if len(out) < 30 {
		t.Fatalf("only %d audited actions found: %v", len(out), out)
	}
	return out
}
