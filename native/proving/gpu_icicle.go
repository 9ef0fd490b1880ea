//go:build icicle

package proving

import (
	"fmt"
	"sync"

	"github.com/consensys/gnark/backend"
	"github.com/consensys/gnark/backend/accelerated/icicle"
	icicle_groth16 "github.com/consensys/gnark/backend/accelerated/icicle/groth16"
	icicle_bn254 "github.com/consensys/gnark/backend/accelerated/icicle/groth16/bn254"
	"github.com/consensys/gnark/backend/groth16"
	groth16bn254 "github.com/consensys/gnark/backend/groth16/bn254"
	"github.com/consensys/gnark/backend/witness"
	"github.com/consensys/gnark/constraint"
)

// GPUCompiledIn reports whether this build can prove on the GPU (icicle tag).
const GPUCompiledIn = true

// gpuProver holds the proving key as ICICLE's type; ICICLE copies it to the
// device on the first proof and keeps the device pointers in it.
type gpuProver struct {
	pk *icicle_bn254.ProvingKey
}

func newGPUProver(pk groth16.ProvingKey) (*gpuProver, error) {
	native, ok := pk.(*groth16bn254.ProvingKey)
	if !ok {
		return nil, fmt.Errorf("proving: GPU proving needs a BN254 groth16 proving key, got %T", pk)
	}
	// The ICICLE key embeds gnark's; it shares the host vectors of the
	// loaded key rather than holding a second copy.
	return &gpuProver{pk: &icicle_bn254.ProvingKey{ProvingKey: *native}}, nil
}

var (
	gpuMu     sync.Mutex
	gpuBroken error // set when ICICLE panicked once; its one-time device warm-up is then spent
)

func (g *gpuProver) prove(ccs constraint.ConstraintSystem, full witness.Witness, opt backend.ProverOption) (proof groth16.Proof, err error) {
	gpuMu.Lock()
	broken := gpuBroken
	gpuMu.Unlock()
	if broken != nil {
		return nil, broken
	}
	// gnark's ICICLE glue panics when the backend or device cannot start
	// (and only tries once per process): turn that into an error here, so
	// the bridge never sees it, and refuse the GPU from then on.
	defer func() {
		if r := recover(); r != nil {
			gpuMu.Lock()
			if gpuBroken == nil {
				gpuBroken = fmt.Errorf("proving: GPU (ICICLE) proving failed: %v", r)
			}
			err = gpuBroken
			gpuMu.Unlock()
			proof = nil
		}
	}()
	return icicle_groth16.Prove(ccs, g.pk, full, icicle.WithProverOptions(opt))
}
