package storetest

import (
	"flag"
	"strconv"
	"testing"
)

// Main runs a test binary whose tests mostly wait: on PostgreSQL, which creates, copies
// and drops a database for each of them, on the servers they start, on a browser. Unless
// -parallel is given, it lets parallel tests run that many at once instead of one per
// core (the default): their time goes to waiting, not to the cores. Call it from
// TestMain:
//
//	func TestMain(m *testing.M) { os.Exit(storetest.Main(m, 4)) }
//
// Its tests' migrated PostgreSQL databases are emptied and reused from test to test, and
// dropped when the tests are done.
func Main(m *testing.M, parallel int) int {
	flag.Parse()
	given := false
	flag.Visit(func(f *flag.Flag) { given = given || f.Name == "test.parallel" })
	if !given {
		_ = flag.Set("test.parallel", strconv.Itoa(parallel))
	}
	reuse.on = true
	defer dropReused()
	return m.Run()
}
