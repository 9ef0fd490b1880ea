// Package fieldio decodes and encodes BN254 scalar-field elements in the
// project's wire form: 32 bytes, big-endian, canonical (strictly below the
// field modulus). Everything that crosses the JNI bridge uses this form.
package fieldio

import (
	"fmt"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
)

// ElementSize is the size in bytes of one encoded field element.
const ElementSize = fr.Bytes

// DecodeElements splits b into canonical field elements. It rejects a length
// that is not a multiple of ElementSize and any element >= the modulus, so a
// value has exactly one encoding.
func DecodeElements(b []byte) ([]fr.Element, error) {
	if len(b)%ElementSize != 0 {
		return nil, fmt.Errorf("field elements: length %d is not a multiple of %d", len(b), ElementSize)
	}
	out := make([]fr.Element, len(b)/ElementSize)
	for i := range out {
		if err := out[i].SetBytesCanonical(b[i*ElementSize : (i+1)*ElementSize]); err != nil {
			return nil, fmt.Errorf("field element %d is not canonical (must be < BN254 scalar modulus)", i)
		}
	}
	return out, nil
}

// EncodeElements writes elements in the wire form.
func EncodeElements(elems []fr.Element) []byte {
	out := make([]byte, 0, len(elems)*ElementSize)
	for i := range elems {
		b := elems[i].Bytes()
		out = append(out, b[:]...)
	}
	return out
}
