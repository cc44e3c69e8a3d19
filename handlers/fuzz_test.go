package handlers_test

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/watchpost/watchpost/server/servertest"
)

// FuzzForms posts arbitrary bodies to the forms and APIs through the real app: whatever
// arrives, the answer is never a server error.
func FuzzForms(f *testing.F) {
	fx := servertest.New(f, servertest.Options{})
	client := formClient(f, fx)
	paths := []string{"/acme/sign-in", "/acme/forgot-password", "/acme/reset/x", "/api/mobile/v1/session", "/api/help/messages", "/acme/help", "/support/sign-in"}
	for i, s := range []string{"identifier=eve&password=x", "identifier=%ff&password=%c3%28", `{"portal":"acme","username":"a","password":"b"}`,
		`{"text":"locked out"}`, "a=b&a=c", strings.Repeat("x", 5000), "\x00\x01", `{"text":`} {
		f.Add(uint8(i), s, i%2 == 0)
	}
	f.Fuzz(func(t *testing.T, which uint8, body string, json bool) {
		path := paths[int(which)%len(paths)]
		ctype := "application/x-www-form-urlencoded"
		if json {
			ctype = "application/json"
		} else {
			body = "_csrf=" + client.token + "&" + body
		}
		req := httptest.NewRequest("POST", path, strings.NewReader(body))
		req.Header.Set("Content-Type", ctype)
		req.AddCookie(client.seed)
		resp, err := fx.App.Test(req, -1)
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode >= 500 && resp.StatusCode != 503 {
			t.Fatalf("POST %s %q: status %d", path, body, resp.StatusCode)
		}
	})
}
