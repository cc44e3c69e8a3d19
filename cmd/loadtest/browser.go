package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/watchpost/watchpost/domain"
	"github.com/watchpost/watchpost/passwordhash"
)

// browse is the browser-like pattern: each of n clients keeps its cookies and one
// keep-alive connection, and for every sign-in fetches the form, reads its CSRF token
// and posts it. A sign-in's latency is the pair's.
func browse(base string, n, users int, d time.Duration, child *child, h float64) (float64, error) {
	var next atomic.Uint64
	var mu sync.Mutex
	var lat []time.Duration
	codes := map[string]int{}
	var failure atomic.Value
	deadline := time.Now().Add(d)
	start := time.Now()
	stopMem := make(chan struct{})
	go func() {
		t := time.NewTicker(200 * time.Millisecond)
		defer t.Stop()
		for {
			if kb := readHWM(child.cmd.Process.Pid); kb > child.peak.Load() {
				child.peak.Store(kb)
			}
			select {
			case <-stopMem:
				return
			case <-t.C:
			}
		}
	}()
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			jar, _ := cookiejar.New(nil)
			c := &http.Client{Jar: jar, Timeout: 30 * time.Second,
				Transport:     &http.Transport{MaxIdleConnsPerHost: 1},
				CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
			for time.Now().Before(deadline) {
				user := fmt.Sprintf("load.user%03d", next.Add(1)%uint64(users))
				t0 := time.Now()
				code, err := browserSignIn(c, base, user)
				if err != nil {
					failure.Store(err)
					return
				}
				mu.Lock()
				lat = append(lat, time.Since(t0))
				codes[code]++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	close(stopMem)
	if err, _ := failure.Load().(error); err != nil {
		return 0, err
	}
	elapsed := time.Since(start)
	slices.Sort(lat)
	q := func(p float64) time.Duration {
		if len(lat) == 0 {
			return 0
		}
		return lat[min(len(lat)-1, int(p*float64(len(lat))))]
	}
	ok := float64(codes["303"]) / elapsed.Seconds()
	fmt.Printf("%10.1f %6.2f %9s %9s %9s %9s %7.0fM %v\n", ok, ok/h, round(q(.5)), round(q(.9)), round(q(.99)),
		round(q(1)), float64(child.peak.Load())/1024, codes)
	return ok, nil
}

// browserSignIn GETs the sign-in form and POSTs it; the status is the POST's.
func browserSignIn(c *http.Client, base, user string) (string, error) {
	resp, err := c.Get(base + "/acme/sign-in")
	if err != nil {
		return "", err
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := tokenRe.FindSubmatch(body)
	if m == nil {
		return fmt.Sprint(resp.StatusCode), nil // a 503 page has no form: count it
	}
	form := url.Values{"identifier": {user}, "password": {domain.DemoPassword}, "_csrf": {string(m[1])}}
	resp, err = c.Post(base+"/acme/sign-in", "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
	if err != nil {
		return "", err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return fmt.Sprint(resp.StatusCode), nil
}

// measureH runs argon2id verifications (production parameters) on every core for d and
// returns how many complete per second: the most sign-ins this machine can check, and
// the CPU time one verification took (user+system of this process, which does nothing
// else meanwhile).
func measureH(d time.Duration) (float64, time.Duration) {
	hasher := passwordhash.NewPool(passwordhash.Default, 0, time.Minute)
	hash, err := hasher.Hash(context.Background(), domain.DemoPassword)
	if err != nil {
		panic(err)
	}
	var done atomic.Int64
	cpu0 := selfCPU()
	deadline := time.Now().Add(d)
	start := time.Now()
	var wg sync.WaitGroup
	for range runtime.NumCPU() {
		wg.Go(func() {
			for time.Now().Before(deadline) {
				if ok, _, err := hasher.Verify(context.Background(), domain.DemoPassword, hash); err != nil || !ok {
					panic(fmt.Sprint("verify: ", ok, err))
				}
				done.Add(1)
			}
		})
	}
	wg.Wait()
	n := done.Load()
	return float64(n) / time.Since(start).Seconds(), time.Duration((selfCPU() - cpu0) / float64(n) * 1e9)
}
