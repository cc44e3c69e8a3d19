package domain

import (
	"context"
	"time"
)

// RecoveryStore keeps help requests and their recovery passes. Every method is scoped by
// portal id.
type RecoveryStore interface {
	// CreateHelpRequest stores r; for a person with an open request, that request is
	// replaced (HelpReplaced) in the same statement group, so a person has at most one.
	CreateHelpRequest(ctx context.Context, r *HelpRequest) error
	// SetHelpCodeHash stores the request code's hash of a request just created.
	SetHelpCodeHash(ctx context.Context, portalID, id int64, hash string) error
	HelpRequestByID(ctx context.Context, portalID, id int64) (*HelpRequest, error)
	// HelpRequestByWait finds a request by the hash of its waiting page's token.
	HelpRequestByWait(ctx context.Context, portalID int64, waitHash string) (*HelpRequest, error)
	// OpenHelpRequests lists the open, unexpired requests of people with accounts,
	// newest first.
	OpenHelpRequests(ctx context.Context, portalID int64, now time.Time, limit int) ([]HelpRequest, error)
	// UpdateHelpRequest writes r's status, checks and pass, only if its status is still
	// from; ErrConflict otherwise (someone else acted meanwhile).
	UpdateHelpRequest(ctx context.Context, r *HelpRequest, from HelpStatus) error
	// FailHelpCheck counts one wrong code in one statement and locks the request when
	// the count reaches max; it returns the request after the change. ErrNotFound: the
	// request is no longer open.
	FailHelpCheck(ctx context.Context, portalID, id int64, max int, now time.Time) (*HelpRequest, error)
	// HelpRequestByPass finds the request whose live pass has the hash (of the link's
	// token or of the short code).
	HelpRequestByPass(ctx context.Context, portalID int64, hash string, now time.Time) (*HelpRequest, error)
	// UseRecoveryPass resolves the request if its pass is still live, in one statement;
	// exactly one caller succeeds, the others get ErrNotFound.
	UseRecoveryPass(ctx context.Context, portalID, id int64, now time.Time) (*HelpRequest, error)
	// UsersWithPermission lists the portal's enabled users whose role grants p, with
	// their roles.
	UsersWithPermission(ctx context.Context, portalID int64, p Permission) ([]User, error)
}
