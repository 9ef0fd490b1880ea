// Package proving compiles the batch circuit (package batch), runs the
// setup, proves and verifies, stores keys in a directory with a manifest of
// SHA-256 hashes checked on load, and exports Solidity verifiers.
//
// Backends: Groth16 (the default) and PLONK. The PLONK setup uses gnark's
// test/unsafekzg SRS, whose toxic waste is known: it is for development
// only and must never back a production deployment (a production PLONK
// setup needs an SRS from a ceremony).
//
// Proofs are made for the exported Solidity verifiers (gnark's
// solidity.WithProverTargetSolidityVerifier), so one proof verifies both here
// and on L1.
package proving

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/consensys/gnark"
	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark/backend"
	"github.com/consensys/gnark/backend/groth16"
	groth16bn254 "github.com/consensys/gnark/backend/groth16/bn254"
	"github.com/consensys/gnark/backend/plonk"
	plonkbn254 "github.com/consensys/gnark/backend/plonk/bn254"
	"github.com/consensys/gnark/backend/solidity"
	"github.com/consensys/gnark/backend/witness"
	"github.com/consensys/gnark/constraint"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/frontend/cs/r1cs"
	"github.com/consensys/gnark/frontend/cs/scs"
	"github.com/consensys/gnark/logger"
	"github.com/consensys/gnark/test/unsafekzg"

	"github.com/zkrollup/prover/native/batch"
)

// Backend names a proof system.
type Backend string

const (
	Groth16 Backend = "groth16"
	Plonk   Backend = "plonk"
)

// ParseBackend accepts "groth16" and "plonk".
func ParseBackend(s string) (Backend, error) {
	switch Backend(s) {
	case Groth16, Plonk:
		return Backend(s), nil
	}
	return "", fmt.Errorf("proving: unknown backend %q (groth16 or plonk)", s)
}

func (b Backend) id() backend.ID {
	if b == Plonk {
		return backend.PLONK
	}
	return backend.GROTH16
}

// ErrInput marks errors caused by the caller's bytes or parameters.
var ErrInput = errors.New("invalid input")

// ErrVerification is returned (wrapped) when a well-formed proof does not verify.
var ErrVerification = errors.New("proof does not verify")

func inputErr(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrInput, fmt.Sprintf(format, args...))
}

// GnarkVersion is the gnark version keys are made with and recorded under.
func GnarkVersion() string { return "v" + gnark.Version.String() }

var field = ecc.BN254.ScalarField()

func init() { logger.Disable() }

// Compile compiles the batch circuit of b slots and depth d in a
// data-availability mode (batch.ModeRollup is protocol v1) for a backend.
func Compile(b, d int, be Backend, mode batch.Mode) (constraint.ConstraintSystem, error) {
	if err := batch.CheckParams(b, d); err != nil {
		return nil, inputErr("%v", err)
	}
	if _, err := ParseBackend(string(be)); err != nil {
		return nil, inputErr("%v", err)
	}
	if _, err := batch.ModeOfCode(int(mode)); err != nil {
		return nil, inputErr("%v", err)
	}
	// Rollup mode builds exactly NewCircuit's constraints: its keys are the
	// protocol v1 keys.
	circuit := batch.NewCircuitWithOptions(b, d, batch.WithMode(mode))
	if be == Plonk {
		return frontend.Compile(field, scs.NewBuilder, circuit)
	}
	return frontend.Compile(field, r1cs.NewBuilder, circuit)
}

// DevSRSCacheDir, when set, is where unsafekzg caches development SRSs
// between runs (tests set it; generating the SRS is most of a PLONK setup).
var DevSRSCacheDir string

// Keys is a compiled circuit with its proving and verifying keys.
type Keys struct {
	B, D    int
	Backend Backend
	// Mode is the circuit's data-availability mode; it decides which
	// pubdataHash a witness must carry (the witness bytes are otherwise the
	// same), and it is recorded in the key directory's manifest.
	Mode batch.Mode
	CCS  constraint.ConstraintSystem
	// Exactly one pair is set, by Backend.
	G16PK groth16.ProvingKey
	G16VK groth16.VerifyingKey
	PlPK  plonk.ProvingKey
	PlVK  plonk.VerifyingKey
	// gpu, set by UseGPU, proves Groth16 on the GPU with G16PK's vectors.
	gpu *gpuProver
}

