package ceremony

// What a ceremony holds in memory is known from N before any file is read:
// gnark's Phase1 for domain N is (2N-1) + 2N points of G1 (64 bytes each in
// memory) and N of G2 (128 bytes), 384·N bytes. These are lower bounds of
// the peaks, from those sizes alone (docs/benchmarks.md has the measured
// peaks); the bridge refuses an operation whose bound exceeds the machine's
// memory before it starts, instead of letting it end the process later.

// Operation names a ceremony operation for MemoryLowerBound.
type Operation int

const (
	OpContribute1 Operation = iota // a phase-1 contribution: one Phase1
	OpContribute2                  // a phase-2 contribution: one Phase2, whose Z alone is N-1 points
	OpSeal                         // seal-phase1: verifying holds two Phase1 and gnark's flattened copy of one
	OpFinalize                     // the SRS and two Phase2
	OpVerify                       // as OpSeal, the largest of its steps
)

func (o Operation) String() string {
	return [...]string{"a phase-1 contribution", "a phase-2 contribution", "sealing phase 1", "finalizing", "verifying"}[o]
}

// phase1Bytes is the memory of one gnark Phase1 (or SrsCommons) for domain n.
func phase1Bytes(n uint64) uint64 { return (4*n-1)*64 + n*128 }

// MemoryLowerBound is a lower bound of the memory op needs for this
// ceremony's domain, in bytes.
func (s *Spec) MemoryLowerBound(op Operation) uint64 {
	n := s.Domain
	switch op {
	case OpContribute1:
		return phase1Bytes(n)
	case OpContribute2:
		return (n - 1) * 64
	case OpFinalize:
		return phase1Bytes(n) + 2*(n-1)*64
	default: // OpSeal, OpVerify
		return 3 * phase1Bytes(n)
	}
}

// Phase1FileBytes is the size of one phase-1 contribution file, for telling
// contributors how much they download and upload.
func (s *Spec) Phase1FileBytes() uint64 { return phase1Size(s.Domain) }
