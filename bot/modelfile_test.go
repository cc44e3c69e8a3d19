package bot

import (
	"syscall"
	"testing"
	"time"
)

// TestModelMatchesCorpus checks that the embedded model was trained on the
// corpus files as they are now: after editing the corpus, run
// `go generate ./bot` (CI also regenerates and diffs the file).
func TestModelMatchesCorpus(t *testing.T) {
	want, err := CorpusDigest()
	if err != nil {
		t.Fatal(err)
	}
	ms, err := decodeModels(modelFile)
	if err != nil {
		t.Fatal(err)
	}
	if ms.digest != want {
		t.Fatalf("model.bin was trained on another corpus (digest %x, corpus %x): run go generate ./bot", ms.digest[:8], want[:8])
	}
}

// TestModelLoadsFast: the server loads the models at start, under 100 ms of
// CPU (process CPU time, so that other work on a shared machine does not
// count; the wall time is logged too).
func TestModelLoadsFast(t *testing.T) {
	best, bestWall := time.Hour, time.Hour
	for range 5 {
		cpu0, start := cpuTime(), time.Now()
		if _, err := Load(); err != nil {
			t.Fatal(err)
		}
		best, bestWall = min(best, cpuTime()-cpu0), min(bestWall, time.Since(start))
	}
	t.Logf("models load in %v of CPU (%v wall)", best, bestWall)
	if best > 100*time.Millisecond && !raceEnabled {
		t.Errorf("loading the models took %v of CPU, want under 100 ms", best)
	}
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// TestTruncatedModelIsAnError: a damaged model file fails to load, never panics.
func TestTruncatedModelIsAnError(t *testing.T) {
	for _, n := range []int{0, 10, len(modelMagic) + 40, len(modelFile) / 2, len(modelFile) - 1} {
		if _, err := decodeModels(modelFile[:n]); err == nil {
			t.Errorf("a model file cut at %d bytes loaded", n)
		}
	}
}
