package ceremony

import (
	"io"
	"os"
	"path/filepath"

	"github.com/consensys/gnark/backend/groth16/bn254/mpcsetup"

	"github.com/zkrollup/prover/native/proving"
)

// SealReport says what SealPhase1 wrote.
type SealReport struct {
	Beacon       Beacon
	Contributors int
	// SRS, Initial and Evaluations are the SHA-256 of phase1/srs.bin,
	// phase2/0000-initial.bin and phase2/evaluations.bin.
	SRS, Initial, Evaluations string
}

// SealPhase1 closes phase 1: it verifies every phase-1 contribution from
// gnark's empty start, applies the beacon (gnark's Phase1.Seal: a last,
// public update anyone can recompute), writes the SRS, and computes the
// phase-2 initial state from the circuit and the SRS (deterministic, so any
// verifier recomputes it). The beacon must not be known before the last
// contribution was made: announce in advance which L1 block's hash it is.
func SealPhase1(dir string, beacon Beacon) (*SealReport, error) {
	if _, err := ParseBeacon(beacon.String()); err != nil {
		return nil, err
	}
	unlock, err := lock(dir)
	if err != nil {
		return nil, err
	}
	defer unlock()
	t, err := open(dir)
	if err != nil {
		return nil, err
	}
	if t.state() != Phase1Open {
		return nil, inputErr("phase 1 is sealed already")
	}
	if len(t.phase1) == 0 {
		return nil, inputErr("phase 1 has no contribution: a beacon alone is public, and keys from it would be forgeable")
	}
	r1cs, err := t.spec.compile() // before the long part: a wrong library fails at once
	if err != nil {
		return nil, err
	}
	last, err := t.verifyPhase1()
	if err != nil {
		return nil, err
	}
	srs := last.Seal(beacon)
	// A seal that crashed halfway left files without a beacon: nobody has
	// built on them (Contribute reads phase 2 only once beacon.txt exists).
	for _, f := range []string{Phase1Dir + "/" + SRSFile, Phase2Dir + "/" + InitialFile, Phase2Dir + "/" + EvaluationsFile} {
		os.Remove(t.path(f))
	}
	out := &SealReport{Beacon: beacon, Contributors: len(t.phase1)}
	w, err := writeAtomic(t.path(Phase1Dir+"/"+SRSFile), func(w io.Writer) error { _, err := srs.WriteTo(w); return err })
	if err != nil {
		return nil, err
	}
	out.SRS = w.SHA256
	var initial mpcsetup.Phase2
	evals := initial.Initialize(r1cs, &srs)
	if w, err = writeAtomic(t.path(Phase2Dir+"/"+InitialFile), func(w io.Writer) error { _, err := initial.WriteTo(w); return err }); err != nil {
		return nil, err
	}
	out.Initial = w.SHA256
	if w, err = writeAtomic(t.path(Phase2Dir+"/"+EvaluationsFile), func(w io.Writer) error { return writeEvaluations(w, &evals) }); err != nil {
		return nil, err
	}
	out.Evaluations = w.SHA256
	// The beacon goes last: its file is what marks phase 1 sealed.
	if _, err := writeAtomic(filepath.Join(dir, Phase1Dir, BeaconFile), func(w io.Writer) error { _, err := w.Write(beacon.fileBytes()); return err }); err != nil {
		return nil, err
	}
	return out, nil
}

// FinalizeReport says what Finalize wrote.
type FinalizeReport struct {
	Beacon Beacon
	// Transcript is the transcript's hash, as the key manifest records it.
	Transcript string
	Origin     proving.Origin
	Keys       *proving.SaveSummary
}

// Finalize closes phase 2 and writes the keys: it verifies every phase-2
// contribution from the initial state, applies the second beacon (gnark's
// Phase2.Seal) and saves the proving and verifying keys with the compiled
// circuit into keyDir, a key directory of package proving whose manifest
// records the ceremony as the keys' origin. It trusts the files seal-phase1
// computed (the SRS, the initial state, the evaluations); Verify recomputes
// them.
func Finalize(dir string, beacon Beacon, keyDir string) (*FinalizeReport, error) {
	if _, err := ParseBeacon(beacon.String()); err != nil {
		return nil, err
	}
	if exists(keyDir, proving.ManifestFile) {
		return nil, inputErr("%s holds keys already; choose an empty directory", keyDir)
	}
	unlock, err := lock(dir)
	if err != nil {
		return nil, err
	}
	defer unlock()
	t, err := open(dir)
	if err != nil {
		return nil, err
	}
	switch {
	case t.state() == Phase1Open:
		return nil, inputErr("phase 1 is not sealed yet (seal-phase1 first)")
	case t.state() == Finalized:
		return nil, inputErr("the ceremony is finalized already")
	case len(t.phase2) == 0:
		return nil, inputErr("phase 2 has no contribution: a beacon alone is public, and keys from it would be forgeable")
	}
	r1cs, err := t.spec.compile()
	if err != nil {
		return nil, err
	}
	srs, _, err := t.readSRS()
	if err != nil {
		return nil, err
	}
	initial, _, err := t.readPhase2(Phase2Dir+"/"+InitialFile, 0)
	if err != nil {
		return nil, err
	}
	evals, err := t.readEvaluations()
	if err != nil {
		return nil, err
	}
	last, err := t.verifyPhase2(initial)
	if err != nil {
		return nil, err
	}
	pk, vk := last.Seal(srs, evals, beacon)

	// The origin names the transcript as it is once beacon.txt is written.
	t.beacon2 = beacon
	files, err := t.hashFilesWith(Phase2Dir+"/"+BeaconFile, beacon.fileBytes())
	if err != nil {
		return nil, err
	}
	origin := t.origin(files)
	mode, _ := t.spec.mode() // checked by ReadSpec
	keys, err := proving.NewGroth16Keys(r1cs, pk, vk, t.spec.B, t.spec.D, mode, origin)
	if err != nil {
		return nil, wrapProving(err)
	}
	summary, err := keys.Save(keyDir)
	if err != nil {
		return nil, wrapProving(err)
	}
	if _, err := writeAtomic(filepath.Join(dir, Phase2Dir, BeaconFile), func(w io.Writer) error { _, err := w.Write(beacon.fileBytes()); return err }); err != nil {
		return nil, err
	}
	return &FinalizeReport{Beacon: beacon, Transcript: origin.Transcript, Origin: origin, Keys: summary}, nil
}

// readEvaluations reads phase2/evaluations.bin, its shape checked first.
func (t *transcript) readEvaluations() (*mpcsetup.Phase2Evaluations, error) {
	var e *mpcsetup.Phase2Evaluations
	file := Phase2Dir + "/" + EvaluationsFile
	_, err := readChecked(t.path(file), checkEvaluations, func(r io.Reader) (err error) { e, err = readEvaluations(r); return err })
	if err != nil {
		return nil, inputErr("%s: %v", file, err)
	}
	return e, nil
}

// origin is the key manifest's record of this ceremony.
func (t *transcript) origin(files []fileHash) proving.Origin {
	contributors := func(cs []Contribution) []proving.Contributor {
		out := make([]proving.Contributor, len(cs))
		for i, c := range cs {
			out[i] = proving.Contributor{Name: c.Name, SHA256: c.SHA256}
		}
		return out
	}
	return proving.Origin{
		Kind: proving.OriginCeremony, Transcript: transcriptHash(files),
		Phase1: contributors(t.phase1), Phase2: contributors(t.phase2),
		Beacon1: t.beacon1.String(), Beacon2: t.beacon2.String(),
	}
}
