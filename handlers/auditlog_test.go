package handlers_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/watchpost/watchpost/domain"
	"github.com/watchpost/watchpost/server/servertest"
)

// Issue 23, item 2: the audit log stopped at 500 events without saying so, in the page and
// in the export. The page is paged with the total shown, the export holds every event
// that matches the filter, the person filter takes part of a name, and the CSV names
// the people and the events beside the ids and codes.
func TestAuditPagesAndExportsEverything(t *testing.T) {
	t.Parallel()
	f := servertest.New(t, servertest.Options{})
	ctx := context.Background()
	acme, eve, max := f.Portal(t, "acme"), f.User(t, "acme", "eve.employee"), f.User(t, "acme", "max.manager")
	start := f.Clock.Now().Add(-48 * time.Hour)
	for i := range 520 {
		e := &domain.AuditEvent{PortalID: acme.ID, UserID: eve.ID, Type: domain.EventSignInFailed, Detail: "via web", IP: "192.0.2.1", CreatedAt: start.Add(time.Duration(i) * time.Minute)}
		if i%4 == 0 {
			e.Type, e.UserID, e.ActorID, e.Detail = domain.EventUnlocked, max.ID, eve.ID, ""
		}
		require.NoError(t, f.Store.Audit(ctx, e))
	}
	ada := newBrowser(t, f)
	ada.signIn("acme", "ada.admin", demoPW)

	first := ada.get("/acme/admin/audit")
	require.Equal(t, 200, first.status)
	total := auditTotal(t, first.body)
	assert.GreaterOrEqual(t, total, 521, "the total counts every event")
	assert.Equal(t, domain.AuditPageSize, strings.Count(first.body, "<tr>")-1, "one page of rows")
	assert.Contains(t, first.body, fmt.Sprintf("Events 1–100 of %d", total))
	last := (total + domain.AuditPageSize - 1) / domain.AuditPageSize
	assert.Contains(t, first.body, fmt.Sprintf("Page 1 of %d", last))
	assert.Contains(t, first.body, `href="/acme/admin/audit?page=2"`)
	end := ada.get("/acme/admin/audit?page=" + strconv.Itoa(last))
	assert.Equal(t, total-(last-1)*domain.AuditPageSize, strings.Count(end.body, "<tr>")-1, "the last page holds the rest")

	rows := auditCSV(t, ada.get("/acme/admin/audit?format=csv"))
	assert.Len(t, rows, total, "the export holds every event")

	// Filtered by type, by part of a person's name (as the employee search), and both.
	unlocks := auditCSV(t, ada.get("/acme/admin/audit?format=csv&type=account_unlocked"))
	assert.Len(t, unlocks, 130)
	for _, r := range unlocks {
		assert.Equal(t, []string{"account_unlocked", "Unlocked", strconv.FormatInt(max.ID, 10), "max.manager", strconv.FormatInt(eve.ID, 10), "eve.employee"}, r[1:7])
	}
	byName := ada.get("/acme/admin/audit?user=MANAG")
	assert.Equal(t, 130, auditTotal(t, byName.body), "part of a name finds the person")
	assert.Contains(t, byName.body, `href="/acme/admin/audit?page=2&amp;user=MANAG"`, "the pages keep the filter")
	failed := auditCSV(t, ada.get("/acme/admin/audit?format=csv&user=Eve+Empl&type=signin_failed"))
	assert.Len(t, failed, 390)
	assert.Equal(t, "Sign-in failed", failed[0][2])

	// The event names follow the reader's language.
	fr := auditCSV(t, ada.get("/acme/admin/audit?format=csv&type=account_unlocked", "Accept-Language", "fr"))
	require.NotEmpty(t, fr)
	assert.NotEqual(t, "Unlocked", fr[0][2])
	assert.NotEmpty(t, fr[0][2])
}

var auditTotalRe = regexp.MustCompile(`(?:Events? [0-9–]+ of |past the end: )([0-9]+)`)

// auditTotal reads the number of matching events the audit page states.
func auditTotal(t *testing.T, body string) int {
	t.Helper()
	m := auditTotalRe.FindStringSubmatch(body)
	require.NotNil(t, m, "the audit page states how many events match")
	n, err := strconv.Atoi(m[1])
	require.NoError(t, err)
	return n
}

// auditCSV reads an export and returns its rows without the header.
func auditCSV(t *testing.T, p page) [][]string {
	t.Helper()
	require.Equal(t, 200, p.status)
	assert.Contains(t, p.header.Get("Content-Type"), "text/csv")
	rows, err := csv.NewReader(strings.NewReader(p.body)).ReadAll()
	require.NoError(t, err)
	require.NotEmpty(t, rows)
	require.Equal(t, []string{"time", "type", "event", "user_id", "username", "actor_id", "actor_username", "detail", "ip"}, rows[0])
	return rows[1:]
}
