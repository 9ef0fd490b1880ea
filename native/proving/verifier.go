package proving

import (
	"bytes"
	"fmt"

	"github.com/consensys/gnark/backend/witness"
	"github.com/consensys/gnark/frontend"

	"github.com/zkrollup/prover/native/batch"
)

// Verifier verifies proofs of one circuit with its verifying key alone. It
// never changes after it is made (Setup, Load, LoadVerifier), so any number
// of calls on one Verifier may run at once.
type Verifier struct {
	B, D    int
	Backend Backend
	// Mode is the circuit's data-availability mode; it decides which
	// pubdataHash a witness must carry (the witness bytes are otherwise the
	// same), and it is recorded in the key directory's manifest.
	Mode batch.Mode
	// Origin is where the keys came from, as the manifest records it
	// (origin.go): a development setup or a ceremony.
	Origin Origin
	vk     verifyingKey
}

// Verify checks a proof against public inputs. A proof that is well formed
// but false returns an error wrapping ErrVerification; malformed bytes wrap ErrInput.
func (v *Verifier) Verify(proof, public []byte) error {
	pw, err := publicWitness(public)
	if err != nil {
		return err
	}
	if err := checkProofSize(proof); err != nil {
		return err
	}
	return v.vk.verify(proof, pw)
}

// SolidityProof turns a proof in gnark's raw encoding (as Prove returns it)
// into the proof bytes the verifier from ExportSolidity takes:
//
//   - Groth16 (verifyProof(bytes proof, uint256[4] input), reverts when false):
//     A (G1, 64) ‖ B (G2, 128) ‖ C (G1, 64), 256 bytes for the batch
//     circuit, which has no commitment.
//   - PLONK (Verify(bytes proof, uint256[] public_inputs) returns bool):
//     gnark's plonk MarshalSolidity layout.
//
// The proof is decoded (points checked on the curve and in the subgroup)
// before it is re-encoded; malformed bytes are ErrInput.
func (v *Verifier) SolidityProof(proof []byte) ([]byte, error) {
	if err := checkProofSize(proof); err != nil {
		return nil, err
	}
	return v.vk.solidityProof(proof)
}

// ExportSolidity returns the Solidity source of the verifier contract.
func (v *Verifier) ExportSolidity() ([]byte, error) {
	var buf bytes.Buffer
	if err := v.vk.exportSolidity(&buf); err != nil {
		return nil, fmt.Errorf("proving: export solidity: %w", err)
	}
	return buf.Bytes(), nil
}

func checkProofSize(proof []byte) error {
	if len(proof) > MaxProofSize {
		return inputErr("proof of %d bytes exceeds %d", len(proof), MaxProofSize)
	}
	return nil
}

// publicWitness decodes the 128 bytes of public inputs into gnark's public
// witness of the batch circuit itself, so the public inputs come in the
// order the circuit declares them, the order its proofs were made with.
func publicWitness(public []byte) (witness.Witness, error) {
	assignment, err := batch.PublicAssignment(public)
	if err != nil {
		return nil, inputErr("%v", err)
	}
	return frontend.NewWitness(assignment, field, frontend.PublicOnly())
}
