package web

import (
	"io/fs"
	"regexp"
	"testing"
	"time"

	"github.com/traject-ocmw/traject/domain"
	"github.com/traject-ocmw/traject/messages"
	"github.com/traject-ocmw/traject/policy"
	"github.com/traject-ocmw/traject/workflows"
)

// inBoth tells whether a page's message is in Dutch and in French.
func inBoth(key string) bool {
	return messages.Has("nl", key) && messages.Has("fr", key)
}

// Every message a template or the code asks for is in the catalogue (whose
// own test holds its two languages to the same keys).
func TestEveryMessageInBothLanguages(t *testing.T) {
	used := regexp.MustCompile(`call \$?\.T "([a-z0-9._]+)"`)
	files, _ := fs.Glob(templateFS, "templates/*.html")
	parts, _ := fs.Glob(templateFS, "templates/parts/*.html")
	files = append(files, parts...)
	for _, f := range files {
		raw, _ := fs.ReadFile(templateFS, f)
		for _, m := range used.FindAllStringSubmatch(string(raw), -1) {
			if !inBoth(m[1]) {
				t.Errorf("%s asks for %q, which is not in the catalogue", f, m[1])
			}
		}
	}
	// Keys built from values: roles, actors, and the work lists' titles.
	for _, r := range domain.StaffRoles {
		if !inBoth("role." + string(r)) {
			t.Errorf("no message role.%s", r)
		}
	}
	for _, a := range append(domain.NextActors, domain.ActorHost) {
		if !inBoth("actor." + string(a)) {
			t.Errorf("no message actor.%s", a)
		}
	}
	for _, l := range buildWork(nil, viewer{}, "nl", time.Now()) {
		if !inBoth(l.TitleKey) {
			t.Errorf("no message %s", l.TitleKey)
		}
	}
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

// The forms' titles, fields and options have messages too.
func TestFormMessages(t *testing.T) {
	for _, f := range forms() {
		keys := []string{f.TitleKey}
		for _, fld := range f.Fields {
			keys = append(keys, "field."+fld.Name)
			for _, o := range fld.Options {
				keys = append(keys, o.Label)
			}
		}
		for _, k := range keys {
			if !inBoth(k) {
				t.Errorf("%s: no message %s", f.Action.OperationID, k)
			}
		}
	}
	for _, status := range []string{"pending", "sent", "failed"} {
		if !inBoth("mail." + status) {
			t.Errorf("no message mail.%s", status)
		}
	}
	for _, p := range workflows.Phases {
		if !inBoth("phase." + string(p)) {
			t.Errorf("no message phase.%s", p)
		}
	}
}

// Every field of every policy section has its label in both languages:
// a field added to the policy without one fails here.
func TestPolicyFieldsHaveLabels(t *testing.T) {
	for _, section := range policySections {
		if !inBoth("policy." + section) {
			t.Errorf("no label for the policy section %s", section)
		}
		for _, f := range sectionFields(policy.Default(), section) {
			key := "policy." + section + "." + f.Name
			if !inBoth(key) {
				t.Errorf("no label in both languages for %s", key)
			}
		}
	}
}
