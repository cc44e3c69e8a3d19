package handlers

import (
	"cmp"
	"context"
	"errors"
	"net/url"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/watchpost/watchpost/bot"
	"github.com/watchpost/watchpost/domain"
	"github.com/watchpost/watchpost/i18n"
	"github.com/watchpost/watchpost/views/layouts"
	"github.com/watchpost/watchpost/views/pages"
)

// The help assistant: the JSON API (the mobile app's contract), the chat page (plain
// forms, htmx when there), the password help article and the feedback tally. The rules
// are in bot. Between messages only the bot's state is kept, never what the user typed.

// sharedAssistant is the engine of apps built without a bot.Service in their Deps
// (tests): loaded once, on first use, from the embedded models.
var sharedAssistant = sync.OnceValue(bot.New)

// maxHelpText is the longest message the assistant takes, in characters.
const maxHelpText = 2000

// helpRequest is one message: the JSON API's body, or the chat form's fields.
type helpRequest struct {
	Text         string `json:"text"`
	Conversation string `json:"conversation"`
	Portal       string `json:"portal"`
	Topic        string `json:"topic"`  // start on this topic
	Choice       string `json:"choice"` // a button's value
}

type helpResponse struct {
	Conversation string           `json:"conversation"`
	Topic        string           `json:"topic"`
	Title        string           `json:"title"`
	Lang         string           `json:"lang"`
	End          bool             `json:"end"`              // the flow ended: the app asks "Was this helpful?"
	Hidden       string           `json:"hidden,omitempty"` // the message looked like a password: show this instead of it
	Why          *bot.Recognition `json:"why,omitempty"`    // which evidence chose the topic of a typed message
	// Feedback is "Was this helpful?" with its two answers, at the end of a flow only.
	Feedback *helpFeedbackQuestion `json:"feedback,omitempty"`
	Reply    string                `json:"reply"`
	Steps    []string              `json:"steps"`
	Options  []bot.Option          `json:"options"`
	Links    []bot.Link            `json:"links"`
}

type helpFeedbackQuestion struct {
	Question string `json:"question"`
	Yes      string `json:"yes"`
	No       string `json:"no"`
}

// feedbackQuestion asks "Was this helpful?" in the answer's language, once a flow ended.
func feedbackQuestion(r bot.Reply) *helpFeedbackQuestion {
	if !r.End {
		return nil
	}
	l, _ := i18n.Parse(r.Lang)
	return &helpFeedbackQuestion{Question: l.T("bot.page.helpful"), Yes: l.T("bot.opt.yes"), No: l.T("bot.opt.no")}
}

type helpFeedbackRequest struct {
	Portal  string `json:"portal"`
	Topic   string `json:"topic"`
	Helpful *bool  `json:"helpful"`
}

// helpAPI is POST /api/help/messages.
func (h *handler) helpAPI(c *fiber.Ctx) error {
	var req helpRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if !validHelpText(&req) {
		return apiFail(fiber.StatusBadRequest, "text_too_long", i18n.FromContext(c.UserContext()).T("bot.notice.too_long"), nil)
	}
	p, err := h.portalByCode(c.UserContext(), req.Portal)
	if err != nil {
		return err
	}
	s, err := h.appViewer(c, p)
	if err != nil {
		return err
	}
	id, r, err := h.converse(c, p, s, req)
	if err != nil {
		return err // a rate limit too: the error handler answers, in the person's language
	}
	return c.JSON(helpResponse{
		Conversation: id, Topic: r.Topic, Title: r.Title, Lang: r.Lang, End: r.End, Hidden: hiddenNotice(r), Why: r.Why, Feedback: feedbackQuestion(r), Reply: r.Text,
		Steps: orEmpty(r.Steps), Options: orEmpty(r.Options), Links: orEmpty(r.Links),
	})
}

