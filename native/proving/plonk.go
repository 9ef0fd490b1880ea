package proving

import (
	"bytes"
	"fmt"
	"io"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark/backend"
	"github.com/consensys/gnark/backend/plonk"
	plonkbn254 "github.com/consensys/gnark/backend/plonk/bn254"
	"github.com/consensys/gnark/backend/solidity"
	"github.com/consensys/gnark/backend/witness"
	"github.com/consensys/gnark/constraint"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/frontend/cs/scs"
	"github.com/consensys/gnark/test/unsafekzg"
)

// DevSRSCacheDir, when set, is where unsafekzg caches development SRSs
// between runs (tests set it; generating the SRS is most of a PLONK setup).
var DevSRSCacheDir string

// plonkSystem is PLONK on BN254 with KZG. Its setup takes gnark's
// test/unsafekzg SRS, whose toxic waste is known: development only. This
// file is the only one that imports unsafekzg; a production PLONK setup
// needs an SRS from a ceremony.
type plonkSystem struct{}

func (plonkSystem) newBuilder() frontend.NewBuilder { return scs.NewBuilder }

func (plonkSystem) newCS() constraint.ConstraintSystem { return plonk.NewCS(ecc.BN254) }

func (plonkSystem) ccsPublicVariables() int { return 4 }

func (plonkSystem) setup(ccs constraint.ConstraintSystem) (provingKey, verifyingKey, error) {
	var opts []unsafekzg.Option
	if DevSRSCacheDir != "" {
		opts = append(opts, unsafekzg.WithCacheDir(DevSRSCacheDir))
	}
	srs, lagrange, err := unsafekzg.NewSRS(ccs, opts...)
	if err != nil {
		return nil, nil, fmt.Errorf("proving: development SRS: %w", err)
	}
	pk, vk, err := plonk.Setup(ccs, srs, lagrange)
	if err != nil {
		return nil, nil, fmt.Errorf("proving: plonk setup: %w", err)
	}
	return plonkProvingKey{pk: pk.(*plonkbn254.ProvingKey)}, plonkVerifyingKey{vk: vk.(*plonkbn254.VerifyingKey)}, nil
}

// readProvingKey skips gnark's checks (UnsafeReadFrom), as Groth16's dump does.
func (plonkSystem) readProvingKey(r io.Reader) (provingKey, error) {
	pk := &plonkbn254.ProvingKey{}
	if _, err := pk.UnsafeReadFrom(r); err != nil {
		return nil, err
	}
	return plonkProvingKey{pk: pk}, nil
}

func (plonkSystem) readVerifyingKey(r io.Reader) (verifyingKey, error) {
	vk := &plonkbn254.VerifyingKey{}
	if _, err := vk.ReadFrom(r); err != nil {
		return nil, err
	}
	return plonkVerifyingKey{vk: vk}, nil
}

type plonkProvingKey struct {
	pk *plonkbn254.ProvingKey
}

func (k plonkProvingKey) prove(ccs constraint.ConstraintSystem, full witness.Witness) ([]byte, error) {
	p, err := plonk.Prove(ccs, k.pk, full, solidity.WithProverTargetSolidityVerifier(backend.PLONK))
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if _, err := p.WriteRawTo(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func (k plonkProvingKey) writeTo(w io.Writer) error {
	_, err := k.pk.WriteRawTo(w)
	return err
}

type plonkVerifyingKey struct {
	vk *plonkbn254.VerifyingKey
}

// readPlonkProof decodes a raw proof with gnark's checked decoder after
// checking its length prefixes against the total length and that every
// point is flagged uncompressed (see readGroth16Proof). The layout is
//
//	8 G1 points (512) ‖ u32 m ‖ m claimed values (32 each) ‖ G1 (64) ‖ claimed value (32) ‖ u32 n ‖ n G1 (64 each)
func readPlonkProof(p []byte) (*plonkbn254.Proof, error) {
	m, ok := proofPrefix(p, 512)
	if !ok || m > MaxProofSize/32 {
		return nil, inputErr("malformed plonk proof (%d bytes)", len(p))
	}
	off := 516 + 32*m + 96
	n, ok := proofPrefix(p, off)
	if !ok || n > MaxProofSize/64 || off+4+64*n != len(p) {
		return nil, inputErr("malformed plonk proof (%d bytes)", len(p))
	}
	points := []int{0, 64, 128, 192, 256, 320, 384, 448, 516 + 32*m}
	for i := 0; i < n; i++ {
		points = append(points, off+4+64*i)
	}
	if !rawPoints(p, points...) { // see readGroth16Proof
		return nil, inputErr("malformed plonk proof: a point is not in the uncompressed encoding")
	}
	proof := &plonkbn254.Proof{}
	if _, err := proof.ReadFrom(bytes.NewReader(p)); err != nil {
		return nil, inputErr("proof: %v", err)
	}
	return proof, nil
}

func (k plonkVerifyingKey) verify(proof []byte, public witness.Witness) error {
	p, err := readPlonkProof(proof)
	if err != nil {
		return err
	}
	if err := plonk.Verify(p, k.vk, public, solidity.WithVerifierTargetSolidityVerifier(backend.PLONK)); err != nil {
		return fmt.Errorf("%w: %v", ErrVerification, err)
	}
	return nil
}

// solidityProof is gnark's plonk MarshalSolidity layout (G1 points
// uncompressed, field elements 32 bytes big-endian).
func (k plonkVerifyingKey) solidityProof(proof []byte) ([]byte, error) {
	p, err := readPlonkProof(proof)
	if err != nil {
		return nil, err
	}
	return p.MarshalSolidity(), nil
}

func (k plonkVerifyingKey) exportSolidity(w io.Writer) error { return k.vk.ExportSolidity(w) }

func (k plonkVerifyingKey) nbPublicInputs() int { return int(k.vk.NbPublicVariables) }

func (k plonkVerifyingKey) writeTo(w io.Writer) error {
	_, err := k.vk.WriteRawTo(w)
	return err
}
