package notify

import (
	"context"
	"net"
	"strconv"
	"testing"

	"github.com/traject-ocmw/traject/mailcapture"
)

// Messages per second to a local SMTP server, reusing one connection for a
// batch of 50 versus one connection per message. Results go in the issue
// note and docs/benchmarks.md, not in a timed test.
func BenchmarkSend(b *testing.B) {
	srv, err := mailcapture.Start("127.0.0.1:0", nil)
	if err != nil {
		b.Fatal(err)
	}
	defer func() { _ = srv.Close() }()
	host, port, _ := net.SplitHostPort(srv.Addr())
	p, _ := strconv.Atoi(port)
	m, err := NewMailer(SMTP{Host: host, Port: p, TLS: "none", From: "traject@ocmw.example"})
	if err != nil {
		b.Fatal(err)
	}
	tmpl, err := LoadTemplates()
	if err != nil {
		b.Fatal(err)
	}
	msg, err := tmpl.Render("gpmi_sign_reminder", "counsellor", "nl", Data{Participant: "Fatima El Idrissi", Centre: "OCMW Molenbeek", Due: "2 februari 2027"})
	if err != nil {
		b.Fatal(err)
	}
	const batch = 50
	envs := make([]Envelope, batch)
	for i := range envs {
		envs[i] = Envelope{To: "an@ocmw.example", Message: msg, MessageID: strconv.Itoa(i) + "@traject"}
	}
	ctx := context.Background()
	b.Run("reuse-connection", func(b *testing.B) {
		for b.Loop() {
			for _, err := range m.Send(ctx, envs) {
				if err != nil {
					b.Fatal(err)
				}
			}
		}
		b.ReportMetric(float64(b.N*batch)/b.Elapsed().Seconds(), "msgs/s")
	})
	b.Run("connection-per-message", func(b *testing.B) {
		for b.Loop() {
			for i := range envs {
				if err := m.Send(ctx, envs[i:i+1])[0]; err != nil {
					b.Fatal(err)
				}
			}
		}
		b.ReportMetric(float64(b.N*batch)/b.Elapsed().Seconds(), "msgs/s")
	})
}
