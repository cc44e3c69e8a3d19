// Command loadtest measures Watchpost's sign-in under load. It starts a real server as a
// child process on 127.0.0.1 (production argon2id, a fresh SQLite or the PostgreSQL
// database you name), measures H (argon2id verifications per second on every core, the
// machine's limit for sign-ins) in the same run, then drives real sign-ins at each
// concurrency level, bounded in time, and prints throughput (also as a fraction of H),
// latency percentiles and the server's peak resident memory (VmHWM from /proc).
//
// Under each level it says where the CPU went: the server's CPU (and its system part),
// how long its threads waited for a core, the client's own CPU, and the rest of the
// machine's; how busy the hash pool was; the server's CPU per sign-in next to H's CPU per
// hash; and H measured again after the run. On a shared machine the wall-clock ratio
// swings with the neighbours' load; the CPU ratio says what a quiet machine would give.
//
// Two client patterns: -client browser (the default) fetches the sign-in form before
// every sign-in and posts it with that page's CSRF token, keeping its cookies like a
// browser; -client post fetches the form once per client and then only posts (vegeta).
//
//	go run ./cmd/loadtest -levels 8,64 -duration 15s -users 48
//	go run ./cmd/loadtest -cpuprofile signin.pprof   # the server's CPU profile of the runs
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "serve-child" {
		if err := serveChild(os.Args[2:]); err != nil {
			fmt.Fprintln(os.Stderr, "loadtest server:", err)
			os.Exit(1)
		}
		return
	}
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "loadtest:", err)
		os.Exit(1)
	}
}

func run() error {
	levels := flag.String("levels", "8,64", "concurrent clients per run, comma-separated")
	duration := flag.Duration("duration", 15*time.Second, "length of each run (bounded)")
	users := flag.Int("users", 48, "distinct accounts to sign in as")
	database := flag.String("database", "", "postgres:// URL to load (default: a fresh SQLite file)")
	addr := flag.String("addr", "127.0.0.1:18080", "loopback address for the server")
	pattern := flag.String("client", "browser", "browser: GET the form then POST it, every sign-in; post: POST only (form fetched once per client)")
	profile := flag.String("cpuprofile", "", "write the server's CPU profile over all runs to this file")
	clientProcs := flag.Int("client-procs", 1, "GOMAXPROCS of the load client during the runs (H is always measured on every core)")
	clientProfile := flag.String("client-cpuprofile", "", "write the load client's own CPU profile over the runs (not H's) to this file")
	hashFor := flag.Duration("h-duration", 5*time.Second, "how long to measure H before the runs")
	flag.Parse()
	if *pattern != "browser" && *pattern != "post" {
		return fmt.Errorf("-client must be browser or post")
	}
	if !strings.HasPrefix(*addr, "127.") {
		return fmt.Errorf("-addr must be a loopback address")
	}
	if *duration > 2*time.Minute {
		return fmt.Errorf("-duration is capped at 2m")
	}
	child, err := startChild(*addr, *database, *users, *profile)
	if err != nil {
		return err
	}
	defer child.stop()
	base := "http://" + *addr
	fmt.Printf("server pid %d on %s, %d accounts, argon2id m=19456 t=2 p=1, %s client\n", child.cmd.Process.Pid, base, *users, *pattern)
	fmt.Printf("H: argon2id verifications/s on %d cores, measured right before and after each run (server idle)\n\n", runtime.NumCPU())
	fmt.Printf("%8s %6s %10s %6s %9s %9s %9s %9s %8s %s\n", "clients", "H", "signins/s", "xH", "p50", "p90", "p99", "max", "peakRSS", "status codes")
	for _, f := range strings.Split(*levels, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 || n > 512 {
			return fmt.Errorf("bad level %q", f)
		}
		run := attack
		if *pattern == "browser" {
			run = browse
		}
		// On a shared machine the CPU available changes from minute to minute: H is
		// measured next to each run, not once.
		h, hcpu := measureH(*hashFor)
		fmt.Printf("%8d %6.1f ", n, h)
		before := child.cpu()
		if *clientProfile != "" {
			f, err := os.Create(*clientProfile)
			if err != nil {
				return err
			}
			defer f.Close()
			if err := pprof.StartCPUProfile(f); err != nil {
				return err
			}
		}
		// The client needs a small part of one core; with a P per core its idle threads
		// would spin looking for work on the cores the server hashes on.
		prev := runtime.GOMAXPROCS(*clientProcs)
		ok, err := run(base, n, *users, *duration, child, h)
		runtime.GOMAXPROCS(prev)
		if *clientProfile != "" {
			pprof.StopCPUProfile() // one level's profile: the last level run
		}
		if err != nil {
			return err
		}
		used := child.cpu().since(before)
		fmt.Printf("%8s over %.1fs, in %% of one core (of %d): server CPU %.0f%% (system %.0f%%), server runnable but waiting %.0f%%, client CPU %.0f%%, other processes %.0f%%\n", "",
			used.wall, runtime.NumCPU(), 100*used.server/used.wall, 100*used.serverSys/used.wall, 100*used.serverWait/used.wall, 100*used.client/used.wall,
			100*max(0, used.machineBusy-used.server-used.client)/used.wall)
		if used.hashes > 0 {
			fmt.Printf("%8s hash pool: %d hashes, slots held %.0f%% of the time (%d slots), %.1f ms per hash; server CPU %.1f ms per hash, H's %.1f ms\n", "",
				used.hashes, 100*used.held/used.wall/float64(used.slots), used.slots, 1000*used.held/float64(used.hashes),
				1000*used.server/float64(used.hashes), float64(hcpu)/1e6)
		}
		// H again after the run: with the one before, it brackets the run, and the CPU
		// ratio says what the sign-ins would give if the server had the machine to itself.
		h2, hcpu2 := measureH(*hashFor)
		fmt.Printf("%8s H after the run %.1f/s: %.2f of the mean H", "", h2, ok/((h+h2)/2))
		if used.hashes > 0 {
			perSignIn := used.server / float64(used.hashes)
			fmt.Printf("; H's CPU per hash (mean %.1f ms) / server CPU per sign-in = %.2f", (hcpu+hcpu2).Seconds()*500, (hcpu+hcpu2).Seconds()/2/perSignIn)
		}
		fmt.Println()
	}
	return nil
}

