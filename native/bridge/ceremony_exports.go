package main

/*
#include "zkprover.h"
*/
import "C"

// The ceremony's exports (ceremony_calls.go). Each runs for minutes at
// production sizes and uses gnark's worker goroutines, so it runs off the
// calling JVM thread (guardOffThread), as zkp_prove does.

// zkp_ceremony_init compiles the batch circuit and starts a ceremony in a
// directory; returns a UTF-8 summary.
//
//export zkp_ceremony_init
func zkp_ceremony_init(b, d, mode C.int32_t, dir *C.uint8_t, dirLen C.int32_t) C.zkp_result {
	return toC(guardOffThread(func() ([]byte, error) {
		return ceremonyInit(int32(b), int32(d), int32(mode), goBytes(dir, dirLen))
	}))
}

// zkp_ceremony_contribute adds a named contribution to the open phase;
// returns the receipt as UTF-8 key=value lines.
//
//export zkp_ceremony_contribute
func zkp_ceremony_contribute(dir *C.uint8_t, dirLen C.int32_t, name *C.uint8_t, nameLen C.int32_t) C.zkp_result {
	return toC(guardOffThread(func() ([]byte, error) {
		return ceremonyContribute(goBytes(dir, dirLen), goBytes(name, nameLen))
	}))
}

// zkp_ceremony_seal_phase1 verifies phase 1 and seals it with a beacon (hex).
//
//export zkp_ceremony_seal_phase1
func zkp_ceremony_seal_phase1(dir *C.uint8_t, dirLen C.int32_t, beacon *C.uint8_t, beaconLen C.int32_t) C.zkp_result {
	return toC(guardOffThread(func() ([]byte, error) {
		return ceremonySealPhase1(goBytes(dir, dirLen), goBytes(beacon, beaconLen))
	}))
}

// zkp_ceremony_finalize verifies phase 2, seals it with a beacon and writes
// the key directory.
//
//export zkp_ceremony_finalize
func zkp_ceremony_finalize(dir *C.uint8_t, dirLen C.int32_t, beacon *C.uint8_t, beaconLen C.int32_t, keyDir *C.uint8_t, keyDirLen C.int32_t) C.zkp_result {
	return toC(guardOffThread(func() ([]byte, error) {
		return ceremonyFinalize(goBytes(dir, dirLen), goBytes(beacon, beaconLen), goBytes(keyDir, keyDirLen))
	}))
}

// zkp_ceremony_verify recomputes a ceremony from its files; the key
// directory and the expected beacons may be empty (not checked).
//
//export zkp_ceremony_verify
func zkp_ceremony_verify(dir *C.uint8_t, dirLen C.int32_t, keyDir *C.uint8_t, keyDirLen C.int32_t,
	beacon1 *C.uint8_t, beacon1Len C.int32_t, beacon2 *C.uint8_t, beacon2Len C.int32_t) C.zkp_result {
	return toC(guardOffThread(func() ([]byte, error) {
		return ceremonyVerify(goBytes(dir, dirLen), goBytes(keyDir, keyDirLen), goBytes(beacon1, beacon1Len), goBytes(beacon2, beacon2Len))
	}))
}
