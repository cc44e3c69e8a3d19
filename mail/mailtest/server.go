// Package mailtest runs a real SMTP server (github.com/emersion/go-smtp) on 127.0.0.1 for
// tests, records every message it accepts and parses its MIME structure, so tests can assert
// on headers, the text body and the HTML body of what actually went over the wire.
package mailtest

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log"
	"maps"
	"math/big"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/textproto"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// waitTimeout is how long WaitFor waits before failing the test.
const waitTimeout = 10 * time.Second

// TLSMode is how the test server protects connections.
type TLSMode int

const (
	// TLSNone: plain text only. URL() carries ?tls=none.
	TLSNone TLSMode = iota
	// TLSStartTLS: the server offers STARTTLS with a self-signed certificate. URL() is
	// smtp://...?insecure=1, i.e. the sender's default mandatory STARTTLS.
	TLSStartTLS
	// TLSImplicit: TLS from the first byte with a self-signed certificate. URL() is
	// smtps://...?insecure=1.
	TLSImplicit
)

// Options configures StartWith.
type Options struct {
	// User and Pass, when User is set, make the server require AUTH PLAIN with exactly these
	// credentials before MAIL FROM.
	User, Pass string
	// TLS selects plain text (the default), STARTTLS or implicit TLS.
	TLS TLSMode
}

// Message is one message the server accepted.
type Message struct {
	From string   // envelope sender (MAIL FROM)
	To   []string // envelope recipients (RCPT TO)
	Data []byte   // the raw message as received (after SMTP dot-unstuffing)

	Header  mail.Header // parsed top-level header (values as on the wire, RFC 2047 still encoded)
	Subject string      // decoded Subject
	Text    string      // decoded text/plain body ("" if none)
	HTML    string      // decoded text/html body ("" if none)

	// ParseError is set when Data could not be parsed as a MIME message; the fields above
	// that come from parsing are then incomplete.
	ParseError error
}

// Server is a real SMTP server on 127.0.0.1 that records what it receives.
type Server struct {
	opts      Options
	tlsConfig *tls.Config
	addr      string // host:port, fixed at Start so Restart reuses it

	mu      sync.Mutex
	srv     *smtp.Server
	ln      net.Listener  // the current listener, closed by Stop
	done    chan struct{} // closed when the current Serve returns
	msgs    []Message
	arrived chan struct{} // closed and replaced whenever a message arrives
}

// Start runs a plain-text server without authentication on 127.0.0.1:0. It stops at
// t.Cleanup.
func Start(t testing.TB) *Server {
	t.Helper()
	return StartWith(t, Options{})
}

// StartWithAuth runs a plain-text server that requires AUTH PLAIN as user/pass.
func StartWithAuth(t testing.TB, user, pass string) *Server {
	t.Helper()
	return StartWith(t, Options{User: user, Pass: pass})
}

// StartWith runs a server configured by opts on 127.0.0.1:0. It stops at t.Cleanup.
func StartWith(t testing.TB, opts Options) *Server {
	t.Helper()
	s := &Server{opts: opts, arrived: make(chan struct{})}
	if opts.TLS != TLSNone {
		cfg, err := selfSignedTLS()
		if err != nil {
			t.Fatalf("mailtest: generating certificate: %v", err)
		}
		s.tlsConfig = cfg
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("mailtest: listen: %v", err)
	}
	s.addr = l.Addr().String()
	s.serve(l)
	t.Cleanup(s.Stop)
	return s
}

// Addr is the server's host:port.
func (s *Server) Addr() string { return s.addr }

// URL is a WATCHPOST_SMTP_URL for this server, e.g. "smtp://127.0.0.1:PORT?tls=none".
// It includes the credentials when the server requires authentication.
func (s *Server) URL() string {
	u := url.URL{Scheme: "smtp", Host: s.addr}
	if s.opts.User != "" {
		u.User = url.UserPassword(s.opts.User, s.opts.Pass)
	}
	switch s.opts.TLS {
	case TLSNone:
		u.RawQuery = "tls=none"
	case TLSStartTLS:
		u.RawQuery = "insecure=1"
	case TLSImplicit:
		u.Scheme = "smtps"
		u.RawQuery = "insecure=1"
	}
	return u.String()
}

