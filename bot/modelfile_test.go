package bot

import "testing"

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

// BenchmarkModelLoad measures what the server pays at start to load the models (the bar
// is 100 ms; see PERFORMANCE.md): go test ./bot -run '^$' -bench ModelLoad.
func BenchmarkModelLoad(b *testing.B) {
	for b.Loop() {
		if _, err := load(); err != nil {
			b.Fatal(err)
		}
	}
}

// TestTruncatedModelIsAnError: a damaged model file fails to load, never panics.
func TestTruncatedModelIsAnError(t *testing.T) {
	for _, n := range []int{0, 10, len(modelMagic) + 40, len(modelFile) / 2, len(modelFile) - 1} {
		if _, err := decodeModels(modelFile[:n]); err == nil {
			t.Errorf("a model file cut at %d bytes loaded", n)
		}
	}
}
