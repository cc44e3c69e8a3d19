package domain

import (
	"context"
	"fmt"
	"time"
)

// Retention is how long data that has served its purpose is kept before the purge job
// deletes it. Audit events are kept for each portal's Policy.AuditRetentionDays.
type Retention struct {
	Sessions time.Duration // after a session or app token expired
	Links    time.Duration // after a reset or set-password link was used or expired
	Counters time.Duration // after a rate or failed-sign-in counter's window started (and its lock ended)
	Help     time.Duration // after a help conversation's last message
	SentMail time.Duration // after an e-mail was delivered
	Devices  time.Duration // after a known device was last used
	Interval time.Duration // how often the job runs (one instance per interval)
}

// DefaultRetention keeps a day of expired sessions, a week of used links and delivered
// mail, two days of counters (longer than any lockout), a month of help conversations
// and known devices for half a year after their last use.
func DefaultRetention() Retention {
	return Retention{
		Sessions: 24 * time.Hour, Links: 7 * 24 * time.Hour, Counters: 48 * time.Hour,
		Help: 30 * 24 * time.Hour, SentMail: 7 * 24 * time.Hour, Devices: 180 * 24 * time.Hour, Interval: time.Hour,
	}
}

// RetentionStore deletes what has expired. Each method returns how many rows it deleted.
type RetentionStore interface {
	// AcquireLease takes the named lease for holder until until, unless a lease (any
	// holder's) runs past now; it tells whether holder got it.
	AcquireLease(ctx context.Context, name, holder string, now, until time.Time) (bool, error)
	// PurgeSessions deletes sessions expired before before, and those unused for longer
	// than their own idle limit before it (they ended by their idle lifetime).
	PurgeSessions(ctx context.Context, before time.Time) (int, error)
	// PurgeResetTokens deletes reset, set-password and notice links used or expired before before.
	PurgeResetTokens(ctx context.Context, before time.Time) (int, error)
	// PurgeDevices forgets known devices unused since before.
	PurgeDevices(ctx context.Context, before time.Time) (int, error)
	PurgeCounters(ctx context.Context, before time.Time) (int, error)
	PurgeHelpConversations(ctx context.Context, before time.Time) (int, error)
	PurgeSentMail(ctx context.Context, before time.Time) (int, error)
	// PurgeChallenges deletes two-step challenges that expired before before.
	PurgeChallenges(ctx context.Context, before time.Time) (int, error)
	// PurgeHelpRequests deletes help requests (with their passes) that expired before
	// before; their story stays in the audit log.
	PurgeHelpRequests(ctx context.Context, before time.Time) (int, error)
	PurgeAudit(ctx context.Context, portalID int64, before time.Time) (int, error)
	Portals(ctx context.Context) ([]Portal, error)
}

// RetentionService is the purge job. Several app instances may run it on one database:
// a lease row lets one of them purge per interval.
type RetentionService struct {
	*env
	store RetentionStore
}

// retentionLease names the purge job's lease row.
const retentionLease = "retention"

// Purged is what one run deleted, by kind of data.
type Purged map[string]int

// RunOnce purges once if this instance (holder) gets the lease, which it then keeps for
// the interval, so every instance (itself included) skips until it runs out. It tells
// whether it ran.
func (r *RetentionService) RunOnce(ctx context.Context, holder string) (Purged, bool, error) {
	ret := r.cfg.Retention
	now := r.clock.Now()
	ok, err := r.store.AcquireLease(ctx, retentionLease, holder, now, now.Add(ret.Interval))
	if err != nil || !ok {
		return nil, false, err
	}
	out := Purged{}
	steps := []struct {
		kind  string
		purge func(context.Context, time.Time) (int, error)
		keep  time.Duration
	}{
		{"sessions", r.store.PurgeSessions, ret.Sessions},
		{"links", r.store.PurgeResetTokens, ret.Links},
		// A counter also remembers the last lock, which tells a repeat lockout (within the
		// longest lock plus an hour) from a first one: never forget it sooner.
		{"counters", r.store.PurgeCounters, max(ret.Counters, 25*time.Hour)},
		{"help_conversations", r.store.PurgeHelpConversations, ret.Help},
		{"sent_mail", r.store.PurgeSentMail, ret.SentMail},
		{"two_step_challenges", r.store.PurgeChallenges, ret.Sessions},
		{"known_devices", r.store.PurgeDevices, ret.Devices},
		{"passkey_ceremonies", r.env.store.PurgePasskeyCeremonies, ret.Sessions},
		{"help_requests", r.store.PurgeHelpRequests, ret.Links},
	}
	for _, s := range steps {
		n, err := s.purge(ctx, now.Add(-s.keep))
		if err != nil {
			return out, true, fmt.Errorf("purge %s: %w", s.kind, err)
		}
		out[s.kind] = n
		r.metrics.Purged(s.kind, n)
	}
	portals, err := r.store.Portals(ctx)
	if err != nil {
		return out, true, err
	}
	for _, p := range portals {
		days := p.Policy.AuditRetentionDays
		if days <= 0 {
			days = DefaultPolicy().AuditRetentionDays
		}
		n, err := r.store.PurgeAudit(ctx, p.ID, now.AddDate(0, 0, -days))
		if err != nil {
			return out, true, fmt.Errorf("purge audit of %s: %w", p.Code, err)
		}
		out["audit_events"] += n
	}
	r.metrics.Purged("audit_events", out["audit_events"])
	return out, true, nil
}

// Run purges every interval until ctx ends (one instance per interval does the work).
func (r *RetentionService) Run(ctx context.Context, holder string) {
	every := r.cfg.Retention.Interval / 4 // look often enough to take over from a stopped instance
	t := time.NewTicker(max(every, time.Second))
	defer t.Stop()
	for {
		if purged, ran, err := r.RunOnce(ctx, holder); err != nil && ctx.Err() == nil {
			logErr(ctx, "retention", err)
		} else if ran {
			logInfo(ctx, "retention purge", "deleted", purged)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
