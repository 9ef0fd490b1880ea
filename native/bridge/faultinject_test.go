//go:build faultinject

package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/zkrollup/prover/native/handles"
)

// Run with: go test -tags faultinject -run FaultInjection ./bridge/

func TestFaultInjectionPanicsBecomeStatuses(t *testing.T) {
	for kind := int32(panicValue); kind <= panicError; kind++ {
		out := guard(func() ([]byte, error) { return nil, diagnosticPanic(kind) })
		if out.code != codePanic || !bytes.HasPrefix(out.data, []byte("native panic: ")) {
			t.Fatalf("kind %d: code %d, message %q", kind, out.code, out.data)
		}
	}
	if out := guard(func() ([]byte, error) { return nil, diagnosticPanic(99) }); out.code != codeInvalidArgument {
		t.Fatalf("unknown kind: code %d", out.code)
	}
}

func TestFaultInjectionHoldHandle(t *testing.T) {
	h, err := hasherCreate()
	if err != nil {
		t.Fatal(err)
	}
	defer release(h)
	for _, d := range []time.Duration{-time.Millisecond, maxHold + time.Millisecond} {
		if err := holdHandle(h, d); codeOf(err) != codeInvalidArgument {
			t.Errorf("hold of %v: %v", d, err)
		}
	}
	if err := holdHandle(12345, 0); !errors.Is(err, handles.ErrUnknown) {
		t.Errorf("hold of a forged handle: %v", err)
	}
	start := time.Now()
	if err := holdHandle(h, 50*time.Millisecond); err != nil || time.Since(start) < 50*time.Millisecond {
		t.Errorf("hold returned after %v: %v", time.Since(start), err)
	}
}

// The fault kills the process once per file. The child is this test binary
// again, with faultChildEnv set.
const faultChildEnv = "ZKPROVER_FAULT_TEST_CHILD"

func TestFaultInjectionKillsTheProcessOnce(t *testing.T) {
	if os.Getenv(faultChildEnv) == "1" {
		injectFatalFault()
		fmt.Println("survived the fault hook")
		return
	}
	file := filepath.Join(t.TempDir(), "fault-once")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	run := func() (string, error) {
		cmd := exec.Command(os.Args[0], "-test.run=^TestFaultInjectionKillsTheProcessOnce$", "-test.v")
		cmd.Env = append(os.Environ(), faultChildEnv+"=1", FaultOnceEnv+"="+file)
		out, err := cmd.CombinedOutput()
		return string(out), err
	}

	out, err := run()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 2 || !strings.Contains(out, "panic: fault injection") {
		t.Fatalf("first run: %v\n%s", err, out)
	}
	if _, err := os.Stat(file); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("the fault did not consume %s: %v", file, err)
	}
	if out, err := run(); err != nil || !strings.Contains(out, "survived the fault hook") {
		t.Fatalf("second run: %v\n%s", err, out)
	}
}
