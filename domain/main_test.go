package domain_test

import (
	"os"
	"testing"

	"github.com/watchpost/watchpost/store/storetest"
)

// TestMain runs more tests at once than there are cores: they wait on databases.
func TestMain(m *testing.M) { os.Exit(storetest.Main(m, 4)) }
