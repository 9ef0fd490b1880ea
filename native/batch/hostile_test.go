package batch_test

import (
	"math/rand"
	"testing"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
)

func randomElement(r *rand.Rand) fr.Element {
	var e, f fr.Element
	e.SetUint64(r.Uint64())
	f.SetUint64(r.Uint64())
	e.Mul(&e, &f)
	return e
}

// Values the decoder lets through (they are canonical field elements) but
// that are no curve points or no valid scalars reach gnark's solver, whose
// worker goroutines do not recover panics: a panic there would abort the
// JVM. Each must come back as an ordinary solver error.
func TestHostileInRangeValuesFailWithoutPanic(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	for i := 0; i < 12; i++ {
		_, c, _ := transfersAndWithdrawal(t, testB)
		s := &c.Slots[i%3]
		switch i % 4 {
		case 0: // R off the curve
			s.Sig.Rx, s.Sig.Ry = randomElement(r), randomElement(r)
		case 1: // public key off the curve
			s.Sender.PubKeyX, s.Sender.PubKeyY = randomElement(r), randomElement(r)
		case 2: // (0, 0): makes the twisted Edwards addition denominators degenerate
			s.Sig.Rx, s.Sig.Ry = fr.Element{}, fr.Element{}
			s.Sender.PubKeyX, s.Sender.PubKeyY = fr.Element{}, fr.Element{}
		case 3: // S far above the subgroup order
			s.Sig.S = randomElement(r)
		}
		if err := solve(t, c); err == nil {
			t.Fatalf("case %d: a hostile witness was solved", i)
		}
	}
}
