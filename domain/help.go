package domain

import (
	"context"
	"errors"
	"time"
)

// ErrHelpRateLimited says a client sent the help assistant more than it accepts per window.
var ErrHelpRateLimited = errors.New("too many help messages")

// HelpStore keeps the help assistant's conversations and feedback. Portal id 0 stands
// for "no portal" (the assistant opened outside any portal).
type HelpStore interface {
	// HelpConversation loads a conversation of the portal; ErrNotFound when there is none.
	HelpConversation(ctx context.Context, portalID int64, id string) (*HelpConversation, error)
	// SaveHelpConversation inserts or updates a conversation; it never takes over a
	// conversation of another portal.
	SaveHelpConversation(ctx context.Context, c *HelpConversation) error
	AddHelpFeedback(ctx context.Context, f *HelpFeedback) error
	// HelpTally counts the portal's feedback per topic, in topic order.
	HelpTally(ctx context.Context, portalID int64) ([]HelpTally, error)
	// UsersWithRole lists the portal's enabled users of the named role (see UserStore).
	UsersWithRole(ctx context.Context, portalID int64, role string) ([]User, error)
	// Hit counts one event for key in a fixed window (see Store.Hit).
	Hit(ctx context.Context, key string, now time.Time, window time.Duration) (int, error)
}

// HelpTally is the "Was this helpful?" count of one topic.
type HelpTally struct {
	Topic   string
	Helpful int
	Total   int
}

// HelpService keeps the assistant's conversation state and feedback, and limits how fast
// one client may use them. It knows nothing of the assistant's rules: state is opaque.
type HelpService struct {
	store HelpStore
	clock Clock
	// PerWindow messages per conversation (and feedback answers per client
	// address) per Window.
	PerWindow int
	// PerAddress messages per Window from one client address, all conversations
	// together: a generous ceiling, since the guards of a site often share one
	// connection.
	PerAddress int
	Window     time.Duration
}

// NewHelpService builds the service with the default limits: 30 messages a minute per
// conversation, 300 a minute per client address.
func NewHelpService(store HelpStore, clock Clock) *HelpService {
	return &HelpService{store: store, clock: clock, PerWindow: 30, PerAddress: 300, Window: time.Minute}
}

// AllowMessage counts one message of a conversation (a new one has its id already) from client and
// refuses it with ErrHelpRateLimited over the conversation's limit or the address's
// ceiling.
func (s *HelpService) AllowMessage(ctx context.Context, conversation, client string) error {
	now := s.clock.Now()
	n, err := s.store.Hit(ctx, "help-address:"+client, now, s.Window)
	if err != nil {
		return err
	}
	if n > s.PerAddress {
		return ErrHelpRateLimited
	}
	n, err = s.store.Hit(ctx, "help-conversation:"+conversation, now, s.Window)
	if err != nil {
		return err
	}
	if n > s.PerWindow {
		return ErrHelpRateLimited
	}
	return nil
}

// Allow counts one request of kind ("message", "feedback") from client and refuses it
// with ErrHelpRateLimited over the limit.
func (s *HelpService) Allow(ctx context.Context, kind, client string) error {
	n, err := s.store.Hit(ctx, "help-"+kind+":"+client, s.clock.Now(), s.Window)
	if err != nil {
		return err
	}
	if n > s.PerWindow {
		return ErrHelpRateLimited
	}
	return nil
}

// Load returns the saved state of a conversation of the portal; ErrNotFound for an
// unknown or malformed id.
func (s *HelpService) Load(ctx context.Context, portalID int64, id string) (string, error) {
	if !ValidTokenShape(id) {
		return "", ErrNotFound
	}
	c, err := s.store.HelpConversation(ctx, portalID, id)
	if err != nil {
		return "", err
	}
	return c.State, nil
}

// NewConversationID returns a fresh, unguessable conversation id.
func (s *HelpService) NewConversationID() string {
	id, _ := NewToken()
	return id
}

// Save keeps a conversation's state. The state must hold no text the user typed.
func (s *HelpService) Save(ctx context.Context, portalID int64, id, state string) error {
	return s.store.SaveHelpConversation(ctx, &HelpConversation{ID: id, PortalID: portalID, State: state, UpdatedAt: s.clock.Now()})
}

// Feedback records one "Was this helpful?" answer.
func (s *HelpService) Feedback(ctx context.Context, portalID int64, topic string, helpful bool) error {
	return s.store.AddHelpFeedback(ctx, &HelpFeedback{PortalID: portalID, Topic: topic, Helpful: helpful, CreatedAt: s.clock.Now()})
}

// Tally counts the feedback of the actor's portal per topic; it is for those who may
// read the audit log.
func (s *HelpService) Tally(ctx context.Context, actor *User) ([]HelpTally, error) {
	if err := Authorize(actor, PermViewAudit); err != nil {
		return nil, err
	}
	return s.store.HelpTally(ctx, actor.PortalID)
}

// Administrators names the portal's administrators, whom signed-in users are sent to.
func (s *HelpService) Administrators(ctx context.Context, portalID int64) ([]AdminContact, error) {
	users, err := s.store.UsersWithRole(ctx, portalID, RoleAdministrator)
	out := make([]AdminContact, len(users))
	for i, u := range users {
		out[i] = AdminContact{Name: u.DisplayName, Email: u.Email}
	}
	return out, err
}

// AdminContact is how the help assistant names an administrator to a
// signed-in person of the same portal: a name and a mailto address.
type AdminContact struct {
	Name, Email string
}
