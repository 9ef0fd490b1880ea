package ceremony

import (
	"fmt"
	"io"
	"time"

	"github.com/consensys/gnark/backend/groth16/bn254/mpcsetup"

	"github.com/zkrollup/prover/native/proving"
)

// Receipt is what a contributor keeps: the contribution (phase, number,
// name, file) and the SHA-256 of the file it wrote, which Verify lists, so
// the contributor can see that the keys were built on their randomness.
type Receipt struct {
	Contribution
	// Size is the new file's size in bytes.
	Size int64
}

// Contribute adds one contribution to the open phase: it reads the phase's
// latest file (for phase 1 the empty start if there is none: only N is
// needed), lets gnark mix in fresh randomness (Phase1/Phase2.Contribute,
// which draws it from crypto/rand and keeps it only in memory) and writes
// the next file with its proof of the update. The circuit is not needed.
func Contribute(dir, name string) (*Receipt, error) {
	if err := proving.CheckContributorName(name); err != nil {
		return nil, inputErr("%v", err)
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
	var next io.WriterTo
	var phase int
	switch t.state() {
	case Phase1Open:
		phase = 1
		p, err := t.latestPhase1()
		if err != nil {
			return nil, err
		}
		p.Contribute()
		next = p
	case Phase2Open:
		phase = 2
		p, err := t.latestPhase2()
		if err != nil {
			return nil, err
		}
		p.Contribute()
		next = p
	default:
		return nil, inputErr("the ceremony is finalized; it takes no more contributions")
	}
	c := Contribution{Phase: phase, Index: len(t.contributionsOf(phase)) + 1, Name: name}
	c.File = contributionFile(phase, c.Index, name)
	w, err := writeAtomic(t.path(c.File), func(out io.Writer) error { _, err := next.WriteTo(out); return err })
	if err != nil {
		return nil, err
	}
	c.SHA256 = w.SHA256
	c.Time = time.Now().UTC().Format(time.RFC3339)
	if err := writeLog(dir, append(t.log, c)); err != nil {
		return nil, fmt.Errorf("ceremony: %s was written but the log could not be: %w", c.File, err)
	}
	return &Receipt{Contribution: c, Size: w.Size}, nil
}

func (t *transcript) contributionsOf(phase int) []Contribution {
	if phase == 1 {
		return t.phase1
	}
	return t.phase2
}

// latestPhase1 is the state a phase-1 contribution builds on: the last
// contribution, or gnark's empty start for N.
func (t *transcript) latestPhase1() (*mpcsetup.Phase1, error) {
	if len(t.phase1) == 0 {
		return mpcsetup.NewPhase1(t.spec.Domain), nil
	}
	return t.readPhase1(t.phase1[len(t.phase1)-1])
}

// latestPhase2 is the state a phase-2 contribution builds on: the last
// contribution, or the initial state seal-phase1 wrote.
func (t *transcript) latestPhase2() (*mpcsetup.Phase2, error) {
	if len(t.phase2) == 0 {
		p, _, err := t.readPhase2(Phase2Dir+"/"+InitialFile, 0)
		return p, err
	}
	return t.readPhase2Contribution(t.phase2[len(t.phase2)-1])
}

// readPhase1 reads one phase-1 contribution, its shape checked first and its
// hash compared with the log's.
func (t *transcript) readPhase1(c Contribution) (*mpcsetup.Phase1, error) {
	p := new(mpcsetup.Phase1)
	h, err := readChecked(t.path(c.File), checkPhase1(t.spec.Domain), func(r io.Reader) error { _, err := p.ReadFrom(r); return err })
	if err != nil {
		return nil, fmt.Errorf("%s: %w", c, err)
	}
	if h != c.SHA256 {
		return nil, changedAfterLog(c, h)
	}
	return p, nil
}

// readPhase2 reads a phase-2 state (challenge: 32 bytes after a
// contribution, 0 in the initial state) and returns it with its hash.
func (t *transcript) readPhase2(file string, challenge int) (*mpcsetup.Phase2, string, error) {
	p := new(mpcsetup.Phase2)
	h, err := readChecked(t.path(file), checkPhase2(t.spec.Domain, challenge), func(r io.Reader) error { _, err := p.ReadFrom(r); return err })
	if err != nil {
		return nil, "", fmt.Errorf("%s: %w", file, err)
	}
	return p, h, nil
}

// readPhase2Contribution reads one phase-2 contribution, its shape checked
// first and its hash compared with the log's.
func (t *transcript) readPhase2Contribution(c Contribution) (*mpcsetup.Phase2, error) {
	p := new(mpcsetup.Phase2)
	h, err := readChecked(t.path(c.File), checkPhase2(t.spec.Domain, 32), func(r io.Reader) error { _, err := p.ReadFrom(r); return err })
	if err != nil {
		return nil, fmt.Errorf("%s: %w", c, err)
	}
	if h != c.SHA256 {
		return nil, changedAfterLog(c, h)
	}
	return p, nil
}

// changedAfterLog is the error for a contribution whose file no longer has
// the hash the log recorded when it was written.
func changedAfterLog(c Contribution, got string) error {
	return inputErr("%s has SHA-256 %s, but the contribution log recorded %s: the file was changed after it was written", c, got, c.SHA256)
}
