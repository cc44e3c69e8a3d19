package mail

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/base32"
	"errors"
	"fmt"
	"net"
	netmail "net/mail"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/watchpost/watchpost/domain"
)

// smtpEnvVar names the setting in every configuration error, so an operator knows what to fix.
const smtpEnvVar = "WATCHPOST_SMTP_URL"

// smtpDefaultTimeout bounds one whole SMTP conversation when ctx carries no earlier deadline.
const smtpDefaultTimeout = 30 * time.Second

// smtpTLSMode is how the connection to the server is protected.
type smtpTLSMode int

const (
	smtpTLSStartTLS      smtpTLSMode = iota // STARTTLS is mandatory (smtp:// default)
	smtpTLSImplicit                         // TLS from the first byte (smtps://)
	smtpTLSOpportunistic                    // STARTTLS when the server offers it (?tls=opportunistic)
	smtpTLSNone                             // plain text (?tls=none)
)

func (m smtpTLSMode) String() string {
	switch m {
	case smtpTLSStartTLS:
		return "starttls"
	case smtpTLSImplicit:
		return "implicit tls"
	case smtpTLSOpportunistic:
		return "opportunistic starttls"
	case smtpTLSNone:
		return "no tls"
	}
	return "unknown"
}

// SMTPSender sends e-mail through one SMTP server described by a URL.
//
// It is safe for concurrent use: every Send opens its own connection (the outbox worker
// sends a handful of messages, so a connection pool would buy nothing).
type SMTPSender struct {
	scheme   string
	host     string // without port; also the TLS server name
	port     int
	mode     smtpTLSMode
	insecure bool // skip certificate verification
	user     string
	pass     string
	hasAuth  bool

	from       *netmail.Address
	fromHeader string // from exactly as configured, for the From header
	msgDomain  string // right-hand side of Message-IDs
	timeout    time.Duration
}

// NewSMTPSender parses rawURL:
//
//	smtp://[user:pass@]host[:port]   STARTTLS mandatory by default, port 587 by default
//	smtps://[user:pass@]host[:port]  implicit TLS, port 465 by default
//
// Query options: ?tls=none (plain, for local relays and tests), ?tls=opportunistic (STARTTLS
// when offered), ?tls=starttls (the default, spelled out), ?insecure=1 (skip certificate
// verification, for self-signed dev servers). Unknown options are rejected so that a typo
// never silently weakens the transport.
//
// from is the From address (e.g. "Watchpost <no-reply@watchpost.local>"). With a user in the
// URL the sender authenticates with AUTH PLAIN, which is only allowed over TLS, or in plain
// text when the host is the loopback interface.
//
// Errors name WATCHPOST_SMTP_URL and never contain the password.
func NewSMTPSender(rawURL, from string) (*SMTPSender, error) {
	rawURL = strings.TrimSpace(rawURL)
	if rawURL == "" {
		return nil, fmt.Errorf("%s is empty", smtpEnvVar)
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("%s is not a valid URL: %s", smtpEnvVar, smtpParseErrorCause(rawURL))
	}

	s := &SMTPSender{scheme: u.Scheme, timeout: smtpDefaultTimeout}
	switch u.Scheme {
	case "smtp":
		s.mode, s.port = smtpTLSStartTLS, 587
	case "smtps":
		s.mode, s.port = smtpTLSImplicit, 465
	case "":
		return nil, fmt.Errorf("%s has no scheme: want smtp://host[:port] or smtps://host[:port]", smtpEnvVar)
	default:
		return nil, fmt.Errorf("%s has scheme %q: want smtp:// (STARTTLS) or smtps:// (implicit TLS)", smtpEnvVar, u.Scheme)
	}
	if u.Opaque != "" {
		return nil, fmt.Errorf("%s has no host: want %s://host[:port]", smtpEnvVar, u.Scheme)
	}
	s.host = u.Hostname()
	if s.host == "" {
		return nil, fmt.Errorf("%s has no host: want %s://host[:port]", smtpEnvVar, u.Scheme)
	}
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return nil, fmt.Errorf("%s has an invalid port %q", smtpEnvVar, p)
		}
		s.port = n
	}
	if u.Path != "" && u.Path != "/" {
		return nil, fmt.Errorf("%s must not have a path (got %q)", smtpEnvVar, u.Path)
	}
	if u.Fragment != "" {
		return nil, fmt.Errorf("%s must not have a fragment", smtpEnvVar)
	}

	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return nil, fmt.Errorf("%s has an invalid query: %v", smtpEnvVar, err)
	}
	for key, vals := range q {
		val := strings.ToLower(vals[len(vals)-1])
		switch key {
		case "tls":
			if s.scheme == "smtps" {
				return nil, fmt.Errorf("%s: option tls=%s does not apply to smtps:// (always implicit TLS)", smtpEnvVar, val)
			}
			switch val {
			case "starttls", "mandatory", "required":
				s.mode = smtpTLSStartTLS
			case "opportunistic":
				s.mode = smtpTLSOpportunistic
			case "none":
				s.mode = smtpTLSNone
			default:
				return nil, fmt.Errorf("%s: unknown tls=%q (want starttls, opportunistic or none)", smtpEnvVar, val)
			}
		case "insecure":
			switch val {
			case "1", "true", "yes":
				s.insecure = true
			case "0", "false", "no", "":
				s.insecure = false
			default:
				return nil, fmt.Errorf("%s: invalid insecure=%q (want 1 or 0)", smtpEnvVar, val)
			}
		default:
			return nil, fmt.Errorf("%s: unknown option %q (known: tls, insecure)", smtpEnvVar, key)
		}
	}

	if u.User != nil && u.User.Username() != "" {
		s.hasAuth = true
		s.user = u.User.Username()
		s.pass, _ = u.User.Password()
		if s.mode == smtpTLSNone && !smtpIsLoopback(s.host) {
			return nil, fmt.Errorf("%s: refusing to send the SMTP password in plain text to %s (tls=none with credentials is only allowed for localhost)", smtpEnvVar, s.host)
		}
	}

	addr, err := netmail.ParseAddress(from)
	if err != nil {
		return nil, fmt.Errorf("invalid From address %q: %w", from, err)
	}
	s.from = addr
	s.fromHeader = from
	s.msgDomain = "watchpost.local"
	if at := strings.LastIndexByte(addr.Address, '@'); at >= 0 && at < len(addr.Address)-1 {
		s.msgDomain = addr.Address[at+1:]
	}
	return s, nil
}

