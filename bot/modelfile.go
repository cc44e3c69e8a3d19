package bot

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"slices"
)

// The models are trained ahead of time by `go generate ./bot` (cmd/botgen
// calls Train) into model.bin, which is checked in and embedded: neither the
// server, nor `watchpost migrate`, nor any test binary trains. Training is
// deterministic, so regenerating an unchanged corpus gives the same bytes
// (CI regenerates and runs git diff --exit-code, as for templ). The file
// records the digest of the corpus it was trained on; TestModelMatchesCorpus
// checks it against the embedded corpus files.

//go:generate go run ../cmd/botgen -o model.bin

//go:embed model.bin
var modelFile []byte

// modelMagic starts the file; the digit is the format's version.
const modelMagic = "watchpost-bot-model 5\n"

// models are every trained model the engine uses.
type models struct {
	digest  [32]byte
	topics  *model // topic of a first message
	midflow *model // topic of a message after a step; shares the topic model's index
	langs   *model // language of a message; shares the topic model's index
	acts    *model // what a reply does in the current step
	facts   *model // one class per fact: see factModel
	asks    *model // what a question back asks (questions.go)
}

// CorpusDigest is the SHA-256 of every corpus file (names and contents, in
// name order): the topic corpus corpus/*.tsv and the reply corpus
// corpus/replies/*.tsv, the question corpus corpus/questions/*.tsv and the
// midflow corpus corpus/midflow/*.tsv.
func CorpusDigest() ([32]byte, error) { return corpusDigest(corpusFiles) }

func corpusDigest(fsys fs.FS) ([32]byte, error) {
	var out [32]byte
	paths, err := corpusPaths(fsys)
	if err != nil {
		return out, err
	}
	h := sha256.New()
	for _, p := range paths {
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return out, err
		}
		fmt.Fprintf(h, "%s\x00%d\x00", p, len(b))
		h.Write(b)
	}
	copy(out[:], h.Sum(nil))
	return out, nil
}

func corpusPaths(fsys fs.FS) ([]string, error) {
	a, err := fs.Glob(fsys, "corpus/*.tsv")
	if err != nil {
		return nil, err
	}
	b, err := fs.Glob(fsys, "corpus/replies/*.tsv")
	if err != nil {
		return nil, err
	}
	q, err := fs.Glob(fsys, "corpus/questions/*.tsv")
	if err != nil {
		return nil, err
	}
	m, err := fs.Glob(fsys, "corpus/midflow/*.tsv")
	if err != nil {
		return nil, err
	}
	out := append(append(append(a, b...), q...), m...)
	slices.Sort(out)
	return out, nil
}

// Train trains every model from the embedded corpus and returns the model
// file's bytes. It is for cmd/botgen (go generate); it takes seconds.
func Train() ([]byte, error) {
	m, err := trainModels()
	if err != nil {
		return nil, err
	}
	return m.encode(), nil
}

// encoder writes the model file: little-endian lengths and float32 bits.
type encoder struct{ bytes.Buffer }

func (e *encoder) u32(v uint32) { e.Write(binary.LittleEndian.AppendUint32(nil, v)) }

func (e *encoder) str(s string) {
	e.u32(uint32(len(s)))
	e.WriteString(s)
}

func (e *encoder) strs(ss []string) {
	e.u32(uint32(len(ss)))
	for _, s := range ss {
		e.str(s)
	}
}

// floats writes weights as 16-bit integers times one scale per list (the
// largest magnitude over 32767): half the file of float32, and an error of
// at most half a step, far below what moves a decision.
func (e *encoder) floats(fs []float32) {
	e.u32(uint32(len(fs)))
	scale := weightScale(fs)
	e.Write(binary.LittleEndian.AppendUint32(nil, math.Float32bits(scale)))
	b := make([]byte, 2*len(fs))
	for i, f := range fs {
		binary.LittleEndian.PutUint16(b[2*i:], uint16(int16(math.Round(float64(f/scale)))))
	}
	e.Write(b)
}

func weightScale(fs []float32) float32 {
	var mx float32
	for _, f := range fs {
		mx = max(mx, abs32(f))
	}
	if mx == 0 {
		return 1
	}
	return mx / 32767
}

func abs32(f float32) float32 {
	if f < 0 {
		return -f
	}
	return f
}

func (e *encoder) index(ix *featureIndex) { e.strs(ix.names) }

