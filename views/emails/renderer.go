// Package emails writes the HTML bodies of e-mails from what domain decided they say
// (domain.Mail); domain.Config.Mail is set to a Renderer where the services are built.
package emails

import (
	"context"
	"strings"

	"github.com/watchpost/watchpost/domain"
)

// Renderer is the domain.MailRenderer of the application.
type Renderer struct{}

// HTML renders m with Message.
func (Renderer) HTML(ctx context.Context, m domain.Mail) (string, error) {
	var b strings.Builder
	err := Message(m).Render(ctx, &b)
	return b.String(), err
}

var _ domain.MailRenderer = Renderer{}
