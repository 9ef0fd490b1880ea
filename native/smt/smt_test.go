package smt

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr/poseidon2"

	"github.com/zkrollup/prover/native/internal/golden"
)

// The vector file is read by the Java state-tree tests, so Java roots are
// checked against this package without the native library.
// Regenerate it with: go test ./smt -run TestVectorFile -update
const vectorFile = "../testdata/smt_vectors.txt"

var update = flag.Bool("update", false, "rewrite testdata/smt_vectors.txt")

func elem(v uint64) fr.Element {
	var e fr.Element
	e.SetUint64(v)
	return e
}

func randomElement(r *rand.Rand) fr.Element {
	var b [32]byte
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	var e fr.Element
	e.SetBytes(b[:])
	return e
}

// naiveRoot hashes all 2^depth leaves level by level with gnark-crypto's
// Compress: the definition, with no empty-subtree shortcut.
func naiveRoot(t *testing.T, depth int, leaves []Leaf) fr.Element {
	t.Helper()
	level := make([]fr.Element, 1<<depth)
	for _, l := range leaves {
		level[l.Index] = l.Value
	}
	perm := poseidon2.NewDefaultPermutation()
	for len(level) > 1 {
		up := make([]fr.Element, len(level)/2)
		for i := range up {
			a, b := level[2*i].Bytes(), level[2*i+1].Bytes()
			out, err := perm.Compress(a[:], b[:])
			if err != nil {
				t.Fatal(err)
			}
			up[i].SetBytes(out)
		}
		level = up
	}
	return level[0]
}

func randomLeaves(r *rand.Rand, depth, n int) []Leaf {
	seen := map[uint64]bool{}
	var leaves []Leaf
	for len(leaves) < n {
		idx := r.Uint64() >> uint(64-depth)
		if seen[idx] {
			continue
		}
		seen[idx] = true
		leaves = append(leaves, Leaf{idx, randomElement(r)})
	}
	return leaves
}

func TestRootMatchesNaiveFullTree(t *testing.T) {
	r := rand.New(rand.NewPCG(4, 8))
	for _, depth := range []int{1, 2, 4, 8} {
		for _, n := range []int{0, 1, 2, 5, 1 << depth} {
			if n > 1<<depth {
				continue
			}
			leaves := randomLeaves(r, depth, n)
			got, err := Root(depth, leaves)
			if err != nil {
				t.Fatal(err)
			}
			if want := naiveRoot(t, depth, leaves); !got.Equal(&want) {
				t.Fatalf("depth %d, %d leaves: root %s, naive %s", depth, n, got.String(), want.String())
			}
		}
	}
}

func TestEmptyRootsAndOrderIndependence(t *testing.T) {
	empty, err := EmptyRoots(32)
	if err != nil {
		t.Fatal(err)
	}
	if !empty[0].IsZero() {
		t.Fatal("empty leaf is not 0")
	}
	root, _ := Root(32, nil)
	if !root.Equal(&empty[32]) {
		t.Fatal("root of no leaves is not E_32")
	}
	r := rand.New(rand.NewPCG(1, 1))
	leaves := randomLeaves(r, 32, 50)
	a, _ := Root(32, leaves)
	reversed := make([]Leaf, len(leaves))
	for i := range leaves {
		reversed[len(leaves)-1-i] = leaves[i]
	}
	b, _ := Root(32, reversed)
	if !a.Equal(&b) {
		t.Fatal("root depends on leaf order")
	}
	// An explicit zero leaf is the same as an absent one.
	free := uint64(0)
	for taken := true; taken; free++ {
		taken = false
		for _, l := range leaves {
			taken = taken || l.Index == free
		}
	}
	c, err := Root(32, append(slices.Clone(leaves), Leaf{Index: free - 1}))
	if err != nil {
		t.Fatal(err)
	}
	if !a.Equal(&c) {
		t.Fatal("a zero leaf changed the root")
	}
}

