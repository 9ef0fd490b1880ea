package main

import (
	"errors"

	"github.com/zkrollup/prover/native/signing"
)

// EdDSA on Baby Jubjub (native/signing). Inputs are validated there; caller
// mistakes (lengths, non-canonical messages, undecodable keys or signatures)
// come back as INVALID_ARGUMENT, anything else as INTERNAL.

func signingError(err error) error {
	if errors.Is(err, signing.ErrInvalidInput) {
		return invalidArgument(err)
	}
	return err
}

func eddsaPublicKey(seed []byte) ([]byte, error) {
	pub, err := signing.PublicKey(seed)
	if err != nil {
		return nil, signingError(err)
	}
	return pub, nil
}

func eddsaSign(seed, message []byte) ([]byte, error) {
	sig, err := signing.Sign(seed, message)
	if err != nil {
		return nil, signingError(err)
	}
	return sig, nil
}

// eddsaVerify returns one byte: 1 for a valid signature, 0 for a well-formed
// invalid one.
func eddsaVerify(pub, sig, message []byte) ([]byte, error) {
	ok, err := signing.Verify(pub, sig, message)
	if err != nil {
		return nil, signingError(err)
	}
	if ok {
		return []byte{1}, nil
	}
	return []byte{0}, nil
}
