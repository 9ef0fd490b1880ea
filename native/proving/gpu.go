package proving

import (
	"errors"
)

// ErrNoGPU is returned (wrapped) by UseGPU in a library built without the
// icicle build tag: GPU proving is not compiled in.
var ErrNoGPU = errors.New("libzkprover was built without the icicle tag: GPU (ICICLE) proving is not compiled in")

// UseGPU makes Prove run Groth16 on the GPU through gnark's ICICLE backend
// (gnark/backend/accelerated/icicle), with the same keys: the proving key is
// wrapped as ICICLE's key type (which embeds gnark's) and the proofs verify
// with the unchanged verifying key and Solidity verifier. Only Groth16 keys
// can use it. Without the icicle build tag it returns ErrNoGPU and touches
// nothing of ICICLE (whose functions panic in such a build). The GPU itself
// is first used by the next Prove; if ICICLE cannot start then (no CUDA
// device, no backend libraries) that Prove returns an error and every later
// GPU proof of this process fails the same way.
func (k *Keys) UseGPU() error {
	pk, ok := k.pk.(*groth16ProvingKey)
	if !ok {
		return inputErr("GPU proving is for groth16 keys, these are %s", k.Backend)
	}
	if pk.gpu != nil {
		return nil
	}
	g, err := newGPUProver(pk.pk)
	if err != nil {
		return err
	}
	pk.gpu = g
	return nil
}

// UsesGPU reports whether UseGPU switched these keys to GPU proving.
func (k *Keys) UsesGPU() bool {
	pk, ok := k.pk.(*groth16ProvingKey)
	return ok && pk.gpu != nil
}
