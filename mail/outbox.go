// Package mail delivers the e-mail that the services write to the outbox over SMTP.
// Without SMTP nothing sends: e-mail waits in the outbox, where the development mailbox
// page shows it in development mode.
package mail

import (
	"context"
	"log/slog"
	"time"

	"github.com/watchpost/watchpost/domain"
)

// Sender delivers one e-mail; an error means "try again later".
type Sender interface {
	Send(ctx context.Context, e domain.Email) error
}

// Worker sends outbox messages with retries and backoff. Several workers (one per app
// instance) can share one database: each message is leased to one worker at a time.
type Worker struct {
	Store       domain.OutboxStore
	Sender      Sender
	Clock       domain.Clock
	Poll        time.Duration // how often to look for due messages
	Lease       time.Duration // how long a claimed message is reserved for its sender
	MaxAttempts int           // after this many failures a message is marked failed
	Batch       int
	Metrics     domain.Metrics // counts deliveries and failures; nil counts nothing
}

// NewWorker returns a worker with production settings.
func NewWorker(st domain.OutboxStore, s Sender, c domain.Clock) *Worker {
	return &Worker{Store: st, Sender: s, Clock: c, Poll: time.Second, Lease: 2 * time.Minute, MaxAttempts: 8, Batch: 20, Metrics: domain.NopMetrics{}}
}

// Run sends due messages until ctx ends; a message being sent then is finished first.
func (w *Worker) Run(ctx context.Context) {
	t := time.NewTicker(w.Poll)
	defer t.Stop()
	for {
		if _, err := w.RunOnce(ctx); err != nil && ctx.Err() == nil {
			slog.Error("outbox", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// RunOnce claims and sends the due messages once, returning how many were delivered.
func (w *Worker) RunOnce(ctx context.Context) (int, error) {
	msgs, err := w.Store.ClaimOutbox(ctx, w.Clock.Now(), w.Lease, w.Batch)
	if err != nil {
		return 0, err
	}
	sent := 0
	for _, m := range msgs {
		// Finish the message in hand even when asked to stop, so none is left leased.
		sendCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		err := w.Sender.Send(sendCtx, m.Email())
		cancel()
		if err != nil {
			w.metrics().MailFailed(m.Attempts >= w.MaxAttempts)
			w.retry(ctx, m, err)
			continue
		}
		if err := w.Store.MarkSent(context.WithoutCancel(ctx), m.ID, w.Clock.Now()); err != nil {
			return sent, err
		}
		w.metrics().MailSent()
		sent++
	}
	return sent, nil
}

func (w *Worker) metrics() domain.Metrics {
	if w.Metrics == nil {
		return domain.NopMetrics{}
	}
	return w.Metrics
}

// retry schedules the next attempt with exponential backoff, or gives up.
func (w *Worker) retry(ctx context.Context, m domain.OutboxMessage, sendErr error) {
	now := w.Clock.Now()
	status, next := domain.OutboxPending, now.Add(backoff(m.Attempts))
	if m.Attempts >= w.MaxAttempts {
		status, next = domain.OutboxFailed, now
	}
	slog.Warn("e-mail not sent", "id", m.ID, "attempt", m.Attempts, "status", status, "err", sendErr)
	if err := w.Store.MarkRetry(context.WithoutCancel(ctx), m.ID, status, next, domain.Truncate(sendErr.Error(), 500)); err != nil {
		slog.Error("outbox retry", "err", err)
	}
}

// backoff is 10 s after the first failure, doubling up to an hour.
func backoff(attempts int) time.Duration {
	d := 10 * time.Second
	for i := 1; i < attempts && d < time.Hour; i++ {
		d *= 2
	}
	return min(d, time.Hour)
}