func TestRootRejectsBadInput(t *testing.T) {
	if _, err := Root(0, nil); err == nil {
		t.Error("depth 0 accepted")
	}
	if _, err := Root(64, nil); err == nil {
		t.Error("depth 64 accepted")
	}
	if _, err := Root(4, []Leaf{{Index: 16}}); err == nil {
		t.Error("index 16 accepted at depth 4")
	}
	if _, err := Root(63, []Leaf{{Index: 1 << 63}}); err == nil {
		t.Error("index 2^63 accepted at depth 63")
	}
	_, err := Root(4, []Leaf{{Index: 3, Value: elem(1)}, {Index: 3, Value: elem(2)}})
	if !errors.Is(err, ErrDuplicateIndex) {
		t.Errorf("duplicate index: %v", err)
	}
	if _, err := Root(63, []Leaf{{Index: 1<<63 - 1, Value: elem(9)}}); err != nil {
		t.Errorf("largest index at depth 63: %v", err)
	}
}

func TestDecodeLeaves(t *testing.T) {
	r := rand.New(rand.NewPCG(2, 3))
	leaves := randomLeaves(r, 40, 10)
	got, err := DecodeLeaves(EncodeLeaves(leaves))
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(got) != fmt.Sprint(leaves) {
		t.Fatal("round trip changed the leaves")
	}
	if got, err := DecodeLeaves(nil); err != nil || len(got) != 0 {
		t.Fatalf("empty input: %v %v", got, err)
	}
	if _, err := DecodeLeaves(make([]byte, 39)); err == nil {
		t.Error("ragged input accepted")
	}
	bad := EncodeLeaves(leaves[:1])
	copy(bad[8:], fr.Modulus().FillBytes(make([]byte, 32)))
	if _, err := DecodeLeaves(bad); err == nil {
		t.Error("non-canonical value accepted")
	}
	if _, err := DecodeLeaves(make([]byte, EncodedLeafSize*(MaxLeaves+1))); err == nil {
		t.Error("too many leaves accepted")
	}
}

func FuzzDecodeLeaves(f *testing.F) {
	f.Add([]byte{})
	f.Add(make([]byte, EncodedLeafSize))
	f.Add(EncodeLeaves([]Leaf{{Index: 7, Value: elem(5)}, {Index: 1 << 40, Value: elem(6)}}))
	f.Add(bytes.Repeat([]byte{0xff}, EncodedLeafSize))
	f.Fuzz(func(t *testing.T, in []byte) {
		leaves, err := DecodeLeaves(in)
		if err != nil {
			return
		}
		if len(in)%EncodedLeafSize != 0 {
			t.Fatalf("accepted %d bytes", len(in))
		}
		if !bytes.Equal(EncodeLeaves(leaves), in) {
			t.Fatal("decoded leaves do not re-encode to the input")
		}
		if _, err := Root(MaxDepth, leaves); err != nil && !errors.Is(err, ErrDuplicateIndex) &&
			!strings.Contains(err.Error(), "outside") {
			t.Fatalf("unexpected root error: %v", err)
		}
	})
}

func generateVectors(t *testing.T) string {
	t.Helper()
	var out strings.Builder
	out.WriteString("# Sparse Merkle tree roots over gnark-crypto's Poseidon2 (native/smt), for the Java state-tree tests.\n")
	out.WriteString("# Generated by: (cd native && go test ./smt -run TestVectorFile -update)\n")
	out.WriteString("# Lines: root <depth> <leaves: index:value, comma-separated, or -> <root>\n")
	out.WriteString("#   index in decimal, values and root as 32-byte big-endian hex.\n")
	r := rand.New(rand.NewPCG(2026, 4))
	cases := []struct{ depth, n int }{
		{1, 0}, {1, 2}, {4, 0}, {4, 1}, {4, 16}, {8, 3}, {8, 40}, {16, 0}, {16, 25}, {20, 100}, {32, 0}, {32, 30}, {63, 5},
	}
	for _, c := range cases {
		leaves := randomLeaves(r, c.depth, c.n)
		if c.depth == 32 && c.n > 0 {
			leaves[0].Index, leaves[1].Index = 0, 1<<32-1 // both ends
		}
		root, err := Root(c.depth, leaves)
		if err != nil {
			t.Fatal(err)
		}
		parts := make([]string, len(leaves))
		for i, l := range leaves {
			v := l.Value.Bytes()
			parts[i] = fmt.Sprintf("%d:%x", l.Index, v[:])
		}
		list := strings.Join(parts, ",")
		if list == "" {
			list = "-"
		}
		rb := root.Bytes()
		fmt.Fprintf(&out, "root %d %s %x\n", c.depth, list, rb[:])
	}
	return out.String()
}

func TestVectorFile(t *testing.T) {
	golden.Check(t, vectorFile, generateVectors(t), *update)
}
