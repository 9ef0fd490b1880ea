// Command gadgetcosts compiles the gnark gadgets the batch circuit is built
// from, one at a time, and prints their constraint counts (R1CS for Groth16,
// SCS for PLONK). It sizes the circuit before it exists; docs/circuit-costs.md
// records its output. Run: (cd native && go run ./cmd/gadgetcosts)
package main

import (
	"flag"
	"fmt"
	"log"

	"github.com/consensys/gnark-crypto/ecc"
	tedwards "github.com/consensys/gnark-crypto/ecc/twistededwards"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/frontend/cs/r1cs"
	"github.com/consensys/gnark/frontend/cs/scs"
	"github.com/consensys/gnark/logger"
	"github.com/consensys/gnark/std/algebra/native/twistededwards"
	p2hash "github.com/consensys/gnark/std/hash/poseidon2"
	"github.com/consensys/gnark/std/hash/sha2"
	"github.com/consensys/gnark/std/math/uints"
	"github.com/consensys/gnark/std/permutation/poseidon2"
	gkrposeidon2 "github.com/consensys/gnark/std/permutation/poseidon2/gkr-poseidon2"
	"github.com/consensys/gnark/std/signature/eddsa"

	"github.com/zkrollup/prover/native/batch"
)

// compressChain chains n Poseidon2 compressions (a Merkle path is such a chain).
type compressChain struct {
	In  []frontend.Variable
	GKR bool
}

func (c *compressChain) Define(api frontend.API) error {
	var compress func(a, b frontend.Variable) frontend.Variable
	if c.GKR {
		h, err := gkrposeidon2.NewCompressor(api)
		if err != nil {
			return err
		}
		compress = h.Compress
	} else {
		p, err := poseidon2.NewPoseidon2(api)
		if err != nil {
			return err
		}
		compress = p.Compress
	}
	x := c.In[0]
	for _, y := range c.In[1:] {
		x = compress(x, y)
	}
	api.AssertIsDifferent(x, 0)
	return nil
}

// signature verifies one EdDSA signature on Baby Jubjub with the Poseidon2 challenge.
type signature struct {
	Pub eddsa.PublicKey
	Sig eddsa.Signature
	Msg frontend.Variable
}

func (c *signature) Define(api frontend.API) error {
	curve, err := twistededwards.NewEdCurve(api, tedwards.BN254)
	if err != nil {
		return err
	}
	h, err := p2hash.New(api)
	if err != nil {
		return err
	}
	return eddsa.Verify(curve, c.Sig, c.Msg, c.Pub, h)
}

// sha256Of hashes a fixed-length byte string (the public data commitment).
type sha256Of struct {
	In  []uints.U8
	Out [32]uints.U8
}

func (c *sha256Of) Define(api frontend.API) error {
	h, err := sha2.New(api)
	if err != nil {
		return err
	}
	h.Write(c.In)
	sum := h.Sum()
	u, err := uints.New[uints.U32](api)
	if err != nil {
		return err
	}
	for i := range c.Out {
		u.ByteAssertEq(c.Out[i], sum[i])
	}
	return nil
}

func count(name string, c frontend.Circuit, plonk bool) {
	field := ecc.BN254.ScalarField()
	r, err := frontend.Compile(field, r1cs.NewBuilder, c)
	if err != nil {
		log.Fatalf("%s: %v", name, err)
	}
	plonkCount := "-"
	if plonk {
		s, err := frontend.Compile(field, scs.NewBuilder, c)
		if err != nil {
			log.Fatalf("%s (plonk): %v", name, err)
		}
		plonkCount = fmt.Sprint(s.GetNbConstraints())
	}
	fmt.Printf("| %s | %d | %s |\n", name, r.GetNbConstraints(), plonkCount)
}

// batchMarginal compiles the batch circuit at depth d for two sizes and
// prints the per-slot (per-transfer) constraint counts.
func batchMarginal(d, b1, b2 int) {
	field := ecc.BN254.ScalarField()
	fmt.Printf("\nBatch circuit at D = %d (marginal cost of one slot = (N(B=%d) - N(B=%d)) / %d):\n\n", d, b2, b1, b2-b1)
	fmt.Println("| system | B = " + fmt.Sprint(b1) + " | B = " + fmt.Sprint(b2) + " | per slot |")
	fmt.Println("|---|---:|---:|---:|")
	for _, plonk := range []bool{false, true} {
		var n [2]int
		for i, b := range []int{b1, b2} {
			var cs interface{ GetNbConstraints() int }
			var err error
			if plonk {
				cs, err = frontend.Compile(field, scs.NewBuilder, batch.NewCircuit(b, d))
			} else {
				cs, err = frontend.Compile(field, r1cs.NewBuilder, batch.NewCircuit(b, d))
			}
			if err != nil {
				log.Fatal(err)
			}
			n[i] = cs.GetNbConstraints()
		}
		name := "R1CS (Groth16)"
		if plonk {
			name = "SCS (PLONK)"
		}
		fmt.Printf("| %s | %d | %d | %d |\n", name, n[0], n[1], (n[1]-n[0])/(b2-b1))
	}
}

func main() {
	batchOnly := flag.Bool("batch", false, "only the batch circuit's per-slot cost")
	depth := flag.Int("depth", 32, "tree depth for -batch")
	b1 := flag.Int("b1", 4, "smaller B for -batch")
	b2 := flag.Int("b2", 8, "larger B for -batch")
	flag.Parse()
	logger.Disable()
	if *batchOnly {
		batchMarginal(*depth, *b1, *b2)
		return
	}
	fmt.Println("| gadget | R1CS (Groth16) | SCS (PLONK) |")
	fmt.Println("|---|---:|---:|")
	count("Poseidon2 compression ×1", &compressChain{In: make([]frontend.Variable, 2)}, true)
	count("Poseidon2 compression ×128", &compressChain{In: make([]frontend.Variable, 129)}, true)
	count("gkr-poseidon2 compression ×128", &compressChain{In: make([]frontend.Variable, 129), GKR: true}, false)
	count("EdDSA verify (Poseidon2 challenge)", &signature{}, true)
	for _, n := range []int{64, 640, 1280} {
		count(fmt.Sprintf("SHA-256 of %d bytes", n), &sha256Of{In: make([]uints.U8, n)}, true)
	}
}
