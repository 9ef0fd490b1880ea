// Package proving compiles the batch circuit (package batch), runs the
// setup, proves and verifies, stores keys in a directory with a manifest of
// SHA-256 hashes checked on load, and exports Solidity verifiers.
//
// Backends: Groth16 (the default) and PLONK, each behind the system
// interface (groth16.go, plonk.go). The PLONK setup uses gnark's
// test/unsafekzg SRS, whose toxic waste is known: it is for development
// only and must never back a production deployment (a production PLONK
// setup needs an SRS from a ceremony).
//
// Keys proves and verifies; Verifier, which LoadVerifier reads from the
// verifying key alone, only verifies, and its calls may run concurrently.
//
// Proofs are made for the exported Solidity verifiers (gnark's
// solidity.WithProverTargetSolidityVerifier), so one proof verifies both here
// and on L1.
package proving

import (
	"errors"
	"fmt"

	"github.com/consensys/gnark"
	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark/backend/witness"
	"github.com/consensys/gnark/constraint"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/logger"

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
	if _, ok := systems[Backend(s)]; ok {
		return Backend(s), nil
	}
	return "", fmt.Errorf("proving: unknown backend %q (groth16 or plonk)", s)
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
	sys, ok := systems[be]
	if !ok {
		return nil, inputErr("unknown backend %q (groth16 or plonk)", be)
	}
	if _, err := batch.ModeOfCode(int(mode)); err != nil {
		return nil, inputErr("%v", err)
	}
	// Rollup mode builds exactly NewCircuit's constraints: its keys are the
	// protocol v1 keys.
	return frontend.Compile(field, sys.newBuilder(), batch.NewCircuitWithOptions(b, d, batch.WithMode(mode)))
}

// Keys is a compiled circuit with its proving key, and the Verifier of its
// verifying key. Its calls must not overlap (UseGPU changes it).
type Keys struct {
	Verifier
	CCS constraint.ConstraintSystem
	pk  provingKey
}

// Setup compiles the circuit in a data-availability mode and runs the
// backend's setup. Groth16's setup is gnark's single-party setup (its
// randomness is discarded in memory); PLONK's uses the unsafe development SRS.
// Either way the keys' Origin is DevelopmentOrigin: keys for funds come from
// a ceremony (package ceremony, NewGroth16Keys).
func Setup(b, d int, be Backend, mode batch.Mode) (*Keys, error) {
	ccs, err := Compile(b, d, be, mode)
	if err != nil {
		return nil, err
	}
	return SetupCompiled(ccs, b, d, be, mode)
}

// SetupCompiled runs the backend's setup for a circuit compiled elsewhere
// (a variant such as batch.GKRPoseidon2's); b, d and mode describe it for
// the manifest.
func SetupCompiled(ccs constraint.ConstraintSystem, b, d int, be Backend, mode batch.Mode) (*Keys, error) {
	sys, ok := systems[be]
	if !ok {
		return nil, inputErr("unknown backend %q (groth16 or plonk)", be)
	}
	pk, vk, err := sys.setup(ccs)
	if err != nil {
		return nil, err
	}
	return &Keys{Verifier: Verifier{B: b, D: d, Backend: be, Mode: mode, Origin: DevelopmentOrigin(), vk: vk}, CCS: ccs, pk: pk}, nil
}

// PublicInputsSize is the size of the public inputs in bytes: oldRoot,
// newRoot, batchNumber, pubdataHash, each a canonical 32-byte element.
const PublicInputsSize = batch.PublicInputsSize

// Prove proves a batch given as witness bytes (docs/protocol.md). It returns
// the proof (gnark's raw encoding, see readGroth16Proof and readPlonkProof)
// and the 128 bytes of public inputs. Witness bytes that do not decode are
// ErrInput, and so is a witness breaking a rule of the circuit; any other
// failure is not the caller's and is returned unmarked.
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
	if proof, err = k.pk.prove(k.CCS, full); err != nil {
		return nil, nil, k.proveError(full, err)
	}
	return proof, public, nil
}

// proveError tells the caller's fault from ours after a failed proof. Only
// a witness the solver refuses breaks a rule of the circuit; gnark reports
// that and its own failures alike, so the witness is solved again (on this
// failure path only): if it solves, the failure was internal.
func (k *Keys) proveError(full witness.Witness, err error) error {
	if _, serr := k.CCS.Solve(full); serr != nil {
		return inputErr("prove: %v", serr)
	}
	return fmt.Errorf("proving: prove (%s): %w", k.Backend, err)
}
