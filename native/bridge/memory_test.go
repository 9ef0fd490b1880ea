package main

import (
	"strings"
	"testing"

	"github.com/zkrollup/prover/native/proving"
)

func TestCheckMemoryRefusesOnlyWhatCannotFit(t *testing.T) {
	if physicalMemory() == 0 {
		t.Fatal("cannot read this machine's memory (/proc/meminfo)")
	}
	// What the tests and the quick start compile fits any machine that runs them.
	for _, be := range []proving.Backend{proving.Groth16, proving.Plonk} {
		if err := checkMemory(10, 8, be, true); err != nil {
			t.Errorf("%s B=10 D=8 refused: %v", be, err)
		}
	}
	// B = 65535 at D = 32 is 2.5 billion constraints: no machine compiles it.
	err := checkMemory(0xffff, 32, proving.Groth16, false)
	if codeOf(err) != codeResourceExhausted || !strings.Contains(err.Error(), "compiling it needs at least") {
		t.Errorf("B=65535 D=32: %v", err)
	}
}
