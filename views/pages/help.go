package pages

import (
	"context"
	"fmt"
	"github.com/watchpost/watchpost/domain"
	"strings"

	"github.com/watchpost/watchpost/bot"
	"github.com/watchpost/watchpost/i18n"
)

// HelpArticleTopic is the feedback topic of the password help article.
const HelpArticleTopic = "article"

// HelpArticlePath is the address of the password help article.
const HelpArticlePath = domain.HelpArticlePath

// HelpVM is the help assistant's chat, or one exchange of it for htmx.
type HelpVM struct {
	CSRF         string
	PortalCode   string // "" outside a portal; feedback is counted per portal
	PortalName   string
	Conversation string // "" until the first message is answered
	Topic        string // the topic the page opened on, sent until a conversation exists
	Messages     []HelpMessage
	Typed        bool // the user typed this exchange: the composer takes the focus again
	Thanks       bool // back from a plain "Was this helpful?" post
}

// PostURL is where the chat form posts.
func (vm HelpVM) PostURL() string { return HelpPath(vm.PortalCode) }

// HelpPath is the chat page of a portal ("" for none).
func HelpPath(portalCode string) string { return domain.HelpPath(portalCode, "") }

// HelpMessage is one bubble of the chat: the user's, a notice, or the assistant's reply.
type HelpMessage struct {
	Mine   bool   // the user's message
	Text   string // the user's text, or the label of the button they pressed
	Hidden bool   // the user's text looked like a password: it is not shown again
	Notice string // a message from the site rather than the assistant (too long, too fast)
	Reply  bot.Reply
}

// ChoiceValue is a button's form value: the option and its label, so the chat can show
// which button was pressed without storing anything.
func ChoiceValue(o bot.Option) string { return o.Value + "|" + o.Label }

// SplitChoice undoes ChoiceValue.
func SplitChoice(s string) (value, label string) {
	value, label, _ = strings.Cut(s, "|")
	return value, label
}

// HelpTallyVM is the administrators' view of the "Was this helpful?" answers.
type HelpTallyVM struct {
	Portal *domain.Portal
	Actor  *domain.User
	Rows   []HelpTallyRow
}

// HelpTallyRow is one topic's count.
type HelpTallyRow struct {
	Topic, Title   string
	Helpful, Total int
}

// HelpArticleVM is the password help article.
type HelpArticleVM struct {
	CSRF       string
	PortalCode string        // the portal the reader came from, if any: links and feedback use it
	Policy     domain.Policy // that portal's policy (the defaults without one): the article shows its numbers
	Thanks     bool
}

// T renders an article text in the reader's language with the portal's numbers and
// the controls named as the pages name them.
func (vm HelpArticleVM) T(ctx context.Context, id string) string {
	l := i18n.FromContext(ctx)
	p := vm.Policy
	kv := []any{
		"Attempts", p.MaxFailedAttempts, "LockFor", l.T("minutes", "Count", p.LockoutMinutes),
		"LinkFor", l.T("minutes", "Count", p.ResetLinkMinutes), "TempFor", l.T("bot.hours", "Count", p.TempPasswordHours),
		"History", p.HistoryDepth, "MinLength", p.MinLength,
	}
	for name, key := range bot.Controls {
		kv = append(kv, name, l.T(key))
	}
	return l.T(id, kv...)
}

// ArticleSection is one problem of the help article: its texts are
// bot.article.<topic>.title, .intro, .step1... and .after in the catalogue.
type ArticleSection struct {
	Topic        string
	Intro, After bool
	Steps        int
}

func (s ArticleSection) key(part string) string { return "bot.article." + s.Topic + "." + part }

func (s ArticleSection) stepKeys() []string {
	keys := make([]string, s.Steps)
	for i := range keys {
		keys[i] = s.key(fmt.Sprintf("step%d", i+1))
	}
	return keys
}

// ArticleSections are the article's problems, in order.
var ArticleSections = []ArticleSection{
	{Topic: bot.ForgotPassword, Steps: 3, After: true},
	{Topic: bot.Lockout, Intro: true, Steps: 3},
	{Topic: bot.PasswordReuse, Intro: true, Steps: 3},
	{Topic: bot.MobileApp, Intro: true, Steps: 3},
	{Topic: bot.ResetEmail, Steps: 3},
	{Topic: bot.ResetOtherUser, Intro: true, Steps: 3},
	{Topic: bot.NoPermission, Intro: true},
	{Topic: bot.SupportReset, Intro: true},
	{Topic: bot.TwoStep, Intro: true, Steps: 5}, // steps 4 and 5: passkeys (passkeys.*.toml)
}

// AskURL opens the assistant on a topic.
func (vm HelpArticleVM) AskURL(topic string) string {
	return domain.HelpPath(vm.PortalCode, topic)
}

// Back is where a plain feedback post returns to.
func (vm HelpArticleVM) Back() string {
	return domain.HelpArticleFor(vm.PortalCode)
}

// replyLang is the language an answer was given in: its feedback question uses it.
func replyLang(r bot.Reply) i18n.Lang {
	if l, ok := i18n.Parse(r.Lang); ok && r.Lang != "" {
		return l
	}
	return i18n.English
}
