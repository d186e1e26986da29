package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/alexedwards/scs/v2"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/temporal"

	"github.com/traject-ocmw/traject/casework"
	"github.com/traject-ocmw/traject/domain"
	"github.com/traject-ocmw/traject/store"
	"github.com/traject-ocmw/traject/testenv"
	"github.com/traject-ocmw/traject/workflows"
)

// The pages answer each kind of error with the status the API gives it
// (casework.Explain, the one table), in the page's language: a dependency
// that is away asks, in Dutch and in French, to try again in a few
// seconds, and says when with Retry-After.
func TestErrorPagesFollowTheTable(t *testing.T) {
	templates, err := parseTemplates()
	if err != nil {
		t.Fatal(err)
	}
	sm := scs.New()
	p := &pages{logger: testenv.Discard(), templates: templates, sessions: sm}
	refusal := func(kind string) error {
		return temporal.NewNonRetryableApplicationError("refused", kind, nil, domain.Refusal{Reason: domain.ReasonClosed})
	}
	for _, c := range []struct {
		name string
		err  error
		want int
	}{
		{"invalid", &casework.InvalidError{Fields: []domain.FieldProblem{domain.Problem("signed_on", domain.NotDate)}}, 422},
		{"conflict", &store.ConflictError{Code: domain.HostBusy}, 409},
		{"not found", store.ErrNotFound, 404},
		{"forbidden", casework.ErrForbidden, 403},
		{"not allowed", refusal(workflows.ErrTypeNotAllowed), 409},
		{"not permitted", refusal(workflows.ErrTypeNotPermitted), 403},
		{"closed trajectory", serviceerror.NewNotFound("workflow execution already completed"), 409},
		{"temporal down", serviceerror.NewUnavailable("frontend down"), 503},
		{"timed out", casework.ErrTimedOut, 503},
		{"database down", fmt.Errorf("list: %w", store.ErrUnavailable), 503},
		{"anything else", errors.New("a bug"), 500},
	} {
		for _, lang := range []string{"nl", "fr"} {
			h := sm.LoadAndSave(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				p.sessions.Put(r.Context(), sessionLanguage, lang)
				p.fail(w, r, c.err)
			}))
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest("GET", "/dossiers/x", nil))
			if rec.Code != c.want || rec.Code != casework.Explain(c.err).Status {
				t.Errorf("%s (%s): %d, want %d", c.name, lang, rec.Code, c.want)
			}
			if c.want != http.StatusServiceUnavailable {
				continue
			}
			again := map[string]string{"nl": "Probeer het over enkele seconden opnieuw", "fr": "Réessayez dans quelques secondes"}[lang]
			if !strings.Contains(rec.Body.String(), again) || rec.Header().Get("Retry-After") == "" {
				t.Errorf("%s (%s): the page does not ask to try again (Retry-After %q):\n%s", c.name, lang, rec.Header().Get("Retry-After"), rec.Body)
			}
		}
	}
}
