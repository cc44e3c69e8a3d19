package domain_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/watchpost/watchpost/domain"
)

func TestSafeReturnPath(t *testing.T) {
	t.Parallel()
	good := []string{"/acme/admin/audit", "/acme", "/acme/", "/acme/admin/employees?q=eve&status=locked", "/acme/admin/employees/12"}
	for _, next := range good {
		got, ok := domain.SafeReturnPath("acme", next)
		assert.True(t, ok, next)
		assert.Equal(t, next, got)
	}
	bad := []string{
		"", "//evil.example", "//evil.example/acme/", "https://evil.example/acme/", "http:/acme/x",
		"/globex/admin/audit", "/acmex/admin", "/acme\\..\\globex", "/\\evil.example", "/acme/\\\\evil",
		"/acme/%2f%2fevil", "/acme/..%2fglobex", "/acme/../globex/admin", "/acme/./x", "/acme//evil.example",
		"/acme/admin\r\nSet-Cookie: x", "/acme/admin\tx", "/acme/sign-in", "javascript:alert(1)",
		"/acme/é", "acme/admin", " /acme/admin",
	}
	for _, next := range bad {
		_, ok := domain.SafeReturnPath("acme", next)
		assert.False(t, ok, "%q must be refused", next)
	}
	assert.Equal(t, "/acme/sign-in?next=%2Facme%2Fadmin%2Faudit", domain.SignInReturnPath("acme", "/acme/admin/audit"))
	assert.Equal(t, "/acme/sign-in", domain.SignInReturnPath("acme", "//evil"))
}
