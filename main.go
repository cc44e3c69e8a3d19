// Command watchpost runs the Watchpost portal: sign-in and password help for the
// employees of many companies on one deployment.
//
//	watchpost [serve] [flags]   start the web portal (default)
//	watchpost migrate           apply database migrations and exit
//	watchpost demo              create the demo portals and accounts and exit
//	watchpost portal create --code CODE --name NAME --admin-email EMAIL
//	                            create a portal and print its first administrator's
//	                            one-time set-password link
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/watchpost/watchpost/config"
	"github.com/watchpost/watchpost/domain"
	"github.com/watchpost/watchpost/i18n"
	"github.com/watchpost/watchpost/server"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "watchpost:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	cmd := "serve"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	if cmd == "portal" {
		if len(args) == 0 || args[0] != "create" {
			return fmt.Errorf("usage: watchpost portal create --code CODE --name NAME --admin-email EMAIL")
		}
		return createPortal(args[1:])
	}
	o, err := config.Load(cmd, args, os.Getenv, nil)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	if err != nil {
		return err
	}
	switch cmd {
	case "serve":
		return serve(o)
	case "migrate":
		s, err := open(o, false)
		if err != nil {
			return err
		}
		fmt.Println("migrations applied")
		return s.DB.Close()
	case "demo":
		s, err := open(o, true)
		if err != nil {
			return err
		}
		fmt.Println(demoBanner(s.Seeded))
		return s.DB.Close()
	}
	return fmt.Errorf("unknown command %q (try serve, migrate, demo)", cmd)
}

// createPortal is `watchpost portal create`.
func createPortal(args []string) error {
	var code, name, email string
	o, err := config.Load("portal create", args, os.Getenv, func(fs *flag.FlagSet) {
		fs.StringVar(&code, "code", "", "portal code, part of every URL (e.g. initech)")
		fs.StringVar(&name, "name", "", "company name shown on the portal")
		fs.StringVar(&email, "admin-email", "", "e-mail of the first administrator")
	})
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	if err != nil {
		return err
	}
	s, err := open(o, false)
	if err != nil {
		return err
	}
	defer s.DB.Close()
	link, err := s.Services.Portals.CreateWithAdmin(context.Background(), s.Services.Reset, code, name, email)
	var v *domain.ValidationError
	if errors.As(err, &v) {
		var msgs []string
		for field, msg := range v.Text(i18n.English) { // the command line speaks English
			msgs = append(msgs, "--"+strings.ReplaceAll(field, "_", "-")+": "+msg)
		}
		return errors.New(strings.Join(msgs, "; "))
	}
	if err != nil {
		return err
	}
	fmt.Printf("Portal %q created. Its administrator sets a password at this one-time link:\n%s\n", code, link)
	return nil
}

// open starts the server over the configured database, seeding the demo data if demo.
func open(c config.Config, demo bool) (*server.Server, error) {
	c.Demo = demo
	return server.New(context.Background(), server.Config{Config: c})
}

func serve(o config.Config) error {
	server.SetMemoryLimit()
	setLogger(o.Log.Format)
	s, err := open(o, o.Demo)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", o.HTTP.Addr)
	if err != nil {
		s.DB.Close()
		return err
	}
	if o.HTTP.MetricsAddr != "" {
		mln, err := net.Listen("tcp", o.HTTP.MetricsAddr)
		if err != nil {
			ln.Close()
			s.DB.Close()
			return fmt.Errorf("metrics address: %w", err)
		}
		go func() {
			if err := s.ServeMetrics(mln); err != nil {
				slog.Error("metrics listener", "err", err)
			}
		}()
		fmt.Printf("Metrics at http://%s/metrics\n", mln.Addr())
	}
	s.StartWorker()
	fmt.Printf("Watchpost is running at %s\n", o.HTTP.BaseURL)
	if o.Demo {
		fmt.Println(demoBanner(s.Seeded))
	}
	switch {
	case o.Mail.SMTPURL == "" && o.Dev:
		fmt.Printf("Development mode, no SMTP configured: e-mail goes to %s/dev/mailbox\n", o.HTTP.BaseURL)
	case o.Mail.SMTPURL == "":
		slog.Warn("NO SMTP SERVER CONFIGURED: e-mail (reset links, lockout notices) is NOT SENT; it is kept in the outbox and sent once Watchpost runs with --smtp (see /readyz)")
	}
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	done := make(chan error, 1)
	go func() {
		<-stop
		if o.HTTP.Drain > 0 {
			slog.Info("draining", "for", o.HTTP.Drain)
			s.Drain()
			time.Sleep(o.HTTP.Drain)
		}
		slog.Info("shutting down")
		done <- s.Shutdown(20 * time.Second)
	}()
	if err := s.Serve(ln); err != nil {
		return err
	}
	return <-done
}

// setLogger writes structured log lines (one per request, among others) to standard error.
func setLogger(format string) {
	var h slog.Handler = slog.NewTextHandler(os.Stderr, nil)
	if format == "json" {
		h = slog.NewJSONHandler(os.Stderr, nil)
	}
	slog.SetDefault(slog.New(h))
}

func demoBanner(created bool) string {
	var b strings.Builder
	if created {
		b.WriteString("Demo data created. ")
	}
	b.WriteString("Demo accounts (password " + domain.DemoPassword + "):\n")
	for _, line := range domain.DemoAccounts() {
		b.WriteString("  " + line + "\n")
	}
	b.WriteString("  support console: sam.support (vendor support)")
	return b.String()
}
