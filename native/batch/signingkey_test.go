package batch_test

import (
	"math/big"
	"testing"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark-crypto/ecc/bn254/twistededwards"

	"github.com/zkrollup/prover/native/batch"
	bb "github.com/zkrollup/prover/native/internal/batchbuild"
)

// torsionPoints returns the 8 points of Baby Jubjub whose order divides 8
// (the identity first): [k]T for a point T of order 8, itself [r]P for a
// curve point P outside the prime-order subgroup (r the subgroup order).
func torsionPoints(t *testing.T) []twistededwards.PointAffine {
	t.Helper()
	params := twistededwards.GetEdwardsCurve()
	for yi := uint64(2); yi < 1000; yi++ {
		var y, y2, num, den, x fr.Element
		y.SetUint64(yi)
		y2.Square(&y)
		var one fr.Element
		one.SetOne()
		num.Sub(&one, &y2)       // 1 − y²
		den.Mul(&params.D, &y2)  // d·y²
		den.Sub(&params.A, &den) // a − d·y²
		if den.IsZero() || x.Div(&num, &den).Sqrt(&x) == nil {
			continue
		}
		p := twistededwards.NewPointAffine(x, y)
		if !p.IsOnCurve() {
			t.Fatal("constructed point is off the curve")
		}
		var tp, t4 twistededwards.PointAffine
		tp.ScalarMultiplication(&p, &params.Order)
		t4.Double(&tp).Double(&t4)
		if t4.IsZero() { // T's order divides 4: try another P
			continue
		}
		out := make([]twistededwards.PointAffine, 8)
		out[0] = twistededwards.NewPointAffine(fr.Element{}, one)
		for k := 1; k < 8; k++ {
			out[k].Add(&out[k-1], &tp)
		}
		return out
	}
	t.Fatal("no point of order 8 found")
	return nil
}

// keyAt is a key at point (x, y) with the forged signature of IdentityKey
// (R = G, S = 1): for a key of small order gnark's cofactored check passes it.
func keyAt(x, y fr.Element) bb.Key {
	k := bb.IdentityKey()
	k.PubX, k.PubY = x, y
	return k
}

// forgedTransfer is a transfer from account 10, which holds 1000 under key k,
// signed by k (k.Forge for a key without a secret).
func forgedTransfer(t *testing.T, k bb.Key) *batch.Circuit {
	bl := newBuilder(ruleB)
	bl.Put(10, k.KeyHash(), big.NewInt(0x1d), big.NewInt(1000), 0)
	must(t, bl.Transfer(k, 10, 2, 100, 0, 5, 0))
	c, _, err := bl.Build()
	must(t, err)
	return c
}

// A key of small order is one anyone can sign for; the circuit refuses
// every one of the 8 (the identity (0,1) among them) in a signed slot and
// in a no-op, and still proves the same batch under a real key.
func TestSmallOrderKeysRefused(t *testing.T) {
	pts := torsionPoints(t)
	for k, p := range pts {
		if err := solve(t, forgedTransfer(t, keyAt(p.X, p.Y))); err == nil {
			t.Errorf("torsion point %d (%s, %s): a forged transfer from its account was solved", k, p.X.String(), p.Y.String())
		}
	}
	// In a no-op the key is the dummy's; a small-order key there is refused too.
	c := forgedTransfer(t, carol)
	if err := solve(t, c); err != nil {
		t.Fatalf("the same transfer under a real key does not solve: %v", err)
	}
	last := &c.Slots[ruleB-1]
	id := bb.IdentityKey()
	last.Sender.PubKeyX, last.Sender.PubKeyY = id.PubX, id.PubY
	last.Sig.Rx, last.Sig.Ry, last.Sig.S = id.Sign(fr.Element{})
	if err := solve(t, c); err == nil {
		t.Error("a no-op carrying the identity key and its forged signature was solved")
	}
}

// A key off the curve is refused, whatever the signature (gnark's eddsa
// never checked A itself).
func TestOffCurveKeyRefused(t *testing.T) {
	var x, y fr.Element
	x.SetUint64(5)
	y.SetUint64(7)
	if err := solve(t, forgedTransfer(t, keyAt(x, y))); err == nil {
		t.Error("a transfer from an off-curve key was solved")
	}
}
