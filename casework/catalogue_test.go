package casework_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"regexp"
	"strconv"
	"testing"

	"github.com/traject-ocmw/traject/messages"
)

// Every failure the error table can answer says itself in the API's
// English and the pages' Dutch and French: each problem key Explain uses,
// each field code and each refusal reason that domain declares.
func TestEveryFailureHasItsMessages(t *testing.T) {
	var keys []string
	table, err := os.ReadFile("failure.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range regexp.MustCompile(`Key: "(problem\.[a-z_]+)"`).FindAllSubmatch(table, -1) {
		keys = append(keys, string(m[1]))
	}
	if len(keys) < 10 {
		t.Fatalf("found %d problem keys in failure.go", len(keys))
	}
	file, err := parser.ParseFile(token.NewFileSet(), "../domain/problems.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	prefix := map[string]string{"Code": "fault.", "Reason": "refusal."}
	for _, decl := range file.Decls {
		gen, ok := decl.(*ast.GenDecl)
		if !ok || gen.Tok != token.CONST {
			continue
		}
		for _, spec := range gen.Specs {
			v := spec.(*ast.ValueSpec)
			typ, ok := v.Type.(*ast.Ident)
			if !ok || prefix[typ.Name] == "" {
				continue
			}
			value, _ := strconv.Unquote(v.Values[0].(*ast.BasicLit).Value)
			keys = append(keys, prefix[typ.Name]+value)
		}
	}
	for _, key := range keys {
		for _, lang := range []string{"en", "nl", "fr"} {
			if !messages.Has(lang, key) {
				t.Errorf("no %s message %s", lang, key)
			}
		}
	}
}
