package ceremony

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"

	curve "github.com/consensys/gnark-crypto/ecc/bn254"
	"github.com/consensys/gnark/backend/groth16/bn254/mpcsetup"
)

// Phase2.Initialize computes, besides the initial phase-2 state, the terms of
// the keys that no contribution changes (gnark's Phase2Evaluations), which
// Seal needs at the end. Initialize is the slowest step of the ceremony
// (minutes even for small circuits: it works on curve points one by one), so
// seal-phase1 keeps its result in phase2/evaluations.bin for finalize.
// gnark has no encoding for it; this is one made of gnark-crypto's encoder,
// field by field:
//
//	A []G1, B []G1, VKK []G1, u32 count ‖ CKK [][]G1, B₂ []G2, PublicAndCommitmentCommitted [][]u64
//
// A verifier does not read it: it recomputes it and compares the hash.

func writeEvaluations(w io.Writer, e *mpcsetup.Phase2Evaluations) error {
	enc := curve.NewEncoder(w)
	for _, v := range []any{e.G1.A, e.G1.B, e.G1.VKK} {
		if err := enc.Encode(v); err != nil {
			return err
		}
	}
	if err := enc.Encode(uint32(len(e.G1.CKK))); err != nil {
		return err
	}
	for _, ckk := range e.G1.CKK {
		if err := enc.Encode(ckk); err != nil {
			return err
		}
	}
	if err := enc.Encode(e.G2.B); err != nil {
		return err
	}
	committed := make([][]uint64, len(e.PublicAndCommitmentCommitted))
	for i, c := range e.PublicAndCommitmentCommitted {
		committed[i] = make([]uint64, len(c))
		for j, v := range c {
			committed[i][j] = uint64(v)
		}
	}
	return enc.Encode(committed)
}

func readEvaluations(r io.Reader) (*mpcsetup.Phase2Evaluations, error) {
	var e mpcsetup.Phase2Evaluations
	dec := curve.NewDecoder(r)
	for _, v := range []any{&e.G1.A, &e.G1.B, &e.G1.VKK} {
		if err := dec.Decode(v); err != nil {
			return nil, err
		}
	}
	var count uint32 // checkEvaluations has bounded it
	if err := dec.Decode(&count); err != nil {
		return nil, err
	}
	e.G1.CKK = make([][]curve.G1Affine, count)
	for i := range e.G1.CKK {
		if err := dec.Decode(&e.G1.CKK[i]); err != nil {
			return nil, err
		}
	}
	if err := dec.Decode(&e.G2.B); err != nil {
		return nil, err
	}
	var committed [][]uint64
	if err := dec.Decode(&committed); err != nil {
		return nil, err
	}
	e.PublicAndCommitmentCommitted = make([][]int, len(committed))
	for i, c := range committed {
		e.PublicAndCommitmentCommitted[i] = make([]int, len(c))
		for j, v := range c {
			e.PublicAndCommitmentCommitted[i][j] = int(v)
		}
	}
	return &e, nil
}

// checkEvaluations walks the encoding above before it is decoded: every
// length must fit in the file, every point be compressed, and A, B and B₂
// have one point per wire.
func checkEvaluations(r *bufio.Reader) error {
	s := &shape{r: r}
	wires, err := s.sliceLen("A", 0)
	if err != nil {
		return err
	}
	if err := s.g1s(wires); err != nil {
		return err
	}
	if _, err := s.sliceLen("B", wires); err != nil {
		return err
	}
	if err := s.g1s(wires); err != nil {
		return err
	}
	vkk, err := s.sliceLen("the public terms", 0)
	if err != nil {
		return err
	}
	if err := s.g1s(vkk); err != nil {
		return err
	}
	commitments, err := s.uint(4)
	if err != nil {
		return err
	}
	if commitments > 255 {
		return s.fail("%d commitments", commitments)
	}
	for i := uint64(0); i < commitments; i++ {
		k, err := s.sliceLen("a commitment basis", 0)
		if err != nil {
			return err
		}
		if err := s.g1s(k); err != nil {
			return err
		}
	}
	if _, err := s.sliceLen("B₂", wires); err != nil {
		return err
	}
	if err := s.g2s(wires); err != nil {
		return err
	}
	lists, err := s.uint(4)
	if err != nil {
		return err
	}
	if lists != commitments {
		return s.fail("%d committed-wire lists for %d commitments", lists, commitments)
	}
	for i := uint64(0); i < lists; i++ {
		n, err := s.uint(4)
		if err != nil {
			return err
		}
		if n > wires {
			return s.fail("a commitment of %d wires, the circuit has %d", n, wires)
		}
		if _, err := s.bytes(int(8 * n)); err != nil {
			return err
		}
	}
	return s.end()
}

// evaluationsHash is the SHA-256 of the encoding of e, what
// phase2/evaluations.bin holds when seal-phase1 computed e.
func evaluationsHash(e *mpcsetup.Phase2Evaluations) (string, error) {
	return hashOf(func(w io.Writer) error { return writeEvaluations(w, e) })
}

// hashOf is the SHA-256 (hex) of what write writes.
func hashOf(write func(w io.Writer) error) (string, error) {
	h := sha256.New()
	bw := bufio.NewWriterSize(h, 1<<20)
	if err := write(bw); err != nil {
		return "", fmt.Errorf("ceremony: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
