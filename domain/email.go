package domain

import (
	"context"
	"slices"
	"strings"

	"github.com/watchpost/watchpost/i18n"
)

// Email is one message on its way to a person. It is written to the outbox in the same
// transaction as whatever caused it (a reset token, a lockout) and sent later by the mail
// worker, so a crash between the two never loses or invents a message.
type Email struct {
	To       string
	Subject  string
	Text     string // plain-text body; always present
	HTML     string // optional HTML alternative
	Category string // e.g. "reset", "lockout", "password_changed": for the dev mailbox and tests
}

// Mail is what one e-mail says, decided here: to whom, in which language, and its
// paragraphs and links in order. The plain-text body is written from it here; the HTML
// body by a MailRenderer (views/emails), so domain holds no markup.
type Mail struct {
	To       string
	Subject  string
	Lang     i18n.Lang // the reader's language: the HTML says it, for mail programs and screen readers
	Category string    // e.g. "reset", "lockout", "password_changed": for the dev mailbox and tests
	Parts    []MailPart
}

// MailPart is a paragraph (Text), or a link (URL set): shown as a button labelled Text,
// with Note (the address to copy) below it, and as the bare address in plain text.
type MailPart struct {
	Text string
	URL  string
	Note string
}

// MailRenderer writes the HTML body of a mail; it escapes everything the mail says.
type MailRenderer interface {
	HTML(ctx context.Context, m Mail) (string, error)
}

// newMail builds a mail from its parts, leaving out empty ones (a link not sent, a
// paragraph a wording does not have).
func newMail(l i18n.Lang, to, subject, category string, parts ...MailPart) Mail {
	parts = slices.DeleteFunc(parts, func(p MailPart) bool { return p.Text == "" && p.URL == "" })
	return Mail{To: to, Subject: subject, Lang: l, Category: category, Parts: parts}
}

// para is a paragraph of a mail.
func para(text string) MailPart { return MailPart{Text: text} }

// linkPart is a link in a mail, labelled in l; "" is no part.
func linkPart(l i18n.Lang, url string) MailPart {
	if url == "" {
		return MailPart{}
	}
	return MailPart{URL: url, Text: l.T("mail.open_link"), Note: l.T("mail.copy_address", "URL", url)}
}

// Text is the plain-text body: each paragraph, and each link's bare address, apart.
func (m Mail) Text() string {
	paras := make([]string, len(m.Parts))
	for i, p := range m.Parts {
		paras[i] = p.Text
		if p.URL != "" {
			paras[i] = p.URL
		}
	}
	return strings.Join(paras, "\n\n") + "\n"
}

// Email renders m for the outbox: the plain text always, the HTML with r (none when r
// is nil: a plain-text e-mail).
func (m Mail) Email(ctx context.Context, r MailRenderer) (Email, error) {
	e := Email{To: m.To, Subject: m.Subject, Text: m.Text(), Category: m.Category}
	if r == nil {
		return e, nil
	}
	var err error
	e.HTML, err = r.HTML(ctx, m)
	return e, err
}
