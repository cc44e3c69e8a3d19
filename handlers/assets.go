package handlers

import (
	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/filesystem"

	"github.com/watchpost/watchpost/assets"
)

// assetsHandler serves the embedded static files.
func assetsHandler() fiber.Handler {
	return filesystem.New(filesystem.Config{
		Root:       assets.FS(),
		PathPrefix: "",
		MaxAge:     3600,
	})
}