// helpFeedbackAPI is POST /api/help/feedback.
func (h *handler) helpFeedbackAPI(c *fiber.Ctx) error {
	var req helpFeedbackRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if !feedbackTopic(req.Topic) || req.Helpful == nil {
		return apiFail(fiber.StatusBadRequest, "bad_feedback", i18n.FromContext(c.UserContext()).T("bot.notice.bad_feedback"), nil)
	}
	err := h.feedback(c, req.Portal, req.Topic, *req.Helpful)
	if err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// helpPage is GET /help and /:portal/help: the chat, opening on ?topic= when given.
func (h *handler) helpPage(c *fiber.Ctx) error {
	p := portalOf(c)
	s, err := h.viewer(c)
	if err != nil {
		return err
	}
	bc, err := h.bot.ContextFor(c.UserContext(), p, s, i18n.FromContext(c.UserContext()))
	if err != nil {
		return err
	}
	topic := knownTopic(c.Query("topic"))
	opening := h.bot.Opening(topic, bc)
	vm := h.helpVM(c, p)
	vm.Topic, vm.Thanks = topic, c.Query("feedback") == "thanks"
	vm.Messages = []pages.HelpMessage{{Reply: opening}}
	return h.render(c, fiber.StatusOK, layouts.Meta{Title: "common.help", HelpTopic: topic}, pages.Help(vm))
}

// helpMessage is POST /help and /:portal/help: one message from the chat form. A plain
// post gets the page with the exchange; htmx gets the exchange to append.
func (h *handler) helpMessage(c *fiber.Ctx) error {
	p := portalOf(c)
	s, err := h.viewer(c)
	if err != nil {
		return err
	}
	choice, label := pages.SplitChoice(c.FormValue("choice"))
	req := helpRequest{Text: c.FormValue("text"), Choice: choice, Conversation: c.FormValue("conversation"), Topic: knownTopic(c.FormValue("topic"))}
	vm := h.helpVM(c, p)
	vm.Conversation, vm.Topic, vm.Typed = req.Conversation, req.Topic, choice == ""
	if strings.TrimSpace(req.Text) == "" && choice == "" {
		if isFragmentRequest(c) {
			return c.SendStatus(fiber.StatusNoContent)
		}
		return c.Redirect(pages.HelpPath(vm.PortalCode), fiber.StatusSeeOther)
	}
	status, mine := fiber.StatusOK, pages.HelpMessage{Mine: true, Text: cmp.Or(label, req.Text)}
	if !validHelpText(&req) {
		status, vm.Messages = fiber.StatusUnprocessableEntity, []pages.HelpMessage{{Notice: i18n.FromContext(c.UserContext()).T("bot.notice.too_long")}}
		return h.renderExchange(c, status, vm)
	}
	id, r, err := h.converse(c, p, s, req)
	switch {
	case errors.Is(err, domain.ErrHelpRateLimited):
		out, _ := outcomeOf(err)
		out.setRetryAfter(c)
		mine.Hidden = bot.LooksLikeSecret(req.Text)
		status, vm.Messages = out.Status, []pages.HelpMessage{mine, {Notice: i18n.FromContext(c.UserContext()).T(out.Message)}}
	case err != nil:
		return err
	default:
		mine.Hidden = r.Sensitive
		vm.Conversation, vm.Messages = id, []pages.HelpMessage{mine, {Reply: r}}
	}
	return h.renderExchange(c, status, vm)
}

func (h *handler) renderExchange(c *fiber.Ctx, status int, vm pages.HelpVM) error {
	content := pages.Help(vm)
	if isFragmentRequest(c) {
		content = pages.HelpExchange(vm)
	}
	return h.render(c, status, layouts.Meta{Title: "common.help", HelpTopic: vm.Topic}, content)
}

// helpFeedback is POST /help/feedback: "Was this helpful?" from the chat or the article.
func (h *handler) helpFeedback(c *fiber.Ctx) error {
	topic, helpful := c.FormValue("topic"), c.FormValue("helpful")
	if !feedbackTopic(topic) || (helpful != "yes" && helpful != "no") {
		return h.errorPage(c, fiber.StatusBadRequest)
	}
	err := h.feedback(c, c.FormValue("portal"), topic, helpful == "yes")
	if err != nil {
		return err
	}
	if isFragmentRequest(c) {
		return h.render(c, fiber.StatusOK, layouts.Meta{}, pages.HelpThanks())
	}
	return c.Redirect(thanksURL(c.FormValue("back")), fiber.StatusSeeOther)
}

// helpArticle is GET /help/articles/password-assistance; ?portal= points its links and
// feedback at the reader's portal.
func (h *handler) helpArticle(c *fiber.Ctx) error {
	p, err := h.portalByCode(c.UserContext(), c.Query("portal"))
	if err != nil {
		return err
	}
	vm := pages.HelpArticleVM{CSRF: csrfToken(c), Policy: domain.DefaultPolicy(), Thanks: c.Query("feedback") == "thanks"}
	if p != nil {
		c.Locals(localPortal, p)
		h.setLanguage(c)
		vm.PortalCode, vm.Policy = p.Code, p.Policy
	}
	return h.render(c, fiber.StatusOK, layouts.Meta{Title: "common.footer.password_help"}, pages.HelpArticle(vm))
}

// helpTally is GET /:portal/help/feedback: how helpful each topic was, for those who may
// read the audit log (the service checks).
func (h *handler) helpTally(c *fiber.Ctx) error {
	counts, err := h.svc.Help.Tally(c.UserContext(), sessionOf(c).User)
	if err != nil {
		return err
	}
	vm := pages.HelpTallyVM{Portal: portalOf(c), Actor: sessionOf(c).User}
	for _, topic := range append(bot.Topics(), pages.HelpArticleTopic) {
		row := pages.HelpTallyRow{Topic: topic, Title: topicTitle(i18n.FromContext(c.UserContext()), topic)}
		if i := slices.IndexFunc(counts, func(t domain.HelpTally) bool { return t.Topic == topic }); i >= 0 {
			row.Helpful, row.Total = counts[i].Helpful, counts[i].Total
		}
		vm.Rows = append(vm.Rows, row)
	}
	return h.render(c, fiber.StatusOK, layouts.Meta{Title: "admin.nav.help_feedback"}, pages.HelpTally(vm))
}

// converse answers one message through the assistant's service and returns the
// conversation id with the reply.
func (h *handler) converse(c *fiber.Ctx, p *domain.Portal, s *domain.Session, req helpRequest) (string, bot.Reply, error) {
	ctx := c.UserContext()
	bc, err := h.bot.ContextFor(ctx, p, s, i18n.FromContext(ctx))
	if err != nil {
		return "", bot.Reply{}, err
	}
	return h.bot.Converse(ctx, bot.Message{
		PortalID: portalID(p), Conversation: req.Conversation, Client: c.IP(),
		Input: bot.Input{Text: req.Text, Choice: req.Choice, Topic: knownTopic(req.Topic)},
	}, bc)
}

// viewer is the signed-in user of this portal, if any: help pages are open to everyone,
// but answers fit the role of a signed-in user.
func (h *handler) viewer(c *fiber.Ctx) (*domain.Session, error) {
	p, token := portalOf(c), c.Cookies(sessionCookie)
	if p == nil || token == "" {
		return nil, nil
	}
	s, err := h.svc.Auth.Session(c.UserContext(), token, domain.SessionWeb)
	if errors.Is(err, domain.ErrSessionEnded) || (err == nil && s.PortalID != p.ID) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	c.Locals(localSession, s)
	h.setLanguage(c)
	return s, nil
}

// appViewer is the mobile app's signed-in person, from the bearer token the
// app's help sends: answers then fit their role. A missing, ended or other
// portal's token is simply anonymous.
func (h *handler) appViewer(c *fiber.Ctx, p *domain.Portal) (*domain.Session, error) {
	token, ok := strings.CutPrefix(c.Get(fiber.HeaderAuthorization), "Bearer ")
	if p == nil || !ok {
		return nil, nil
	}
	s, err := h.svc.Auth.Session(c.UserContext(), strings.TrimSpace(token), domain.SessionMobile)
	if errors.Is(err, domain.ErrSessionEnded) || errors.Is(err, domain.ErrNotFound) || (err == nil && s.PortalID != p.ID) {
		return nil, nil
	}
	return s, err
}

func (h *handler) helpVM(c *fiber.Ctx, p *domain.Portal) pages.HelpVM {
	vm := pages.HelpVM{CSRF: csrfToken(c)}
	if p != nil {
		vm.PortalCode, vm.PortalName = p.Code, p.Name
	}
	return vm
}

// feedback records one "Was this helpful?" answer; an unknown portal counts as none.
func (h *handler) feedback(c *fiber.Ctx, portalCode, topic string, helpful bool) error {
	ctx, svc := c.UserContext(), h.svc.Help
	if err := svc.Allow(ctx, "feedback", c.IP()); err != nil {
		return err
	}
	p, err := h.portalByCode(ctx, portalCode)
	if err != nil {
		return err
	}
	return svc.Feedback(ctx, portalID(p), topic, helpful)
}

// portalByCode finds a portal named in a request body; nil when none or unknown.
func (h *handler) portalByCode(ctx context.Context, code string) (*domain.Portal, error) {
	if code == "" {
		return nil, nil
	}
	p, err := h.svc.Portals.ByCode(ctx, code)
	if errors.Is(err, domain.ErrNotFound) {
		return nil, nil
	}
	return p, err
}

// portalID is 0 for "no portal".
func portalID(p *domain.Portal) int64 {
	if p == nil {
		return 0
	}
	return p.ID
}

// validHelpText cleans the text and reports whether it is short enough.
func validHelpText(req *helpRequest) bool {
	req.Text = strings.ToValidUTF8(req.Text, "")
	return utf8.RuneCountInString(req.Text) <= maxHelpText
}

// hiddenNotice stands in for a message that looked like a password.
func hiddenNotice(r bot.Reply) string {
	if !r.Sensitive {
		return ""
	}
	l, _ := i18n.Parse(r.Lang)
	return l.T("bot.hidden")
}

// orEmpty makes a nil list encode as [] rather than null.
func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func knownTopic(t string) string {
	if slices.Contains(bot.Topics(), t) {
		return t
	}
	return ""
}

func feedbackTopic(t string) bool { return t == pages.HelpArticleTopic || knownTopic(t) != "" }

func topicTitle(l i18n.Lang, t string) string {
	if t == pages.HelpArticleTopic {
		return l.T("admin.help_feedback.article")
	}
	return bot.TitleIn(l, t)
}

// thanksURL is where a plain feedback post returns: back, if it is a path on this site.
func thanksURL(back string) string {
	u, err := url.Parse(back)
	if err != nil || !strings.HasPrefix(back, "/") || strings.HasPrefix(back, "//") || strings.Contains(back, `\`) || u.Host != "" {
		u = &url.URL{Path: domain.HelpPath("", "")}
	}
	q := u.Query()
	q.Set("feedback", "thanks")
	u.RawQuery = q.Encode()
	return u.String()
}