func (e *encoder) model(m *model) {
	e.strs(m.classes)
	e.floats(m.bias)
	e.u32(uint32(len(m.weights)))
	e.Write(binary.LittleEndian.AppendUint32(nil, math.Float32bits(m.scale)))
	b := make([]byte, 2*len(m.weights))
	for i, w := range m.weights {
		binary.LittleEndian.PutUint16(b[2*i:], uint16(w))
	}
	e.Write(b)
}

func (ms *models) encode() []byte {
	var e encoder
	e.WriteString(modelMagic)
	e.Write(ms.digest[:])
	e.index(ms.topics.index)
	e.model(ms.topics)
	e.model(ms.midflow)
	e.model(ms.langs)
	e.index(ms.acts.index)
	e.model(ms.acts)
	e.model(ms.facts)
	e.index(ms.asks.index)
	e.model(ms.asks)
	return e.Bytes()
}

// decoder reads what encoder wrote; the first error sticks.
type decoder struct {
	b   []byte
	err error
}

var errShortModel = errors.New("model file is truncated")

func (d *decoder) u32() uint32 {
	if d.err != nil || len(d.b) < 4 {
		d.err = cmpErr(d.err, errShortModel)
		return 0
	}
	v := binary.LittleEndian.Uint32(d.b)
	d.b = d.b[4:]
	return v
}

func (d *decoder) take(n uint32) []byte {
	if d.err != nil || uint64(len(d.b)) < uint64(n) {
		d.err = cmpErr(d.err, errShortModel)
		return nil
	}
	out := d.b[:n]
	d.b = d.b[n:]
	return out
}

func (d *decoder) strs() []string {
	n := d.u32()
	if d.err != nil || uint64(n) > uint64(len(d.b)) {
		d.err = cmpErr(d.err, errShortModel)
		return nil
	}
	// One string for the whole list, sliced: one allocation instead of one
	// per feature name keeps loading fast.
	bounds := make([]uint32, 0, 2*n)
	start := d.b
	at := uint32(0)
	for range n {
		l := d.u32()
		d.take(l)
		if d.err != nil {
			return nil
		}
		bounds = append(bounds, at+4, at+4+l)
		at += 4 + l
	}
	all := string(start[:at])
	out := make([]string, n)
	for i := range out {
		out[i] = all[bounds[2*i]:bounds[2*i+1]]
	}
	return out
}

func (d *decoder) floats() []float32 {
	n := d.u32()
	scale := math.Float32frombits(d.u32())
	b := d.take(2 * n)
	if d.err != nil {
		return nil
	}
	out := make([]float32, n)
	for i := range out {
		out[i] = float32(int16(binary.LittleEndian.Uint16(b[2*i:]))) * scale
	}
	return out
}

// weights reads a model's weights as the file keeps them: 16-bit integers
// and their scale.
func (d *decoder) weights() ([]int16, float32) {
	n := d.u32()
	scale := math.Float32frombits(d.u32())
	b := d.take(2 * n)
	if d.err != nil {
		return nil, 0
	}
	out := make([]int16, n)
	for i := range out {
		out[i] = int16(binary.LittleEndian.Uint16(b[2*i:]))
	}
	return out, scale
}

func (d *decoder) index(fs featureSet) *featureIndex {
	return indexNames(fs, d.strs())
}

func (d *decoder) model(ix *featureIndex) *model {
	m := &model{index: ix, classes: d.strs(), bias: d.floats()}
	m.weights, m.scale = d.weights()
	if k := len(m.classes); d.err == nil && (len(m.bias) != k || k == 0 || len(m.weights)%k != 0 || len(m.weights) > len(ix.names)*k) {
		d.err = errors.New("model file: weights do not match the index")
	}
	return m
}

func decodeModels(b []byte) (*models, error) {
	if !bytes.HasPrefix(b, []byte(modelMagic)) {
		return nil, errors.New("not a model file of this version: run go generate ./bot")
	}
	d := &decoder{b: b[len(modelMagic):]}
	ms := &models{}
	copy(ms.digest[:], d.take(32))
	ix := d.index(defaultFeatures)
	ms.topics = d.model(ix)
	ms.midflow = d.model(ix)
	ms.langs = d.model(ix)
	rix := d.index(replyFeatures)
	ms.acts = d.model(rix)
	ms.facts = d.model(rix)
	ms.asks = d.model(d.index(replyFeatures))
	if d.err == nil && len(d.b) != 0 {
		d.err = errors.New("model file has trailing bytes")
	}
	return ms, d.err
}

func cmpErr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}
