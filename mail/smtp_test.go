package mail_test

import (
	"context"
	"errors"
	"fmt"
	"mime"
	"net"
	netmail "net/mail"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/watchpost/watchpost/domain"
	"github.com/watchpost/watchpost/mail"
	"github.com/watchpost/watchpost/mail/mailtest"
)

const (
	smtpTestFrom     = "Watchpost <no-reply@watchpost.local>"
	smtpTestPassword = "s3cretPW-xyz"
	// The link from the brief, and a long one that the quoted-printable encoder must break.
	smtpTestLink     = "http://127.0.0.1:8080/acme/reset/AbC-_123"
	smtpTestLongLink = "http://127.0.0.1:8080/acme/reset/AbC-_123xYz0987654321-_AbCdEfGhIjKlMnOpQrStUvWxYz_0123456789-abcdefghij?next=%2Fdashboard&x=1"
)

func smtpTestSender(t *testing.T, rawURL string) *mail.SMTPSender {
	t.Helper()
	s, err := mail.NewSMTPSender(rawURL, smtpTestFrom)
	require.NoError(t, err)
	return s
}

func smtpTestCtx(t *testing.T, d time.Duration) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

func smtpResetEmail() domain.Email {
	return domain.Email{
		To:      "alice@example.com",
		Subject: "Passwort zurücksetzen – Watchpost",
		Text: "Hello Alice,\n\n" +
			"somebody (hopefully you) asked to reset your Watchpost password. Open this link: " + smtpTestLink + "\n" +
			"A long one, which has to be wrapped by the encoder: " + smtpTestLongLink + "\n\n" +
			"If it wasn't you, ignore this message.\n",
		HTML: `<p>Hello Alice,</p><p>somebody (hopefully you) asked to reset your Watchpost password: ` +
			`<a href="` + smtpTestLink + `">reset it</a> or <a href="` + smtpTestLongLink + `">this long link</a>.</p>`,
		Category: "reset",
	}
}

func TestSMTPSenderDeliversHeadersAndBodies(t *testing.T) {
	srv := mailtest.Start(t)
	sender := smtpTestSender(t, srv.URL())
	e := smtpResetEmail()
	before := time.Now().Add(-time.Second).Truncate(time.Second)

	require.NoError(t, sender.Send(smtpTestCtx(t, 10*time.Second), e))

	msgs := srv.WaitFor(t, 1)
	require.Len(t, msgs, 1)
	m := msgs[0]
	require.NoError(t, m.ParseError)

	// Envelope.
	assert.Equal(t, "no-reply@watchpost.local", m.From)
	assert.Equal(t, []string{"alice@example.com"}, m.To)

	// Headers.
	to, err := m.Header.AddressList("To")
	require.NoError(t, err)
	require.Len(t, to, 1)
	assert.Equal(t, "alice@example.com", to[0].Address)

	from, err := m.Header.AddressList("From")
	require.NoError(t, err)
	require.Len(t, from, 1)
	assert.Equal(t, "Watchpost", from[0].Name)
	assert.Equal(t, "no-reply@watchpost.local", from[0].Address)

	assert.Equal(t, e.Subject, m.Subject, "non-ASCII subject survives RFC 2047 encoding")

	assert.Regexp(t, regexp.MustCompile(`^<[A-Za-z0-9._-]+@watchpost\.local>$`), m.Header.Get("Message-ID"))

	date, err := m.Header.Date()
	require.NoError(t, err)
	assert.False(t, date.Before(before), "Date %s is before the send started", date)
	assert.False(t, date.After(time.Now().Add(time.Second)), "Date %s is in the future", date)

	mediaType, _, err := mime.ParseMediaType(m.Header.Get("Content-Type"))
	require.NoError(t, err)
	assert.Equal(t, "multipart/alternative", mediaType)

	// Bodies, decoded: the text exactly, and both links intact in both.
	assert.Equal(t, e.Text, m.Text)
	assert.Equal(t, e.HTML, strings.TrimRight(m.HTML, "\n"))
	assert.Contains(t, m.Text, " "+smtpTestLink+"\n")
	assert.Contains(t, m.Text, " "+smtpTestLongLink+"\n")
	assert.Contains(t, m.HTML, `<a href="`+smtpTestLink+`">`)
	assert.Contains(t, m.HTML, `<a href="`+smtpTestLongLink+`">`)

	// The test must actually exercise quoted-printable soft line breaks and escapes: the long
	// link does not appear verbatim on the wire, only after decoding.
	raw := string(m.Data)
	assert.Contains(t, raw, "quoted-printable")
	assert.Contains(t, raw, "=\r\n", "expected a soft line break in the raw message")
	assert.NotContains(t, raw, smtpTestLongLink)

	// No mailer fingerprint, no Bcc leak.
	assert.Empty(t, m.Header.Get("User-Agent"))
	assert.Empty(t, m.Header.Get("X-Mailer"))
	assert.Empty(t, m.Header.Get("Bcc"))
}

