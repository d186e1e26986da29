package activities_test

import (
	"context"
	"net"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/traject-ocmw/traject/activities"
	"github.com/traject-ocmw/traject/domain"
	"github.com/traject-ocmw/traject/mailcapture"
	"github.com/traject-ocmw/traject/notify"
	"github.com/traject-ocmw/traject/store"
	"github.com/traject-ocmw/traject/testenv"
)

type mailTest struct {
	db       *pgxpool.Pool
	dbURL    string
	fx       testenv.Fixture
	smtp     *mailcapture.Server
	notifier *activities.Notifier
}

func newMailTest(t *testing.T) *mailTest {
	t.Helper()
	db, dbURL := testenv.DatabaseAndURL(t)
	m := &mailTest{db: db, dbURL: dbURL, fx: testenv.Seed(t, db), smtp: testenv.Mail(t)}
	host, port, _ := net.SplitHostPort(m.smtp.Addr())
	p, _ := strconv.Atoi(port)
	mailer, err := notify.NewMailer(notify.SMTP{Host: host, Port: p, TLS: "none", From: "OCMW Traject <traject@ocmw.example>"})
	if err != nil {
		t.Fatal(err)
	}
	templates, err := notify.LoadTemplates()
	if err != nil {
		t.Fatal(err)
	}
	m.notifier = &activities.Notifier{Store: store.New(db), Templates: templates, Mailer: mailer}
	return m
}

// useRelay sends the notices to relay instead.
func (m *mailTest) useRelay(t *testing.T, relay *mailcapture.Server) {
	t.Helper()
	host, port, _ := net.SplitHostPort(relay.Addr())
	p, _ := strconv.Atoi(port)
	mailer, err := notify.NewMailer(notify.SMTP{Host: host, Port: p, TLS: "none", From: "OCMW Traject <traject@ocmw.example>"})
	if err != nil {
		t.Fatal(err)
	}
	m.smtp, m.notifier.Mailer = relay, mailer
}

