package bot

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/watchpost/watchpost/domain"
	"github.com/watchpost/watchpost/i18n"
)

// Service is the help assistant's conversation use-case: it limits how fast
// one conversation and one address may talk, loads the conversation's
// state, asks the engine and keeps the new state (never what the person
// typed). Handlers parse the request, call it and render the reply.
type Service struct {
	engine *Engine
	help   *domain.HelpService
	// ArticlePath and MobilePath are the help article's and the app page's
	// addresses, offered as links.
	ArticlePath, MobilePath string
}

// NewService builds the use-case over a loaded engine.
func NewService(e *Engine, help *domain.HelpService, articlePath string) *Service {
	return &Service{engine: e, help: help, ArticlePath: articlePath, MobilePath: domain.MobilePath}
}

// Engine is the service's engine, for callers that only render (the page's opening).
func (s *Service) Engine() *Engine { return s.engine }

// Message is one message to the assistant.
type Message struct {
	PortalID     int64  // 0: no portal
	Conversation string // "" or unknown: a new conversation
	Client       string // the sender's network address, for the per-address ceiling
	Input        Input
}

// Converse answers one message and returns the conversation id with the
// reply. Over the limits it returns domain.ErrHelpRateLimited.
func (s *Service) Converse(ctx context.Context, m Message, c Context) (string, Reply, error) {
	id, st, err := s.load(ctx, m.PortalID, m.Conversation)
	if err != nil {
		return "", Reply{}, err
	}
	isNew := id == ""
	if isNew {
		id = s.help.NewConversationID()
	}
	if err := s.help.AllowMessage(ctx, id, m.Client); err != nil {
		return "", Reply{}, err
	}
	in := m.Input
	if _, ok := plans[in.Topic]; !ok {
		in.Topic = ""
	}
	if isNew {
		if in.Topic != "" && (in.Text != "" || in.Choice != "") {
			// A page opened on a topic shows its first step without saving anything:
			// the first message continues from there.
			_, st = s.engine.Respond(State{}, Input{Topic: in.Topic}, c)
		}
	}
	r, st := s.engine.Respond(st, in, c)
	state, err := json.Marshal(st) // topic, steps and facts: never the person's text
	if err != nil {
		return "", Reply{}, err
	}
	return id, r, s.help.Save(ctx, m.PortalID, id, string(state))
}

// Opening is the assistant's first answer on the help page, on a topic or not.
func (s *Service) Opening(topic string, c Context) Reply {
	r, _ := s.engine.Respond(State{}, Input{Topic: topic}, c)
	return r
}

// load returns a saved conversation, or no id for a new one (unknown,
// expired, from another portal, or of an older shape).
func (s *Service) load(ctx context.Context, portalID int64, id string) (string, State, error) {
	var st State
	if id == "" {
		return "", st, nil
	}
	raw, err := s.help.Load(ctx, portalID, id)
	if errors.Is(err, domain.ErrNotFound) {
		return "", st, nil
	}
	if err != nil {
		return "", st, err
	}
	if json.Unmarshal([]byte(raw), &st) != nil {
		return "", State{}, nil
	}
	return id, st, nil
}

// ContextFor is what the assistant may know about the asker: anonymous
// people get the portal's public facts only; a signed-in person of the
// portal also their role's permissions and the administrators' names.
func (s *Service) ContextFor(ctx context.Context, p *domain.Portal, sess *domain.Session, lang i18n.Lang) (Context, error) {
	c := Context{Lang: lang, Links: Links{Article: s.ArticlePath, Mobile: s.MobilePath}}
	if p == nil {
		return c, nil
	}
	c.PortalName, c.AdminContact, c.Policy = p.Name, p.Policy.AdminContact, p.Policy
	c.Links.ForgotPassword, c.Links.SignIn = domain.ForgotPasswordPath(p.Code), domain.SignInPath(p.Code)
	if sess == nil || sess.PortalID != p.ID {
		// Someone who cannot sign in may ask the administrators through the product.
		c.Links.AskHelp = domain.AskHelpPath(p.Code)
		return c, nil
	}
	role := sess.User.Role
	c.SignedIn, c.Role, c.CanResetOthers = true, role.Name, role.Has(domain.PermResetPassword)
	c.Links.Account = domain.AccountPath(p.Code)
	if role.Has(domain.PermViewEmployees) {
		c.Links.Employees = domain.EmployeesPath(p.Code)
	}
	admins, err := s.help.Administrators(ctx, p.ID)
	for _, a := range admins {
		c.Administrators = append(c.Administrators, Admin{Name: a.Name, Email: a.Email})
	}
	return c, err
}