func TestSMTPSenderTextOnly(t *testing.T) {
	srv := mailtest.Start(t)
	sender := smtpTestSender(t, srv.URL())
	e := domain.Email{To: "bob@example.com", Subject: "Your password was changed", Text: "It was changed.\n", Category: "password_changed"}

	require.NoError(t, sender.Send(smtpTestCtx(t, 10*time.Second), e))

	m := srv.WaitFor(t, 1)[0]
	require.NoError(t, m.ParseError)
	mediaType, params, err := mime.ParseMediaType(m.Header.Get("Content-Type"))
	require.NoError(t, err)
	assert.Equal(t, "text/plain", mediaType)
	assert.Equal(t, "utf-8", strings.ToLower(params["charset"]))
	assert.Equal(t, e.Text, m.Text)
	assert.Empty(t, m.HTML)
	assert.Equal(t, e.Subject, m.Subject)
}

func TestSMTPSenderMessageIDsAreUnique(t *testing.T) {
	srv := mailtest.Start(t)
	sender := smtpTestSender(t, srv.URL())
	ctx := smtpTestCtx(t, 10*time.Second)

	const n = 5
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			e := domain.Email{To: fmt.Sprintf("user%d@example.com", i), Subject: fmt.Sprintf("message %d", i), Text: "hi"}
			errs[i] = sender.Send(ctx, e)
		})
	}
	wg.Wait()
	for i, err := range errs {
		require.NoError(t, err, "send %d", i)
	}

	msgs := srv.WaitFor(t, n)
	ids := map[string]bool{}
	subjects := map[string]bool{}
	for _, m := range msgs {
		ids[m.Header.Get("Message-ID")] = true
		subjects[m.Subject] = true
	}
	assert.Len(t, ids, n, "Message-IDs must be unique")
	assert.Len(t, subjects, n, "every concurrent send arrives")
}

func TestSMTPSenderAuth(t *testing.T) {
	t.Run("correct credentials", func(t *testing.T) {
		srv := mailtest.StartWithAuth(t, "watchpost", smtpTestPassword)
		require.Contains(t, srv.URL(), "watchpost:"+smtpTestPassword+"@")
		sender := smtpTestSender(t, srv.URL())
		assert.NotContains(t, sender.String(), smtpTestPassword)

		require.NoError(t, sender.Send(smtpTestCtx(t, 10*time.Second), smtpResetEmail()))
		m := srv.WaitFor(t, 1)[0]
		assert.Equal(t, []string{"alice@example.com"}, m.To)
	})

	t.Run("wrong password", func(t *testing.T) {
		srv := mailtest.StartWithAuth(t, "watchpost", "the-right-one")
		sender := smtpTestSender(t, "smtp://watchpost:"+smtpTestPassword+"@"+srv.Addr()+"?tls=none")

		err := sender.Send(smtpTestCtx(t, 10*time.Second), smtpResetEmail())
		require.Error(t, err)
		assert.Contains(t, err.Error(), "535")
		assert.NotContains(t, err.Error(), smtpTestPassword)
		assert.Empty(t, srv.Messages())
	})

	t.Run("no credentials", func(t *testing.T) {
		srv := mailtest.StartWithAuth(t, "watchpost", smtpTestPassword)
		sender := smtpTestSender(t, "smtp://"+srv.Addr()+"?tls=none")

		err := sender.Send(smtpTestCtx(t, 10*time.Second), smtpResetEmail())
		require.Error(t, err)
		assert.Empty(t, srv.Messages())
	})

	t.Run("password with special characters", func(t *testing.T) {
		const pass = "p@ss:w/rd?#%&= ü"
		srv := mailtest.StartWithAuth(t, "watchpost", pass)
		sender := smtpTestSender(t, srv.URL())
		assert.NotContains(t, sender.String(), "ss:w")

		require.NoError(t, sender.Send(smtpTestCtx(t, 10*time.Second), smtpResetEmail()))
		srv.WaitFor(t, 1)
	})
}

