package ceremony

import (
	"bufio"
	"errors"
	"fmt"
	"io"

	curve "github.com/consensys/gnark-crypto/ecc/bn254"
)

// gnark's decoders allocate what a file says before reading it: Phase1 reads
// N and makes room for 5N points, a Phase2 slice its u32 length. A tampered
// length would ask for terabytes and end the process with a fatal error no
// recover can catch. So a file's shape is walked first, as a stream: every
// length must be what N (and the file's own size) allows, every point must be
// in gnark's compressed form (the decoder reads an uncompressed one as twice
// as long, which would shift every later length), and the file must end where
// the shape does. Only then does gnark's decoder read it.

// shape walks one file in gnark's encoding.
type shape struct {
	r    *bufio.Reader
	read int64
}

func (s *shape) fail(format string, args ...any) error {
	return inputErr("malformed at byte %d: %s", s.read, fmt.Sprintf(format, args...))
}

func (s *shape) bytes(n int) ([]byte, error) {
	buf := make([]byte, n)
	k, err := io.ReadFull(s.r, buf)
	s.read += int64(k)
	if err != nil {
		return nil, s.fail("the file ends early")
	}
	return buf, nil
}

func (s *shape) uint(n int) (uint64, error) {
	b, err := s.bytes(n)
	if err != nil {
		return 0, err
	}
	var v uint64
	for _, x := range b {
		v = v<<8 | uint64(x)
	}
	return v, nil
}

// points reads count points of size bytes each (compressed G1 or G2) and
// checks each is marked compressed (gnark's two top bits, never 00).
func (s *shape) points(count uint64, size int) error {
	buf := make([]byte, size)
	for i := uint64(0); i < count; i++ {
		k, err := io.ReadFull(s.r, buf)
		s.read += int64(k)
		if err != nil {
			return s.fail("the file ends early, within %d points", count)
		}
		if buf[0]>>6 == 0 {
			return s.fail("a point is not in compressed form")
		}
	}
	return nil
}

// g1s and g2s are points of G1 and G2.
func (s *shape) g1s(count uint64) error { return s.points(count, curve.SizeOfG1AffineCompressed) }
func (s *shape) g2s(count uint64) error { return s.points(count, curve.SizeOfG2AffineCompressed) }

// updateProofs reads count of gnark-crypto's UpdateProof: a G1 commitment
// to the contribution and its proof of knowledge in G2.
func (s *shape) updateProofs(count uint64) error {
	for i := uint64(0); i < count; i++ {
		if err := s.g1s(1); err != nil {
			return err
		}
		if err := s.g2s(1); err != nil {
			return err
		}
	}
	return nil
}

// challenge reads the short byte string a contribution ends with (the
// SHA-256 of its predecessor) and checks its length.
func (s *shape) challenge(want int) error {
	n, err := s.uint(1)
	if err != nil {
		return err
	}
	if int(n) != want {
		return s.fail("a challenge of %d bytes, want %d", n, want)
	}
	_, err = s.bytes(want)
	return err
}

// sliceLen reads a u32 slice length and checks it against want (0: any
// length the file can hold, which the walk then finds out).
func (s *shape) sliceLen(what string, want uint64) (uint64, error) {
	n, err := s.uint(4)
	if err != nil {
		return 0, err
	}
	if want != 0 && n != want {
		return 0, s.fail("%s has %d points, want %d", what, n, want)
	}
	return n, nil
}

func (s *shape) end() error {
	if _, err := s.r.ReadByte(); !errors.Is(err, io.EOF) {
		return s.fail("bytes after the end")
	}
	return nil
}

// checkPhase1 walks a phase-1 contribution for domain n: gnark's Phase1
// WriteTo (proofs for τ, α, β; the SrsCommons; the challenge).
func checkPhase1(n uint64) func(r *bufio.Reader) error {
	return func(r *bufio.Reader) error {
		s := &shape{r: r}
		if err := s.updateProofs(3); err != nil {
			return err
		}
		got, err := s.uint(8)
		if err != nil {
			return err
		}
		if got != n {
			return s.fail("domain %d, the ceremony's is %d", got, n)
		}
		for _, step := range []func() error{
			func() error { return s.g2s(1) },       // [β]₂
			func() error { return s.g1s(2*n - 2) }, // [τⁱ]₁, 1 ≤ i ≤ 2N-2
			func() error { return s.g2s(n - 1) },   // [τⁱ]₂, 1 ≤ i ≤ N-1
			func() error { return s.g1s(n) },       // β[τⁱ]₁
			func() error { return s.g1s(n) },       // α[τⁱ]₁
			func() error { return s.challenge(32) },
			s.end,
		} {
			if err := step(); err != nil {
				return err
			}
		}
		return nil
	}
}

// checkPhase2 walks a phase-2 state for domain n: gnark's Phase2 WriteTo
// (parameters δ, the private-wire terms, Z, σ per commitment; proofs; the
// challenge, 32 bytes after a contribution and none in the initial state).
func checkPhase2(n uint64, challenge int) func(r *bufio.Reader) error {
	return func(r *bufio.Reader) error {
		s := &shape{r: r}
		commitments, err := s.uint(2)
		if err != nil {
			return err
		}
		if commitments > 255 { // gnark's Contribute refuses more (a DST byte each)
			return s.fail("%d commitments", commitments)
		}
		if err := s.g1s(1); err != nil { // [δ]₁
			return err
		}
		pkk, err := s.sliceLen("the private-wire terms", 0)
		if err != nil {
			return err
		}
		if err := s.g1s(pkk); err != nil {
			return err
		}
		z, err := s.sliceLen("Z", n-1)
		if err != nil {
			return err
		}
		if err := s.g1s(z); err != nil {
			return err
		}
		if err := s.g2s(1); err != nil { // [δ]₂
			return err
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
		if err := s.g2s(commitments); err != nil { // [σᵢ]₂
			return err
		}
		if err := s.updateProofs(1 + commitments); err != nil { // δ, then each σᵢ
			return err
		}
		if err := s.challenge(challenge); err != nil {
			return err
		}
		return s.end()
	}
}

// phase1Size is the size of a phase-1 contribution file for domain n (what
// checkPhase1 accepts), for memory and disk estimates.
func phase1Size(n uint64) uint64 {
	g1, g2 := uint64(curve.SizeOfG1AffineCompressed), uint64(curve.SizeOfG2AffineCompressed)
	return 3*(g1+g2) + 8 + g2 + (2*n-2)*g1 + (n-1)*g2 + 2*n*g1 + 1 + 32
}
