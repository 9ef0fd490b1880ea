package proving_test

import (
	"testing"

	"github.com/zkrollup/prover/native/batch"
	"github.com/zkrollup/prover/native/proving"
)

// BenchmarkGroth16Prove times one Groth16 proof of the 2-slot, depth-4
// batch (setup excluded). docs/circuit-costs.md compares it before and
// after the circuit lost its commitment:
//
//	(cd native && go test ./proving -run '^$' -bench Groth16Prove -benchtime 5x)
func BenchmarkGroth16Prove(b *testing.B) {
	keys, err := proving.Setup(2, 4, proving.Groth16, batch.ModeRollup)
	if err != nil {
		b.Fatal(err)
	}
	w := witness(b, 2, 9)
	b.Logf("%d constraints", keys.CCS.GetNbConstraints())
	b.ResetTimer()
	for range b.N {
		if _, _, err := keys.Prove(w); err != nil {
			b.Fatal(err)
		}
	}
}
