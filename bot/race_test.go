//go:build race

package bot

// raceEnabled: the race detector slows everything several times; timing bars are skipped.
const raceEnabled = true
