package bot

import (
	"bufio"
	"embed"
	"fmt"
	"io/fs"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
)

// The recogniser is a multinomial logistic regression over the features of
// features.go, trained when the engine is built from the labelled corpus in
// corpus/*.tsv (topic, language, message). Training is deterministic: the
// rows are read in file order and shuffled with a fixed seed, so the same
// corpus gives the same weights, bit for bit, on every start.

//go:embed corpus/*.tsv
var corpusFiles embed.FS

// example is one labelled message of the corpus.
type example struct {
	topic, lang, text string
}

// loadCorpus reads every corpus file, in name order.
func loadCorpus() ([]example, error) {
	paths, err := fs.Glob(corpusFiles, "corpus/*.tsv")
	if err != nil {
		return nil, err
	}
	slices.Sort(paths)
	var out []example
	for _, p := range paths {
		f, err := corpusFiles.Open(p)
		if err != nil {
			return nil, err
		}
		sc := bufio.NewScanner(f)
		for line := 1; sc.Scan(); line++ {
			cols := strings.Split(sc.Text(), "\t")
			if len(cols) != 3 || cols[2] == "" {
				f.Close()
				return nil, fmt.Errorf("%s:%d: want topic, language and message", p, line)
			}
			out = append(out, example{topic: cols[0], lang: cols[1], text: cols[2]})
		}
		f.Close()
		if err := sc.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// model is a trained linear classifier: one weight per (feature, class).
type model struct {
	classes []string
	index   map[string]int32 // feature -> row of weights
	weights []float32        // len(index) * len(classes), row-major
	bias    []float32
}

// vector is a message's features as rows of the model, each with weight
// 1/sqrt(n) so long messages do not shout.
type vector struct {
	rows  []int32
	names []string
	value float32
}

// vectorizeFeatures keeps the known features, ordered by row so that float
// sums come out identical on every run.
func (m *model) vectorizeFeatures(feats []string) vector {
	v := vector{}
	type known struct {
		row  int32
		name string
	}
	ks := make([]known, 0, len(feats))
	for _, f := range feats {
		if i, ok := m.index[f]; ok {
			ks = append(ks, known{i, f})
		}
	}
	slices.SortFunc(ks, func(a, b known) int { return int(a.row - b.row) })
	v.rows, v.names = make([]int32, len(ks)), make([]string, len(ks))
	for i, k := range ks {
		v.rows[i], v.names[i] = k.row, k.name
	}
	if n := len(feats); n > 0 {
		v.value = float32(1 / math.Sqrt(float64(n)))
	}
	return v
}

// scores returns the model's probability for each class.
func (m *model) scores(v vector) []float64 {
	k := len(m.classes)
	z := make([]float64, k)
	for c := range k {
		z[c] = float64(m.bias[c])
	}
	for _, r := range v.rows {
		row := m.weights[int(r)*k : int(r)*k+k]
		for c := range k {
			z[c] += float64(row[c] * v.value)
		}
	}
	return softmax(z)
}

func softmax(z []float64) []float64 {
	mx := slices.Max(z)
	sum := 0.0
	for i := range z {
		z[i] = math.Exp(z[i] - mx)
		sum += z[i]
	}
	for i := range z {
		z[i] /= sum
	}
	return z
}

// trainConfig are the training settings; fixed, so training reproduces.
type trainConfig struct {
	epochs int
	rate   float64
	l2     float64
	seed   uint64
}

var defaultTraining = trainConfig{epochs: 40, rate: 0.8, l2: 1e-5, seed: 20261201}

// train fits the model by stochastic gradient descent on the cross-entropy.
func train(rows []example, classes []string, cfg trainConfig) *model {
	m := &model{classes: classes, index: map[string]int32{}}
	classOf := map[string]int{}
	for i, c := range classes {
		classOf[c] = i
	}
	k := len(classes)
	type sample struct {
		v vector
		y int
	}
	var feats [][]string
	for _, r := range rows {
		f := featurize(r.text)
		slices.Sort(f)
		feats = append(feats, f)
		for _, name := range f {
			if _, ok := m.index[name]; !ok {
				m.index[name] = int32(len(m.index))
			}
		}
	}
	samples := make([]sample, len(rows))
	for i, r := range rows {
		v := vector{value: float32(1 / math.Sqrt(float64(len(feats[i]))))}
		for _, name := range feats[i] {
			v.rows = append(v.rows, m.index[name])
		}
		samples[i] = sample{v: v, y: classOf[r.topic]}
	}
	w := make([]float64, len(m.index)*k)
	b := make([]float64, k)
	rng := rand.New(rand.NewPCG(cfg.seed, cfg.seed^0x9e3779b97f4a7c15))
	order := make([]int, len(samples))
	for i := range order {
		order[i] = i
	}
	z := make([]float64, k)
	for epoch := range cfg.epochs {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		rate := cfg.rate / (1 + float64(epoch)*0.1)
		for _, i := range order {
			s := samples[i]
			x := float64(s.v.value)
			copy(z, b)
			for _, r := range s.v.rows {
				for c := range k {
					z[c] += w[int(r)*k+c] * x
				}
			}
			p := softmax(z)
			for c := range k {
				g := p[c]
				if c == s.y {
					g--
				}
				b[c] -= rate * g
				for _, r := range s.v.rows {
					j := int(r)*k + c
					w[j] -= rate * (g*x + cfg.l2*w[j])
				}
			}
		}
	}
	m.weights = make([]float32, len(w))
	for i := range w {
		m.weights[i] = float32(w[i])
	}
	m.bias = make([]float32, k)
	for i := range b {
		m.bias[i] = float32(b[i])
	}
	return m
}

// evidence lists the features that pushed a message towards class c most,
// strongest first: what the explanation shows.
func (m *model) evidence(v vector, c int, n int) []string {
	k := len(m.classes)
	type contrib struct {
		name string
		w    float32
	}
	var cs []contrib
	for i, r := range v.rows {
		if w := m.weights[int(r)*k+c] * v.value; w > 0 {
			cs = append(cs, contrib{v.names[i], w})
		}
	}
	slices.SortStableFunc(cs, func(a, b contrib) int {
		switch {
		case a.w > b.w:
			return -1
		case a.w < b.w:
			return 1
		}
		return strings.Compare(a.name, b.name)
	})
	var out []string
	for _, c := range cs[:min(n, len(cs))] {
		out = append(out, fmt.Sprintf("%s (%+.2f)", c.name, c.w))
	}
	return out
}

// bytes is the model's approximate size in memory.
func (m *model) bytes() int {
	size := len(m.weights)*4 + len(m.bias)*4
	for f := range m.index {
		size += len(f) + 16 + 4 + 8 // key bytes, string header, value, map overhead
	}
	return size
}
