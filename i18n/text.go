package i18n

import (
	"context"
	"html"
	"io"
)

// Text is a message id that renders itself, HTML-escaped, in the context's language: a
// templ component, used in pages as @i18n.Text("area.key"). A constant id converts to
// a component without allocating, where { i18n.T(ctx, "area.key") } costs templ two
// allocations per text; a page holds dozens.
type Text string

// Render writes the translation of t.
func (t Text) Render(ctx context.Context, w io.Writer) error {
	if s, ok := fixedHTML[FromContext(ctx)][string(t)]; ok {
		_, err := io.WriteString(w, s)
		return err
	}
	_, err := io.WriteString(w, html.EscapeString(T(ctx, string(t))))
	return err
}

// TextThenSpace is Text followed by a space, for a text that runs on into a link or
// a value: templ drops the white space after a component.
type TextThenSpace string

// Render writes the translation of t and a space.
func (t TextThenSpace) Render(ctx context.Context, w io.Writer) error {
	_, err := io.WriteString(w, html.EscapeString(T(ctx, string(t)))+" ")
	return err
}
