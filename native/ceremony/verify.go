package ceremony

import (
	"fmt"
	"io"
	"path/filepath"

	"github.com/consensys/gnark/backend/groth16/bn254/mpcsetup"

	"github.com/zkrollup/prover/native/proving"
)

// VerifyOptions says what else Verify checks besides the transcript itself.
type VerifyOptions struct {
	// KeyDir, when not empty, is a key directory that must hold exactly the
	// keys the transcript produces.
	KeyDir string
	// Beacon1 and Beacon2, when not nil, are the beacons the verifier
	// expects (the announced blocks' hashes); the transcript must use them.
	Beacon1, Beacon2 Beacon
}

// Report is what Verify found: a transcript that passed, so far as it goes.
type Report struct {
	Spec  Spec
	State State
	// Phase1 and Phase2 are the contributions in order, each with the
	// SHA-256 of its file: the receipts contributors look for.
	Phase1, Phase2   []Contribution
	Beacon1, Beacon2 Beacon
	// SRS, Initial and Evaluations are the SHA-256 of what seal-phase1
	// wrote, each equal to what Verify recomputed (empty before the seal).
	SRS, Initial, Evaluations string
	// Transcript is the SHA-256 of the transcript (TranscriptHash).
	Transcript string
	// Keys are the SHA-256 of the key files the transcript produces (once
	// finalized), by file name; KeysChecked says the key directory of
	// VerifyOptions holds exactly them.
	Keys        map[string]string
	KeysChecked bool
}

// Verify recomputes a ceremony from its files alone: the circuit from its
// parameters (compared with the hash of ceremony.json), every contribution
// of phase 1 against its predecessor from gnark's empty start, the seal of
// phase 1 with its beacon (compared with the SRS written), the phase-2
// initial state and evaluations (compared with the files), every
// contribution of phase 2 against its predecessor, and the seal of phase 2,
// whose keys must be the key directory's when one is given.
//
// The checks that only read hashes and names run first, so a directory that
// was plainly changed fails in seconds; the recomputation takes as long as
// the ceremony did. Any failure is ErrInput with a message that names the
// file (and the contribution and its contributor) and why.
func Verify(dir string, opts VerifyOptions) (*Report, error) {
	t, err := open(dir)
	if err != nil {
		return nil, err
	}
	r := &Report{Spec: *t.spec, State: t.state(), Phase1: t.phase1, Phase2: t.phase2, Beacon1: t.beacon1, Beacon2: t.beacon2}
	if err := checkBeacon(1, opts.Beacon1, t.beacon1); err != nil {
		return nil, err
	}
	if err := checkBeacon(2, opts.Beacon2, t.beacon2); err != nil {
		return nil, err
	}
	files, err := t.hashFiles()
	if err != nil {
		return nil, err
	}
	r.Transcript = transcriptHash(files)
	hashes := map[string]string{}
	for _, f := range files {
		hashes[f.File] = f.SHA256
	}
	var manifest *proving.Manifest
	if opts.KeyDir != "" {
		if manifest, err = t.checkManifest(opts.KeyDir, r.Transcript); err != nil {
			return nil, err
		}
	}

	r1cs, err := t.spec.compile()
	if err != nil {
		return nil, err
	}
	last, err := t.verifyPhase1()
	if err != nil {
		return nil, err
	}
	if t.state() == Phase1Open {
		return r, nil
	}
	srs := last.Seal(t.beacon1)
	if r.SRS, err = t.recomputed(Phase1Dir+"/"+SRSFile, hashes, func(w io.Writer) error { _, err := srs.WriteTo(w); return err },
		"it is not the seal of phase 1 with beacon "+t.beacon1.String()); err != nil {
		return nil, err
	}
	initial := new(mpcsetup.Phase2)
	evals := initial.Initialize(r1cs, &srs)
	if r.Initial, err = t.recomputed(Phase2Dir+"/"+InitialFile, hashes, func(w io.Writer) error { _, err := initial.WriteTo(w); return err },
		"it is not the initial phase-2 state of this circuit and SRS"); err != nil {
		return nil, err
	}
	if r.Evaluations, err = t.recomputed(Phase2Dir+"/"+EvaluationsFile, hashes, func(w io.Writer) error { return writeEvaluations(w, &evals) },
		"they are not this circuit's evaluations on this SRS"); err != nil {
		return nil, err
	}
	final, err := t.verifyPhase2(initial)
	if err != nil {
		return nil, err
	}
	if t.state() == Phase2Open {
		return r, nil
	}
	pk, vk := final.Seal(&srs, &evals, t.beacon2)
	mode, _ := t.spec.mode() // checked by ReadSpec
	keys, err := proving.NewGroth16Keys(r1cs, pk, vk, t.spec.B, t.spec.D, mode, t.origin(files))
	if err != nil {
		return nil, wrapProving(err)
	}
	if r.Keys, err = keys.FileHashes(); err != nil {
		return nil, err
	}
	if manifest != nil {
		if err := checkKeyFiles(opts.KeyDir, manifest, r.Keys); err != nil {
			return nil, err
		}
		r.KeysChecked = true
	}
	return r, nil
}

