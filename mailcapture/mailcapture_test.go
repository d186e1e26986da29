package mailcapture_test

import (
	"context"
	"net"
	"strconv"
	"testing"
	"time"

	"github.com/wneessen/go-mail"

	"github.com/traject-ocmw/traject/mailcapture"
	"github.com/traject-ocmw/traject/testenv"
)

// The capture server is the far end of every mail test, so it must accept
// what go-mail sends and give back the decoded subject and Message-ID.
func TestCapturesWhatGoMailSends(t *testing.T) {
	srv := testenv.Mail(t)
	host, port, _ := net.SplitHostPort(srv.Addr())
	p, _ := strconv.Atoi(port)
	c, err := mail.NewClient(host, mail.WithPort(p), mail.WithTLSPolicy(mail.NoTLS), mail.WithTimeout(5*time.Second))
	if err != nil {
		t.Fatal(err)
	}

	for _, subject := range []string{"Herinnering: evaluatie GPMI", "Rappel : évaluation du PIIS"} {
		m := mail.NewMsg()
		if err := m.From("traject@ocmw.example"); err != nil {
			t.Fatal(err)
		}
		if err := m.To("counsellor@ocmw.example"); err != nil {
			t.Fatal(err)
		}
		m.Subject(subject)
		m.SetMessageIDWithValue("key-" + strconv.Itoa(len(subject)) + "@traject")
		m.SetBodyString(mail.TypeTextPlain, "body")
		if err := c.DialAndSend(m); err != nil {
			t.Fatalf("send: %v", err)
		}
	}

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	got, err := srv.WaitFor(ctx, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("captured %d messages, want 2", len(got))
	}
	if got[1].Subject != "Rappel : évaluation du PIIS" {
		t.Errorf("subject = %q, want the decoded French subject", got[1].Subject)
	}
	if got[0].Seq != 1 || got[1].Seq != 2 {
		t.Errorf("sequence numbers %d, %d; want 1, 2", got[0].Seq, got[1].Seq)
	}
	if got[0].MessageID != "<key-27@traject>" {
		t.Errorf("Message-ID = %q", got[0].MessageID)
	}
	if len(got[0].To) != 1 || got[0].To[0] != "counsellor@ocmw.example" {
		t.Errorf("recipients = %v", got[0].To)
	}
	if m, ok := srv.Message(2); !ok || m.Subject != got[1].Subject {
		t.Errorf("Message(2) = %v, %v", m, ok)
	}
	if _, ok := srv.Message(3); ok {
		t.Error("Message(3) found a message that was never sent")
	}
}

func TestWaitForGivesUpWithTheContext(t *testing.T) {
	srv, err := mailcapture.Start("127.0.0.1:0", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = srv.Close() }()
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := srv.WaitFor(ctx, 1); err == nil {
		t.Fatal("WaitFor returned without a message")
	}
}
