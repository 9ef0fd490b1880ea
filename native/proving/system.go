package proving

import (
	"encoding/binary"
	"io"

	"github.com/consensys/gnark/backend/witness"
	"github.com/consensys/gnark/constraint"
	"github.com/consensys/gnark/frontend"
)

// system is one proof system: everything Compile, Setup, the key store,
// Prove and Verify do differently for Groth16 and PLONK. Each backend's
// gnark calls live in its own file (groth16.go, plonk.go) and nowhere else.
type system interface {
	// newBuilder is the constraint-system builder gnark compiles with:
	// R1CS for Groth16, sparse R1CS for PLONK.
	newBuilder() frontend.NewBuilder
	// setup makes the keys of a compiled circuit.
	setup(ccs constraint.ConstraintSystem) (provingKey, verifyingKey, error)
	// newCS is an empty constraint system for Load to read circuit.ccs into.
	newCS() constraint.ConstraintSystem
	// ccsPublicVariables is how many public variables the compiled batch
	// circuit has: its four public inputs, plus the constant 1 in R1CS.
	ccsPublicVariables() int
	// readProvingKey reads what provingKey.writeTo wrote. It may skip
	// gnark's checks: Load has checked the file's hash first.
	readProvingKey(r io.Reader) (provingKey, error)
	// readVerifyingKey reads what verifyingKey.writeTo wrote, with gnark's
	// checks (points on the curve and in the subgroup).
	readVerifyingKey(r io.Reader) (verifyingKey, error)
}

// provingKey is one proof system's proving key.
type provingKey interface {
	// prove proves a full witness of ccs and returns the proof in gnark's
	// raw encoding, made for the exported Solidity verifier.
	prove(ccs constraint.ConstraintSystem, full witness.Witness) ([]byte, error)
	// writeTo writes the key file (PKFile).
	writeTo(w io.Writer) error
}

// verifyingKey is one proof system's verifying key. It is never changed
// after it is made or read, so its methods may run concurrently.
type verifyingKey interface {
	// verify checks a proof in gnark's raw encoding against a public
	// witness: malformed bytes wrap ErrInput, a false proof ErrVerification.
	verify(proof []byte, public witness.Witness) error
	// solidityProof re-encodes a raw proof for the exported verifier;
	// malformed bytes wrap ErrInput.
	solidityProof(proof []byte) ([]byte, error)
	// exportSolidity writes the Solidity verifier contract.
	exportSolidity(w io.Writer) error
	// nbPublicInputs is how many public inputs the key verifies.
	nbPublicInputs() int
	// writeTo writes the key file (VKFile).
	writeTo(w io.Writer) error
}

// systems maps each Backend to its implementation.
var systems = map[Backend]system{
	Groth16: groth16System{},
	Plonk:   plonkSystem{},
}

// MaxProofSize bounds the proof bytes Verify and SolidityProof read.
const MaxProofSize = 1 << 16

// proofPrefix reads the u32 length prefix at off of a raw proof; ok is
// false when p is too short to hold it.
// rawPoints reports whether the point encodings that start at offs are
// uncompressed (the two top bits of their first byte 00; gnark-crypto's
// mUncompressed). gnark's decoder reads each point's size from those bits:
// a point flagged compressed is read as half its size, shifting every later
// field, so a u32 count could come from the middle of a coordinate and ask
// the decoder for gigabytes — a fatal out-of-memory that kills the JVM
// (found by HostileInputFuzzIT: one flipped bit of a 324-byte proof asked
// for 48 GB). Our proofs are written raw (WriteRawTo), so every point must be
// flagged uncompressed, and only then do the fixed offsets the length
// checks assume hold.
func rawPoints(p []byte, offs ...int) bool {
	for _, off := range offs {
		if off >= len(p) || p[off]&0xc0 != 0 {
			return false
		}
	}
	return true
}

func proofPrefix(p []byte, off int) (n int, ok bool) {
	if off+4 > len(p) {
		return 0, false
	}
	return int(binary.BigEndian.Uint32(p[off:])), true
}
