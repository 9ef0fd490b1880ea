// Command bridge is libzkprover: built with -buildmode=c-shared (and the jni
// tag, which adds the JNI shim in jni_shim.c) it is the shared library the
// prover-native jar loads. Each export copies its inputs into Go memory, runs
// one call under guard, and hands back a malloc'd zkp_result that the caller
// frees. See native/README.md for the contract.
package main

/*
#include <stdlib.h>
#include "zkprover.h"
*/
import "C"

import (
	"encoding/binary"
	"unsafe"
)

func main() {} // required by -buildmode=c-shared; never runs

// goBytes copies n bytes of C memory into Go memory; nil for n == 0.
func goBytes(p *C.uint8_t, n C.int32_t) []byte {
	if p == nil || n <= 0 {
		return nil
	}
	return C.GoBytes(unsafe.Pointer(p), C.int(n))
}

func toC(o outcome) C.zkp_result {
	res := C.zkp_result{code: C.int32_t(o.code)}
	if len(o.data) > 0 {
		res.data = (*C.uint8_t)(C.CBytes(o.data))
		res.len = C.int64_t(len(o.data))
	}
	return res
}

func noResult(err error) ([]byte, error) { return nil, err }

//export zkp_versions
func zkp_versions() C.zkp_result {
	return toC(guard(versions))
}

//export zkp_poseidon2_permute
func zkp_poseidon2_permute(state *C.uint8_t, stateLen C.int32_t) C.zkp_result {
	return toC(guard(func() ([]byte, error) { return poseidon2Permute(goBytes(state, stateLen)) }))
}

//export zkp_poseidon2_compress
func zkp_poseidon2_compress(left *C.uint8_t, leftLen C.int32_t, right *C.uint8_t, rightLen C.int32_t) C.zkp_result {
	return toC(guard(func() ([]byte, error) {
		return poseidon2Compress(goBytes(left, leftLen), goBytes(right, rightLen))
	}))
}

//export zkp_poseidon2_hash
func zkp_poseidon2_hash(elements *C.uint8_t, n C.int32_t) C.zkp_result {
	return toC(guard(func() ([]byte, error) { return poseidon2Hash(goBytes(elements, n)) }))
}

// zkp_hasher_create returns the new handle as 8 big-endian bytes.
//
//export zkp_hasher_create
func zkp_hasher_create() C.zkp_result {
	return toC(guard(func() ([]byte, error) {
		h, err := hasherCreate()
		if err != nil {
			return nil, err
		}
		return handleBytes(h), nil
	}))
}

//export zkp_hasher_write
func zkp_hasher_write(h C.int64_t, elements *C.uint8_t, n C.int32_t) C.zkp_result {
	return toC(guard(func() ([]byte, error) { return noResult(hasherWrite(int64(h), goBytes(elements, n))) }))
}

//export zkp_hasher_digest
func zkp_hasher_digest(h C.int64_t) C.zkp_result {
	return toC(guard(func() ([]byte, error) { return hasherDigest(int64(h)) }))
}

//export zkp_release
func zkp_release(h C.int64_t) C.zkp_result {
	return toC(guard(func() ([]byte, error) { return noResult(release(int64(h))) }))
}

// zkp_live_handles returns the number of live handles as 8 big-endian bytes,
// so tests can check that Java releases what it creates.
//
//export zkp_live_handles
func zkp_live_handles() C.zkp_result {
	return toC(guard(func() ([]byte, error) { return handleBytes(int64(objects.Len())), nil }))
}

// zkp_free releases memory returned in a zkp_result.
//
//export zkp_free
func zkp_free(p *C.uint8_t) {
	C.free(unsafe.Pointer(p))
}

// handleBytes is a handle as the shim's finish_long reads it: 8 bytes, big-endian.
func handleBytes(h int64) []byte { return binary.BigEndian.AppendUint64(nil, uint64(h)) }
