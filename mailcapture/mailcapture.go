// Package mailcapture is a real SMTP server, in process, that keeps every
// message it accepts in memory so that it can be read back. `traject dev`
// delivers its mail to it, and the tests use it as the far end of every send.
package mailcapture

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/mail"
	"sync"
	"time"

	"github.com/emersion/go-smtp"
)

// Message is one accepted message.
type Message struct {
	Seq        int       `json:"seq"`
	ReceivedAt time.Time `json:"received_at"`
	From       string    `json:"from"`
	To         []string  `json:"to"`
	Subject    string    `json:"subject"`
	MessageID  string    `json:"message_id"`
	Raw        []byte    `json:"-"`
}

// Server accepts mail on a loopback address.
type Server struct {
	smtp     *smtp.Server
	listener net.Listener
	done     chan struct{}

	mu       sync.Mutex
	messages []Message
	changed  chan struct{} // closed and replaced on every new message
	onAccept func(Message)
	reject   *smtp.SMTPError // when set, every recipient is refused with it
}

// Reject makes the server refuse every recipient with an SMTP error, as a
// relay does for an unknown mailbox (550) or when it is overloaded (451).
// Reject(0, "") accepts again.
func (s *Server) Reject(code int, message string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if code == 0 {
		s.reject = nil
		return
	}
	s.reject = &smtp.SMTPError{Code: code, Message: message}
}

// Start listens on addr ("127.0.0.1:0" picks a free port) and serves until Close.
// onAccept, if not nil, is called for every accepted message.
func Start(addr string, onAccept func(Message)) (*Server, error) {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("mail capture: cannot listen on %s: %w", addr, err)
	}
	s := &Server{listener: l, done: make(chan struct{}), changed: make(chan struct{}), onAccept: onAccept}
	s.smtp = smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) {
		return &session{server: s}, nil
	}))
	s.smtp.Domain = "traject.local"
	s.smtp.AllowInsecureAuth = true
	s.smtp.MaxMessageBytes = 10 << 20
	s.smtp.ReadTimeout = time.Minute
	s.smtp.WriteTimeout = time.Minute
	go func() {
		defer close(s.done)
		_ = s.smtp.Serve(l)
	}()
	return s, nil
}

// Addr is the host:port the server listens on.
func (s *Server) Addr() string { return s.listener.Addr().String() }

// Close stops the server; accepted messages stay readable.
func (s *Server) Close() error {
	err := s.smtp.Close()
	// Serve may not have registered the listener with go-smtp yet; closing
	// it here ends Serve either way.
	_ = s.listener.Close()
	<-s.done
	if errors.Is(err, smtp.ErrServerClosed) {
		return nil
	}
	return err
}

// Messages returns a copy of every accepted message, oldest first.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.messages...)
}

// Message returns the message with the given sequence number.
func (s *Server) Message(seq int) (Message, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if seq < 1 || seq > len(s.messages) {
		return Message{}, false
	}
	return s.messages[seq-1], true
}

// WaitFor blocks until at least n messages were accepted or ctx ends.
func (s *Server) WaitFor(ctx context.Context, n int) ([]Message, error) {
	for {
		s.mu.Lock()
		if len(s.messages) >= n {
			out := append([]Message(nil), s.messages...)
			s.mu.Unlock()
			return out, nil
		}
		changed := s.changed
		s.mu.Unlock()
		select {
		case <-changed:
		case <-ctx.Done():
			return s.Messages(), fmt.Errorf("mail capture: waited for %d messages, have %d: %w", n, len(s.Messages()), ctx.Err())
		}
	}
}

func (s *Server) add(m Message) {
	s.mu.Lock()
	m.Seq = len(s.messages) + 1
	s.messages = append(s.messages, m)
	close(s.changed)
	s.changed = make(chan struct{})
	s.mu.Unlock()
	if s.onAccept != nil {
		s.onAccept(m)
	}
}

type session struct {
	server *Server
	from   string
	to     []string
}

func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	s.from = from
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.server.mu.Lock()
	reject := s.server.reject
	s.server.mu.Unlock()
	if reject != nil {
		return reject
	}
	s.to = append(s.to, to)
	return nil
}

func (s *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	m := Message{ReceivedAt: time.Now(), From: s.from, To: s.to, Raw: raw}
	if parsed, err := mail.ReadMessage(bytes.NewReader(raw)); err == nil {
		m.Subject = decodeHeader(parsed.Header.Get("Subject"))
		m.MessageID = parsed.Header.Get("Message-Id")
	}
	s.server.add(m)
	return nil
}

func (s *session) Reset() {
	s.from = ""
	s.to = nil
}

func (s *session) Logout() error { return nil }

func decodeHeader(v string) string {
	decoded, err := new(mime.WordDecoder).DecodeHeader(v)
	if err != nil {
		return v
	}
	return decoded
}