func TestSMTPSenderTLS(t *testing.T) {
	t.Run("STARTTLS with auth", func(t *testing.T) {
		srv := mailtest.StartWith(t, mailtest.Options{TLS: mailtest.TLSStartTLS, User: "watchpost", Pass: smtpTestPassword})
		sender := smtpTestSender(t, srv.URL())
		assert.Contains(t, sender.String(), "(starttls, certificate not verified, auth plain)")

		require.NoError(t, sender.Send(smtpTestCtx(t, 10*time.Second), smtpResetEmail()))
		m := srv.WaitFor(t, 1)[0]
		assert.Equal(t, smtpResetEmail().Text, m.Text)
	})

	t.Run("implicit TLS with auth", func(t *testing.T) {
		srv := mailtest.StartWith(t, mailtest.Options{TLS: mailtest.TLSImplicit, User: "watchpost", Pass: smtpTestPassword})
		require.True(t, strings.HasPrefix(srv.URL(), "smtps://"))
		sender := smtpTestSender(t, srv.URL())

		require.NoError(t, sender.Send(smtpTestCtx(t, 10*time.Second), smtpResetEmail()))
		srv.WaitFor(t, 1)
	})

	t.Run("opportunistic uses STARTTLS when offered", func(t *testing.T) {
		srv := mailtest.StartWith(t, mailtest.Options{TLS: mailtest.TLSStartTLS, User: "watchpost", Pass: smtpTestPassword})
		// The server only offers AUTH after STARTTLS, so success proves the upgrade happened.
		sender := smtpTestSender(t, "smtp://watchpost:"+smtpTestPassword+"@"+srv.Addr()+"?tls=opportunistic&insecure=1")

		require.NoError(t, sender.Send(smtpTestCtx(t, 10*time.Second), smtpResetEmail()))
		srv.WaitFor(t, 1)
	})

	t.Run("opportunistic falls back to plain text", func(t *testing.T) {
		srv := mailtest.Start(t)
		sender := smtpTestSender(t, "smtp://"+srv.Addr()+"?tls=opportunistic")

		require.NoError(t, sender.Send(smtpTestCtx(t, 10*time.Second), smtpResetEmail()))
		srv.WaitFor(t, 1)
	})

	t.Run("mandatory STARTTLS refuses a server without it", func(t *testing.T) {
		srv := mailtest.Start(t)
		sender := smtpTestSender(t, "smtp://"+srv.Addr()) // default: STARTTLS mandatory

		err := sender.Send(smtpTestCtx(t, 10*time.Second), smtpResetEmail())
		require.Error(t, err)
		assert.Contains(t, err.Error(), "STARTTLS")
		assert.Empty(t, srv.Messages())
	})

	t.Run("self-signed certificate rejected without insecure=1", func(t *testing.T) {
		srv := mailtest.StartWith(t, mailtest.Options{TLS: mailtest.TLSStartTLS})
		sender := smtpTestSender(t, "smtp://"+srv.Addr())

		err := sender.Send(smtpTestCtx(t, 10*time.Second), smtpResetEmail())
		require.Error(t, err)
		assert.Contains(t, err.Error(), "certificate")
		assert.Empty(t, srv.Messages())
	})

	t.Run("self-signed certificate rejected for smtps without insecure=1", func(t *testing.T) {
		srv := mailtest.StartWith(t, mailtest.Options{TLS: mailtest.TLSImplicit})
		sender := smtpTestSender(t, "smtps://"+srv.Addr())

		err := sender.Send(smtpTestCtx(t, 10*time.Second), smtpResetEmail())
		require.Error(t, err)
		assert.Contains(t, err.Error(), "certificate")
		assert.Empty(t, srv.Messages())
	})
}

