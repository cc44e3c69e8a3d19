package mail_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/watchpost/watchpost/domain"
	"github.com/watchpost/watchpost/mail"
	"github.com/watchpost/watchpost/mail/mailtest"
	"github.com/watchpost/watchpost/store"
	"github.com/watchpost/watchpost/store/storetest"
)

func enqueue(t *testing.T, s *store.Store, clock domain.Clock, to string) {
	t.Helper()
	require.NoError(t, s.Enqueue(context.Background(), &domain.OutboxMessage{
		PortalID: 1, ToAddr: to, Subject: "Reset your password", TextBody: "Open https://example.test/acme/reset/x",
		HTMLBody: `<p><a href="https://example.test/acme/reset/x">Open</a></p>`, Category: "reset",
		Status: domain.OutboxPending, NextAttempt: clock.Now(), CreatedAt: clock.Now(),
	}))
}

// TestOutboxSurvivesSMTPOutage delivers over a real SMTP conversation, keeps a message
// while the server is down, retries with backoff and delivers it once the server is back.
func TestOutboxSurvivesSMTPOutage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		srv := mailtest.Start(t)
		sender, err := mail.NewSMTPSender(srv.URL(), "Watchpost <no-reply@watchpost.test>")
		require.NoError(t, err)
		clock := domain.NewManualClock(time.Now())
		w := mail.NewWorker(s, sender, clock)

		enqueue(t, s, clock, "eve@acme.test")
		n, err := w.RunOnce(context.Background())
		require.NoError(t, err)
		assert.Equal(t, 1, n)
		got := srv.WaitFor(t, 1)
		assert.Equal(t, []string{"eve@acme.test"}, got[0].To)
		assert.Equal(t, "Reset your password", got[0].Subject)
		assert.Contains(t, got[0].HTML, `href="https://example.test/acme/reset/x"`)

		srv.Stop()
		enqueue(t, s, clock, "max@acme.test")
		n, err = w.RunOnce(context.Background())
		require.NoError(t, err)
		assert.Equal(t, 0, n, "server down: nothing delivered")
		msgs, err := s.Outbox(context.Background(), 10)
		require.NoError(t, err)
		assert.Equal(t, domain.OutboxPending, msgs[0].Status, "kept for a retry")
		assert.NotEmpty(t, msgs[0].LastError)

		n, _ = w.RunOnce(context.Background())
		assert.Equal(t, 0, n, "not due again before its backoff")

		srv.Restart(t)
		clock.Advance(11 * time.Second)
		n, err = w.RunOnce(context.Background())
		require.NoError(t, err)
		assert.Equal(t, 1, n)
		assert.Len(t, srv.WaitFor(t, 2), 2)
	})
}

func TestOutboxGivesUpAfterMaxAttempts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		srv := mailtest.Start(t)
		srv.Stop()
		sender, err := mail.NewSMTPSender(srv.URL(), "no-reply@watchpost.test")
		require.NoError(t, err)
		clock := domain.NewManualClock(time.Now())
		w := mail.NewWorker(s, sender, clock)
		w.MaxAttempts = 3
		enqueue(t, s, clock, "eve@acme.test")
		for range 3 {
			_, err := w.RunOnce(context.Background())
			require.NoError(t, err)
			clock.Advance(2 * time.Hour)
		}
		msgs, err := s.Outbox(context.Background(), 1)
		require.NoError(t, err)
		assert.Equal(t, domain.OutboxFailed, msgs[0].Status)
		assert.Equal(t, 3, msgs[0].Attempts)
	})
}

// TestOutboxClaimsEachMessageOnce runs two workers on one database: each message is sent once.
func TestOutboxClaimsEachMessageOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		srv := mailtest.Start(t)
		sender, err := mail.NewSMTPSender(srv.URL(), "no-reply@watchpost.test")
		require.NoError(t, err)
		clock := domain.NewManualClock(time.Now())
		for i := range 20 {
			enqueue(t, s, clock, "user"+string(rune('a'+i))+"@acme.test")
		}
		a, b := mail.NewWorker(s, sender, clock), mail.NewWorker(s, sender, clock)
		a.Batch, b.Batch = 3, 3
		total := 0
		for total < 20 {
			done := make(chan int, 2)
			for _, w := range []*mail.Worker{a, b} {
				go func() {
					n, err := w.RunOnce(context.Background())
					assert.NoError(t, err)
					done <- n
				}()
			}
			total += <-done + <-done
		}
		assert.Equal(t, 20, total)
		got := srv.WaitFor(t, 20)
		seen := map[string]int{}
		for _, m := range got {
			seen[m.To[0]]++
		}
		assert.Len(t, seen, 20)
		for to, n := range seen {
			assert.Equal(t, 1, n, to)
		}
	})
}
