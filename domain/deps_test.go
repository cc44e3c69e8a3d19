package domain_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestDomainHoldsOnlyRules keeps adapters out of domain: no web framework, database
// layer or templates among its dependencies, and no unsafe or syscall of its own (the
// password hash lives in passwordhash, pages and e-mail bodies in views, storage in
// store).
func TestDomainHoldsOnlyRules(t *testing.T) {
	t.Parallel()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go command not found: cannot list domain's dependencies")
	}
	deps, err := exec.Command(goTool, "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	for _, dep := range strings.Fields(string(deps)) {
		for _, banned := range []string{"gofiber/", "valyala/", "uptrace/bun", "a-h/templ", "watchpost/handlers", "watchpost/store", "watchpost/views", "watchpost/passwordhash"} {
			if strings.Contains(dep, banned) {
				t.Errorf("domain depends on %s", dep)
			}
		}
	}
	own, err := exec.Command(goTool, "list", "-f", `{{join .Imports "\n"}}`, ".").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, imp := range strings.Fields(string(own)) {
		if imp == "unsafe" || imp == "syscall" || strings.HasPrefix(imp, "golang.org/x/sys") {
			t.Errorf("domain imports %s itself", imp)
		}
	}
}
