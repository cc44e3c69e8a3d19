package pages

import "github.com/watchpost/watchpost/domain"

// PasskeysPanelVM is the account page's passkeys section.
type PasskeysPanelVM struct {
	PortalCode string
	CSRF       string
	Site       bool // the site can be a WebAuthn relying party: without, no section at all
	Available  bool // the portal allows passkeys and the site can be a relying party
	Enrolled   bool // the person uses two-step verification: adding asks for a code too
	Keys       []domain.Passkey
	Problem    string // a catalogue key, or ""
}

// usernameAutocomplete lets the browser offer passkeys in the username field's autofill
// (conditional mediation) where the portal takes them.
func usernameAutocomplete(vm SignInVM) string {
	if vm.Passkeys {
		return "username webauthn"
	}
	return "username"
}
