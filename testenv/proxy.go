package testenv

import (
	"bytes"
	"io"
	"net"
	"sync"
	"testing"
)

// Proxy forwards TCP connections to a real server and can cut it off: a
// cut drops every open connection and refuses new ones (accepted, then
// closed at once), which is what a server going down looks like to its
// clients. The fault tests put one in front of PostgreSQL and SMTP.
type Proxy struct {
	ln     net.Listener
	target string

	mu      sync.Mutex
	down    bool
	refused int
	conns   map[net.Conn]struct{}
	// trigger, when set, cuts the proxy as soon as a client sends bytes
	// that hold it (see CutOn).
	trigger []byte
}

// NewProxy listens on a free local port until the test ends.
func NewProxy(t testing.TB, target string) *Proxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("testenv: proxy: %v", err)
	}
	p := &Proxy{ln: ln, target: target, conns: map[net.Conn]struct{}{}}
	go p.serve()
	t.Cleanup(func() {
		_ = ln.Close()
		p.Cut()
	})
	return p
}

// Addr is the host:port clients dial instead of the target.
func (p *Proxy) Addr() string { return p.ln.Addr().String() }

// Cut drops the open connections and refuses new ones until Restore.
func (p *Proxy) Cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.down = true
	for c := range p.conns {
		_ = c.Close()
	}
	clear(p.conns)
}

// CutOn arms a cut: the first client write that holds pattern is not
// forwarded, and the proxy cuts. With PostgreSQL's simple protocol
// (default_query_exec_mode=simple_protocol) the pattern can be a piece of
// one SQL statement, so a test can let every statement before it through
// and take the database away just as that one is sent.
func (p *Proxy) CutOn(pattern string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.trigger = []byte(pattern)
}

// Refuse refuses new connections until Restore and lets the open ones
// finish: a relay that stops accepting mail. Cutting an SMTP session
// instead can drop the relay's "250 OK" after it took the message, and the
// sender must then send again (RFC 5321 section 6.1 accepts the duplicate,
// with the same Message-ID); a test that asserts each message once
// refuses rather than cuts.
func (p *Proxy) Refuse() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.down = true
}

// Restore forwards new connections again.
func (p *Proxy) Restore() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.down = false
	p.trigger = nil
}

// Refused counts the connections refused while cut.
func (p *Proxy) Refused() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.refused
}

func (p *Proxy) serve() {
	for {
		client, err := p.ln.Accept()
		if err != nil {
			return
		}
		go p.forward(client)
	}
}

func (p *Proxy) forward(client net.Conn) {
	if !p.track(client) {
		return
	}
	server, err := net.Dial("tcp", p.target)
	if err != nil || !p.track(server) {
		_ = client.Close()
		if server != nil {
			_ = server.Close()
		}
		return
	}
	var wg sync.WaitGroup
	for _, pair := range [][2]net.Conn{{server, client}, {client, server}} {
		wg.Go(func() {
			if pair[0] == server {
				_, _ = io.Copy(pair[0], &watched{Reader: pair[1], proxy: p})
			} else {
				_, _ = io.Copy(pair[0], pair[1])
			}
			_ = pair[0].Close()
			_ = pair[1].Close()
		})
	}
	wg.Wait()
	p.mu.Lock()
	delete(p.conns, client)
	delete(p.conns, server)
	p.mu.Unlock()
}

// watched reads what a client sends and cuts the proxy, instead of passing
// it on, when it holds the armed trigger.
type watched struct {
	io.Reader
	proxy *Proxy
}

func (w *watched) Read(b []byte) (int, error) {
	n, err := w.Reader.Read(b)
	w.proxy.mu.Lock()
	trigger := w.proxy.trigger
	w.proxy.mu.Unlock()
	if n > 0 && trigger != nil && bytes.Contains(b[:n], trigger) {
		w.proxy.Cut()
		return 0, io.ErrClosedPipe
	}
	return n, err
}

// track registers an open connection, or refuses it while cut.
func (p *Proxy) track(c net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.down {
		p.refused++
		_ = c.Close()
		return false
	}
	p.conns[c] = struct{}{}
	return true
}
