package handlers

import (
	"bytes"
	"net/netip"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// Behind proxies that append to X-Forwarded-For, its left-most entries are whatever the
// client sent; only the entries the trusted proxies appended can be believed. With
// --proxy-header X-Forwarded-For, forwardedFor keeps the right-most address that is not
// itself a trusted proxy, so the per-address rules count the real client.

// trustedSet holds the trusted proxies' addresses and ranges.
type trustedSet []netip.Prefix

func newTrustedSet(list []string) trustedSet {
	var out trustedSet
	for _, s := range list {
		s = strings.TrimSpace(s)
		if p, err := netip.ParsePrefix(s); err == nil {
			out = append(out, p.Masked())
		} else if a, err := netip.ParseAddr(s); err == nil {
			out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
		}
	}
	return out
}

func (t trustedSet) contains(a netip.Addr) bool {
	a = a.Unmap()
	for _, p := range t {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// forwardedFor rewrites X-Forwarded-For, from a trusted proxy, to its right-most
// untrusted address (none usable: the header goes, and the connection's address counts).
func (h *handler) forwardedFor(c *fiber.Ctx) error {
	if !strings.EqualFold(h.cfg.ProxyHeader, fiber.HeaderXForwardedFor) || !c.IsProxyTrusted() {
		return c.Next()
	}
	entries := bytes.Split(bytes.Join(c.Request().Header.PeekAll(fiber.HeaderXForwardedFor), []byte(",")), []byte(","))
	client := ""
	for i := len(entries) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(string(bytes.TrimSpace(entries[i])))
		if err != nil {
			break // what is left of an unreadable entry cannot be told from the client's
		}
		if !h.trusted.contains(a) {
			client = a.Unmap().String()
			break
		}
	}
	c.Request().Header.Del(fiber.HeaderXForwardedFor)
	if client != "" {
		c.Request().Header.Set(fiber.HeaderXForwardedFor, client)
	}
	return c.Next()
}
