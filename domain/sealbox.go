package domain

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"strings"
)

// BodySealer encrypts the bodies of e-mails waiting in the outbox (AES-GCM), with a key
// derived from the deployment's configured key, which lives outside the database: a
// copy of the database alone shows no live reset or set-password link.
type BodySealer struct{ aead cipher.AEAD }

// sealedPrefix marks a sealed body; a body without it (written before bodies were
// sealed) reads as it is.
const sealedPrefix = "sealed:v1:"

// NewBodySealer derives the outbox key from key (the 32-byte two-step key).
func NewBodySealer(key []byte) *BodySealer {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("watchpost outbox bodies"))
	block, err := aes.NewCipher(m.Sum(nil))
	if err != nil {
		panic(err) // a 32-byte key always makes a cipher
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		panic(err)
	}
	return &BodySealer{aead: aead}
}

// Seal encrypts a body; "" stays "".
func (b *BodySealer) Seal(body string) string {
	if body == "" {
		return ""
	}
	nonce := make([]byte, b.aead.NonceSize())
	_, _ = rand.Read(nonce)
	return sealedPrefix + base64.RawStdEncoding.EncodeToString(b.aead.Seal(nonce, nonce, []byte(body), nil))
}

// Open decrypts a sealed body; an unsealed one is returned as it is.
func (b *BodySealer) Open(body string) (string, error) {
	rest, ok := strings.CutPrefix(body, sealedPrefix)
	if !ok {
		return body, nil
	}
	raw, err := base64.RawStdEncoding.DecodeString(rest)
	n := b.aead.NonceSize()
	if err != nil || len(raw) < n {
		return "", errors.New("outbox body is damaged")
	}
	plain, err := b.aead.Open(nil, raw[:n], raw[n:], nil)
	if err != nil {
		return "", errors.New("outbox body does not open with the configured key")
	}
	return string(plain), nil
}
