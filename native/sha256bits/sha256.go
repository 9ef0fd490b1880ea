// Package sha256bits is SHA-256 (FIPS 180-4) as a gnark circuit over bits,
// with no lookup tables and no commitment.
//
// Why it exists: gnark's std/hash/sha2 works on bytes through lookup tables
// (std/math/uints, log-derivative arguments), and those need a Groth16
// commitment (BSB22, a Pedersen commitment with its proof of knowledge). A
// circuit with a commitment has a Solidity verifier that pays two more
// pairings, a hash-to-field and an extra public input: about 123k gas more
// per verifyProof on L1 (docs/l1.md, docs/decisions.md). Here every value
// is a boolean variable, so the circuit stays plain Groth16 (or PLONK with
// no BSB22 commitment):
//
//   - XOR of bits a, b is a + b − 2ab (one constraint);
//   - Ch(e, f, g) is e·(f − g) + g (one constraint per bit);
//   - Maj(a, b, c) is ab + c·(a ⊕ b) (two constraints per bit);
//   - rotations and shifts only rewire bits (no constraint);
//   - a sum of 32-bit words is added in the field, then the sum is split
//     into 32 bits plus just enough carry bits (api.ToBinary), and the
//     carries are dropped: that is the addition mod 2^32.
//
// Constant bits (the IV, the round constants, the padding) are folded by
// gnark, so they cost nothing.
package sha256bits

import (
	"fmt"
	"math/big"
	"math/bits"

	"github.com/consensys/gnark/frontend"
)

// word is a 32-bit word as bits, w[0] the least significant.
type word [32]frontend.Variable

// Initial hash value and round constants (FIPS 180-4, 5.3.3 and 4.2.2).
var (
	iv = [8]uint32{
		0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
		0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
	}
	roundK = [64]uint32{
		0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
		0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
		0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
		0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
		0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
		0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
		0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
		0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
	}
)

// Sum returns the 256 bits of SHA-256(msg). msg is the message as bits in
// message order: the most significant bit of byte 0 first, then the rest of
// byte 0, then byte 1, and so on; its length must be a multiple of 8. The
// digest comes back in the same order. The message length is fixed when the
// circuit is compiled, so the padding is constant.
//
// Every msg bit is asserted boolean. That costs nothing for a bit gnark
// already knows is boolean (an output of api.ToBinary, say), so a caller can
// feed the binary decompositions it range-checks with and pay only once.
func Sum(api frontend.API, msg []frontend.Variable) []frontend.Variable {
	if len(msg)%8 != 0 {
		panic(fmt.Sprintf("sha256bits: message of %d bits is not whole bytes", len(msg)))
	}
	for _, b := range msg {
		api.AssertIsBoolean(b)
	}

	// Padding: a 1 bit, zeros up to 448 mod 512, the bit length in 64 bits.
	padded := append([]frontend.Variable{}, msg...)
	padded = append(padded, 1)
	for len(padded)%512 != 448 {
		padded = append(padded, 0)
	}
	n := uint64(len(msg))
	for i := 63; i >= 0; i-- {
		padded = append(padded, (n>>uint(i))&1)
	}

	var h [8]word
	for i, v := range iv {
		h[i] = constWord(v)
	}
	for off := 0; off < len(padded); off += 512 {
		h = compress(api, h, padded[off:off+512])
	}

	out := make([]frontend.Variable, 0, 256)
	for _, w := range h {
		for i := 31; i >= 0; i-- {
			out = append(out, w[i])
		}
	}
	return out
}

// compress is the SHA-256 compression function on one 512-bit block.
func compress(api frontend.API, h [8]word, block []frontend.Variable) [8]word {
	// Message schedule: W[0..15] are the block's big-endian words.
	var w [64]word
	for t := range 16 {
		for i := range 32 {
			w[t][i] = block[32*t+31-i]
		}
	}
	for t := 16; t < 64; t++ {
		w[t] = add(api, sigma(api, w[t-2], 17, 19, 10), w[t-7], sigma(api, w[t-15], 7, 18, 3), w[t-16])
	}

	a, b, c, d, e, f, g, hh := h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7]
	for t := range 64 {
		// T1 = h + Σ1(e) + Ch(e, f, g) + K[t] + W[t] and T2 = Σ0(a) + Maj(a, b, c).
		// e' = d + T1 and a' = T1 + T2 are each one field sum and one
		// decomposition, so T1 and T2 never need bits of their own.
		s1, ch, k := bigSigma(api, e, 6, 11, 25), choose(api, e, f, g), constWord(roundK[t])
		s0, maj := bigSigma(api, a, 2, 13, 22), majority(api, a, b, c)
		newE := add(api, d, hh, s1, ch, k, w[t])
		newA := add(api, hh, s1, ch, k, w[t], s0, maj)
		hh, g, f, e, d, c, b, a = g, f, e, newE, c, b, a, newA
	}
	return [8]word{
		add(api, h[0], a), add(api, h[1], b), add(api, h[2], c), add(api, h[3], d),
		add(api, h[4], e), add(api, h[5], f), add(api, h[6], g), add(api, h[7], hh),
	}
}