func TestSMTPSenderServerDownThenBack(t *testing.T) {
	srv := mailtest.Start(t)
	sender := smtpTestSender(t, srv.URL())
	e := smtpResetEmail()

	srv.Stop()
	start := time.Now()
	err := sender.Send(smtpTestCtx(t, 5*time.Second), e)
	elapsed := time.Since(start)
	require.Error(t, err)
	assert.Less(t, elapsed, 2*time.Second, "a refused connection must fail fast")
	var opErr *net.OpError
	assert.True(t, errors.As(err, &opErr), "want the dial error in the chain, got %v", err)
	assert.Empty(t, srv.Messages())

	srv.Restart(t)
	require.NoError(t, sender.Send(smtpTestCtx(t, 10*time.Second), e))
	m := srv.WaitFor(t, 1)[0]
	assert.Contains(t, m.Text, smtpTestLink)
}

// smtpBlackhole accepts connections and never says a word, like a firewalled or hung server.
func smtpBlackhole(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	var (
		mu    sync.Mutex
		conns []net.Conn
	)
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		_ = l.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			_ = c.Close()
		}
	})
	return l.Addr().String()
}

func TestSMTPSenderRespectsContext(t *testing.T) {
	addr := smtpBlackhole(t)
	sender := smtpTestSender(t, "smtp://"+addr+"?tls=none")

	t.Run("deadline", func(t *testing.T) {
		ctx := smtpTestCtx(t, 300*time.Millisecond)
		start := time.Now()
		err := sender.Send(ctx, smtpResetEmail())
		require.Error(t, err)
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		assert.Less(t, time.Since(start), 3*time.Second)
	})

	t.Run("cancel", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(200*time.Millisecond, cancel)
		start := time.Now()
		err := sender.Send(ctx, smtpResetEmail())
		require.Error(t, err)
		assert.ErrorIs(t, err, context.Canceled)
		assert.Less(t, time.Since(start), 3*time.Second)
	})

	t.Run("already expired", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		err := sender.Send(ctx, smtpResetEmail())
		assert.ErrorIs(t, err, context.Canceled)
	})
}

func TestSMTPSenderInvalidRecipient(t *testing.T) {
	srv := mailtest.Start(t)
	sender := smtpTestSender(t, srv.URL())

	err := sender.Send(smtpTestCtx(t, 10*time.Second), domain.Email{To: "not an address", Subject: "x", Text: "x"})
	require.Error(t, err)
	assert.Empty(t, srv.Messages())
}