// Setup compiles the circuit in a data-availability mode and runs the
// backend's setup. Groth16's setup is gnark's single-party setup (its
// randomness is discarded in memory); PLONK's uses the unsafe development SRS.
func Setup(b, d int, be Backend, mode batch.Mode) (*Keys, error) {
	ccs, err := Compile(b, d, be, mode)
	if err != nil {
		return nil, err
	}
	k := &Keys{B: b, D: d, Backend: be, Mode: mode, CCS: ccs}
	if be == Plonk {
		var opts []unsafekzg.Option
		if DevSRSCacheDir != "" {
			opts = append(opts, unsafekzg.WithCacheDir(DevSRSCacheDir))
		}
		srs, lagrange, err := unsafekzg.NewSRS(ccs, opts...)
		if err != nil {
			return nil, fmt.Errorf("proving: development SRS: %w", err)
		}
		if k.PlPK, k.PlVK, err = plonk.Setup(ccs, srs, lagrange); err != nil {
			return nil, fmt.Errorf("proving: plonk setup: %w", err)
		}
		return k, nil
	}
	if k.G16PK, k.G16VK, err = groth16.Setup(ccs); err != nil {
		return nil, fmt.Errorf("proving: groth16 setup: %w", err)
	}
	return k, nil
}

// publicInputs is the public part of the batch circuit, in its order.
type publicInputs struct {
	OldRoot, NewRoot, BatchNumber, PubdataHash frontend.Variable `gnark:",public"`
}

// PublicInputsSize is the size of the public inputs in bytes: oldRoot,
// newRoot, batchNumber, pubdataHash, each a canonical 32-byte element.
const PublicInputsSize = 4 * fr.Bytes

// Prove proves a batch given as witness bytes (docs/protocol.md). It returns
// the proof (gnark's raw encoding, see ProofLayout) and the 128 bytes of
// public inputs. Witness bytes that do not decode are ErrInput; a witness
// breaking a rule of the circuit fails in the solver (also ErrInput).
func (k *Keys) Prove(witnessBytes []byte) (proof, public []byte, err error) {
	assignment, err := batch.Decode(k.B, k.D, witnessBytes)
	if err != nil {
		return nil, nil, inputErr("%v", err)
	}
	return k.ProveAssignment(assignment)
}

// ProveAssignment proves an assignment already checked by batch.Decode (or built in Go).
func (k *Keys) ProveAssignment(assignment *batch.Circuit) (proof, public []byte, err error) {
	if assignment.Size() != k.B || assignment.Depth() != k.D {
		return nil, nil, inputErr("assignment is B=%d D=%d, keys are B=%d D=%d", assignment.Size(), assignment.Depth(), k.B, k.D)
	}
	full, err := frontend.NewWitness(assignment, field)
	if err != nil {
		return nil, nil, inputErr("witness: %v", err)
	}
	public, err = batch.Public(assignment)
	if err != nil {
		return nil, nil, inputErr("public inputs: %v", err)
	}
	var buf bytes.Buffer
	opt := solidity.WithProverTargetSolidityVerifier(k.Backend.id())
	if k.Backend == Plonk {
		p, err := plonk.Prove(k.CCS, k.PlPK, full, opt)
		if err != nil {
			return nil, nil, inputErr("prove: %v", err)
		}
		if _, err := p.WriteRawTo(&buf); err != nil {
			return nil, nil, err
		}
	} else if k.gpu != nil {
		// Solve on the CPU first: a witness breaking a rule is then the
		// caller's error (as on the CPU path) and never reaches the device.
		if err := k.CCS.IsSolved(full); err != nil {
			return nil, nil, inputErr("prove: %v", err)
		}
		p, err := k.gpu.prove(k.CCS, full, opt)
		if err != nil {
			return nil, nil, fmt.Errorf("proving: GPU prove: %w", err)
		}
		if _, err := p.WriteRawTo(&buf); err != nil {
			return nil, nil, err
		}
	} else {
		p, err := groth16.Prove(k.CCS, k.G16PK, full, opt)
		if err != nil {
			return nil, nil, inputErr("prove: %v", err)
		}
		if _, err := p.WriteRawTo(&buf); err != nil {
			return nil, nil, err
		}
	}
	return buf.Bytes(), public, nil
}

// MaxProofSize bounds the proof bytes Verify reads.
const MaxProofSize = 1 << 16

// checkProofLayout checks the length prefixes of gnark's raw proof encoding
// against the total length before gnark decodes it: the decoder allocates
// what a prefix says, so a forged prefix could ask for gigabytes.
//
// Groth16: Ar (G1, 64) ‖ Bs (G2, 128) ‖ Krs (64) ‖ u32 n ‖ n commitments (64 each) ‖ commitment PoK (64)
// (n = 0 for the batch circuit, which has no commitment: 324 bytes).
// PLONK: 8 G1 points (512) ‖ u32 m ‖ m claimed values (32 each) ‖ G1 (64) ‖ claimed value (32) ‖ u32 n ‖ n G1 (64 each).
func checkProofLayout(be Backend, p []byte) error {
	if len(p) > MaxProofSize {
		return inputErr("proof of %d bytes exceeds %d", len(p), MaxProofSize)
	}
	u32 := func(off int) (int, bool) {
		if off+4 > len(p) {
			return 0, false
		}
		return int(binary.BigEndian.Uint32(p[off:])), true
	}
	if be == Groth16 {
		n, ok := u32(256)
		if !ok || n > MaxProofSize/64 || 260+64*n+64 != len(p) {
			return inputErr("malformed groth16 proof (%d bytes)", len(p))
		}
		return nil
	}
	m, ok := u32(512)
	if !ok || m > MaxProofSize/32 {
		return inputErr("malformed plonk proof (%d bytes)", len(p))
	}
	off := 516 + 32*m + 96
	n, ok := u32(off)
	if !ok || n > MaxProofSize/64 || off+4+64*n != len(p) {
		return inputErr("malformed plonk proof (%d bytes)", len(p))
	}
	return nil
}

