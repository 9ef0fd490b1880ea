// Package hostile turns a fuzzer's bytes into structurally valid but
// hostile inputs for the bridge (docs/fuzzing.md): a valid batch witness
// whose elements are rewritten with boundary values inside their decoder
// ranges (so the bytes pass the magic, length and range checks and reach
// gnark's solver), points of small order or off the curve as keys and
// signature nonces, forged Merkle paths; and encoded points and scalars for
// the EdDSA calls. It is test support: the fuzz targets of package bridge
// use it; nothing in the library does.
package hostile

import (
	"encoding/binary"
	"math/big"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark-crypto/ecc/bn254/twistededwards"

	"github.com/zkrollup/prover/native/batch"
)

// Reader hands out the fuzzer's bytes; past their end it yields zeros, so
// every input, however short, decodes to some mutation.
type Reader struct {
	data []byte
	pos  int
}

// NewReader reads data.
func NewReader(data []byte) *Reader { return &Reader{data: data} }

// More reports whether unread bytes remain.
func (r *Reader) More() bool { return r.pos < len(r.data) }

// Byte returns the next byte (0 past the end).
func (r *Reader) Byte() byte {
	if r.pos >= len(r.data) {
		r.pos++
		return 0
	}
	b := r.data[r.pos]
	r.pos++
	return b
}

// Uint16 returns the next two bytes, big-endian.
func (r *Reader) Uint16() int { return int(r.Byte())<<8 | int(r.Byte()) }

// Bytes returns the next n bytes (zero-padded past the end).
func (r *Reader) Bytes(n int) []byte {
	out := make([]byte, n)
	for i := range out {
		out[i] = r.Byte()
	}
	return out
}

var (
	modulus = fr.Modulus()
	one     = big.NewInt(1)
)

func pow2(n int) *big.Int { return new(big.Int).Lsh(one, uint(n)) }

// SubgroupOrder is the order r of Baby Jubjub's prime-order subgroup.
func SubgroupOrder() *big.Int {
	p := twistededwards.GetEdwardsCurve()
	return new(big.Int).Set(&p.Order)
}

// Boundary values: the ones the bugs hide at.
func boundaries() []*big.Int {
	r := SubgroupOrder()
	return []*big.Int{
		big.NewInt(0), big.NewInt(1), big.NewInt(2),
		new(big.Int).Sub(pow2(63), one), pow2(63), new(big.Int).Sub(pow2(64), one), pow2(64),
		new(big.Int).Sub(pow2(104), one), pow2(104),
		new(big.Int).Sub(pow2(112), one), pow2(112), new(big.Int).Add(pow2(112), one),
		new(big.Int).Sub(pow2(128), one), pow2(128),
		new(big.Int).Sub(pow2(160), one), pow2(160), new(big.Int).Sub(pow2(192), one),
		new(big.Int).Sub(r, one), r, new(big.Int).Add(r, one), new(big.Int).Mul(r, big.NewInt(8)),
		new(big.Int).Sub(pow2(253), one), pow2(253),
		new(big.Int).Sub(modulus, big.NewInt(2)), new(big.Int).Sub(modulus, one),
	}
}

var boundaryValues = boundaries()

// torsion is the 8 points of order dividing 8, the identity first.
var torsion = findTorsion()

func findTorsion() []twistededwards.PointAffine {
	params := twistededwards.GetEdwardsCurve()
	var oneE fr.Element
	oneE.SetOne()
	for yi := uint64(2); ; yi++ {
		var y, y2, num, den, x fr.Element
		y.SetUint64(yi)
		y2.Square(&y)
		num.Sub(&oneE, &y2)
		den.Mul(&params.D, &y2)
		den.Sub(&params.A, &den)
		if den.IsZero() || x.Div(&num, &den).Sqrt(&x) == nil {
			continue
		}
		p := twistededwards.NewPointAffine(x, y)
		var t, t4 twistededwards.PointAffine
		t.ScalarMultiplication(&p, &params.Order)
		t4.Double(&t).Double(&t4)
		if t4.IsZero() {
			continue
		}
		out := make([]twistededwards.PointAffine, 8)
		out[0] = twistededwards.NewPointAffine(fr.Element{}, oneE)
		for k := 1; k < 8; k++ {
			out[k].Add(&out[k-1], &t)
		}
		return out
	}
}

// Torsion returns the 8 points of Baby Jubjub whose order divides 8; the
// first is the identity (0, 1).
func Torsion() []twistededwards.PointAffine {
	return append([]twistededwards.PointAffine(nil), torsion...)
}

