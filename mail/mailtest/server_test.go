package mailtest_test

import (
	"net"
	"net/smtp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/watchpost/watchpost/mail/mailtest"
)

// These tests talk to the server with the standard library's SMTP client, independently of
// the go-mail based sender, to check the recorder and the MIME parser themselves.

func sendRaw(t *testing.T, addr string, auth smtp.Auth, from string, to []string, msg string) error {
	t.Helper()
	return smtp.SendMail(addr, auth, from, to, []byte(strings.ReplaceAll(msg, "\n", "\r\n")))
}

const nestedMessage = `From: Sender <s@example.com>
To: r@example.com
Subject: =?UTF-8?B?R3LDvMOfZQ==?=
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary=outer

--outer
Content-Type: multipart/alternative; boundary=inner

--inner
Content-Type: text/plain; charset=UTF-8
Content-Transfer-Encoding: base64

R3LDvMOfZSEgaHR0cDovLzEyNy4wLjAuMTo4MDgwL2FjbWUvcmVzZXQvQWJDLV8xMjMK
--inner
Content-Type: text/html; charset=UTF-8
Content-Transfer-Encoding: quoted-printable

<a href=3D"http://127.0.0.1:8080/acme/reset/AbC-=
_123">Gr=C3=BC=C3=9Fe</a>
--inner--
--outer
Content-Type: text/plain
Content-Disposition: attachment; filename=notes.txt

not the body
--outer--
`

func TestServerParsesNestedMIME(t *testing.T) {
	srv := mailtest.Start(t)
	assert.True(t, strings.HasPrefix(srv.URL(), "smtp://127.0.0.1:"))
	assert.True(t, strings.HasSuffix(srv.URL(), "?tls=none"))

	require.NoError(t, sendRaw(t, srv.Addr(), nil, "s@example.com", []string{"r@example.com", "cc@example.com"}, nestedMessage))

	m := srv.WaitFor(t, 1)[0]
	require.NoError(t, m.ParseError)
	assert.Equal(t, "s@example.com", m.From)
	assert.Equal(t, []string{"r@example.com", "cc@example.com"}, m.To)
	assert.Equal(t, "Grüße", m.Subject)
	assert.Equal(t, "Grüße! http://127.0.0.1:8080/acme/reset/AbC-_123\n", m.Text)
	assert.Equal(t, `<a href="http://127.0.0.1:8080/acme/reset/AbC-_123">Grüße</a>`, m.HTML)
	assert.Equal(t, "Sender <s@example.com>", m.Header.Get("From"))
}

func TestServerMessagesIsACopy(t *testing.T) {
	srv := mailtest.Start(t)
	require.NoError(t, sendRaw(t, srv.Addr(), nil, "s@example.com", []string{"r@example.com"}, "Subject: one\n\nbody\n"))
	first := srv.WaitFor(t, 1)
	first[0].To[0] = "changed"
	first[0].Data[0] = 'X'
	first[0].Header["Subject"][0] = "changed"

	again := srv.Messages()
	assert.Equal(t, "r@example.com", again[0].To[0])
	assert.Equal(t, byte('S'), again[0].Data[0])
	assert.Equal(t, "one", again[0].Header.Get("Subject"))
	assert.Equal(t, "body\n", again[0].Text)
}

func TestServerWaitForWakesPromptly(t *testing.T) {
	srv := mailtest.Start(t)
	go func() {
		time.Sleep(50 * time.Millisecond)
		_ = sendRaw(t, srv.Addr(), nil, "s@example.com", []string{"r@example.com"}, "Subject: a\n\na\n")
		_ = sendRaw(t, srv.Addr(), nil, "s@example.com", []string{"r@example.com"}, "Subject: b\n\nb\n")
	}()
	start := time.Now()
	msgs := srv.WaitFor(t, 2)
	assert.Less(t, time.Since(start), 5*time.Second)
	require.Len(t, msgs, 2)
	assert.Equal(t, "a", msgs[0].Subject)
	assert.Equal(t, "b", msgs[1].Subject)
}

func TestServerStopAndRestart(t *testing.T) {
	srv := mailtest.Start(t)
	addr := srv.Addr()

	srv.Stop()
	srv.Stop() // idempotent
	_, err := net.DialTimeout("tcp", addr, time.Second)
	require.Error(t, err, "a stopped server refuses connections")

	srv.Restart(t)
	assert.Equal(t, addr, srv.Addr())
	require.NoError(t, sendRaw(t, addr, nil, "s@example.com", []string{"r@example.com"}, "Subject: back\n\nback\n"))
	assert.Equal(t, "back", srv.WaitFor(t, 1)[0].Subject)

	srv.Restart(t) // restarting a running server is fine too
	require.NoError(t, sendRaw(t, addr, nil, "s@example.com", []string{"r@example.com"}, "Subject: again\n\nagain\n"))
	assert.Len(t, srv.WaitFor(t, 2), 2)
}

func TestServerAuth(t *testing.T) {
	srv := mailtest.StartWithAuth(t, "user", "pass")
	assert.Contains(t, srv.URL(), "user:pass@")

	err := sendRaw(t, srv.Addr(), smtp.PlainAuth("", "user", "wrong", "127.0.0.1"), "s@example.com", []string{"r@example.com"}, "Subject: x\n\nx\n")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "535")

	err = sendRaw(t, srv.Addr(), nil, "s@example.com", []string{"r@example.com"}, "Subject: x\n\nx\n")
	require.Error(t, err, "MAIL FROM without AUTH is refused")

	require.NoError(t, sendRaw(t, srv.Addr(), smtp.PlainAuth("", "user", "pass", "127.0.0.1"), "s@example.com", []string{"r@example.com"}, "Subject: ok\n\nok\n"))
	assert.Equal(t, "ok", srv.WaitFor(t, 1)[0].Subject)
}

func TestServerUnparsableMessageIsStillRecorded(t *testing.T) {
	srv := mailtest.Start(t)
	msg := "Subject: broken\nContent-Type: multipart/alternative; boundary=\"\n\nbody\n"
	require.NoError(t, sendRaw(t, srv.Addr(), nil, "s@example.com", []string{"r@example.com"}, msg))
	m := srv.WaitFor(t, 1)[0]
	assert.Error(t, m.ParseError)
	assert.Contains(t, string(m.Data), "body")
}