// smtpParseErrorCause explains why rawURL does not parse without quoting the password: a
// *url.Error repeats the whole URL, and even its cause may quote part of the password (an
// invalid escape such as "%zz"). So the password is masked and the masked URL parsed again.
func smtpParseErrorCause(rawURL string) string {
	masked := rawURL
	if i := strings.Index(masked, "://"); i >= 0 {
		rest := masked[i+3:]
		authority := rest
		if j := strings.IndexAny(authority, "/?#"); j >= 0 {
			authority = authority[:j]
		}
		if at := strings.LastIndexByte(authority, '@'); at >= 0 {
			userinfo := authority[:at]
			if colon := strings.IndexByte(userinfo, ':'); colon >= 0 {
				userinfo = userinfo[:colon] + ":xxxxx"
			}
			masked = masked[:i+3] + userinfo + rest[at:]
		}
	}
	_, err := url.Parse(masked)
	if err == nil {
		return "invalid user name or password (percent-encode special characters)"
	}
	var uerr *url.Error
	if errors.As(err, &uerr) {
		err = uerr.Err
	}
	return err.Error()
}

// smtpIsLoopback reports whether host is this machine's loopback interface.
func smtpIsLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// String describes the server without credentials, for logs ("smtp://host:587 (starttls)").
func (s *SMTPSender) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s://%s (%s", s.scheme, net.JoinHostPort(s.host, strconv.Itoa(s.port)), s.mode)
	if s.insecure && s.mode != smtpTLSNone {
		b.WriteString(", certificate not verified")
	}
	if s.hasAuth {
		b.WriteString(", auth plain")
	}
	b.WriteString(")")
	return b.String()
}

