package notify

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/wneessen/go-mail"
)

// SMTP is the relay configuration.
type SMTP struct {
	Host     string
	Port     int
	User     string
	Password string
	TLS      string // starttls, tls (implicit) or none
	From     string
}

// Mailer sends messages through one SMTP relay.
type Mailer struct {
	cfg  SMTP
	opts []mail.Option
}

// NewMailer checks the configuration; it connects only when sending.
func NewMailer(cfg SMTP) (*Mailer, error) {
	opts := []mail.Option{mail.WithPort(cfg.Port), mail.WithTimeout(30 * time.Second)}
	switch cfg.TLS {
	case "starttls":
		opts = append(opts, mail.WithTLSPolicy(mail.TLSMandatory))
	case "tls":
		opts = append(opts, mail.WithSSL())
	case "none":
		opts = append(opts, mail.WithTLSPolicy(mail.NoTLS))
	default:
		return nil, fmt.Errorf("smtp tls mode %q is not starttls, tls or none", cfg.TLS)
	}
	if cfg.User != "" {
		opts = append(opts, mail.WithSMTPAuth(mail.SMTPAuthAutoDiscover), mail.WithUsername(cfg.User), mail.WithPassword(cfg.Password))
	}
	if _, err := mail.NewClient(cfg.Host, opts...); err != nil {
		return nil, fmt.Errorf("smtp: %w", err)
	}
	return &Mailer{cfg: cfg, opts: opts}, nil
}

// Envelope is one message to one person.
type Envelope struct {
	To        string
	ReplyTo   string // the centre's address; empty: none
	Message   Message
	MessageID string // without angle brackets
}

// Send delivers the envelopes over one connection and returns one result
// per envelope. When the relay cannot be reached every result is that error.
func (m *Mailer) Send(ctx context.Context, envs []Envelope) []error {
	results := make([]error, len(envs))
	msgs := make([]*mail.Msg, len(envs))
	for i, e := range envs {
		msg, err := m.build(e)
		if err != nil {
			results[i] = permanent{err}
			continue
		}
		msgs[i] = msg
	}
	client, err := mail.NewClient(m.cfg.Host, m.opts...)
	if err == nil {
		err = client.DialWithContext(ctx)
	}
	if err != nil {
		for i := range results {
			if results[i] == nil {
				results[i] = fmt.Errorf("smtp %s:%d: %w", m.cfg.Host, m.cfg.Port, err)
			}
		}
		return results
	}
	defer func() { _ = client.Close() }()
	for i, msg := range msgs {
		if msg != nil {
			results[i] = client.Send(msg)
		}
	}
	return results
}

func (m *Mailer) build(e Envelope) (*mail.Msg, error) {
	msg := mail.NewMsg()
	if err := msg.From(m.cfg.From); err != nil {
		return nil, fmt.Errorf("from address: %w", err)
	}
	if err := msg.To(e.To); err != nil {
		return nil, fmt.Errorf("recipient address: %w", err)
	}
	if e.ReplyTo != "" {
		if err := msg.ReplyTo(e.ReplyTo); err != nil {
			return nil, fmt.Errorf("reply-to address: %w", err)
		}
	}
	msg.SetMessageIDWithValue(e.MessageID)
	msg.SetDate()
	msg.Subject(e.Message.Subject)
	msg.SetBodyString(mail.TypeTextPlain, e.Message.Text)
	msg.AddAlternativeString(mail.TypeTextHTML, e.Message.HTML)
	return msg, nil
}

// Permanent reports an error that retrying cannot cure: a malformed address
// or a 5xx rejection. Everything else (refused connection, timeout, 4xx)
// is worth another try.
func Permanent(err error) bool {
	if err == nil {
		return false
	}
	var p permanent
	if errors.As(err, &p) {
		return true
	}
	var se *mail.SendError
	return errors.As(err, &se) && !se.IsTemp()
}

type permanent struct{ error }

func (p permanent) Unwrap() error { return p.error }

// PermanentError marks an error as one that retrying cannot cure.
func PermanentError(err error) error { return permanent{err} }
