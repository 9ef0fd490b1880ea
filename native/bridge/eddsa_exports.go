package main

/*
#include <stdlib.h>
#include "zkprover.h"
*/
import "C"

// zkp_eddsa_public_key returns the 32-byte public key derived from a 32-byte seed.
//
//export zkp_eddsa_public_key
func zkp_eddsa_public_key(seed *C.uint8_t, seedLen C.int32_t) C.zkp_result {
	return toC(guard(func() ([]byte, error) { return eddsaPublicKey(goBytes(seed, seedLen)) }))
}

// zkp_eddsa_sign returns the 64-byte signature of a 32-byte message (one field element).
//
//export zkp_eddsa_sign
func zkp_eddsa_sign(seed *C.uint8_t, seedLen C.int32_t, msg *C.uint8_t, msgLen C.int32_t) C.zkp_result {
	return toC(guard(func() ([]byte, error) {
		return eddsaSign(goBytes(seed, seedLen), goBytes(msg, msgLen))
	}))
}

// zkp_eddsa_verify returns one byte, 1 (valid) or 0 (well-formed but invalid).
//
//export zkp_eddsa_verify
func zkp_eddsa_verify(pub *C.uint8_t, pubLen C.int32_t, sig *C.uint8_t, sigLen C.int32_t, msg *C.uint8_t, msgLen C.int32_t) C.zkp_result {
	return toC(guard(func() ([]byte, error) {
		return eddsaVerify(goBytes(pub, pubLen), goBytes(sig, sigLen), goBytes(msg, msgLen))
	}))
}
