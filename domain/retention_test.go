package domain_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/watchpost/watchpost/domain"
)

// TestPurgeDeletesWhatExpiredAndNothingElse fills every kind of data on both sides of
// its retention (on the manual clock), runs the job once, and checks that exactly the
// expired rows are gone.
func TestPurgeDeletesWhatExpiredAndNothingElse(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		ctx, db, now := context.Background(), e.store.DB(), e.clock.Now()
		eve := e.user(t, "eve.employee")
		day := 24 * time.Hour
		insert := func(rows any) {
			t.Helper()
			_, err := db.NewInsert().Model(rows).Exec(ctx)
			require.NoError(t, err)
		}
		// What the seed wrote is recent and must survive; count it to compare.
		before := counts(t, e)

		session := func(id string, kind domain.SessionKind, seen time.Duration, expires time.Time) domain.Session {
			idle := int64(2 * time.Hour / time.Second)
			if kind == domain.SessionMobile {
				idle = int64(14 * day / time.Second)
			}
			return domain.Session{ID: id, PortalID: e.acme.ID, UserID: eve.ID, Kind: kind, CreatedAt: now.Add(-3 * day), LastSeenAt: now.Add(-seen), ExpiresAt: expires, IdleSeconds: idle}
		}
		insert(&[]domain.Session{
			session("old", domain.SessionWeb, time.Hour, now.Add(-25*time.Hour)),
			session("recent", domain.SessionWeb, time.Hour, now.Add(-time.Hour)),
			session("live", domain.SessionWeb, time.Minute, now.Add(time.Hour)),
			session("idle-long-ago", domain.SessionWeb, 27*time.Hour, now.Add(time.Hour)), // web idle 2 h, kept 24 h after
			session("idle-recently", domain.SessionWeb, 25*time.Hour, now.Add(time.Hour)),
			session("app-idle-long-ago", domain.SessionMobile, 16*day, now.Add(60*day)), // app idle 14 days
			session("app-quiet", domain.SessionMobile, 10*day, now.Add(60*day)),
		})
		token := func(hash string, expires, used time.Time) domain.ResetToken {
			return domain.ResetToken{PortalID: e.acme.ID, UserID: eve.ID, Hash: hash, Purpose: domain.TokenReset, CreatedAt: now.Add(-9 * day), ExpiresAt: expires, UsedAt: used}
		}
		insert(&[]domain.ResetToken{
			token("used-long-ago", now.Add(time.Hour), now.Add(-8*day)), // used: dead even though not expired
			token("expired-long-ago", now.Add(-8*day), time.Time{}),
			token("expired-recently", now.Add(-day), time.Time{}),
			token("used-recently", now.Add(-time.Hour), now.Add(-2*time.Hour)),
			token("pending", now.Add(time.Hour), time.Time{}),
		})
		insert(&[]domain.RateCounter{{Key: "old", WindowStart: now.Add(-49 * time.Hour), Count: 3}, {Key: "fresh", WindowStart: now.Add(-time.Hour), Count: 1}})
		insert(&[]domain.LoginAttempt{
			{PortalID: e.acme.ID, Ident: "stale", Failures: 2, WindowStart: now.Add(-3 * day)},
			{PortalID: e.acme.ID, Ident: "stale-lock", Failures: 5, WindowStart: now.Add(-3 * day), LockedUntil: now.Add(-50 * time.Hour)},
			{PortalID: e.acme.ID, Ident: "old-window-live-lock", Failures: 5, WindowStart: now.Add(-3 * day), LockedUntil: now.Add(time.Minute)},
			{PortalID: e.acme.ID, Ident: "fresh", Failures: 1, WindowStart: now.Add(-time.Minute)},
		})
		insert(&[]domain.HelpConversation{{ID: "old", PortalID: e.acme.ID, State: "{}", UpdatedAt: now.Add(-31 * day)}, {ID: "recent", PortalID: e.acme.ID, State: "{}", UpdatedAt: now.Add(-29 * day)}})
		mail := func(status domain.OutboxStatus, sent time.Time) domain.OutboxMessage {
			return domain.OutboxMessage{PortalID: e.acme.ID, ToAddr: "eve@acme.test", Subject: "s", TextBody: "t", HTMLBody: "h", Category: "test", Status: status, NextAttempt: now, CreatedAt: now.Add(-10 * day), SentAt: sent}
		}
		insert(&[]domain.OutboxMessage{mail(domain.OutboxSent, now.Add(-8*day)), mail(domain.OutboxSent, now.Add(-6*day)), mail(domain.OutboxPending, time.Time{}), mail(domain.OutboxFailed, time.Time{})})
		pol := e.globex.Policy
		pol.AuditRetentionDays = 30
		require.NoError(t, e.store.UpdatePolicy(ctx, e.globex.ID, pol))
		event := func(portal int64, age time.Duration) domain.AuditEvent {
			return domain.AuditEvent{PortalID: portal, Type: domain.EventSignIn, CreatedAt: now.Add(-age)}
		}
		insert(&[]domain.AuditEvent{event(e.acme.ID, 401*day), event(e.acme.ID, 399*day), event(e.globex.ID, 31*day), event(e.globex.ID, 29*day)})

		challenge := func(id string, expires time.Time) domain.TwoStepChallenge {
			return domain.TwoStepChallenge{ID: id, PortalID: e.acme.ID, UserID: eve.ID, Ident: "eve.employee", Kind: domain.SessionWeb, Purpose: domain.ChallengeCode, PasswordChangedAt: now, CreatedAt: now.Add(-2 * day), ExpiresAt: expires}
		}
		insert(&[]domain.TwoStepChallenge{challenge("old", now.Add(-25*time.Hour)), challenge("live", now.Add(time.Minute))})
		device := func(hash string, lastUsed time.Time) domain.KnownDevice {
			return domain.KnownDevice{PortalID: e.acme.ID, UserID: eve.ID, Hash: hash, Name: "phone", FirstUsedAt: now.Add(-400 * day), LastUsedAt: lastUsed}
		}
		insert(&[]domain.KnownDevice{device("unused", now.Add(-181*day)), device("in-use", now.Add(-179*day))})
		notice := func(hash string, expires time.Time) domain.NoticeLink {
			return domain.NoticeLink{Hash: hash, PortalID: e.acme.ID, UserID: eve.ID, Purpose: domain.NoticeNotMe, Email: "eve@acme.test", CreatedAt: now.Add(-9 * day), ExpiresAt: expires}
		}
		insert(&[]domain.NoticeLink{notice("notice-expired-long-ago", now.Add(-8*day)), notice("notice-live", now.Add(day))})
		ceremony := func(id string, expires time.Time) domain.PasskeyCeremony {
			return domain.PasskeyCeremony{ID: id, PortalID: e.acme.ID, Purpose: domain.CeremonySignIn, Data: "{}", CreatedAt: now.Add(-2 * day), ExpiresAt: expires}
		}
		insert(&[]domain.PasskeyCeremony{ceremony("old", now.Add(-25*time.Hour)), ceremony("live", now.Add(time.Minute))})
		help := func(wait string, expires time.Time) domain.HelpRequest {
			return domain.HelpRequest{PortalID: e.acme.ID, UserID: eve.ID, Identifier: "eve", Problem: domain.ProblemLocked, Reference: "HR-" + wait,
				WaitHash: wait, Status: domain.HelpReplaced, CreatedAt: now.Add(-9 * day), ExpiresAt: expires}
		}
		insert(&[]domain.HelpRequest{help("old", now.Add(-8*day)), help("recent", now.Add(-day))})

		purged, ran, err := e.svc.Retention.RunOnce(ctx, "instance-a")
		require.NoError(t, err)
		require.True(t, ran)
		assert.Equal(t, domain.Purged{"sessions": 3, "links": 3, "counters": 3, "help_conversations": 1, "sent_mail": 1, "audit_events": 2, "two_step_challenges": 1, "known_devices": 1, "passkey_ceremonies": 1, "help_requests": 1}, purged)

		after := counts(t, e)
		for table, n := range map[string]int{"sessions": 4, "reset_tokens": 3, "rate_counters": 1, "login_attempts": 2, "help_conversations": 1, "outbox_messages": 3, "audit_events": 2, "two_step_challenges": 1, "known_devices": 1, "notice_links": 1, "passkey_ceremonies": 1, "help_requests": 1} {
			assert.Equalf(t, before[table]+n, after[table], "rows left in %s", table)
		}
		var left []string
		require.NoError(t, db.NewSelect().Model((*domain.LoginAttempt)(nil)).Column("ident").Order("ident").Scan(ctx, &left))
		assert.Equal(t, []string{"fresh", "old-window-live-lock"}, left, "a lock in force is never purged")
		require.NoError(t, db.NewSelect().Model((*domain.ResetToken)(nil)).Column("hash").Order("hash").Scan(ctx, &left))
		assert.Equal(t, []string{"expired-recently", "pending", "used-recently"}, left)
		require.NoError(t, db.NewSelect().Model((*domain.KnownDevice)(nil)).Column("hash").Scan(ctx, &left))
		assert.Equal(t, []string{"in-use"}, left)
	})
}

