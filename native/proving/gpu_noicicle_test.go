//go:build !icicle

package proving

import (
	"errors"
	"testing"
)

// Without the icicle tag, asking for the GPU is a clear error, never a
// panic from gnark's icicle package, and the keys stay on the CPU.
func TestUseGPUWithoutIcicleTag(t *testing.T) {
	if GPUCompiledIn {
		t.Fatal("GPUCompiledIn in a build without the icicle tag")
	}
	k := &Keys{Verifier: Verifier{B: 1, D: 1, Backend: Groth16}, pk: &groth16ProvingKey{}}
	if err := k.UseGPU(); !errors.Is(err, ErrNoGPU) {
		t.Fatalf("UseGPU: %v, want ErrNoGPU", err)
	}
	if k.UsesGPU() {
		t.Fatal("keys switched to the GPU although UseGPU failed")
	}
	if err := (&Keys{Verifier: Verifier{Backend: Plonk}, pk: plonkProvingKey{}}).UseGPU(); !errors.Is(err, ErrInput) {
		t.Fatalf("UseGPU on PLONK keys: %v, want ErrInput", err)
	}
}
