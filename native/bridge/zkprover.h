/*
 * The C face of libzkprover: every exported Go function returns a
 * zkp_result. See native/README.md for the full bridge contract.
 */
#ifndef ZKPROVER_H
#define ZKPROVER_H

#include <stdint.h>

/* Status codes; the Java side maps them onto NativeProverException.Code. */
#define ZKP_OK 0
#define ZKP_ERR_INVALID_ARGUMENT 1
#define ZKP_ERR_INVALID_HANDLE 2
#define ZKP_ERR_RESOURCE_EXHAUSTED 3
#define ZKP_ERR_INTERNAL 4
#define ZKP_ERR_PANIC 5

/* Data-availability modes of zkp_circuit_info and zkp_circuit_setup
 * (docs/protocol.md, "Validium"); any other value is INVALID_ARGUMENT. */
#define ZKP_MODE_ROLLUP 0
#define ZKP_MODE_VALIDIUM 1

/* Handles: zkp_prover_load returns a prover (circuit, proving and verifying
 * key; its calls are serialised), zkp_verifier_load a verifier (the verifying
 * key alone; its calls run concurrently). zkp_verify, zkp_solidity_proof,
 * zkp_export_solidity and zkp_prover_info take either. */

/* The MPC ceremony (zkp_ceremony_init, _contribute, _seal_phase1,
 * _finalize, _verify; native/ceremony) takes UTF-8 paths, a contributor's
 * name and beacons in hex, and answers UTF-8 key=value lines. A malformed,
 * tampered or out-of-order transcript is ZKP_ERR_INVALID_ARGUMENT, its
 * message naming the file, the contribution and why; an operation whose
 * memory (known from the ceremony's N) exceeds the machine's is
 * ZKP_ERR_RESOURCE_EXHAUSTED before it starts. */

/* The largest byte array the shim copies across; larger inputs are refused
 * before any copy is made. Per-call limits in Go are tighter. */
#define ZKP_MAX_INPUT_BYTES (256 * 1024 * 1024)

typedef struct {
    int32_t code;  /* ZKP_OK or a ZKP_ERR_* code */
    uint8_t *data; /* malloc'd by Go; result bytes on success, a UTF-8 message on error; NULL if len == 0 */
    int64_t len;
} zkp_result;

#endif