// constWord is v as constant bits.
func constWord(v uint32) word {
	var w word
	for i := range w {
		w[i] = (v >> uint(i)) & 1
	}
	return w
}

// rotr is x rotated right by n bits: a relabelling of x's bits.
func rotr(x word, n int) word {
	var r word
	for i := range r {
		r[i] = x[(i+n)%32]
	}
	return r
}

// shr is x shifted right by n bits; the high bits become constant zeros.
func shr(x word, n int) word {
	var r word
	for i := range r {
		if i+n < 32 {
			r[i] = x[i+n]
		} else {
			r[i] = 0
		}
	}
	return r
}

// xor is a ⊕ b for bits a and b: one constraint (free when either is constant).
func xor(api frontend.API, a, b frontend.Variable) frontend.Variable {
	return api.Sub(api.Add(a, b), api.Mul(2, api.Mul(a, b)))
}

// xor3 is x ⊕ y ⊕ z bit by bit.
func xor3(api frontend.API, x, y, z word) word {
	var r word
	for i := range r {
		r[i] = xor(api, xor(api, x[i], y[i]), z[i])
	}
	return r
}

// bigSigma is Σ(x) = ROTR^r1(x) ⊕ ROTR^r2(x) ⊕ ROTR^r3(x) (Σ0, Σ1 of the rounds).
func bigSigma(api frontend.API, x word, r1, r2, r3 int) word {
	return xor3(api, rotr(x, r1), rotr(x, r2), rotr(x, r3))
}

// sigma is σ(x) = ROTR^r1(x) ⊕ ROTR^r2(x) ⊕ SHR^s(x) (σ0, σ1 of the schedule).
func sigma(api frontend.API, x word, r1, r2, s int) word {
	return xor3(api, rotr(x, r1), rotr(x, r2), shr(x, s))
}

// choose is Ch(e, f, g): f where e is 1, g where e is 0.
func choose(api frontend.API, e, f, g word) word {
	var r word
	for i := range r {
		r[i] = api.Add(api.Mul(e[i], api.Sub(f[i], g[i])), g[i])
	}
	return r
}

// majority is Maj(a, b, c): the bit most of a, b, c have. It is ab when
// a = b, and c when they differ: ab + c·(a ⊕ b).
func majority(api frontend.API, a, b, c word) word {
	var r word
	for i := range r {
		ab := api.Mul(a[i], b[i])
		aXorB := api.Sub(api.Add(a[i], b[i]), api.Mul(2, ab))
		r[i] = api.Add(ab, api.Mul(c[i], aXorB))
	}
	return r
}

// add is the sum of the words mod 2^32. The words' values are summed in the
// field (they need not be boolean variables: XOR and Ch results are linear
// expressions of bits), and the sum, below len(ws)·2^32, is decomposed into
// 32 bits and ⌈log2 len(ws)⌉ carry bits, which are dropped. The
// decomposition asserts every bit boolean, so the 32 bits kept are the sum's
// low bits and nothing else.
func add(api frontend.API, ws ...word) word {
	// One api.Add over all the terms: adding them one at a time would copy
	// a growing linear expression hundreds of times.
	terms := make([]frontend.Variable, 0, 32*len(ws))
	for _, w := range ws {
		for i, b := range w {
			terms = append(terms, api.Mul(b, new(big.Int).Lsh(big.NewInt(1), uint(i))))
		}
	}
	sum := api.Add(terms[0], terms[1], terms[2:]...)
	carries := bits.Len(uint(len(ws) - 1))
	sb := api.ToBinary(sum, 32+carries)
	var r word
	copy(r[:], sb[:32])
	return r
}