// Messages returns the messages received so far, in order. The slice is a copy.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Message, len(s.msgs))
	for i, m := range s.msgs {
		out[i] = m.clone()
	}
	return out
}

// WaitFor blocks until at least n messages have arrived and returns them (like Messages).
// It fails the test after 10 seconds.
func (s *Server) WaitFor(t testing.TB, n int) []Message {
	t.Helper()
	timer := time.NewTimer(waitTimeout)
	defer timer.Stop()
	for {
		s.mu.Lock()
		got, arrived := len(s.msgs), s.arrived
		s.mu.Unlock()
		if got >= n {
			return s.Messages()
		}
		select {
		case <-arrived:
		case <-timer.C:
			t.Fatalf("mailtest: waited %s for %d message(s), got %d", waitTimeout, n, got)
			return nil
		}
	}
}

// Stop closes the listener and every open connection: new connections are refused, which
// simulates the SMTP server being down. Received messages are kept. Stop is idempotent.
func (s *Server) Stop() {
	s.mu.Lock()
	srv, ln, done := s.srv, s.ln, s.done
	s.srv, s.ln, s.done = nil, nil, nil
	s.mu.Unlock()
	if srv == nil {
		return
	}
	_ = srv.Close()
	// smtp.Server.Close only closes listeners that Serve has registered already; right after
	// Start, Serve may not have run yet, so close ours too (Serve then returns at once).
	_ = ln.Close()
	<-done
}

// Restart listens again on the same address and port (stopping first if still running).
func (s *Server) Restart(t testing.TB) {
	t.Helper()
	s.Stop()
	var (
		l   net.Listener
		err error
	)
	// The port was ours a moment ago; retry briefly in case the kernel is slow to release it.
	for deadline := time.Now().Add(2 * time.Second); ; {
		l, err = net.Listen("tcp", s.addr)
		if err == nil || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("mailtest: listen again on %s: %v", s.addr, err)
	}
	s.serve(l)
}

func (s *Server) serve(l net.Listener) {
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) {
		return &session{server: s}, nil
	}))
	srv.Domain = "mailtest.localhost"
	srv.ReadTimeout = 30 * time.Second
	srv.WriteTimeout = 30 * time.Second
	srv.MaxMessageBytes = 10 << 20
	srv.MaxRecipients = 100
	srv.AllowInsecureAuth = s.opts.TLS == TLSNone
	srv.TLSConfig = s.tlsConfig
	srv.ErrorLog = log.New(io.Discard, "", 0)
	if s.opts.TLS == TLSImplicit {
		l = tls.NewListener(l, s.tlsConfig)
	}

	done := make(chan struct{})
	s.mu.Lock()
	s.srv, s.ln, s.done = srv, l, done
	s.mu.Unlock()
	go func() {
		defer close(done)
		_ = srv.Serve(l)
	}()
}

func (s *Server) record(m Message) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.msgs = append(s.msgs, m)
	close(s.arrived)
	s.arrived = make(chan struct{})
}

// session is one SMTP connection.
type session struct {
	server *Server
	authed bool
	from   string
	to     []string
}

var _ smtp.AuthSession = (*session)(nil)

func (ss *session) AuthMechanisms() []string {
	if ss.server.opts.User == "" {
		return nil
	}
	return []string{sasl.Plain}
}

func (ss *session) Auth(mech string) (sasl.Server, error) {
	if ss.server.opts.User == "" || mech != sasl.Plain {
		return nil, smtp.ErrAuthUnknownMechanism
	}
	return sasl.NewPlainServer(func(identity, username, password string) error {
		if identity != "" && identity != username {
			return smtp.ErrAuthFailed
		}
		if username != ss.server.opts.User || password != ss.server.opts.Pass {
			return smtp.ErrAuthFailed
		}
		ss.authed = true
		return nil
	}), nil
}

func (ss *session) needAuth() error {
	if ss.server.opts.User != "" && !ss.authed {
		return smtp.ErrAuthRequired
	}
	return nil
}

