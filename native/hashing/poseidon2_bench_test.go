package hashing

import (
	"testing"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr/poseidon2"
)

// Benchmarks of gnark-crypto's Poseidon2 on the same fixed inputs as the Java
// JMH benchmark (benchmarks/.../BenchInputs.java); benchmarks/poseidon2-ratio.sh
// runs both and prints the Java/Go ratio.
var (
	benchLeft  = mustHex("26b918223107d2607f095f090a43b60d358d730aaf0b0a585d19477cccc9536e")
	benchRight = mustHex("148ea1af02e7e89187229d91ea04098ed533e655bfd81dde0de793189b10bb77")
	benchHash4 = []fr.Element{
		mustHex("16e4fdf1e3c1c89c3c67a975d58c53bb058a97d11673346eaab59b35fda85a13"),
		mustHex("257f9db1efbe7ee454ba6bc0dfa4e01765467e0c59b4df764d5d1124ba43351a"),
		mustHex("00000000000000000000000000000000000000000000003635c9adc5dea00000"),
		mustHex("0000000000000000000000000000000000000000000000000000000000000007"),
	}
)

func mustHex(h string) fr.Element {
	var e fr.Element
	if _, err := e.SetString("0x" + h); err != nil {
		panic(err)
	}
	return e
}

// BenchmarkPoseidon2Permutation is the width-2 permutation in place on
// fr.Elements: the counterpart of Java's Poseidon2Benchmark.permute.
func BenchmarkPoseidon2Permutation(b *testing.B) {
	perm := poseidon2.NewDefaultPermutation()
	state := []fr.Element{benchLeft, benchRight}
	b.ReportAllocs()
	for b.Loop() {
		if err := perm.Permutation(state); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPoseidon2CompressElements is the 2-to-1 compression on fr.Elements
// (permutation, then add the right input): the counterpart of Java's
// Poseidon2Benchmark.compress, which also works on in-memory field elements.
func BenchmarkPoseidon2CompressElements(b *testing.B) {
	perm := poseidon2.NewDefaultPermutation()
	var state [2]fr.Element
	var out fr.Element
	b.ReportAllocs()
	for b.Loop() {
		state[0], state[1] = benchLeft, benchRight
		if err := perm.Permutation(state[:]); err != nil {
			b.Fatal(err)
		}
		out.Add(&state[1], &benchRight)
	}
	_ = out
}

// BenchmarkPoseidon2CompressBytes is gnark-crypto's public 2-to-1 API,
// Permutation.Compress on 32-byte encodings (decode, permute, add, encode).
func BenchmarkPoseidon2CompressBytes(b *testing.B) {
	perm := poseidon2.NewDefaultPermutation()
	l, r := benchLeft.Bytes(), benchRight.Bytes()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := perm.Compress(l[:], r[:]); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPoseidon2Hash4 is gnark-crypto's Merkle–Damgård hasher over four
// elements (an account leaf): the counterpart of Java's Poseidon2Benchmark.hash4.
func BenchmarkPoseidon2Hash4(b *testing.B) {
	h := poseidon2.NewMerkleDamgardHasher()
	var in []byte
	for i := range benchHash4 {
		e := benchHash4[i].Bytes()
		in = append(in, e[:]...)
	}
	out := make([]byte, 0, 32)
	b.ReportAllocs()
	for b.Loop() {
		h.Reset()
		h.Write(in)
		out = h.Sum(out[:0])
	}
}
