// Package ceremony runs a multi-party Groth16 setup (an MPC ceremony) for the
// batch circuit on gnark's mpcsetup (BN254), driven by files so that
// contributors on different machines only pass a directory along.
//
// A single-party setup leaves whoever ran it able to forge proofs. In a
// ceremony every contributor mixes in randomness of their own and throws it
// away; the keys are safe if any one of them did. Each contribution comes
// with a proof that it only built on its predecessor (gnark's UpdateProof),
// so anyone can check the whole chain afterwards from the files alone.
//
// The ceremony directory is the transcript:
//
//	ceremony.json              what the ceremony is for (Spec): circuit, N, hashes
//	log.json                   who contributed which file, its SHA-256, when
//	phase1/0001-alice.bin      gnark's Phase1 after each contribution ("powers of tau")
//	phase1/beacon.txt          the random beacon that sealed phase 1 (hex)
//	phase1/srs.bin             the sealed SRS (gnark's SrsCommons)
//	phase2/0000-initial.bin    Phase2 before any contribution: circuit + SRS, recomputable
//	phase2/0001-carol.bin      gnark's Phase2 after each contribution (circuit-specific)
//	phase2/beacon.txt          the beacon that sealed phase 2
//	phase2/evaluations.bin     the circuit's key terms that no contribution changes
//
// Operations, in order: Init (coordinator), Contribute (each contributor,
// phase 1, then again in phase 2), SealPhase1 (coordinator, with a beacon),
// Finalize (coordinator, with a second beacon: writes a key directory of
// package proving), Verify (anyone). Contributions need no circuit: phase 1
// needs only N, phase 2 only the previous phase-2 file.
//
// Files are gnark's own encodings; before gnark's decoder reads a file its
// shape is checked against N (layout.go), because the decoder allocates what
// a length prefix says. Every file is written to a temporary name and renamed
// into place, so a directory never holds half a contribution.
package ceremony

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/consensys/gnark-crypto/ecc"
	cs "github.com/consensys/gnark/constraint/bn254"

	"github.com/zkrollup/prover/native/batch"
	"github.com/zkrollup/prover/native/proving"
)

// ErrInput marks the caller's mistakes and bad transcripts: malformed,
// tampered, missing or out-of-order files, a wrong beacon, bad arguments.
// (errors.Is finds it; the message is the error's own.)
var ErrInput = errors.New("invalid ceremony input")

// inputError is an error of ErrInput's kind with its own message.
type inputError struct{ msg string }

func (e *inputError) Error() string        { return e.msg }
func (e *inputError) Is(target error) bool { return target == ErrInput }

func inputErr(format string, args ...any) error {
	return &inputError{fmt.Sprintf(format, args...)}
}

// Layout of a ceremony directory.
const (
	SpecFile        = "ceremony.json"
	LogFile         = "log.json"
	Phase1Dir       = "phase1"
	Phase2Dir       = "phase2"
	BeaconFile      = "beacon.txt"
	SRSFile         = "srs.bin"
	InitialFile     = "0000-initial.bin"
	EvaluationsFile = "evaluations.bin"
)

// specFormat is the version of ceremony.json and of the directory layout.
const specFormat = 1

// Spec is ceremony.json: what the ceremony sets up keys for. Everything a
// contributor or verifier needs to know before reading the other files.
type Spec struct {
	Format  int    `json:"format"`
	Purpose string `json:"purpose"`
	// B, D and Mode are the batch circuit's slots, tree depth and
	// data-availability mode; Backend is always groth16.
	B       int    `json:"b"`
	D       int    `json:"d"`
	Mode    string `json:"mode"`
	Backend string `json:"backend"`
	// Gnark is the gnark version whose encodings the files use.
	Gnark       string `json:"gnark"`
	Constraints int    `json:"constraints"`
	// Domain is N, the phase-1 domain size: the next power of two of the
	// constraint count. Phase 1 depends on nothing else.
	Domain uint64 `json:"domain"`
	// CircuitSHA256 is the SHA-256 of the compiled circuit (circuit.ccs of
	// the key directory), so a verifier knows which circuit it checks.
	CircuitSHA256 string `json:"circuitSha256"`
}

const purpose = "Groth16 keys for the zkrollup batch circuit: a multi-party setup on gnark's mpcsetup (BN254)"

// mode is the spec's data-availability mode.
func (s *Spec) mode() (batch.Mode, error) { return batch.ParseMode(s.Mode) }

