package main

import (
	"errors"
	"testing"
)

func codeOf(err error) int32 {
	var c *codedError
	if errors.As(err, &c) {
		return c.code
	}
	return codeInternal
}

func TestProverCallsRefuseBadInput(t *testing.T) {
	if _, err := circuitInfo(0, 4, backendGroth16); codeOf(err) != codeInvalidArgument {
		t.Errorf("B=0: %v", err)
	}
	if _, err := circuitInfo(1, 33, backendGroth16); codeOf(err) != codeInvalidArgument {
		t.Errorf("D=33: %v", err)
	}
	if _, err := circuitInfo(1, 4, 7); codeOf(err) != codeInvalidArgument {
		t.Errorf("backend 7: %v", err)
	}
	if _, err := circuitInfo(maxBridgeSlots+1, 32, backendGroth16); codeOf(err) != codeResourceExhausted {
		t.Errorf("B too large: %v", err)
	}
	if _, err := circuitSetup(1, 1, backendGroth16, nil); codeOf(err) != codeInvalidArgument {
		t.Errorf("empty key dir: %v", err)
	}
	if _, err := proverLoad([]byte(t.TempDir())); codeOf(err) != codeInvalidArgument {
		t.Errorf("empty directory: %v", err)
	}
	if _, err := proverLoad([]byte{0xff, 0xfe}); codeOf(err) != codeInvalidArgument {
		t.Errorf("non-UTF-8 path: %v", err)
	}
	for _, call := range []func() error{
		func() error { _, err := prove(12345, []byte("ZKBW")); return err },
		func() error { _, err := verify(12345, nil, nil); return err },
		func() error { _, err := exportSolidity(12345); return err },
		func() error { _, err := solidityProof(12345, make([]byte, 324)); return err },
	} {
		if out := guard(func() ([]byte, error) { return nil, call() }); out.code != codeInvalidHandle {
			t.Errorf("forged handle: code %d (%s)", out.code, out.data)
		}
	}
	h, err := hasherCreate()
	if err != nil {
		t.Fatal(err)
	}
	defer release(h)
	if _, err := prove(h, nil); codeOf(err) != codeInvalidHandle {
		t.Errorf("hasher handle as prover: %v", err)
	}
}

func TestCircuitInfo(t *testing.T) {
	out, err := circuitInfo(1, 2, backendGroth16)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%s", out)
}
