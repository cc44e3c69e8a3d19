package handlers_test

import (
	"os"
	"testing"

	"github.com/watchpost/watchpost/store/storetest"
)

// TestMain runs four parallel tests at once: each starts its own server and database and
// spends its time waiting on them, not on the cores. Load and timing tests stay serial.
func TestMain(m *testing.M) { os.Exit(storetest.Main(m, 4)) }
