package metrics_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/traject-ocmw/traject/metrics"
	"github.com/traject-ocmw/traject/testenv"
)

// The service gauges are read from the read model and the outbox at each
// scrape: open trajectories per phase, dossiers past their earliest
// deadline, e-mails pending and failed; up = 0 alone when the database
// cannot answer.
func TestServiceGauges(t *testing.T) {
	ctx := context.Background()
	db, url := testenv.DatabaseAndURL(t)
	fx := testenv.Seed(t, db)
	other := "1c9f8d2e-4b5a-4d6c-8e7f-3a2b1c0d9e8f"
	closed := "2d0a9e3f-5c6b-4e7d-9f80-4b3c2d1e0f9a"
	for _, seed := range []struct {
		sql  string
		args []any
	}{
		{`INSERT INTO participants (id, centre_id, given_name, family_name, birth_date, language, leefloon_decision_date) VALUES
			($1, 'molenbeek', 'A', 'B', '1990-01-01', 'nl', '2026-11-02'),
			($2, 'molenbeek', 'C', 'D', '1990-01-01', 'nl', '2026-11-02')`, []any{other, closed}},
		{`INSERT INTO trajectories (participant_id, centre_id, workflow_id, phase, phase_since, next_deadline, version) VALUES
			($3, 'molenbeek', 'w1', 'work', now(), now() - interval '1 day', 1),
			($1, 'molenbeek', 'w2', 'work', now(), now() + interval '1 day', 1),
			($2, 'molenbeek', 'w3', 'closed', now(), now() - interval '1 day', 1)`, []any{other, closed, fx.ParticipantID}},
		{`INSERT INTO outbox (idempotency_key, notice_key, centre_id, kind, recipient_role, message_id, status, created_at) VALUES
			('k1', 'n1', 'molenbeek', 'gpmi_sign_reminder', 'counsellor', 'm1', 'pending', now() - interval '10 minutes'),
			('k2', 'n2', 'molenbeek', 'gpmi_sign_reminder', 'counsellor', 'm2', 'failed', now()),
			('k3', 'n3', 'molenbeek', 'gpmi_sign_reminder', 'counsellor', 'm3', 'sent', now() - interval '1 hour')`, nil},
	} {
		if _, err := db.Exec(ctx, seed.sql, seed.args...); err != nil {
			t.Fatal(err)
		}
	}

	// A pool of its own, so that closing it plays the database going away.
	pool, err := pgxpool.New(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	m, err := metrics.New(slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	m.WatchService(pool)
	srv := httptest.NewServer(m.Handler())
	defer srv.Close()

	body := scrape(t, srv.URL)
	for _, want := range []string{
		`traject_trajectories_open{centre="molenbeek",phase="work"} 2`,
		`traject_dossiers_overdue{centre="molenbeek"} 1`,
		`traject_outbox_messages{status="pending"} 1`,
		`traject_outbox_messages{status="failed"} 1`,
		"traject_service_gauges_up 1",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	if strings.Contains(body, `phase="closed"`) {
		t.Error("closed trajectories are counted as open")
	}
	oldest := regexp.MustCompile(`(?m)^traject_outbox_oldest_pending_seconds (\S+)$`).FindStringSubmatch(body)
	if oldest == nil {
		t.Fatal("/metrics lacks traject_outbox_oldest_pending_seconds")
	}
	if age, _ := strconv.ParseFloat(oldest[1], 64); age < 600 || age > 3600 {
		t.Errorf("oldest pending e-mail is %s s old, want about 600 (the sent one is older and does not count)", oldest[1])
	}

	pool.Close()
	body = scrape(t, srv.URL)
	if !strings.Contains(body, "traject_service_gauges_up 0") || strings.Contains(body, "traject_trajectories_open{") {
		t.Errorf("with the database gone, want up 0 and no stale gauges:\n%s", grep(body, "traject_"))
	}
	if !strings.Contains(body, "go_goroutines") {
		t.Error("the process metrics went missing with the database")
	}
}

func scrape(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 200 {
		t.Fatalf("/metrics answered %d: %s", resp.StatusCode, raw)
	}
	return string(raw)
}

func grep(body, prefix string) string {
	var out []string
	for line := range strings.SplitSeq(body, "\n") {
		if strings.HasPrefix(line, prefix) {
			out = append(out, line)
		}
	}
	return strings.Join(out, "\n")
}
