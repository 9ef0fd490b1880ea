//go:build !icicle

package proving

import (
	"github.com/consensys/gnark/backend"
	"github.com/consensys/gnark/backend/groth16"
	"github.com/consensys/gnark/backend/witness"
	"github.com/consensys/gnark/constraint"
)

// GPUCompiledIn reports whether this build can prove on the GPU (icicle tag).
const GPUCompiledIn = false

// gpuProver is never made in this build; it never calls the icicle package,
// whose functions panic without the icicle tag.
type gpuProver struct{}

func newGPUProver(groth16.ProvingKey) (*gpuProver, error) { return nil, ErrNoGPU }

func (*gpuProver) prove(constraint.ConstraintSystem, witness.Witness, backend.ProverOption) (groth16.Proof, error) {
	return nil, ErrNoGPU
}
