package domain

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/watchpost/watchpost/i18n"
)

// Every way a sign-in comes in has its name in the catalogue, so an audit detail never
// shows a message id.
func TestAuditViaNamesExist(t *testing.T) {
	t.Parallel()
	for _, via := range []string{string(SessionWeb), string(SessionMobile), string(SessionSupport), "password re-entry", "support console",
		"two-step " + string(SessionWeb), "two-step " + string(SessionMobile), "two-step " + string(SessionSupport)} {
		assert.True(t, i18n.Has(string(viaKey(via))), via)
	}
}

// A stored detail reads back in each language, and an event written before notes shows
// its text.
func TestAuditNotesRoundTrip(t *testing.T) {
	t.Parallel()
	ns := Notes{note("audit.locked", "Attempts", 5, "Count", 1, "Via", viaKey("web")), noteText("a@x → b@x")}
	e := AuditEvent{Detail: ns.In(i18n.Default), Notes: ns.encode()}
	assert.Equal(t, "5 failed attempts; locked for 1 minute (via web); a@x → b@x", e.Detail)
	assert.Equal(t, "5 tentatives échouées ; verrouillé pendant 1 minute (par le Web); a@x → b@x", e.DetailIn(i18n.French))
	assert.Equal(t, "old text", AuditEvent{Detail: "old text"}.DetailIn(i18n.French))
}

// A role change keeps its permissions as message ids, so each language names them and
// no screen parses the English text back.
func TestAuditRoleChangeNote(t *testing.T) {
	t.Parallel()
	from, to := Role{Permissions: "view_employees nosuch"}, Role{Permissions: ""}
	ns := Notes{note("audit.role.changed", "Role", "Manager", "From", permissionNames(from), "To", permissionNames(Role{Permissions: "view_employees reset_password"}))}
	e := AuditEvent{Detail: ns.In(i18n.Default), Notes: ns.encode()}
	assert.Equal(t, "Manager: View employees → View employees, Reset passwords", e.Detail)
	assert.Equal(t, "Manager : Voir les employés → Voir les employés, Réinitialiser les mots de passe", e.DetailIn(i18n.French))
	assert.Equal(t, "Manager: View employees → no permissions",
		Notes{note("audit.role.changed", "Role", "Manager", "From", permissionNames(from), "To", permissionNames(to))}.In(i18n.Default))
}