func counts(t *testing.T, e *env) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, table := range []string{"sessions", "reset_tokens", "rate_counters", "login_attempts", "help_conversations", "outbox_messages", "audit_events", "two_step_challenges", "known_devices", "notice_links", "passkey_ceremonies", "help_requests"} {
		var n int
		require.NoError(t, e.store.DB().NewRaw("SELECT COUNT(*) FROM "+table).Scan(context.Background(), &n))
		out[table] = n
	}
	return out
}

// TestPurgeRunsOnOneInstanceAtATime starts the job on eight instances at once: exactly
// one runs it; the others skip until its lease (the interval) runs out, and then one
// other instance can take over.
func TestPurgeRunsOnOneInstanceAtATime(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		race := func() []string {
			var mu sync.Mutex
			var ran []string
			var wg sync.WaitGroup
			for i := range 8 {
				wg.Go(func() {
					holder := fmt.Sprintf("instance-%d", i)
					_, ok, err := e.svc.Retention.RunOnce(ctx, holder)
					assert.NoError(t, err)
					if ok {
						mu.Lock()
						ran = append(ran, holder)
						mu.Unlock()
					}
				})
			}
			wg.Wait()
			return ran
		}
		first := race()
		require.Len(t, first, 1, "one instance runs the job")
		assert.Empty(t, race(), "nobody runs it again within the interval")

		e.clock.Advance(domain.DefaultRetention().Interval - time.Second)
		assert.Empty(t, race(), "the lease still holds")
		e.clock.Advance(2 * time.Second)
		assert.Len(t, race(), 1, "after the lease ran out, one instance takes over")
	})
}
