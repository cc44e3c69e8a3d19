// Command botcompare runs the help assistant's design research: the topic
// model's learners, features, settings and decision thresholds, and the
// reply-act and fact models, by cross-validation on our own corpus. It trains
// many models, so it is a tool rather than a test:
//
//	go run ./cmd/botcompare            # every study
//	go run ./cmd/botcompare cv replies # some of them
//
// BOT_COMPARE_EVAL=1 adds the evaluation sets' columns, for the lead's
// after-the-fact check; choices are made on the cross-validation figures only.
package main

import (
	"fmt"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/watchpost/watchpost/bot"
)

// printer reports a study on standard output; Fatal and Skip end it.
type printer struct {
	name   string
	failed bool
}

func (p *printer) Helper()                         {}
func (p *printer) Log(args ...any)                 { fmt.Println(args...) }
func (p *printer) Logf(format string, args ...any) { fmt.Printf(format+"\n", args...) }
func (p *printer) Errorf(format string, args ...any) {
	p.failed = true
	p.Logf("ERROR: "+format, args...)
}
func (p *printer) Fatal(args ...any) { p.failed = true; p.Log(args...); runtime.Goexit() }
func (p *printer) Fatalf(format string, args ...any) {
	p.failed = true
	p.Logf(format, args...)
	runtime.Goexit()
}
func (p *printer) Skipf(format string, args ...any) {
	p.Logf("skipped: "+format, args...)
	runtime.Goexit()
}

func main() {
	// The studies read their sets as the bot package's tests do: relative to
	// bot/ (testdata, and ../../shared/bot-eval beside the repository).
	if _, err := os.Stat("bot/testdata"); err == nil {
		if err := os.Chdir("bot"); err != nil {
			fmt.Fprintln(os.Stderr, "botcompare:", err)
			os.Exit(1)
		}
	}
	names := os.Args[1:]
	if len(names) == 0 {
		for n := range bot.Research {
			names = append(names, n)
		}
		slices.Sort(names)
	}
	failed := false
	for _, n := range names {
		study, ok := bot.Research[n]
		if !ok {
			fmt.Fprintf(os.Stderr, "botcompare: no study %q\n", n)
			os.Exit(2)
		}
		fmt.Printf("== %s\n", n)
		p := &printer{name: n}
		var wg sync.WaitGroup
		wg.Go(func() { study(p) }) // in its own goroutine, so Fatal and Skip can end it
		wg.Wait()
		failed = failed || p.failed
	}
	if failed {
		fmt.Fprintln(os.Stderr, "botcompare: a study reported errors:", strings.Join(names, " "))
		os.Exit(1)
	}
}