// Send delivers one message: multipart/alternative with the text body and the HTML body when
// e.HTML != "" (a single text/plain part otherwise); headers To, From, Subject, Date,
// Message-ID. The conversation is bounded by ctx (deadline and cancellation abort it at
// once) and by a 30-second default timeout. A returned error means "try again later".
func (s *SMTPSender) Send(ctx context.Context, e domain.Email) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("smtp: not sending to %s: %w", s, err)
	}
	msg, err := s.message(e)
	if err != nil {
		return err
	}

	timeout := s.timeout
	if dl, ok := ctx.Deadline(); ok {
		left := time.Until(dl)
		if left <= 0 {
			return fmt.Errorf("smtp: not sending to %s: %w", s, context.DeadlineExceeded)
		}
		timeout = min(timeout, left)
	}

	// go-mail applies ctx only while dialing and afterwards uses fixed per-call deadlines, so
	// our own dialer ties every connection to ctx: cancelling ctx closes the socket, which
	// unblocks whatever read or write the conversation is waiting on.
	var (
		mu    sync.Mutex
		stops []func() bool
	)
	defer func() {
		mu.Lock()
		defer mu.Unlock()
		for _, stop := range stops {
			stop()
		}
	}()
	dial := func(dialCtx context.Context, network, address string) (net.Conn, error) {
		nd := &net.Dialer{}
		var (
			conn net.Conn
			err  error
		)
		if s.mode == smtpTLSImplicit {
			// A *tls.Conn, so go-mail's SMTP client knows the channel is encrypted.
			td := &tls.Dialer{NetDialer: nd, Config: s.tlsConfig()}
			conn, err = td.DialContext(dialCtx, network, address)
		} else {
			conn, err = nd.DialContext(dialCtx, network, address)
		}
		if err != nil {
			return nil, err
		}
		stop := context.AfterFunc(ctx, func() { _ = conn.Close() })
		mu.Lock()
		stops = append(stops, stop)
		mu.Unlock()
		return conn, nil
	}

	opts := []gomail.Option{
		gomail.WithPort(s.port),
		gomail.WithTimeout(timeout),
		gomail.WithTLSConfig(s.tlsConfig()),
		gomail.WithDialContextFunc(dial),
	}
	switch s.mode {
	case smtpTLSStartTLS:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	case smtpTLSOpportunistic:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
	case smtpTLSNone:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	case smtpTLSImplicit:
		// Our dialer does the TLS handshake; WithSSL stops go-mail from attempting STARTTLS.
		opts = append(opts, gomail.WithSSL())
	}
	if s.hasAuth {
		// PLAIN refuses an unencrypted channel unless the server is localhost; with tls=none
		// (already restricted to loopback at construction) allow it explicitly, so 127.0.0.2
		// or ::1 work too.
		auth := gomail.SMTPAuthPlain
		if s.mode == smtpTLSNone {
			auth = gomail.SMTPAuthPlainNoEnc
		}
		opts = append(opts,
			gomail.WithSMTPAuth(auth),
			gomail.WithUsername(s.user),
			gomail.WithPassword(s.pass),
		)
	}

	client, err := gomail.NewClient(s.host, opts...)
	if err != nil {
		return fmt.Errorf("smtp: configuring client for %s: %w", s, err)
	}
	if err := client.DialAndSendWithContext(ctx, msg); err != nil {
		ctxErr := ctx.Err()
		if dl, ok := ctx.Deadline(); ok && ctxErr == nil && !time.Now().Before(dl) {
			// go-mail's own i/o deadline (set from the time left) can fire a hair before ctx's timer.
			ctxErr = context.DeadlineExceeded
		}
		if ctxErr != nil {
			return fmt.Errorf("smtp: sending via %s: %w", s, errors.Join(ctxErr, err))
		}
		return fmt.Errorf("smtp: sending via %s: %w", s, err)
	}
	return nil
}

func (s *SMTPSender) tlsConfig() *tls.Config {
	return &tls.Config{
		ServerName:         s.host,
		MinVersion:         tls.VersionTLS12,
		InsecureSkipVerify: s.insecure, //nolint:gosec // opt-in via ?insecure=1, for self-signed dev servers
	}
}

// message builds the MIME message for e.
func (s *SMTPSender) message(e domain.Email) (*gomail.Msg, error) {
	m := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
	if err := m.From(s.fromHeader); err != nil {
		return nil, fmt.Errorf("smtp: invalid From address: %w", err)
	}
	if err := m.To(e.To); err != nil {
		return nil, fmt.Errorf("smtp: invalid recipient address %q: %w", e.To, err)
	}
	m.Subject(e.Subject)
	m.SetDate()
	m.SetMessageIDWithValue(smtpMessageID(s.msgDomain))
	m.SetBodyString(gomail.TypeTextPlain, e.Text)
	if e.HTML != "" {
		m.AddAlternativeString(gomail.TypeTextHTML, e.HTML)
	}
	return m, nil
}

// smtpMessageID returns a fresh Message-ID local part and domain (without angle brackets).
func smtpMessageID(host string) string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24+)
	id := strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b[:]))
	return fmt.Sprintf("%s.%d@%s", id, time.Now().Unix(), host)
}
