package config_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestConfigHoldsOnlySettings keeps config a leaf that main, server and tools share: it
// names domain types, never the web framework, the database layer or the wiring.
func TestConfigHoldsOnlySettings(t *testing.T) {
	t.Parallel()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go command not found: cannot list config's dependencies")
	}
	deps, err := exec.Command(goTool, "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	for _, dep := range strings.Fields(string(deps)) {
		for _, banned := range []string{"gofiber/", "valyala/", "uptrace/bun", "a-h/templ", "watchpost/handlers", "watchpost/server", "watchpost/store", "watchpost/views"} {
			if strings.Contains(dep, banned) {
				t.Errorf("config depends on %s", dep)
			}
		}
	}
}