// databaseThroughProxy makes the notifier reach PostgreSQL through a proxy
// the test can cut; the test's own pool is never cut.
func (m *mailTest) databaseThroughProxy(t *testing.T) *testenv.Proxy {
	t.Helper()
	u, err := url.Parse(m.dbURL)
	if err != nil {
		t.Fatal(err)
	}
	proxy := testenv.NewProxy(t, u.Host)
	u.Host = proxy.Addr()
	pool, err := store.Open(context.Background(), u.String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	m.notifier.Store = store.New(pool)
	return proxy
}

var due = time.Date(2027, 2, 3, 0, 0, 0, 0, time.FixedZone("CET", 3600))

func (m *mailTest) notice(kind string, to domain.Actor, recipient string) activities.Notice {
	return activities.Notice{
		Key: "trajectory:" + m.fx.ParticipantID + "/" + kind, Kind: kind, CentreID: m.fx.CentreID, ParticipantID: m.fx.ParticipantID,
		Recipient: to, RecipientID: recipient, DeadlineID: "gpmi.sign", Due: due,
	}
}

func (m *mailTest) row(t *testing.T, notice string) (status string, attempts int, lastError string) {
	t.Helper()
	err := m.db.QueryRow(context.Background(), `SELECT status, attempts, COALESCE(last_error, '') FROM outbox WHERE notice_key = $1`, notice).Scan(&status, &attempts, &lastError)
	if err != nil {
		t.Fatal(err)
	}
	return status, attempts, lastError
}

// A reminder reaches its recipient once, in the recipient's language, even
// when the activity runs twice.
func TestNoticeArrivesOnceInTheRecipientsLanguage(t *testing.T) {
	ctx := context.Background()
	m := newMailTest(t)
	if _, err := m.db.Exec(ctx, `UPDATE centres SET reply_to = 'traject@molenbeek.example'`); err != nil {
		t.Fatal(err)
	}
	toCounsellor := m.notice("gpmi_sign_reminder", "counsellor", m.fx.CounsellorID)
	for range 2 {
		if err := m.notifier.Notify(ctx, toCounsellor); err != nil {
			t.Fatal(err)
		}
	}
	letter := m.notice("sanction_hearing_invitation", "participant", m.fx.ParticipantID)
	if err := m.notifier.Notify(ctx, letter); err != nil {
		t.Fatal(err)
	}
	// Notify returns after the relay's answer, and the capture server keeps
	// a message before it answers: what arrived is all there is.
	msgs := m.smtp.Messages()
	if got := len(msgs); got != 2 {
		t.Fatalf("%d messages, want 2", got)
	}
	if msgs[0].To[0] != "an@ocmw.example" || msgs[0].Subject != "Herinnering: GPMI van Fatima El Idrissi te sluiten vóór 2 februari 2027" {
		t.Errorf("to the counsellor (nl): %v %q", msgs[0].To, msgs[0].Subject)
	}
	if msgs[1].To[0] != "fatima.elidrissi@example.be" || !strings.HasPrefix(msgs[1].Subject, "Convocation") {
		t.Errorf("to the participant (fr): %v %q", msgs[1].To, msgs[1].Subject)
	}
	if !strings.Contains(string(msgs[0].Raw), "Reply-To: <traject@molenbeek.example>") {
		t.Errorf("no Reply-To of the centre:\n%s", msgs[0].Raw)
	}
	if want := "<" + activities.MessageID(toCounsellor.Key+"/"+m.fx.CounsellorID) + ">"; msgs[0].MessageID != want {
		t.Errorf("Message-ID %q, want %q", msgs[0].MessageID, want)
	}
	if status, attempts, _ := m.row(t, toCounsellor.Key); status != "sent" || attempts != 1 {
		t.Errorf("outbox row %s after %d attempts", status, attempts)
	}
}

// The relay down, then back: the activity fails (Temporal retries it) and
// the next attempt delivers the message once.
func TestNoticeSurvivesAnSMTPOutage(t *testing.T) {
	ctx := context.Background()
	m := newMailTest(t)
	addr := m.smtp.Addr()
	if err := m.smtp.Close(); err != nil {
		t.Fatal(err)
	}
	n := m.notice("gpmi_sign_overdue", "coordinator", "")
	if err := m.notifier.Notify(ctx, n); err == nil || notify.Permanent(err) {
		t.Fatalf("with the relay down: %v, want a temporary error", err)
	}
	if status, attempts, lastErr := m.row(t, n.Key); status != "pending" || attempts != 1 || lastErr == "" {
		t.Errorf("after the outage the row is %s, %d attempts, error %q", status, attempts, lastErr)
	}
	back, err := mailcapture.Start(addr, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = back.Close() }()
	if err := m.notifier.Notify(ctx, n); err != nil {
		t.Fatal(err)
	}
	if err := m.notifier.Notify(ctx, n); err != nil {
		t.Fatal(err)
	}
	if msgs := back.Messages(); len(msgs) != 1 || msgs[0].To[0] != "chris@ocmw.example" {
		t.Fatalf("after the outage: %d messages, want 1 to chris@ocmw.example: %v", len(msgs), msgs)
	}
	if status, attempts, _ := m.row(t, n.Key); status != "sent" || attempts != 2 {
		t.Errorf("row %s after %d attempts, want sent after 2", status, attempts)
	}
}

// A 5xx rejection is recorded on the row and not retried.
func TestPermanentRejectionIsRecorded(t *testing.T) {
	ctx := context.Background()
	m := newMailTest(t)
	m.smtp.Reject(550, "mailbox unavailable")
	n := m.notice("gpmi_sign_reminder", "counsellor", m.fx.CounsellorID)
	if err := m.notifier.Notify(ctx, n); err != nil {
		t.Fatalf("a permanent rejection failed the activity (Temporal would retry it forever): %v", err)
	}
	status, _, lastErr := m.row(t, n.Key)
	if status != "failed" || !strings.Contains(lastErr, "550") {
		t.Errorf("row %s with error %q, want failed with the 550", status, lastErr)
	}
	m.smtp.Reject(0, "")
	if err := m.notifier.Notify(ctx, n); err != nil {
		t.Fatal(err)
	}
	if len(m.smtp.Messages()) != 0 {
		t.Error("a failed row was sent again")
	}
}

// The one window SMTP leaves open: the relay accepted the message but the
// worker died before marking it. The resend carries the same Message-ID.
func TestResendAfterACrashKeepsTheMessageID(t *testing.T) {
	ctx := context.Background()
	m := newMailTest(t)
	n := m.notice("gpmi_sign_reminder", "counsellor", m.fx.CounsellorID)
	if err := m.notifier.Notify(ctx, n); err != nil {
		t.Fatal(err)
	}
	// As if the mark never happened.
	if _, err := m.db.Exec(ctx, `UPDATE outbox SET status = 'pending', sent_at = NULL WHERE notice_key = $1`, n.Key); err != nil {
		t.Fatal(err)
	}
	if err := m.notifier.Notify(ctx, n); err != nil {
		t.Fatal(err)
	}
	msgs := m.smtp.Messages()
	if len(msgs) != 2 {
		t.Fatalf("%d messages, want the message and its resend", len(msgs))
	}
	if msgs[0].MessageID == "" || msgs[0].MessageID != msgs[1].MessageID {
		t.Errorf("Message-IDs %q and %q differ", msgs[0].MessageID, msgs[1].MessageID)
	}
}

// A worker that stops cancels its running activities at once. An attempt
// cancelled while the relay accepts its message still marks the row sent,
// so the next attempt (another worker's) sends nothing again: the one
// window left is a process that dies between the two.
func TestNoticeCancelledWhileTheRelayAcceptsIsMarkedSent(t *testing.T) {
	m := newMailTest(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// The relay accepts the message; the worker stops before its answer.
	relay, err := mailcapture.Start("127.0.0.1:0", func(mailcapture.Message) { cancel() })
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = relay.Close() })
	m.useRelay(t, relay)
	n := m.notice("gpmi_sign_reminder", "counsellor", m.fx.CounsellorID)
	_ = m.notifier.Notify(ctx, n) // the attempt's outcome is lost with the worker either way
	if status, attempts, lastErr := m.row(t, n.Key); status != "sent" {
		t.Errorf("after a cancel during the send the row is %s (%d attempts, %q), want sent", status, attempts, lastErr)
	}
	if err := m.notifier.Notify(context.Background(), n); err != nil {
		t.Fatal(err)
	}
	if got := len(relay.Messages()); got != 1 {
		t.Errorf("%d messages, want 1: the attempt after the cancelled one sent it again", got)
	}
}

