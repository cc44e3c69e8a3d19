package pages_test

import (
	"context"
	"io"
	"testing"

	"github.com/watchpost/watchpost/domain"
	"github.com/watchpost/watchpost/i18n"
	"github.com/watchpost/watchpost/views/layouts"
	"github.com/watchpost/watchpost/views/pages"
)

// BenchmarkSignInRender renders the whole sign-in page (frame included) in French, in
// process: the part of BenchmarkSignInPage that translation changes.
func BenchmarkSignInRender(b *testing.B) {
	p := &domain.Portal{Code: "acme", Name: "Acme Security", Policy: domain.DefaultPolicy()}
	vm := pages.SignInVM{Portal: p, Form: pages.Form{CSRF: "token", Values: map[string]string{}, Errors: map[string]string{}}}
	ctx := i18n.WithLang(context.Background(), i18n.French)
	page := layouts.Page(layouts.Meta{Title: "pages.signin.page_title", TitleArgs: []any{"Portal", "Acme Security"}, PortalCode: "acme", PortalName: "Acme Security", CSRF: "token", Narrow: true, DevMailbox: true}, pages.SignIn(vm))
	for b.Loop() {
		if err := page.Render(ctx, io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}