// client is one browser: its CSRF cookie and the matching form token.
type client struct{ seed, token string }

var tokenRe = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

func newClient(base string) (client, error) {
	resp, err := http.Get(base + "/acme/sign-in")
	if err != nil {
		return client{}, err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	m := tokenRe.FindSubmatch(body)
	if m == nil {
		return client{}, fmt.Errorf("no CSRF token on the sign-in page (status %d)", resp.StatusCode)
	}
	for _, c := range resp.Cookies() {
		if c.Name == "wp_csrf" {
			return client{seed: c.Value, token: string(m[1])}, nil
		}
	}
	return client{}, fmt.Errorf("no CSRF cookie")
}

func attack(base string, n, users int, d time.Duration, child *child, h float64) (float64, error) {
	clients := make([]client, n)
	for i := range clients {
		c, err := newClient(base)
		if err != nil {
			return 0, err
		}
		clients[i] = c
	}
	var next atomic.Uint64
	targeter := func(t *vegeta.Target) error {
		i := next.Add(1) - 1
		c := clients[i%uint64(n)]
		form := url.Values{"identifier": {fmt.Sprintf("load.user%03d", i%uint64(users))}, "password": {"watchpost-demo-2026"}, "_csrf": {c.token}}
		t.Method, t.URL, t.Body = http.MethodPost, base+"/acme/sign-in", []byte(form.Encode())
		t.Header = http.Header{"Content-Type": {"application/x-www-form-urlencoded"}, "Cookie": {"wp_csrf=" + c.seed}}
		return nil
	}
	atk := vegeta.NewAttacker(vegeta.Workers(uint64(n)), vegeta.MaxWorkers(uint64(n)), vegeta.Connections(n),
		vegeta.Redirects(vegeta.NoFollow), vegeta.Timeout(30*time.Second))
	var m vegeta.Metrics
	ctx, cancel := context.WithCancel(context.Background())
	go child.watchMemory(ctx)
	for r := range atk.Attack(targeter, vegeta.Rate{Freq: 0}, d, "signin") {
		m.Add(r)
	}
	cancel()
	m.Close()
	ok := float64(m.StatusCodes["303"]) / m.Duration.Seconds()
	fmt.Printf("%10.1f %6.2f %9s %9s %9s %9s %7.0fM %v\n", ok, ok/h, round(m.Latencies.P50), round(m.Latencies.P90),
		round(m.Latencies.P99), round(m.Latencies.Max), float64(child.peak.Load())/1024, m.StatusCodes)
	return ok, nil
}

func round(d time.Duration) time.Duration { return d.Round(time.Millisecond) }

// child is the server process under test.
type child struct {
	cmd  *exec.Cmd
	dir  string
	peak atomic.Int64  // KiB
	ask  io.Writer     // the child's stdin: a line asks for the hash pool's counters
	out  *bufio.Reader // the child's stdout: "ready", then one line per question
}

func startChild(addr, database string, users int, profile string) (*child, error) {
	dir, err := os.MkdirTemp("", "watchpost-load-")
	if err != nil {
		return nil, err
	}
	if database == "" {
		database = filepath.Join(dir, "load.db")
	}
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(self, "serve-child", addr, database, strconv.Itoa(users), profile)
	// The server's log (a line per request) goes to a file, as in production, not the
	// terminal; it is shown if the server fails to start.
	logFile, err := os.Create(filepath.Join(dir, "server.log"))
	if err != nil {
		return nil, err
	}
	cmd.Stderr = logFile
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	ask, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	c := &child{cmd: cmd, dir: dir, ask: ask, out: bufio.NewReader(out)}
	line, err := c.out.ReadString('\n') // "ready" once it listens
	if err != nil || strings.TrimSpace(line) != "ready" {
		if b, rerr := os.ReadFile(logFile.Name()); rerr == nil {
			os.Stderr.Write(b)
		}
		c.stop()
		return nil, fmt.Errorf("server did not start: %q %v", line, err)
	}
	return c, nil
}

// watchMemory samples the child's peak resident set (the kernel keeps the maximum).
func (c *child) watchMemory(ctx context.Context) {
	t := time.NewTicker(200 * time.Millisecond)
	defer t.Stop()
	for {
		if kb := readHWM(c.cmd.Process.Pid); kb > c.peak.Load() {
			c.peak.Store(kb)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func readHWM(pid int) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			n, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return n
		}
	}
	return 0
}

func (c *child) stop() {
	_ = c.cmd.Process.Signal(os.Interrupt)
	done := make(chan struct{})
	go func() { _ = c.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		_ = c.cmd.Process.Kill()
	}
	os.RemoveAll(c.dir)
}
