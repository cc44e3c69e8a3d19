package domain_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"testing"

	"github.com/fxamacker/cbor/v2"
	"github.com/stretchr/testify/require"

	"github.com/go-webauthn/webauthn/protocol"
)

// softAuthenticator is a test-only WebAuthn authenticator: it makes an ECDSA P-256 key
// per credential and answers creation and assertion options the way a browser and a
// platform authenticator would (attestation "none"), so that domain tests drive the
// real library with real answers. It checks nothing itself: that is the server's job.
type softAuthenticator struct {
	origin string
	// noUV answers without user verification (a security key without a PIN).
	noUV bool
	keys []*softKey
}

// softKey is one credential the authenticator holds.
type softKey struct {
	id     []byte
	key    *ecdsa.PrivateKey
	rpID   string
	handle []byte // the user handle given at creation
	count  uint32 // the signature counter; stays 0 when static
	counts bool   // whether the counter moves (synced passkeys keep 0)
}

var b64 = base64.RawURLEncoding

const (
	flagUP = 0x01
	flagUV = 0x04
	flagAT = 0x40
)

func (a *softAuthenticator) flags() byte {
	if a.noUV {
		return flagUP
	}
	return flagUP | flagUV
}

// create answers navigator.credentials.create() with the options the server sent.
func (a *softAuthenticator) create(t testing.TB, options []byte) ([]byte, *softKey) {
	t.Helper()
	var cc protocol.CredentialCreation
	require.NoError(t, json.Unmarshal(options, &cc))
	o := cc.Response
	handle, err := b64.DecodeString(o.User.ID.(string))
	require.NoError(t, err)
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	k := &softKey{id: make([]byte, 32), key: priv, rpID: o.RelyingParty.ID, handle: handle}
	_, _ = rand.Read(k.id)
	pub, err := priv.PublicKey.ECDH()
	require.NoError(t, err)
	raw := pub.Bytes() // 0x04 || X || Y
	cose, err := cbor.Marshal(map[int]any{1: 2, 3: -7, -1: 1, -2: raw[1:33], -3: raw[33:]})
	require.NoError(t, err)
	rpHash := sha256.Sum256([]byte(k.rpID))
	auth := append(rpHash[:], a.flags()|flagAT)
	auth = binary.BigEndian.AppendUint32(auth, 0)
	auth = append(auth, make([]byte, 16)...) // AAGUID: none
	auth = binary.BigEndian.AppendUint16(auth, uint16(len(k.id)))
	auth = append(auth, k.id...)
	auth = append(auth, cose...)
	att, err := cbor.Marshal(map[string]any{"fmt": "none", "attStmt": map[string]any{}, "authData": auth})
	require.NoError(t, err)
	cd := a.clientData(t, "webauthn.create", o.Challenge)
	out, err := json.Marshal(map[string]any{
		"id": b64.EncodeToString(k.id), "rawId": b64.EncodeToString(k.id), "type": "public-key",
		"authenticatorAttachment": "platform", "clientExtensionResults": map[string]any{},
		"response": map[string]any{"clientDataJSON": b64.EncodeToString(cd), "attestationObject": b64.EncodeToString(att), "transports": []string{"internal"}},
	})
	require.NoError(t, err)
	a.keys = append(a.keys, k)
	return out, k
}

// get answers navigator.credentials.get() with key k.
func (a *softAuthenticator) get(t testing.TB, options []byte, k *softKey) []byte {
	t.Helper()
	var ca protocol.CredentialAssertion
	require.NoError(t, json.Unmarshal(options, &ca))
	if k.counts {
		k.count++
	}
	rpHash := sha256.Sum256([]byte(k.rpID))
	auth := append(rpHash[:], a.flags())
	auth = binary.BigEndian.AppendUint32(auth, k.count)
	cd := a.clientData(t, "webauthn.get", ca.Response.Challenge)
	cdHash := sha256.Sum256(cd)
	digest := sha256.Sum256(append(append([]byte{}, auth...), cdHash[:]...))
	sig, err := ecdsa.SignASN1(rand.Reader, k.key, digest[:])
	require.NoError(t, err)
	out, err := json.Marshal(map[string]any{
		"id": b64.EncodeToString(k.id), "rawId": b64.EncodeToString(k.id), "type": "public-key",
		"authenticatorAttachment": "platform", "clientExtensionResults": map[string]any{},
		"response": map[string]any{
			"clientDataJSON": b64.EncodeToString(cd), "authenticatorData": b64.EncodeToString(auth),
			"signature": b64.EncodeToString(sig), "userHandle": b64.EncodeToString(k.handle),
		},
	})
	require.NoError(t, err)
	return out
}

func (a *softAuthenticator) clientData(t testing.TB, typ string, challenge protocol.URLEncodedBase64) []byte {
	t.Helper()
	cd, err := json.Marshal(map[string]any{"type": typ, "challenge": b64.EncodeToString(challenge), "origin": a.origin, "crossOrigin": false})
	require.NoError(t, err)
	return cd
}
