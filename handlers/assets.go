package handlers

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/watchpost/watchpost/assets"
)

// Cache lifetimes of the static files.
const (
	// immutableCache is for a fingerprinted address: its content never changes.
	immutableCache = "public, max-age=31536000, immutable"
	// revalidateCache is for an address without the current fingerprint (an old page,
	// a hand-typed URL): the browser must ask again, cheaply with the ETag.
	revalidateCache = "no-cache"
)

// serveAsset answers /assets/NAME from the embedded files. Only the address built by
// assets.URL, with the file's current fingerprint, may be kept for a year.
func serveAsset(c *fiber.Ctx) error {
	name := strings.TrimPrefix(c.Path(), strings.TrimSuffix(assets.Prefix, "/")+"/")
	f := assets.Lookup(name)
	if f == nil {
		return fiber.ErrNotFound
	}
	etag := `"` + f.Version + `"`
	c.Set(fiber.HeaderETag, etag)
	c.Set(fiber.HeaderCacheControl, revalidateCache)
	if c.Query("v") == f.Version {
		c.Set(fiber.HeaderCacheControl, immutableCache)
	}
	if c.Get(fiber.HeaderIfNoneMatch) == etag {
		return c.SendStatus(fiber.StatusNotModified)
	}
	c.Set(fiber.HeaderContentType, f.ContentType)
	return c.Send(f.Body)
}
