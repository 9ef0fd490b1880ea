package sha256bits_test

import (
	"crypto/sha256"
	"fmt"
	"math/rand"
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/frontend/cs/r1cs"
	"github.com/consensys/gnark/test"

	"github.com/zkrollup/prover/native/batch"
	"github.com/zkrollup/prover/native/sha256bits"
)

// hashCircuit asserts that Digest is SHA-256(Msg), both as bits in message
// order (most significant bit of each byte first).
type hashCircuit struct {
	Msg    []frontend.Variable
	Digest [256]frontend.Variable `gnark:",public"`
}

func (c *hashCircuit) Define(api frontend.API) error {
	sum := sha256bits.Sum(api, c.Msg)
	for i := range c.Digest {
		api.AssertIsEqual(sum[i], c.Digest[i])
	}
	return nil
}

func toBits(data []byte) []frontend.Variable {
	out := make([]frontend.Variable, 0, 8*len(data))
	for _, by := range data {
		for k := 7; k >= 0; k-- {
			out = append(out, (by>>uint(k))&1)
		}
	}
	return out
}

// shape is an empty circuit for n message bytes (what Compile and IsSolved take).
func shape(n int) *hashCircuit { return &hashCircuit{Msg: make([]frontend.Variable, 8*n)} }

// assignment is the circuit for msg with digest d.
func assignment(msg []byte, d [32]byte) *hashCircuit {
	c := &hashCircuit{Msg: toBits(msg)}
	copy(c.Digest[:], toBits(d[:]))
	return c
}

func message(n int) []byte {
	msg := make([]byte, n)
	rand.New(rand.NewSource(int64(n))).Read(msg)
	return msg
}

// lengths covers the padding edges (55/56 bytes: the length still fits in
// the last block or not; 63/64/65: around one block) and the public data of
// real batches.
func lengths() []int {
	ls := []int{0, 1, 55, 56, 63, 64, 65, 119, 200}
	for _, b := range []int{1, 2, 5, 16, 48} {
		ls = append(ls, batch.PubdataLen(b))
	}
	return ls
}

func TestMatchesCryptoSHA256(t *testing.T) {
	field := ecc.BN254.ScalarField()
	for _, n := range lengths() {
		t.Run(fmt.Sprintf("%d bytes", n), func(t *testing.T) {
			msg := message(n)
			if err := test.IsSolved(shape(n), assignment(msg, sha256.Sum256(msg)), field); err != nil {
				t.Fatalf("SHA-256 of %d bytes: %v", n, err)
			}
		})
	}
}

func TestRefusesWrongInputs(t *testing.T) {
	field := ecc.BN254.ScalarField()
	for _, n := range []int{1, 64, batch.PubdataLen(5)} {
		msg := message(n)
		good := sha256.Sum256(msg)

		wrong := good
		wrong[31] ^= 1
		if test.IsSolved(shape(n), assignment(msg, wrong), field) == nil {
			t.Errorf("%d bytes: a wrong digest is accepted", n)
		}

		flipped := append([]byte{}, msg...)
		flipped[n/2] ^= 0x10
		if test.IsSolved(shape(n), assignment(flipped, good), field) == nil {
			t.Errorf("%d bytes: a flipped input bit is accepted", n)
		}

		// A "bit" of 2 is refused even where the arithmetic might absorb it.
		notBit := assignment(msg, good)
		notBit.Msg[3] = 2
		if test.IsSolved(shape(n), notBit, field) == nil {
			t.Errorf("%d bytes: a non-boolean bit is accepted", n)
		}
	}
}

// TestCompiledR1CS runs the compiled constraint system's solver (not only
// the test engine) on one valid and one wrong digest, checks it has no
// commitment, and logs the cost of a block.
func TestCompiledR1CS(t *testing.T) {
	field := ecc.BN254.ScalarField()
	n := 119 // two blocks
	ccs, err := frontend.Compile(field, r1cs.NewBuilder, shape(n))
	if err != nil {
		t.Fatal(err)
	}
	if c := ccs.GetCommitments().CommitmentIndexes(); len(c) != 0 {
		t.Fatalf("the gadget compiles with %d commitments", len(c))
	}
	t.Logf("SHA-256 of %d bytes (2 blocks): %d R1CS", n, ccs.GetNbConstraints())
	msg := message(n)
	solve := func(d [32]byte) error {
		w, err := frontend.NewWitness(assignment(msg, d), field)
		if err != nil {
			t.Fatal(err)
		}
		return ccs.IsSolved(w)
	}
	good := sha256.Sum256(msg)
	if err := solve(good); err != nil {
		t.Fatalf("valid digest: %v", err)
	}
	good[0] ^= 0x80
	if solve(good) == nil {
		t.Fatal("the compiled circuit accepts a wrong digest")
	}
}
