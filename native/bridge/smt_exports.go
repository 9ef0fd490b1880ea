package main

/*
#include "zkprover.h"
*/
import "C"

// zkp_smt_root returns the 32-byte root of the sparse Merkle tree of the given
// depth whose non-empty leaves are the (index, value) records in leaves.
//
//export zkp_smt_root
func zkp_smt_root(depth C.int32_t, leaves *C.uint8_t, n C.int32_t) C.zkp_result {
	return toC(guard(func() ([]byte, error) { return smtRoot(int32(depth), goBytes(leaves, n)) }))
}