// Point returns a hostile point chosen by r: a torsion point, a torsion
// point added to the base point (on the curve, outside the subgroup), the
// base point itself, (0, 0), or coordinates read from r (almost surely off
// the curve).
func Point(r *Reader) (x, y fr.Element) {
	base := twistededwards.GetEdwardsCurve().Base
	switch k := r.Byte(); k % 5 {
	case 0:
		p := torsion[int(k/5)%8]
		return p.X, p.Y
	case 1:
		var p twistededwards.PointAffine
		p.Add(&base, &torsion[1+int(k/5)%7])
		return p.X, p.Y
	case 2:
		return base.X, base.Y
	case 3:
		return fr.Element{}, fr.Element{}
	default:
		x.SetBytes(r.Bytes(32))
		y.SetBytes(r.Bytes(32))
		return x, y
	}
}

// Value returns a hostile element below 2^bits (bits 0: below the
// modulus): a boundary value reduced into the range, a value read from r,
// or the old value ± 1.
func Value(r *Reader, bits int, old *big.Int) *big.Int {
	bound := modulus
	if bits > 0 {
		bound = pow2(bits)
	}
	var v *big.Int
	switch k := r.Byte(); k % 4 {
	case 0, 1:
		v = new(big.Int).Set(boundaryValues[int(k/4)%len(boundaryValues)])
		if v.Cmp(bound) >= 0 { // the largest value in range instead
			v = new(big.Int).Sub(bound, one)
		}
	case 2:
		v = new(big.Int).SetBytes(r.Bytes(32))
	default:
		v = new(big.Int).Add(old, big.NewInt(int64(int8(r.Byte()))))
	}
	v.Mod(v, modulus)
	if bits > 0 {
		v.Mod(v, bound)
	}
	return v
}

// Offsets of the sender's key inside a slot's elements (batch witness order).
const (
	slotPubKeyX = 10
	slotPubKeyY = 11
)

// Witness returns a copy of base (a valid batch witness of b slots, depth
// d) with the mutations r describes applied; at most maxOps of them. Each
// mutation keeps every element canonical and inside its decoder range,
// except kind 7, which writes the first value out of range (a decoder
// refusal, kept rare on purpose).
func Witness(base []byte, b, d int, r *Reader, maxOps int) []byte {
	w := append([]byte(nil), base...)
	bounds := batch.FieldBounds(b, d)
	n := len(bounds)
	slotLen := batch.SlotScalars + 2*d
	first := 11 + d
	get := func(i int) *big.Int {
		off := batch.WitnessHeaderSize + 32*i
		return new(big.Int).SetBytes(w[off : off+32])
	}
	put := func(i int, v *big.Int) {
		off := batch.WitnessHeaderSize + 32*i
		v.FillBytes(w[off : off+32])
	}
	putE := func(i int, e fr.Element) {
		bs := e.Bytes()
		copy(w[batch.WitnessHeaderSize+32*i:], bs[:])
	}
	bits := func(i int) int {
		if bounds[i].Bits == batch.OwnerTokenBound {
			return 0 // handled by the caller
		}
		return bounds[i].Bits
	}
	for op := 0; op < maxOps && r.More(); op++ {
		kind := r.Byte()
		i := r.Uint16() % n
		slot := int(r.Byte()) % b
		s0 := first + slot*slotLen
		sig := s0 + 15 + d // sig.Rx; Ry, S follow
		senderSibs, receiverSibs := s0+15, s0+24+d
		switch kind % 8 {
		case 0, 1, 2: // a hostile value in range
			if bounds[i].Bits == batch.OwnerTokenBound {
				owner := Value(r, batch.OwnerBits, new(big.Int).Rsh(get(i), 32))
				token := Value(r, batch.TokenBits, big.NewInt(0))
				put(i, owner.Lsh(owner, 32).Add(owner, token))
				continue
			}
			put(i, Value(r, bits(i), get(i)))
		case 3: // the sender's key: small order, outside the subgroup or off the curve
			x, y := Point(r)
			putE(s0+slotPubKeyX, x)
			putE(s0+slotPubKeyY, y)
		case 4: // the signature: R hostile, S a boundary scalar
			x, y := Point(r)
			putE(sig, x)
			putE(sig+1, y)
			put(sig+2, Value(r, 0, get(sig+2)))
		case 5: // a forged Merkle path: siblings swapped between sender and receiver, or one sibling replaced
			lvl := int(r.Byte()) % d
			if r.Byte()%2 == 0 {
				a, c := senderSibs+lvl, receiverSibs+lvl
				va, vc := get(a), get(c)
				put(a, vc)
				put(c, va)
			} else {
				put(senderSibs+lvl, Value(r, 0, get(senderSibs+lvl)))
			}
		case 6: // a copy of another element of the same range (wrong counts, indices, roots)
			j := r.Uint16() % n
			if bounds[j].Bits == bounds[i].Bits || (bounds[i].Bits == 0 && bounds[j].Bits > 0) {
				put(i, get(j))
			}
		default: // the first value out of range: the decoder must refuse it
			if bits(i) > 0 {
				put(i, pow2(bits(i)))
			}
		}
	}
	return w
}

// Header reports B and D of witness bytes (no checks: for fuzz setup).
func Header(w []byte) (b, d int) { return int(binary.BigEndian.Uint16(w[5:7])), int(w[7]) }
