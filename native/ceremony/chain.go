package ceremony

import (
	"bufio"
	"fmt"
	"io"

	"github.com/consensys/gnark/backend/groth16/bn254/mpcsetup"
)

// verifyPhase1 checks every phase-1 contribution against its predecessor,
// from gnark's empty start for N: the proofs of knowledge of the updates to
// τ, α and β, and that the new powers are a geometric sequence (gnark's
// Phase1.Verify). It returns the last contribution, which Seal turns into
// the SRS. Two states are in memory at a time.
func (t *transcript) verifyPhase1() (*mpcsetup.Phase1, error) {
	prev := mpcsetup.NewPhase1(t.spec.Domain)
	for _, c := range t.phase1 {
		next, err := t.readPhase1(c)
		if err != nil {
			return nil, err
		}
		if err := prev.Verify(next); err != nil {
			return nil, inputErr("%s does not verify against its predecessor: %v", c, err)
		}
		prev = next
	}
	return prev, nil
}

// verifyPhase2 checks every phase-2 contribution against its predecessor,
// from the initial state: the proof of knowledge of the update to δ and that
// δ, Z and the private-wire terms changed by that same δ (gnark's
// Phase2.Verify). It returns the last contribution.
func (t *transcript) verifyPhase2(initial *mpcsetup.Phase2) (*mpcsetup.Phase2, error) {
	prev := initial
	for _, c := range t.phase2 {
		next, err := t.readPhase2Contribution(c)
		if err != nil {
			return nil, err
		}
		if err := prev.Verify(next); err != nil {
			return nil, inputErr("%s does not verify against its predecessor: %v", c, err)
		}
		prev = next
	}
	return prev, nil
}

// readSRS reads phase1/srs.bin, its shape checked first.
func (t *transcript) readSRS() (*mpcsetup.SrsCommons, string, error) {
	srs := new(mpcsetup.SrsCommons)
	file := Phase1Dir + "/" + SRSFile
	h, err := readChecked(t.path(file), checkSRS(t.spec.Domain), func(r io.Reader) error { _, err := srs.ReadFrom(r); return err })
	if err != nil {
		return nil, "", fmt.Errorf("%s: %w", file, err)
	}
	return srs, h, nil
}

// checkSRS walks gnark's SrsCommons encoding: N, [β]₂, then the powers as
// in a phase-1 contribution.
func checkSRS(n uint64) func(r *bufio.Reader) error {
	return func(r *bufio.Reader) error {
		s := &shape{r: r}
		got, err := s.uint(8)
		if err != nil {
			return err
		}
		if got != n {
			return s.fail("domain %d, the ceremony's is %d", got, n)
		}
		for _, step := range []func() error{
			func() error { return s.g2s(1) },
			func() error { return s.g1s(2*n - 2) },
			func() error { return s.g2s(n - 1) },
			func() error { return s.g1s(2 * n) },
			s.end,
		} {
			if err := step(); err != nil {
				return err
			}
		}
		return nil
	}
}