// Init starts a ceremony in dir (empty or new): it compiles the
// batch circuit of b slots, depth d and a data-availability mode, and writes
// ceremony.json and an empty log.
func Init(dir string, b, d int, mode batch.Mode) (*Spec, error) {
	if _, err := os.Stat(filepath.Join(dir, SpecFile)); err == nil {
		return nil, inputErr("%s holds a ceremony already", dir)
	}
	// Files of another ceremony (or anything else) would mix with this one's.
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		return nil, inputErr("%s is not empty; a ceremony starts in an empty directory", dir)
	}
	r1cs, err := compileCircuit(b, d, mode)
	if err != nil {
		return nil, wrapProving(err)
	}
	hash, err := circuitHash(r1cs)
	if err != nil {
		return nil, err
	}
	s := &Spec{
		Format: specFormat, Purpose: purpose, B: b, D: d, Mode: mode.String(), Backend: string(proving.Groth16),
		Gnark: proving.GnarkVersion(), Constraints: r1cs.GetNbConstraints(),
		Domain: ecc.NextPowerOfTwo(uint64(r1cs.GetNbConstraints())), CircuitSHA256: hash,
	}
	for _, sub := range []string{dir, filepath.Join(dir, Phase1Dir), filepath.Join(dir, Phase2Dir)} {
		if err := os.MkdirAll(sub, 0o755); err != nil {
			return nil, inputErr("%v", err)
		}
	}
	if _, err := writeJSON(filepath.Join(dir, SpecFile), s); err != nil {
		return nil, err
	}
	if err := writeLog(dir, nil); err != nil {
		return nil, err
	}
	return s, nil
}

// ReadSpec reads and checks ceremony.json of dir.
func ReadSpec(dir string) (*Spec, error) {
	raw, err := readSmall(filepath.Join(dir, SpecFile))
	if err != nil {
		return nil, inputErr("%s is not a ceremony directory: %v", dir, err)
	}
	var s Spec
	if err := json.Unmarshal(raw, &s); err != nil {
		return nil, inputErr("%s: %v", SpecFile, err)
	}
	switch {
	case s.Format != specFormat:
		return nil, inputErr("%s: format %d, this library reads %d", SpecFile, s.Format, specFormat)
	case s.Backend != string(proving.Groth16):
		return nil, inputErr("%s: backend %q; ceremonies are for groth16", SpecFile, s.Backend)
	case s.Gnark != proving.GnarkVersion():
		return nil, inputErr("%s: the ceremony uses gnark %s, this library has %s (their file encodings may differ)", SpecFile, s.Gnark, proving.GnarkVersion())
	case s.Domain < 2 || s.Domain > maxDomain || ecc.NextPowerOfTwo(s.Domain) != s.Domain:
		return nil, inputErr("%s: domain %d is not a power of two in 2..2^%d", SpecFile, s.Domain, maxDomainLog)
	case s.Constraints < 1 || ecc.NextPowerOfTwo(uint64(s.Constraints)) != s.Domain:
		return nil, inputErr("%s: %d constraints need a domain of %d, not %d", SpecFile, s.Constraints, ecc.NextPowerOfTwo(uint64(s.Constraints)), s.Domain)
	case !isHash(s.CircuitSHA256):
		return nil, inputErr("%s: circuitSha256 is not a SHA-256", SpecFile)
	}
	if err := batch.CheckParams(s.B, s.D); err != nil {
		return nil, inputErr("%s: %v", SpecFile, err)
	}
	if _, err := s.mode(); err != nil {
		return nil, inputErr("%s: %v", SpecFile, err)
	}
	return &s, nil
}

// maxDomain bounds N: 2^26 points of each kind are tens of gigabytes in
// memory, beyond any batch circuit this project proves.
const (
	maxDomainLog = 26
	maxDomain    = 1 << maxDomainLog
)

// compile compiles the circuit the spec names and checks it is the one the
// ceremony was started for: same constraint count, same SHA-256.
func (s *Spec) compile() (*cs.R1CS, error) {
	mode, err := s.mode()
	if err != nil {
		return nil, inputErr("%v", err)
	}
	r1cs, err := compileCircuit(s.B, s.D, mode)
	if err != nil {
		return nil, wrapProving(err)
	}
	hash, err := circuitHash(r1cs)
	if err != nil {
		return nil, err
	}
	if hash != s.CircuitSHA256 || r1cs.GetNbConstraints() != s.Constraints {
		return nil, inputErr("this library's circuit for B=%d, D=%d (%s) is not the ceremony's: %d constraints, SHA-256 %s; %s says %d, %s",
			s.B, s.D, s.Mode, r1cs.GetNbConstraints(), hash, SpecFile, s.Constraints, s.CircuitSHA256)
	}
	return r1cs, nil
}

// compileCircuit compiles the batch circuit; tests replace it with a small
// circuit, since a real ceremony takes minutes even for the smallest batch.
var compileCircuit = func(b, d int, mode batch.Mode) (*cs.R1CS, error) {
	ccs, err := proving.Compile(b, d, proving.Groth16, mode)
	if err != nil {
		return nil, err
	}
	return ccs.(*cs.R1CS), nil
}

// circuitHash is the SHA-256 of the circuit as circuit.ccs stores it.
func circuitHash(r1cs *cs.R1CS) (string, error) {
	h := sha256.New()
	if _, err := r1cs.WriteTo(h); err != nil {
		return "", fmt.Errorf("ceremony: hashing the circuit: %w", err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// wrapProving keeps package proving's input errors the caller's.
func wrapProving(err error) error {
	if errors.Is(err, proving.ErrInput) {
		return &inputError{err.Error()}
	}
	return err
}
