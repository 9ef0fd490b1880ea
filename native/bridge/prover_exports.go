package main

/*
#include "zkprover.h"
*/
import "C"

// zkp_circuit_info compiles the batch circuit of a data-availability mode
// (0 rollup, 1 validium) and returns a UTF-8 summary.
//
//export zkp_circuit_info
func zkp_circuit_info(b, d, backend, mode C.int32_t) C.zkp_result {
	return toC(guard(func() ([]byte, error) { return circuitInfo(int32(b), int32(d), int32(backend), int32(mode)) }))
}

// zkp_circuit_setup runs the setup for a data-availability mode, writes the
// key directory and returns a UTF-8 summary.
//
//export zkp_circuit_setup
func zkp_circuit_setup(b, d, backend, mode C.int32_t, dir *C.uint8_t, dirLen C.int32_t) C.zkp_result {
	return toC(guard(func() ([]byte, error) {
		return circuitSetup(int32(b), int32(d), int32(backend), int32(mode), goBytes(dir, dirLen))
	}))
}

// zkp_prover_load loads a key directory; returns the handle as 8 big-endian bytes.
//
//export zkp_prover_load
func zkp_prover_load(dir *C.uint8_t, dirLen C.int32_t) C.zkp_result {
	return toC(guard(func() ([]byte, error) {
		h, err := proverLoad(goBytes(dir, dirLen))
		if err != nil {
			return nil, err
		}
		return handleBytes(h), nil
	}))
}

// zkp_verifier_load loads only the verifying key of a key directory; returns
// the handle as 8 big-endian bytes. zkp_verify, zkp_export_solidity,
// zkp_solidity_proof and zkp_prover_info take it, and calls on it overlap.
//
//export zkp_verifier_load
func zkp_verifier_load(dir *C.uint8_t, dirLen C.int32_t) C.zkp_result {
	return toC(guard(func() ([]byte, error) {
		h, err := verifierLoad(goBytes(dir, dirLen))
		if err != nil {
			return nil, err
		}
		return handleBytes(h), nil
	}))
}

// zkp_prove returns u32 proofLen ‖ proof ‖ 4×32 bytes of public inputs.
//
//export zkp_prove
func zkp_prove(h C.int64_t, w *C.uint8_t, wLen C.int32_t) C.zkp_result {
	return toC(guardOffThread(func() ([]byte, error) { return prove(int64(h), goBytes(w, wLen)) }))
}

// zkp_verify returns one byte, 1 (valid) or 0 (well-formed but invalid);
// h is a prover or a verifier handle.
//
//export zkp_verify
func zkp_verify(h C.int64_t, proof *C.uint8_t, proofLen C.int32_t, public *C.uint8_t, publicLen C.int32_t) C.zkp_result {
	return toC(guard(func() ([]byte, error) {
		return verify(int64(h), goBytes(proof, proofLen), goBytes(public, publicLen))
	}))
}

// zkp_export_solidity returns the verifier contract (UTF-8 Solidity source).
//
//export zkp_export_solidity
func zkp_export_solidity(h C.int64_t) C.zkp_result {
	return toC(guard(func() ([]byte, error) { return exportSolidity(int64(h)) }))
}

// zkp_solidity_proof turns a proof (gnark's raw encoding, as zkp_prove
// returns it) into the proof bytes of the exported Solidity verifier.
//
//export zkp_solidity_proof
func zkp_solidity_proof(h C.int64_t, proof *C.uint8_t, proofLen C.int32_t) C.zkp_result {
	return toC(guard(func() ([]byte, error) { return solidityProof(int64(h), goBytes(proof, proofLen)) }))
}

// zkp_prover_info returns "b=…\nd=…\nbackend=…\nmode=…" for a loaded
// prover or verifier.
//
//export zkp_prover_info
func zkp_prover_info(h C.int64_t) C.zkp_result {
	return toC(guard(func() ([]byte, error) { return keysInfo(int64(h)) }))
}

// zkp_prover_use_gpu switches a Groth16 prover to GPU (ICICLE) proving; empty result.
//
//export zkp_prover_use_gpu
func zkp_prover_use_gpu(h C.int64_t) C.zkp_result {
	return toC(guard(func() ([]byte, error) { return proverUseGPU(int64(h)) }))
}