// PostgreSQL goes away just as the relay accepts a message and is back a
// second later: the mark waits for it, so the row ends sent and the next
// attempt sends nothing again. (TestLifeSurvivesFaults saw the message
// twice when the mark gave up at once.)
func TestNoticeSentAsTheDatabaseGoesIsMarkedSent(t *testing.T) {
	m := newMailTest(t)
	proxy := m.databaseThroughProxy(t)
	relay, err := mailcapture.Start("127.0.0.1:0", func(mailcapture.Message) {
		proxy.Cut()
		time.AfterFunc(time.Second, proxy.Restore)
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = relay.Close() })
	m.useRelay(t, relay)
	n := m.notice("gpmi_sign_reminder", "counsellor", m.fx.CounsellorID)
	if err := m.notifier.Notify(context.Background(), n); err != nil {
		t.Errorf("a send marked once the database was back: %v", err)
	}
	if status, attempts, lastErr := m.row(t, n.Key); status != "sent" {
		t.Errorf("after an outage during the send the row is %s (%d attempts, %q), want sent", status, attempts, lastErr)
	}
	if err := m.notifier.Notify(context.Background(), n); err != nil {
		t.Fatal(err)
	}
	if got := len(relay.Messages()); got != 1 {
		t.Errorf("%d messages, want 1: the attempt after the outage sent it again", got)
	}
}

// No address: recorded as failed, nothing sent, no retry.
func TestParticipantWithoutAddressIsRecorded(t *testing.T) {
	ctx := context.Background()
	m := newMailTest(t)
	if _, err := m.db.Exec(ctx, `UPDATE participants SET email = NULL`); err != nil {
		t.Fatal(err)
	}
	n := m.notice("sanction_decision", "participant", m.fx.ParticipantID)
	if err := m.notifier.Notify(ctx, n); err != nil {
		t.Fatal(err)
	}
	if status, _, lastErr := m.row(t, n.Key); status != "failed" || !strings.Contains(lastErr, "no e-mail address") {
		t.Errorf("row %s, %q", status, lastErr)
	}
}

// A role that nobody holds leaves a failed row, not silence.
func TestNoticeToNobodyIsRecorded(t *testing.T) {
	ctx := context.Background()
	m := newMailTest(t)
	if _, err := m.db.Exec(ctx, `UPDATE staff_users SET active = false WHERE role = 'coordinator'`); err != nil {
		t.Fatal(err)
	}
	n := m.notice("gpmi_sign_overdue", "coordinator", "")
	if err := m.notifier.Notify(ctx, n); err != nil {
		t.Fatal(err)
	}
	if status, _, lastErr := m.row(t, n.Key); status != "failed" || !strings.Contains(lastErr, "no e-mail address for this coordinator") {
		t.Errorf("row %s, %q", status, lastErr)
	}
}
