package proving

import (
	"bytes"
	"fmt"
	"io"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark/backend"
	"github.com/consensys/gnark/backend/groth16"
	groth16bn254 "github.com/consensys/gnark/backend/groth16/bn254"
	"github.com/consensys/gnark/backend/solidity"
	"github.com/consensys/gnark/backend/witness"
	"github.com/consensys/gnark/constraint"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/frontend/cs/r1cs"

	"github.com/zkrollup/prover/native/batch"
)

// groth16System is Groth16 on BN254. Its setup is gnark's single-party
// setup, whose randomness is discarded in memory: for tests and benchmarks;
// keys that secure funds need an MPC ceremony.
type groth16System struct{}

func (groth16System) newBuilder() frontend.NewBuilder { return r1cs.NewBuilder }

func (groth16System) newCS() constraint.ConstraintSystem { return groth16.NewCS(ecc.BN254) }

func (groth16System) ccsPublicVariables() int { return 4 + 1 } // R1CS counts the constant 1

func (groth16System) setup(ccs constraint.ConstraintSystem) (provingKey, verifyingKey, error) {
	pk, vk, err := groth16.Setup(ccs)
	if err != nil {
		return nil, nil, fmt.Errorf("proving: groth16 setup: %w", err)
	}
	return &groth16ProvingKey{pk: pk.(*groth16bn254.ProvingKey)}, groth16VerifyingKey{vk: vk.(*groth16bn254.VerifyingKey)}, nil
}

// NewGroth16Keys wraps Groth16 keys made elsewhere for a compiled batch
// circuit (an MPC ceremony's, which records itself in origin), so that Save
// writes them as an ordinary key directory: Load, LoadVerifier and the
// workers read it as they read the keys of Setup.
func NewGroth16Keys(ccs constraint.ConstraintSystem, pk groth16.ProvingKey, vk groth16.VerifyingKey, b, d int, mode batch.Mode, origin Origin) (*Keys, error) {
	bpk, ok := pk.(*groth16bn254.ProvingKey)
	if !ok {
		return nil, fmt.Errorf("proving: a %T is not a BN254 Groth16 proving key", pk)
	}
	bvk, ok := vk.(*groth16bn254.VerifyingKey)
	if !ok {
		return nil, fmt.Errorf("proving: a %T is not a BN254 Groth16 verifying key", vk)
	}
	if err := origin.check(); err != nil {
		return nil, inputErr("%v", err)
	}
	if got, want := ccs.GetNbPublicVariables(), (groth16System{}).ccsPublicVariables(); got != want {
		return nil, inputErr("the circuit has %d public variables, the batch circuit %d", got, want)
	}
	return &Keys{Verifier: Verifier{B: b, D: d, Backend: Groth16, Mode: mode, Origin: origin, vk: groth16VerifyingKey{vk: bvk}}, CCS: ccs, pk: &groth16ProvingKey{pk: bpk}}, nil
}

// readProvingKey reads gnark's dump format, which loads in seconds where
// the checked encoding takes minutes at production sizes.
func (groth16System) readProvingKey(r io.Reader) (provingKey, error) {
	pk := &groth16bn254.ProvingKey{}
	if err := pk.ReadDump(r); err != nil {
		return nil, err
	}
	return &groth16ProvingKey{pk: pk}, nil
}

func (groth16System) readVerifyingKey(r io.Reader) (verifyingKey, error) {
	vk := &groth16bn254.VerifyingKey{}
	if _, err := vk.ReadFrom(r); err != nil {
		return nil, err
	}
	return groth16VerifyingKey{vk: vk}, nil
}

// groth16ProvingKey proves on the CPU, or on the GPU once UseGPU set gpu.
type groth16ProvingKey struct {
	pk  *groth16bn254.ProvingKey
	gpu *gpuProver
}

var groth16Solidity = solidity.WithProverTargetSolidityVerifier(backend.GROTH16)

func (k *groth16ProvingKey) prove(ccs constraint.ConstraintSystem, full witness.Witness) ([]byte, error) {
	var p groth16.Proof
	var err error
	if k.gpu != nil {
		// Solve on the CPU first: a witness breaking a rule never reaches
		// the device (Keys.proveError then calls it the caller's error).
		if _, err := ccs.Solve(full); err != nil {
			return nil, err
		}
		p, err = k.gpu.prove(ccs, full, groth16Solidity)
		if err != nil {
			return nil, fmt.Errorf("proving: GPU prove: %w", err)
		}
	} else if p, err = groth16.Prove(ccs, k.pk, full, groth16Solidity); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if _, err := p.WriteRawTo(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func (k *groth16ProvingKey) writeTo(w io.Writer) error { return k.pk.WriteDump(w) }

type groth16VerifyingKey struct {
	vk *groth16bn254.VerifyingKey
}

// readGroth16Proof decodes a raw proof with gnark's checked decoder (points
// on the curve and in the subgroup) after checking its length prefix (Verifier has bounded the length): the
// decoder allocates what a prefix says, so a forged one could ask for
// gigabytes; and that every point is flagged uncompressed (rawPoints), or
// the decoder would read the prefix from elsewhere. The layout is
//
//	Ar (G1, 64) ‖ Bs (G2, 128) ‖ Krs (64) ‖ u32 n ‖ n commitments (64 each) ‖ commitment PoK (64)
//
// (n = 0 for the batch circuit, which has no commitment: 324 bytes).
func readGroth16Proof(p []byte) (*groth16bn254.Proof, error) {
	n, ok := proofPrefix(p, 256)
	if !ok || n > MaxProofSize/64 || 260+64*n+64 != len(p) {
		return nil, inputErr("malformed groth16 proof (%d bytes)", len(p))
	}
	points := []int{0, 64, 192} // Ar, Bs, Krs, then the commitments and the PoK
	for i := 0; i <= n; i++ {
		points = append(points, 260+64*i)
	}
	if !rawPoints(p, points...) {
		return nil, inputErr("malformed groth16 proof: a point is not in the uncompressed encoding")
	}
	proof := &groth16bn254.Proof{}
	if _, err := proof.ReadFrom(bytes.NewReader(p)); err != nil {
		return nil, inputErr("proof: %v", err)
	}
	return proof, nil
}

func (k groth16VerifyingKey) verify(proof []byte, public witness.Witness) error {
	p, err := readGroth16Proof(proof)
	if err != nil {
		return err
	}
	if err := groth16.Verify(p, k.vk, public, solidity.WithVerifierTargetSolidityVerifier(backend.GROTH16)); err != nil {
		return fmt.Errorf("%w: %v", ErrVerification, err)
	}
	return nil
}

// solidityProof is A ‖ B ‖ C, 256 bytes for the batch circuit. (A circuit
// with n Pedersen commitments would add them (64 each) and their proof of
// knowledge (64): gnark's raw encoding without its u32 commitment count.)
func (k groth16VerifyingKey) solidityProof(proof []byte) ([]byte, error) {
	p, err := readGroth16Proof(proof)
	if err != nil {
		return nil, err
	}
	return p.MarshalSolidity(), nil
}

func (k groth16VerifyingKey) exportSolidity(w io.Writer) error { return k.vk.ExportSolidity(w) }

func (k groth16VerifyingKey) nbPublicInputs() int { return k.vk.NbPublicWitness() }

func (k groth16VerifyingKey) writeTo(w io.Writer) error {
	_, err := k.vk.WriteRawTo(w)
	return err
}
