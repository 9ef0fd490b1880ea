package proving

import (
	"bytes"
	"errors"
	"io"
	"math/big"
	"testing"

	"github.com/consensys/gnark/backend/witness"
	"github.com/consensys/gnark/constraint"
	"github.com/consensys/gnark/frontend"

	"github.com/zkrollup/prover/native/batch"
	bb "github.com/zkrollup/prover/native/internal/batchbuild"
)

// transfer is a valid 2-slot batch at depth 4: one transfer and a no-op.
func transfer(t *testing.T) *batch.Circuit {
	alice, bob, op := bb.NewKey(1), bb.NewKey(2), bb.NewKey(4)
	bl := bb.New(2, 4, 7, 9, 15, big.NewInt(2))
	bl.Put(1, alice.KeyHash(), big.NewInt(0x1001), big.NewInt(1000), 0)
	bl.Put(2, bob.KeyHash(), big.NewInt(0x1002), big.NewInt(0), 0)
	bl.Put(15, op.KeyHash(), big.NewInt(0x1015), big.NewInt(0), 0)
	if err := bl.Transfer(alice, 1, 2, 5, 1, 9, 0); err != nil {
		t.Fatal(err)
	}
	c, _, err := bl.Build()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// The verifier's public witness is the prover's, element for element: both
// come from the circuit's own public fields, so reordering them in
// batch.Circuit cannot make the two disagree.
func TestPublicWitnessIsTheProvers(t *testing.T) {
	c := transfer(t)
	full, err := frontend.NewWitness(c, field)
	if err != nil {
		t.Fatal(err)
	}
	provers, err := full.Public()
	if err != nil {
		t.Fatal(err)
	}
	public, err := batch.Public(c)
	if err != nil {
		t.Fatal(err)
	}
	verifiers, err := publicWitness(public)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := provers.MarshalBinary()
	got, _ := verifiers.MarshalBinary()
	if !bytes.Equal(got, want) {
		t.Fatalf("public witness from bytes\n%x\nprover's\n%x", got, want)
	}
	for _, bad := range [][]byte{nil, public[:127], append(bytes.Clone(public), 0), bytes.Repeat([]byte{0xff}, 128)} {
		if _, err := publicWitness(bad); !errors.Is(err, ErrInput) {
			t.Fatalf("public inputs of %d bytes: %v", len(bad), err)
		}
	}
}

// failingKey fails every proof the way a gnark-internal failure would.
type failingKey struct{}

var errInternal = errors.New("MSM: device lost")

func (failingKey) prove(constraint.ConstraintSystem, witness.Witness) ([]byte, error) {
	return nil, errInternal
}
func (failingKey) writeTo(io.Writer) error { return errInternal }

// Only a witness that breaks a rule of the circuit is the caller's fault
// (ErrInput, INVALID_ARGUMENT on the bridge); a failure while proving a
// witness that solves is internal.
func TestProveErrorsBlameTheCallerOnlyForBrokenRules(t *testing.T) {
	ccs, err := Compile(2, 4, Groth16, batch.ModeRollup)
	if err != nil {
		t.Fatal(err)
	}
	k := &Keys{Verifier: Verifier{B: 2, D: 4, Backend: Groth16}, CCS: ccs, pk: failingKey{}}

	_, _, err = k.ProveAssignment(transfer(t))
	if errors.Is(err, ErrInput) || !errors.Is(err, errInternal) {
		t.Fatalf("internal failure reported as %v", err)
	}

	broken := transfer(t)
	broken.Slots[0].Amount = big.NewInt(6) // the signed amount is 5
	if _, _, err = k.ProveAssignment(broken); !errors.Is(err, ErrInput) {
		t.Fatalf("broken rule reported as %v", err)
	}
}
