package fieldio

import (
	"bytes"
	"testing"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
)

func TestRoundTripAndCanonicalBoundary(t *testing.T) {
	pMinus1 := new(fr.Element).SetInt64(-1).Bytes()
	elems, err := DecodeElements(append(make([]byte, 32), pMinus1[:]...))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(EncodeElements(elems), append(make([]byte, 32), pMinus1[:]...)) {
		t.Fatal("round trip changed the bytes")
	}
	modulus := fr.Modulus().FillBytes(make([]byte, 32))
	if _, err := DecodeElements(modulus); err == nil {
		t.Fatal("the modulus itself was accepted")
	}
	allOnes := bytes.Repeat([]byte{0xff}, 32)
	if _, err := DecodeElements(allOnes); err == nil {
		t.Fatal("2^256-1 was accepted")
	}
	if _, err := DecodeElements(make([]byte, 31)); err == nil {
		t.Fatal("31 bytes accepted")
	}
	if got, err := DecodeElements(nil); err != nil || len(got) != 0 {
		t.Fatalf("empty input: %v %v", got, err)
	}
}