// checkBeacon compares a phase's beacon with the one the verifier expects.
func checkBeacon(phase int, want, got Beacon) error {
	switch {
	case want == nil:
		return nil
	case got == nil:
		return inputErr("phase %d is not sealed, so it has no beacon to compare with %s", phase, want)
	case want.String() != got.String():
		return inputErr("phase %d was sealed with beacon %s, not the expected %s", phase, got, want)
	}
	return nil
}

// recomputed compares a file seal-phase1 wrote with what Verify recomputed.
func (t *transcript) recomputed(file string, hashes map[string]string, write func(w io.Writer) error, why string) (string, error) {
	h, err := hashOf(write)
	if err != nil {
		return "", err
	}
	if h != hashes[file] {
		return "", inputErr("%s has SHA-256 %s, the transcript produces %s: %s", file, hashes[file], h, why)
	}
	return h, nil
}

// checkManifest checks what a key directory's manifest says against the
// transcript, before anything is recomputed: the circuit, and an origin that
// names this ceremony. Keys from a development setup or from another
// ceremony fail here.
func (t *transcript) checkManifest(keyDir, transcript string) (*proving.Manifest, error) {
	m, err := proving.ReadManifest(keyDir)
	if err != nil {
		return nil, wrapProving(err)
	}
	mode, _ := m.DataAvailability() // checked by ReadManifest
	origin := m.KeyOrigin()
	switch {
	case t.state() != Finalized:
		return nil, inputErr("the ceremony is not finalized: it has produced no keys to compare %s with", keyDir)
	case m.Backend != proving.Groth16 || m.B != t.spec.B || m.D != t.spec.D || mode.String() != t.spec.Mode:
		return nil, inputErr("%s holds %s keys for B=%d, D=%d (%s); the ceremony is for groth16, B=%d, D=%d (%s)", keyDir, m.Backend, m.B, m.D, mode, t.spec.B, t.spec.D, t.spec.Mode)
	case !origin.IsCeremony():
		return nil, inputErr("%s holds keys from a %s %s setup, not from this ceremony", keyDir, origin.Setup, origin.Kind)
	case origin.Transcript != transcript:
		return nil, inputErr("%s holds keys of another ceremony: its manifest names transcript %s, this one is %s", keyDir, origin.Transcript, transcript)
	case m.Files[proving.CCSFile] != t.spec.CircuitSHA256:
		return nil, inputErr("%s/%s is not the ceremony's circuit (SHA-256 %s, %s names %s)", keyDir, proving.CCSFile, m.Files[proving.CCSFile], SpecFile, t.spec.CircuitSHA256)
	}
	return m, nil
}

// checkKeyFiles compares a key directory with the keys the transcript
// produced: the manifest's hashes, and the files themselves.
func checkKeyFiles(keyDir string, m *proving.Manifest, want map[string]string) error {
	for _, name := range []string{proving.CCSFile, proving.PKFile, proving.VKFile} {
		if m.Files[name] != want[name] {
			return inputErr("%s/%s is not what the transcript produces: the manifest has SHA-256 %s, the transcript's is %s", keyDir, name, m.Files[name], want[name])
		}
		got, err := hashFile(filepath.Join(keyDir, name))
		if err != nil {
			return inputErr("%v", err)
		}
		if got != want[name] {
			return inputErr("%s/%s has SHA-256 %s, the transcript's is %s (its manifest is right, the file was changed)", keyDir, name, got, want[name])
		}
	}
	return nil
}

// String is a one-line summary for logs and tests.
func (r *Report) String() string {
	return fmt.Sprintf("%s, %d + %d contributions, transcript %s", r.State, len(r.Phase1), len(r.Phase2), r.Transcript)
}
