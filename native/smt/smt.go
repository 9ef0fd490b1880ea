// Package smt is the Go reference for the rollup's sparse Merkle state tree,
// over gnark-crypto's Poseidon2: the same tree the Java sequencer keeps
// (state-tree module) and the circuit checks. It computes roots from a set of
// leaves; it stores nothing.
//
// Conventions (docs/protocol.md, "State tree"): leaves are level 0 and the root
// is level depth; an empty leaf is 0; the empty subtree of level i+1 is
// Compress(E_i, E_i); an internal node is Compress(left, right), where Compress
// is gnark-crypto's Permutation.Compress (permutation(l, r)[1] + r); bit i of a
// leaf index (least significant first) selects the right child (1) or the left
// child (0) at level i.
package smt

import (
	"encoding/binary"
	"errors"
	"fmt"
	"slices"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr/poseidon2"

	"github.com/zkrollup/prover/native/fieldio"
)

// MaxDepth is the deepest tree: leaf indices fit a non-negative int64, as in Java.
const MaxDepth = 63

// MaxLeaves bounds one Root computation so a caller cannot make the library
// allocate without limit.
const MaxLeaves = 1 << 20

// EncodedLeafSize is the size of one leaf in the wire form DecodeLeaves reads:
// an 8-byte big-endian index followed by a 32-byte canonical field element.
const EncodedLeafSize = 8 + fieldio.ElementSize

// Leaf is one non-default leaf of a tree.
type Leaf struct {
	Index uint64
	Value fr.Element
}

// ErrDuplicateIndex is returned when two leaves share an index.
var ErrDuplicateIndex = errors.New("smt: a leaf index appears twice")

func compress(perm *poseidon2.Permutation, left, right *fr.Element) fr.Element {
	l, r := left.Bytes(), right.Bytes()
	out, err := perm.Compress(l[:], r[:])
	if err != nil { // cannot happen: both operands are canonical encodings
		panic(err)
	}
	var e fr.Element
	e.SetBytes(out)
	return e
}

// EmptyRoots returns E_0 .. E_depth, the roots of empty subtrees by level.
func EmptyRoots(depth int) ([]fr.Element, error) {
	if depth < 1 || depth > MaxDepth {
		return nil, fmt.Errorf("smt: depth must be 1..%d, got %d", MaxDepth, depth)
	}
	perm := poseidon2.NewDefaultPermutation()
	empty := make([]fr.Element, depth+1)
	for i := range depth {
		empty[i+1] = compress(perm, &empty[i], &empty[i])
	}
	return empty, nil
}

// Root returns the root of the tree of the given depth whose non-empty leaves
// are leaves (in any order). Indices must be distinct and below 2^depth.
func Root(depth int, leaves []Leaf) (fr.Element, error) {
	empty, err := EmptyRoots(depth)
	if err != nil {
		return fr.Element{}, err
	}
	if len(leaves) > MaxLeaves {
		return fr.Element{}, fmt.Errorf("smt: at most %d leaves, got %d", MaxLeaves, len(leaves))
	}
	sorted := slices.Clone(leaves)
	slices.SortFunc(sorted, func(a, b Leaf) int {
		switch {
		case a.Index < b.Index:
			return -1
		case a.Index > b.Index:
			return 1
		}
		return 0
	})
	for i := range sorted {
		if depth < 64 && sorted[i].Index>>uint(depth) != 0 {
			return fr.Element{}, fmt.Errorf("smt: leaf index %d is outside 0..2^%d-1", sorted[i].Index, depth)
		}
		if i > 0 && sorted[i].Index == sorted[i-1].Index {
			return fr.Element{}, fmt.Errorf("%w: %d", ErrDuplicateIndex, sorted[i].Index)
		}
	}
	perm := poseidon2.NewDefaultPermutation()
	return subtree(perm, empty, depth, sorted), nil
}

// subtree hashes the subtree of the given level holding exactly the sorted
// leaves (all in that subtree): empty if there are none, otherwise split on
// the index bit that chooses the side at this level.
func subtree(perm *poseidon2.Permutation, empty []fr.Element, level int, leaves []Leaf) fr.Element {
	if len(leaves) == 0 {
		return empty[level]
	}
	if level == 0 {
		return leaves[0].Value
	}
	bit := uint64(1) << uint(level-1)
	split, _ := slices.BinarySearchFunc(leaves, true, func(l Leaf, _ bool) int {
		if l.Index&bit == 0 {
			return -1
		}
		return 1
	})
	left := subtree(perm, empty, level-1, leaves[:split])
	right := subtree(perm, empty, level-1, leaves[split:])
	return compress(perm, &left, &right)
}

// DecodeLeaves reads the bridge's wire form: a concatenation of leaves, each an
// 8-byte big-endian index and a 32-byte canonical field element. It rejects a
// ragged length, more than MaxLeaves leaves and non-canonical elements; index
// range and duplicates are checked by Root, which knows the depth.
func DecodeLeaves(b []byte) ([]Leaf, error) {
	if len(b)%EncodedLeafSize != 0 {
		return nil, fmt.Errorf("smt leaves: length %d is not a multiple of %d", len(b), EncodedLeafSize)
	}
	n := len(b) / EncodedLeafSize
	if n > MaxLeaves {
		return nil, fmt.Errorf("smt leaves: at most %d, got %d", MaxLeaves, n)
	}
	leaves := make([]Leaf, n)
	for i := range leaves {
		rec := b[i*EncodedLeafSize : (i+1)*EncodedLeafSize]
		leaves[i].Index = binary.BigEndian.Uint64(rec[:8])
		if err := leaves[i].Value.SetBytesCanonical(rec[8:]); err != nil {
			return nil, fmt.Errorf("smt leaves: the value of leaf %d is not canonical (must be < BN254 scalar modulus)", i)
		}
	}
	return leaves, nil
}

// EncodeLeaves writes leaves in the form DecodeLeaves reads.
func EncodeLeaves(leaves []Leaf) []byte {
	out := make([]byte, 0, len(leaves)*EncodedLeafSize)
	for i := range leaves {
		out = binary.BigEndian.AppendUint64(out, leaves[i].Index)
		v := leaves[i].Value.Bytes()
		out = append(out, v[:]...)
	}
	return out
}
