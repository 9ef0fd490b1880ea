// Package hashing exposes gnark-crypto's Poseidon2 over BN254 in the shapes
// the rollup uses: the width-2 permutation, the 2-to-1 compression for Merkle
// nodes, and the Merkle–Damgård hash for multi-element values. Inputs and
// outputs are canonical 32-byte big-endian field elements (see fieldio).
package hashing

import (
	"errors"
	"fmt"
	"hash"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr/poseidon2"

	"github.com/zkrollup/prover/native/fieldio"
)

// MaxHashElements bounds one Hash call so a caller cannot make the library
// allocate without limit; values hashed by the rollup are a few elements long.
const MaxHashElements = 1 << 15

// ErrEmpty is returned for a hash of zero elements: the Merkle–Damgård hash
// of nothing is its IV, which would collide with a real value's encoding.
var ErrEmpty = errors.New("poseidon2: at least one field element is required")

// Permute applies the width-2 Poseidon2 permutation to state (2 elements, 64 bytes).
func Permute(state []byte) ([]byte, error) {
	if len(state) != 2*fieldio.ElementSize {
		return nil, fmt.Errorf("poseidon2 permutation: state must be %d bytes, got %d", 2*fieldio.ElementSize, len(state))
	}
	elems, err := fieldio.DecodeElements(state)
	if err != nil {
		return nil, err
	}
	if err := poseidon2.NewDefaultPermutation().Permutation(elems); err != nil {
		return nil, err
	}
	return fieldio.EncodeElements(elems), nil
}

// Compress is the 2-to-1 compression used for Merkle nodes:
// permutation(left, right)[1] + right, as gnark-crypto's Permutation.Compress.
func Compress(left, right []byte) ([]byte, error) {
	if len(left) != fieldio.ElementSize || len(right) != fieldio.ElementSize {
		return nil, fmt.Errorf("poseidon2 compression: left and right must be %d bytes each, got %d and %d",
			fieldio.ElementSize, len(left), len(right))
	}
	// Decode first so both operands get the same canonical-encoding error as Hash.
	if _, err := fieldio.DecodeElements(append(append(make([]byte, 0, 64), left...), right...)); err != nil {
		return nil, err
	}
	return poseidon2.NewDefaultPermutation().Compress(left, right)
}

// Hash is gnark-crypto's Poseidon2 Merkle–Damgård hash (zero IV, one
// compression per element) over elements, a concatenation of 1..MaxHashElements
// canonical field elements.
func Hash(elements []byte) ([]byte, error) {
	h := NewHasher()
	if err := h.Write(elements); err != nil {
		return nil, err
	}
	return h.Sum()
}

// Hasher is an incremental Poseidon2 Merkle–Damgård hash. It is not safe for
// concurrent use; the bridge serialises access per handle.
type Hasher struct {
	md      hash.Hash
	written int
}

// NewHasher returns an empty incremental hasher.
func NewHasher() *Hasher {
	return &Hasher{md: poseidon2.NewMerkleDamgardHasher()}
}

// Write absorbs whole canonical field elements. On error nothing is absorbed.
func (h *Hasher) Write(elements []byte) error {
	if len(elements) == 0 {
		return ErrEmpty
	}
	n := len(elements) / fieldio.ElementSize
	if h.written+n > MaxHashElements {
		return fmt.Errorf("poseidon2 hash: at most %d elements, got %d", MaxHashElements, h.written+n)
	}
	if _, err := fieldio.DecodeElements(elements); err != nil {
		return err
	}
	if _, err := h.md.Write(elements); err != nil {
		return err
	}
	h.written += n
	return nil
}

// Sum returns the digest of everything written so far.
func (h *Hasher) Sum() ([]byte, error) {
	if h.written == 0 {
		return nil, ErrEmpty
	}
	return h.md.Sum(nil), nil
}

// ElementFromUint64 is a convenience for tests and vectors.
func ElementFromUint64(v uint64) []byte {
	var e fr.Element
	e.SetUint64(v)
	b := e.Bytes()
	return b[:]
}
