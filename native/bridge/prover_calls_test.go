package main

import (
	"errors"
	"strings"
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
	if _, err := circuitInfo(0, 4, backendGroth16, modeRollup); codeOf(err) != codeInvalidArgument {
		t.Errorf("B=0: %v", err)
	}
	if _, err := circuitInfo(1, 33, backendGroth16, modeRollup); codeOf(err) != codeInvalidArgument {
		t.Errorf("D=33: %v", err)
	}
	if _, err := circuitInfo(1, 4, 7, modeRollup); codeOf(err) != codeInvalidArgument {
		t.Errorf("backend 7: %v", err)
	}
	if _, err := circuitInfo(maxBridgeSlots+1, 32, backendGroth16, modeRollup); codeOf(err) != codeInvalidArgument {
		t.Errorf("B above 16 bits: %v", err)
	}
	// An absurd size is refused before anything is compiled, rather than
	// exhausting memory in gnark.
	if _, err := circuitInfo(maxBridgeSlots, 32, backendGroth16, modeRollup); codeOf(err) != codeResourceExhausted || !strings.Contains(err.Error(), "GiB of memory") {
		t.Errorf("B=65535, D=32: %v", err)
	}
	if _, err := circuitSetup(maxBridgeSlots, 32, backendPlonk, modeRollup, []byte(t.TempDir())); codeOf(err) != codeResourceExhausted {
		t.Errorf("setup of B=65535, D=32: %v", err)
	}
	if _, err := circuitSetup(1, 1, backendGroth16, modeRollup, nil); codeOf(err) != codeInvalidArgument {
		t.Errorf("empty key dir: %v", err)
	}
	for _, mode := range []int32{-1, 2, 1 << 30} {
		if _, err := circuitInfo(1, 1, backendGroth16, mode); codeOf(err) != codeInvalidArgument || !strings.Contains(err.Error(), "mode must be 0 (rollup) or 1 (validium)") {
			t.Errorf("mode %d: %v", mode, err)
		}
		// Through guard, as the export runs it: an error code, no panic.
		if out := guard(func() ([]byte, error) { return circuitSetup(1, 1, backendGroth16, mode, []byte(t.TempDir())) }); out.code != codeInvalidArgument {
			t.Errorf("setup with mode %d: code %d (%s)", mode, out.code, out.data)
		}
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
	var constraints [2]string
	for _, mode := range []int32{modeRollup, modeValidium} {
		out, err := circuitInfo(1, 2, backendGroth16, mode)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s", out)
		info := lines(string(out))
		if want := []string{"rollup", "validium"}[mode]; info["mode"] != want {
			t.Errorf("mode %d reported as %q", mode, info["mode"])
		}
		constraints[mode] = info["constraints"]
	}
	if constraints[0] == "" || constraints[0] == constraints[1] {
		t.Errorf("rollup and validium constraints: %q", constraints)
	}
}

// A validium setup through the bridge calls: the report, the manifest and
// the loaded prover's info all say validium.
func TestValidiumSetup(t *testing.T) {
	dir := t.TempDir()
	out, err := circuitSetup(1, 1, backendGroth16, modeValidium, []byte(dir))
	if err != nil {
		t.Fatal(err)
	}
	if got := lines(string(out)); got["mode"] != "validium" || got["origin"] != "development" || got["setup"] != "single-party" {
		t.Fatalf("setup report: %s", out)
	}
	h, err := proverLoad([]byte(dir))
	if err != nil {
		t.Fatal(err)
	}
	defer release(h)
	info, err := keysInfo(h)
	if err != nil {
		t.Fatal(err)
	}
	if got := lines(string(info)); got["mode"] != "validium" || got["b"] != "1" || got["backend"] != "groth16" || got["origin"] != "development" {
		t.Fatalf("prover info: %s", info)
	}
}

func lines(s string) map[string]string {
	out := map[string]string{}
	for _, l := range strings.Split(s, "\n") {
		if k, v, ok := strings.Cut(l, "="); ok {
			out[k] = v
		}
	}
	return out
}
