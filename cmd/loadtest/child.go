package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"net"
	"os"
	"os/signal"
	"runtime/pprof"
	"strconv"
	"time"

	"github.com/watchpost/watchpost/config"
	"github.com/watchpost/watchpost/domain"
	"github.com/watchpost/watchpost/server"
)

// serveChild runs the server under test: demo data plus load.userNNN accounts in acme,
// production hashing, and "ready" on stdout once it listens.
func serveChild(args []string) error {
	if len(args) != 4 {
		return fmt.Errorf("usage: serve-child ADDR DATABASE USERS CPUPROFILE")
	}
	addr, database := args[0], args[1]
	users, err := strconv.Atoi(args[2])
	if err != nil {
		return err
	}
	server.SetMemoryLimit()
	ctx := context.Background()
	// PostgreSQL needs a two-step key; this tool's runs need none kept.
	key := os.Getenv("WATCHPOST_TWO_STEP_KEY")
	if key == "" {
		b := make([]byte, 32)
		_, _ = rand.Read(b)
		key = base64.StdEncoding.EncodeToString(b)
	}
	c := config.Default()
	c.Database.URL, c.HTTP.BaseURL, c.Security.TwoStepKey, c.Demo = database, "http://"+addr, key, true
	s, err := server.New(ctx, server.Config{Config: c,
		// Every virtual client comes from 127.0.0.1: the per-address share of password
		// checks would refuse them as one flooding client. This tool measures capacity.
		Services: func(c *domain.Config) { c.HashPerAddress = 0 }})
	if err != nil {
		return err
	}
	if _, err := s.AddLoadUsers(ctx, users); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	if args[3] != "" { // profile the runs only, not the seeding above
		f, err := os.Create(args[3])
		if err != nil {
			return err
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
	}
	go func() {
		stop := make(chan os.Signal, 1)
		signal.Notify(stop, os.Interrupt)
		<-stop
		pprof.StopCPUProfile()
		_ = s.Shutdown(5 * time.Second)
	}()
	// The load tool asks for the hash pool's counters between runs: one line on stdin,
	// one line back ("hashes held-ns slots").
	go func() {
		in := bufio.NewScanner(os.Stdin)
		for in.Scan() {
			st := s.Hasher.Stats()
			fmt.Printf("%d %d %d\n", st.Hashes, st.Held.Nanoseconds(), s.Hasher.Slots())
		}
	}()
	fmt.Println("ready")
	return s.Serve(ln)
}
