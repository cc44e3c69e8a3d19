// Command botgen trains the help assistant's models from bot/corpus and
// writes the model file the bot package embeds. It runs from
// `go generate ./bot`; its output is deterministic, so CI regenerates it and
// checks that nothing changed.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/watchpost/watchpost/bot"
)

func main() {
	out := flag.String("o", "model.bin", "the model file to write")
	flag.Parse()
	b, err := bot.Train()
	if err != nil {
		fmt.Fprintln(os.Stderr, "botgen:", err)
		os.Exit(1)
	}
	if err := os.WriteFile(*out, b, 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "botgen:", err)
		os.Exit(1)
	}
}
