//go:build faultinject

// The faultinject build: test hooks and a deliberate fatal failure, for the
// tests of the bridge contract (native/README.md, "The fault-injection
// build"). build.sh --fault-injection builds it to a path of its own; it is
// never packed into the jar, and the production library has none of this.

package main

/*
#cgo CFLAGS: -DZKP_FAULT_INJECTION
#include "zkprover.h"
*/
import "C"

import (
	"errors"
	"fmt"
	"os"
	"time"
)

// FaultOnceEnv names a file; while it exists, the next proof, compilation or
// setup deletes it and then kills the process (injectFatalFault).
const FaultOnceEnv = "ZKPROVER_FAULT_ONCE_FILE"

func init() { nativeFault = injectFatalFault }

// injectFatalFault kills the process the way a failure inside gnark would:
// a panic on a goroutine of its own, which guard cannot recover, so the Go
// runtime ends the process (a JVM host is aborted: SIGABRT, status 134; a
// Go test binary exits with 2). It fires once per
// file: removing the file is the check, so a second proof, in this process
// or the next, runs normally.
func injectFatalFault() {
	path := os.Getenv(FaultOnceEnv)
	if path == "" || os.Remove(path) != nil {
		return
	}
	go func() {
		panic(fmt.Sprintf("fault injection: a panic on a goroutine guard cannot reach, as in gnark's solver (%s=%s)", FaultOnceEnv, path))
	}()
	select {} // the panic ends the process
}

// Panic kinds for diagnosticPanic; the Java tests use each to show that a
// Go panic becomes an exception and leaves the JVM running.
const (
	panicValue = iota
	panicNilPointer
	panicIndexOutOfRange
	panicError
)

// diagnosticPanic panics on purpose, on the calling goroutine (guard's).
func diagnosticPanic(kind int32) error {
	switch kind {
	case panicValue:
		panic("diagnostic panic requested")
	case panicNilPointer:
		var p *int32
		return fmt.Errorf("unreachable %d", *p)
	case panicIndexOutOfRange:
		s := []int{}
		return fmt.Errorf("unreachable %d", s[int(kind)])
	case panicError:
		panic(errors.New("diagnostic error value"))
	default:
		return invalidArgument(fmt.Errorf("unknown panic kind %d", kind))
	}
}

// maxHold bounds holdHandle, so a test cannot wedge a handle for good.
const maxHold = time.Minute

// holdHandle is a call on h that stays in flight for d: it takes the
// handle's lock as any call does (shared on a verifier, exclusive on a
// prover), so a test can show which calls wait for it.
func holdHandle(h int64, d time.Duration) error {
	if d < 0 || d > maxHold {
		return invalidArgument(fmt.Errorf("hold of %v: must be 0..%v", d, maxHold))
	}
	return objects.With(h, func(any) error { time.Sleep(d); return nil })
}

//export zkp_diagnostic_panic
func zkp_diagnostic_panic(kind C.int32_t) C.zkp_result {
	return toC(guard(func() ([]byte, error) { return noResult(diagnosticPanic(int32(kind))) }))
}

//export zkp_diagnostic_hold_handle
func zkp_diagnostic_hold_handle(h C.int64_t, millis C.int32_t) C.zkp_result {
	return toC(guard(func() ([]byte, error) {
		return noResult(holdHandle(int64(h), time.Duration(millis)*time.Millisecond))
	}))
}
