// Package signing is the rollup's EdDSA: gnark-crypto's EdDSA on Baby Jubjub
// (ecc/bn254/twistededwards/eddsa) with Poseidon2 Merkle–Damgård (zero IV) as
// the challenge hash, in the shapes the rollup uses:
//
//   - a key is derived from a 32-byte seed by eddsa.GenerateKey reading exactly
//     that seed (Blake2b-512 of it gives the pruned scalar and the nonce source);
//   - a message is ONE canonical BN254 scalar-field element (32 bytes,
//     big-endian), because gnark's in-circuit eddsa.Verify takes the message as a
//     single field element: the rollup signs a Poseidon2 hash of the transaction;
//   - public keys are 32 bytes (compressed point), signatures 64 bytes
//     (compressed R || S big-endian), exactly gnark-crypto's encodings.
//
// Every function validates its whole input first. Errors caused by the
// caller's bytes wrap ErrInvalidInput; any other error is a library failure.
package signing

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr/poseidon2"
	"github.com/consensys/gnark-crypto/ecc/bn254/twistededwards/eddsa"
)

const (
	// SeedSize is the size of the seed a key is derived from.
	SeedSize = 32
	// PublicKeySize is the size of an encoded public key (a compressed point).
	PublicKeySize = 32
	// SignatureSize is the size of an encoded signature: compressed R, then S.
	SignatureSize = 64
	// MessageSize is the size of a message: one canonical field element.
	MessageSize = fr.Bytes
)

// ErrInvalidInput marks every error caused by malformed caller input.
var ErrInvalidInput = errors.New("invalid eddsa input")

func invalid(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalidInput, fmt.Sprintf(format, args...))
}

// KeyFromSeed derives the key pair gnark-crypto's eddsa.GenerateKey derives
// when its random source yields exactly seed.
func KeyFromSeed(seed []byte) (*eddsa.PrivateKey, error) {
	if len(seed) != SeedSize {
		return nil, invalid("seed must be %d bytes, got %d", SeedSize, len(seed))
	}
	r := bytes.NewReader(seed)
	key, err := eddsa.GenerateKey(r)
	if err != nil {
		return nil, fmt.Errorf("eddsa key generation: %w", err)
	}
	// The Java implementation relies on GenerateKey consuming the seed and
	// nothing else; fail loudly if a gnark-crypto upgrade changes that.
	if r.Len() != 0 {
		return nil, fmt.Errorf("eddsa key generation read %d of the %d seed bytes", SeedSize-r.Len(), SeedSize)
	}
	return key, nil
}

// PublicKey returns the encoded public key of the key derived from seed.
func PublicKey(seed []byte) ([]byte, error) {
	key, err := KeyFromSeed(seed)
	if err != nil {
		return nil, err
	}
	return key.PublicKey.Bytes(), nil
}

// Sign signs message (one canonical field element) with the key derived from
// seed. Signing is deterministic: the nonce is Blake2b-512(nonce source || message).
func Sign(seed, message []byte) ([]byte, error) {
	if err := checkMessage(message); err != nil {
		return nil, err
	}
	key, err := KeyFromSeed(seed)
	if err != nil {
		return nil, err
	}
	sig, err := key.Sign(message, poseidon2.NewMerkleDamgardHasher())
	if err != nil {
		return nil, fmt.Errorf("eddsa sign: %w", err)
	}
	return sig, nil
}

// Verify reports whether sig is a valid signature of message under pub. A
// well-formed but wrong signature is (false, nil); malformed bytes (lengths, a
// non-canonical message, a public key or signature gnark-crypto refuses to
// decode) are an error wrapping ErrInvalidInput.
func Verify(pub, sig, message []byte) (bool, error) {
	key, err := DecodePublicKey(pub)
	if err != nil {
		return false, err
	}
	if _, err := DecodeSignature(sig); err != nil {
		return false, err
	}
	if err := checkMessage(message); err != nil {
		return false, err
	}
	ok, err := key.Verify(sig, message, poseidon2.NewMerkleDamgardHasher())
	if err != nil {
		// Every input was validated above, so this is not the caller's fault.
		return false, fmt.Errorf("eddsa verify: %w", err)
	}
	return ok, nil
}

// DecodePublicKey decodes a public key with gnark-crypto's PublicKey.SetBytes,
// which refuses the identity and points outside the prime-order subgroup
// (points off the curve included). Like gnark-crypto it reduces a y
// coordinate at or above the field modulus instead of refusing it.
func DecodePublicKey(b []byte) (*eddsa.PublicKey, error) {
	if len(b) != PublicKeySize {
		return nil, invalid("public key must be %d bytes, got %d", PublicKeySize, len(b))
	}
	var pub eddsa.PublicKey
	if _, err := pub.SetBytes(b); err != nil {
		return nil, invalid("public key: %v", err)
	}
	return &pub, nil
}

// DecodeSignature decodes a signature with gnark-crypto's Signature.SetBytes:
// R's y must be non-zero and below the field modulus, S non-zero and below
// the subgroup order, R on the curve and in the prime-order subgroup.
func DecodeSignature(b []byte) (*eddsa.Signature, error) {
	if len(b) != SignatureSize {
		return nil, invalid("signature must be %d bytes, got %d", SignatureSize, len(b))
	}
	var sig eddsa.Signature
	if _, err := sig.SetBytes(b); err != nil {
		return nil, invalid("signature: %v", err)
	}
	return &sig, nil
}

// checkMessage requires one canonical field element: gnark-crypto would hash a
// shorter message zero-padded but derive the nonce from the unpadded bytes, so
// only one encoding per message is allowed.
func checkMessage(message []byte) error {
	if len(message) != MessageSize {
		return invalid("message must be one field element of %d bytes, got %d bytes", MessageSize, len(message))
	}
	var e fr.Element
	if err := e.SetBytesCanonical(message); err != nil {
		return invalid("message is not canonical (must be below the BN254 scalar modulus)")
	}
	return nil
}
