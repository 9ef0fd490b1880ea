package main

import (
	"errors"
	"fmt"
	"runtime/debug"

	"github.com/zkrollup/prover/native/handles"
)

// Status codes shared with zkprover.h and the Java NativeProverException.Code.
const (
	codeOK                = 0
	codeInvalidArgument   = 1
	codeInvalidHandle     = 2
	codeResourceExhausted = 3
	codeInternal          = 4
	codePanic             = 5
)

// codedError carries the status code an error is reported with. Errors
// without one are reported as internal: the caller cannot fix them.
type codedError struct {
	code int32
	err  error
}

func (e *codedError) Error() string { return e.err.Error() }
func (e *codedError) Unwrap() error { return e.err }

func invalidArgument(err error) error   { return &codedError{codeInvalidArgument, err} }
func resourceExhausted(err error) error { return &codedError{codeResourceExhausted, err} }

// outcome is what one bridge call produced, before it is copied into C memory.
type outcome struct {
	code int32
	data []byte // result on success, UTF-8 message on error
}

// guard runs one bridge call, turning its error or any panic into a status.
// A panic that escaped a cgo export would abort the whole JVM, so every
// export goes through here.
func guard(call func() ([]byte, error)) (out outcome) {
	defer func() {
		if r := recover(); r != nil {
			out = outcome{codePanic, fmt.Appendf(nil, "native panic: %v\n%s", r, debug.Stack())}
		}
	}()
	data, err := call()
	if err == nil {
		return outcome{codeOK, data}
	}
	var coded *codedError
	switch {
	case errors.As(err, &coded):
		return outcome{coded.code, []byte(err.Error())}
	case errors.Is(err, handles.ErrUnknown):
		return outcome{codeInvalidHandle, []byte(err.Error())}
	default:
		return outcome{codeInternal, []byte(err.Error())}
	}
}

// guardOffThread is guard on a goroutine of its own, for long parallel calls
// (proving). A Go function called from C stays locked to the calling JVM
// thread, and each time a locked goroutine waits for its workers the
// scheduler hands its P to another thread and back. A proof waits on worker
// goroutines many times; run unlocked, only the caller's single wait pays.
// guard recovers panics on that goroutine, so none escapes to the JVM.
func guardOffThread(call func() ([]byte, error)) outcome {
	done := make(chan outcome, 1)
	go func() { done <- guard(call) }()
	return <-done
}
