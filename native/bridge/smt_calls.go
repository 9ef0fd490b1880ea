package main

import (
	"fmt"

	"github.com/zkrollup/prover/native/smt"
)

// smtRoot computes the root of a sparse Merkle tree of the given depth over
// gnark-crypto's Poseidon2 (see package smt) from its non-empty leaves, given
// as concatenated (8-byte big-endian index, 32-byte canonical value) records.
// The Java tests compare the state tree's roots with it.
func smtRoot(depth int32, leaves []byte) ([]byte, error) {
	if depth < 1 || depth > smt.MaxDepth {
		return nil, invalidArgument(fmt.Errorf("smt root: depth must be 1..%d, got %d", smt.MaxDepth, depth))
	}
	if len(leaves) > smt.MaxLeaves*smt.EncodedLeafSize {
		return nil, resourceExhausted(fmt.Errorf("smt root: input of %d bytes exceeds %d leaves", len(leaves), smt.MaxLeaves))
	}
	decoded, err := smt.DecodeLeaves(leaves)
	if err != nil {
		return nil, invalidArgument(err)
	}
	root, err := smt.Root(int(depth), decoded)
	if err != nil { // an index out of range or repeated: the caller's input
		return nil, invalidArgument(err)
	}
	b := root.Bytes()
	return b[:], nil
}