// publicWitness decodes the 128 bytes of public inputs.
func publicWitness(public []byte) (witness.Witness, error) {
	if len(public) != PublicInputsSize {
		return nil, inputErr("public inputs must be %d bytes, got %d", PublicInputsSize, len(public))
	}
	var vals [4]fr.Element
	for i := range vals {
		if err := vals[i].SetBytesCanonical(public[i*fr.Bytes : (i+1)*fr.Bytes]); err != nil {
			return nil, inputErr("public input %d is not canonical", i)
		}
	}
	w, err := frontend.NewWitness(&publicInputs{vals[0], vals[1], vals[2], vals[3]}, field, frontend.PublicOnly())
	if err != nil {
		return nil, err
	}
	return w, nil
}

// Verify checks a proof against public inputs. A proof that is well formed
// but false returns an error wrapping ErrVerification; malformed bytes wrap ErrInput.
func (k *Keys) Verify(proof, public []byte) error {
	pw, err := publicWitness(public)
	if err != nil {
		return err
	}
	if err := checkProofLayout(k.Backend, proof); err != nil {
		return err
	}
	opt := solidity.WithVerifierTargetSolidityVerifier(k.Backend.id())
	if k.Backend == Plonk {
		p := plonk.NewProof(ecc.BN254)
		if _, err := p.ReadFrom(bytes.NewReader(proof)); err != nil {
			return inputErr("proof: %v", err)
		}
		if err := plonk.Verify(p, k.PlVK, pw, opt); err != nil {
			return fmt.Errorf("%w: %v", ErrVerification, err)
		}
		return nil
	}
	p := groth16.NewProof(ecc.BN254)
	if _, err := p.ReadFrom(bytes.NewReader(proof)); err != nil {
		return inputErr("proof: %v", err)
	}
	if err := groth16.Verify(p, k.G16VK, pw, opt); err != nil {
		return fmt.Errorf("%w: %v", ErrVerification, err)
	}
	return nil
}

// ExportSolidity returns the Solidity source of the verifier contract.
func (k *Keys) ExportSolidity() ([]byte, error) {
	var buf bytes.Buffer
	var err error
	if k.Backend == Plonk {
		err = k.PlVK.ExportSolidity(&buf)
	} else {
		err = k.G16VK.ExportSolidity(&buf)
	}
	if err != nil {
		return nil, fmt.Errorf("proving: export solidity: %w", err)
	}
	return buf.Bytes(), nil
}

// SolidityProof turns a proof in gnark's raw encoding (as Prove returns it)
// into the proof bytes the verifier from ExportSolidity takes:
//
//   - Groth16 (verifyProof(bytes proof, uint256[4] input), reverts when false):
//     A (G1, 64) ‖ B (G2, 128) ‖ C (G1, 64), 256 bytes for the batch
//     circuit, which has no commitment. (A circuit with n Pedersen
//     commitments would add them (64 each) and their proof of knowledge
//     (64): gnark's raw encoding without its u32 commitment count.)
//   - PLONK (Verify(bytes proof, uint256[] public_inputs) returns bool):
//     gnark's plonk MarshalSolidity layout (G1 points uncompressed, field
//     elements 32 bytes big-endian).
//
// The proof is decoded (points checked on the curve and in the subgroup)
// before it is re-encoded; malformed bytes are ErrInput.
func (k *Keys) SolidityProof(proof []byte) ([]byte, error) {
	if err := checkProofLayout(k.Backend, proof); err != nil {
		return nil, err
	}
	if k.Backend == Plonk {
		var p plonkbn254.Proof
		if _, err := p.ReadFrom(bytes.NewReader(proof)); err != nil {
			return nil, inputErr("proof: %v", err)
		}
		return p.MarshalSolidity(), nil
	}
	var p groth16bn254.Proof
	if _, err := p.ReadFrom(bytes.NewReader(proof)); err != nil {
		return nil, inputErr("proof: %v", err)
	}
	return p.MarshalSolidity(), nil
}

// Define is never called: publicInputs only shapes the public witness.
func (*publicInputs) Define(frontend.API) error { return nil }
