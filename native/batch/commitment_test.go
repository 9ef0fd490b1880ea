package batch_test

import (
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/frontend/cs/scs"

	"github.com/zkrollup/prover/native/batch"
)

// TestNoCommitment keeps the batch circuit free of gnark commitments, for
// both backends the prover supports. A commitment (BSB22) comes with any
// lookup-based gadget (std/rangecheck, std/math/uints, std/hash/sha2, ...)
// and makes the Groth16 Solidity verifier pay two more pairings, about
// 123k gas per batch on L1 (docs/decisions.md, "No commitment in the batch
// circuit"). If this fails, find the gadget that brought one in; do not
// change the test.
//
// The GKR variant (GKRPoseidon2) is not covered: its GKR verifier draws
// its challenge from a commitment by design.
func TestNoCommitment(t *testing.T) {
	const b, d = 5, 4
	if n := len(compiled(t, b, d).GetCommitments().CommitmentIndexes()); n != 0 {
		t.Errorf("the Groth16 R1CS has %d commitments", n)
	}
	plonk, err := frontend.Compile(ecc.BN254.ScalarField(), scs.NewBuilder, batch.NewCircuit(b, d))
	if err != nil {
		t.Fatal(err)
	}
	if n := len(plonk.GetCommitments().CommitmentIndexes()); n != 0 {
		t.Errorf("the PLONK SCS has %d commitments", n)
	}
	// Validium mode adds a Poseidon2 fold and more SHA-256 input: still no
	// commitment, in either backend.
	if n := len(compiledValidium(t, b, d).GetCommitments().CommitmentIndexes()); n != 0 {
		t.Errorf("the validium Groth16 R1CS has %d commitments", n)
	}
	plonkV, err := frontend.Compile(ecc.BN254.ScalarField(), scs.NewBuilder, batch.NewCircuitWithOptions(b, d, batch.Validium()))
	if err != nil {
		t.Fatal(err)
	}
	if n := len(plonkV.GetCommitments().CommitmentIndexes()); n != 0 {
		t.Errorf("the validium PLONK SCS has %d commitments", n)
	}
}