func (ss *session) Mail(from string, _ *smtp.MailOptions) error {
	if err := ss.needAuth(); err != nil {
		return err
	}
	ss.from = from
	return nil
}

func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if err := ss.needAuth(); err != nil {
		return err
	}
	ss.to = append(ss.to, to)
	return nil
}

func (ss *session) Data(r io.Reader) error {
	if err := ss.needAuth(); err != nil {
		return err
	}
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	m := Message{From: ss.from, To: slices.Clone(ss.to), Data: data}
	m.ParseError = parseMessage(&m)
	ss.server.record(m)
	return nil
}

func (ss *session) Reset() {
	ss.from, ss.to = "", nil
}

func (ss *session) Logout() error { return nil }

func (m Message) clone() Message {
	m.To = slices.Clone(m.To)
	m.Data = bytes.Clone(m.Data)
	if m.Header != nil {
		h := make(mail.Header, len(m.Header))
		for k, v := range m.Header {
			h[k] = slices.Clone(v)
		}
		m.Header = h
	}
	return m
}

// parseMessage fills Header, Subject, Text and HTML from m.Data.
func parseMessage(m *Message) error {
	msg, err := mail.ReadMessage(bytes.NewReader(m.Data))
	if err != nil {
		return fmt.Errorf("mailtest: reading message: %w", err)
	}
	m.Header = maps.Clone(msg.Header)
	dec := new(mime.WordDecoder)
	if subj, err := dec.DecodeHeader(msg.Header.Get("Subject")); err == nil {
		m.Subject = subj
	} else {
		m.Subject = msg.Header.Get("Subject")
	}
	return walkPart(m, textproto.MIMEHeader(msg.Header), msg.Body, 0)
}

// walkPart decodes one MIME entity, recursing into multiparts and keeping the first
// text/plain and text/html bodies that are not attachments.
func walkPart(m *Message, h textproto.MIMEHeader, body io.Reader, depth int) error {
	if depth > 10 {
		return errors.New("mailtest: MIME nesting too deep")
	}
	ctype := h.Get("Content-Type")
	if ctype == "" {
		ctype = "text/plain; charset=us-ascii"
	}
	mediaType, params, err := mime.ParseMediaType(ctype)
	if err != nil {
		return fmt.Errorf("mailtest: Content-Type %q: %w", ctype, err)
	}
	if strings.HasPrefix(mediaType, "multipart/") {
		mr := multipart.NewReader(body, params["boundary"])
		for {
			p, err := mr.NextRawPart() // raw: we decode Content-Transfer-Encoding ourselves
			if errors.Is(err, io.EOF) {
				return nil
			}
			if err != nil {
				return fmt.Errorf("mailtest: reading %s: %w", mediaType, err)
			}
			if err := walkPart(m, p.Header, p, depth+1); err != nil {
				return err
			}
		}
	}
	if disp, _, _ := mime.ParseMediaType(h.Get("Content-Disposition")); disp == "attachment" {
		return nil
	}
	if mediaType != "text/plain" && mediaType != "text/html" {
		return nil
	}
	var r io.Reader = body
	switch strings.ToLower(strings.TrimSpace(h.Get("Content-Transfer-Encoding"))) {
	case "quoted-printable":
		r = quotedprintable.NewReader(body)
	case "base64":
		r = base64.NewDecoder(base64.StdEncoding, body) // skips CR and LF
	}
	decoded, err := io.ReadAll(r)
	if err != nil {
		return fmt.Errorf("mailtest: decoding %s body: %w", mediaType, err)
	}
	text := strings.ReplaceAll(string(decoded), "\r\n", "\n")
	switch {
	case mediaType == "text/plain" && m.Text == "":
		m.Text = text
	case mediaType == "text/html" && m.HTML == "":
		m.HTML = text
	}
	return nil
}

// selfSignedTLS returns a server configuration with a fresh self-signed certificate for
// 127.0.0.1 and localhost.
func selfSignedTLS() (*tls.Config, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: "mailtest"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
		DNSNames:     []string{"localhost"},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, err
	}
	return &tls.Config{
		Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}},
		MinVersion:   tls.VersionTLS12,
	}, nil
}