func TestNewSMTPSenderParsesURL(t *testing.T) {
	const pw = smtpTestPassword
	valid := []struct {
		url, want string
	}{
		{"smtp://mail.example.com", "smtp://mail.example.com:587 (starttls)"},
		{"SMTP://mail.example.com:2587/", "smtp://mail.example.com:2587 (starttls)"},
		{"smtp://mail.example.com?tls=starttls", "smtp://mail.example.com:587 (starttls)"},
		{"smtp://u:" + pw + "@mail.example.com", "smtp://mail.example.com:587 (starttls, auth plain)"},
		{"smtps://u:" + pw + "@mail.example.com", "smtps://mail.example.com:465 (implicit tls, auth plain)"},
		{"smtps://mail.example.com:1465?insecure=1", "smtps://mail.example.com:1465 (implicit tls, certificate not verified)"},
		{"smtp://mail.example.com?tls=opportunistic&insecure=true", "smtp://mail.example.com:587 (opportunistic starttls, certificate not verified)"},
		{"smtp://127.0.0.1:2525?tls=none", "smtp://127.0.0.1:2525 (no tls)"},
		{"smtp://relay.internal:25?tls=none", "smtp://relay.internal:25 (no tls)"},
		{"smtp://u:" + pw + "@localhost:25?tls=none", "smtp://localhost:25 (no tls, auth plain)"},
		{"smtp://u:" + pw + "@127.0.0.1:25?tls=none", "smtp://127.0.0.1:25 (no tls, auth plain)"},
		{"smtp://u:" + pw + "@[::1]:25?tls=none", "smtp://[::1]:25 (no tls, auth plain)"},
		{"  smtp://mail.example.com  ", "smtp://mail.example.com:587 (starttls)"},
	}
	for _, tc := range valid {
		t.Run("valid "+tc.want, func(t *testing.T) {
			s, err := mail.NewSMTPSender(tc.url, smtpTestFrom)
			require.NoError(t, err)
			assert.Equal(t, tc.want, s.String())
			assert.NotContains(t, s.String(), pw)
			assert.NotContains(t, fmt.Sprintf("%v %+v", s, s), pw)
		})
	}

	invalid := []struct {
		name, url, wantInErr string
	}{
		{"empty", "", "empty"},
		{"blank", "   ", "empty"},
		{"http scheme", "http://u:" + pw + "@mail.example.com", `"http"`},
		{"smtp+tls scheme", "submission://mail.example.com", "scheme"},
		{"no scheme", "mail.example.com:587", "scheme"},
		{"no scheme no port", "mail.example.com", "no scheme"},
		{"missing host", "smtp://", "no host"},
		{"missing host with creds", "smtp://u:" + pw + "@:25", "no host"},
		{"opaque", "smtp:mail.example.com", "no host"},
		{"port out of range", "smtp://u:" + pw + "@mail.example.com:99999", "port"},
		{"port not a number", "smtp://u:" + pw + "@mail.example.com:abc", "port"},
		{"bad escape in password", "smtp://u:" + pw + "%zz@mail.example.com", "valid URL"},
		{"control char", "smtp://u:" + pw + "@mail.exa\x01mple.com", "valid URL"},
		{"unknown tls mode", "smtp://mail.example.com?tls=maybe", "tls"},
		{"tls option with smtps", "smtps://mail.example.com?tls=none", "smtps"},
		{"unknown option", "smtp://mail.example.com?tsl=none", `"tsl"`},
		{"bad insecure", "smtp://mail.example.com?insecure=perhaps", "insecure"},
		{"path", "smtp://mail.example.com/inbox", "path"},
		{"plain-text password to remote host", "smtp://u:" + pw + "@mail.example.com?tls=none", "plain text"},
	}
	for _, tc := range invalid {
		t.Run("invalid "+tc.name, func(t *testing.T) {
			s, err := mail.NewSMTPSender(tc.url, smtpTestFrom)
			require.Error(t, err)
			assert.Nil(t, s)
			assert.Contains(t, err.Error(), "WATCHPOST_SMTP_URL")
			assert.Contains(t, err.Error(), tc.wantInErr)
			assert.NotContains(t, err.Error(), pw, "the password must never appear in an error")
			assert.NotContains(t, err.Error(), pw[:6], "not even part of it")
		})
	}

	t.Run("invalid From", func(t *testing.T) {
		_, err := mail.NewSMTPSender("smtp://mail.example.com", "not an address")
		require.Error(t, err)
		assert.Contains(t, err.Error(), "From")
	})
}

// Compile-time reminder that the received message type is net/mail's header.
var _ netmail.Header = mailtest.Message{}.Header
