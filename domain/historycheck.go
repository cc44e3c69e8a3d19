package domain

import (
	"context"
	"time"
)

// HistoryState is what the live password hint knows about reuse.
type HistoryState int

// The states of the history rule in the live hint.
const (
	// HistoryUnchecked: not checked while typing (no signed-in owner, the other rules
	// are not met yet, or the live checks of this session are used up); the save checks.
	HistoryUnchecked HistoryState = iota
	// HistoryNew: neither the current password nor one the policy keeps.
	HistoryNew
	// HistoryReused: the current password or a recent one.
	HistoryReused
)

// LiveHistoryChecks bounds the live history checks of one session per minute: each one
// costs up to HistoryDepth+1 password hashes.
const LiveHistoryChecks = 20

// CheckHistoryLive tells a signed-in person, while they type a new password, whether it
// is their current or a recent one. Only the session's own account is compared, so the
// hint reveals nothing its owner does not know; a reset-link page never calls it. It runs
// only once the other rules pass (ready), and a bounded number of times per minute.
func (s *PasswordService) CheckHistoryLive(ctx context.Context, portal *Portal, sess *Session, pw string, ready bool) (HistoryState, error) {
	if sess == nil || sess.User == nil || sess.PortalID != portal.ID || !ready {
		return HistoryUnchecked, nil
	}
	n, err := s.store.Hit(ctx, "pw-history:"+sess.ID, s.clock.Now(), time.Minute)
	if err != nil || n > LiveHistoryChecks {
		return HistoryUnchecked, err
	}
	reused, err := s.usedBefore(ctx, portal, sess.User, pw)
	if err != nil {
		return HistoryUnchecked, err
	}
	if reused {
		return HistoryReused, nil
	}
	return HistoryNew, nil
}
