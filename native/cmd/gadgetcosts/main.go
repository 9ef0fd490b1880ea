// Command gadgetcosts compiles the gnark gadgets the batch circuit is built
// from, one at a time, and prints their constraint counts (R1CS for Groth16,
// SCS for PLONK). It sizes the circuit before it exists; docs/circuit-costs.md
// records its output. Run: (cd native && go run ./cmd/gadgetcosts)
package main

import (
	"flag"
	"fmt"
	"log"
	"math/big"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"

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
	bb "github.com/zkrollup/prover/native/internal/batchbuild"
	"github.com/zkrollup/prover/native/proving"
	"github.com/zkrollup/prover/native/sha256bits"
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

// sha256Of hashes a fixed-length byte string with gnark's std/hash/sha2 (what
// the batch circuit used before it dropped its Groth16 commitment; kept for
// the comparison in docs/circuit-costs.md).
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

// sha256Bits hashes a fixed-length message given as bits with sha256bits,
// the batch circuit's SHA-256 (no lookups, no commitment).
type sha256Bits struct {
	In  []frontend.Variable
	Out [256]frontend.Variable
}

func (c *sha256Bits) Define(api frontend.API) error {
	sum := sha256bits.Sum(api, c.In)
	for i := range c.Out {
		api.AssertIsEqual(c.Out[i], sum[i])
	}
	return nil
}

// shaRows prints the SHA-256 rows of the gadget table: gnark's std/hash/sha2
// (lookups, one commitment) and sha256bits.
func shaRows() {
	for _, n := range []int{64, 640, 1280} {
		count(fmt.Sprintf("SHA-256 of %d bytes", n), &sha256Of{In: make([]uints.U8, n)}, true)
	}
	for _, n := range []int{64, 640, 1280} {
		count(fmt.Sprintf("SHA-256 of %d bytes, sha256bits (no commitment)", n), &sha256Bits{In: make([]frontend.Variable, 8*n)}, true)
	}
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

// batchCounts compiles the batch circuit (R1CS only) at depth d for each B
// in bs, with or without GKRPoseidon2, and prints the count, total/B, the
// marginal cost per slot against the previous B, and the compile time and
// Go heap in use after the compile.
func batchCounts(d int, bs []int, gkr, validium bool) {
	field := ecc.BN254.ScalarField()
	variant := "plain Poseidon2"
	if gkr {
		variant = "GKR Poseidon2"
	}
	if validium {
		variant += ", validium mode"
	}
	fmt.Printf("\nBatch circuit, R1CS, D = %d, %s:\n\n", d, variant)
	fmt.Println("| B | R1CS | R1CS / B | marginal per slot | compile s | heap after GiB |")
	fmt.Println("|---:|---:|---:|---:|---:|---:|")
	prevB, prevN := 0, 0
	for _, b := range bs {
		var opts []batch.Option
		if gkr {
			opts = append(opts, batch.GKRPoseidon2())
		}
		if validium {
			opts = append(opts, batch.Validium())
		}
		start := time.Now()
		cs, err := frontend.Compile(field, r1cs.NewBuilder, batch.NewCircuitWithOptions(b, d, opts...))
		if err != nil {
			log.Fatal(err)
		}
		el := time.Since(start)
		n := cs.GetNbConstraints()
		cs = nil
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		marg := "-"
		if prevB > 0 {
			marg = fmt.Sprint((n - prevN) / (b - prevB))
		}
		fmt.Printf("| %d | %d | %d | %s | %.1f | %.2f |\n", b, n, n/b, marg, el.Seconds(), float64(ms.HeapInuse)/(1<<30))
		prevB, prevN = b, n
	}
}

// proveGKR runs Groth16 setup, prove and verify (native/proving) on a
// GKR-variant batch of 2 slots (one transfer, one no-op) at depth d, with the
// keys saved to and loaded from a key directory in between, and a
// verify of the same proof against another batchNumber, printing timings.
func proveGKR(d int) {
	alice, bob, op := bb.NewKey(1), bb.NewKey(2), bb.NewKey(4)
	bl := bb.New(2, d, 7, 9, 3, big.NewInt(2))
	bl.Put(1, alice.KeyHash(), big.NewInt(0x1001), big.NewInt(1000), 0)
	bl.Put(2, bob.KeyHash(), big.NewInt(0x1002), big.NewInt(0), 0)
	bl.Put(3, op.KeyHash(), big.NewInt(0x1003), big.NewInt(0), 0)
	if err := bl.Transfer(alice, 1, 2, 5, 1, 9, 0); err != nil {
		log.Fatal(err)
	}
	assignment, _, err := bl.Build()
	if err != nil {
		log.Fatal(err)
	}
	start := time.Now()
	ccs, err := frontend.Compile(ecc.BN254.ScalarField(), r1cs.NewBuilder, batch.NewCircuitWithOptions(2, d, batch.GKRPoseidon2()))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("compile B=2 D=%d GKR: %d R1CS, %v\n", d, ccs.GetNbConstraints(), time.Since(start).Round(time.Millisecond))
	start = time.Now()
	inMemory, err := proving.SetupCompiled(ccs, 2, d, proving.Groth16, batch.ModeRollup)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("groth16 setup: %v\n", time.Since(start).Round(time.Millisecond))
	// Through the key store, as a worker would: the GKR blueprints must
	// survive Save and Load.
	dir, err := os.MkdirTemp("", "gkr-keys-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	if _, err := inMemory.Save(dir); err != nil {
		log.Fatal(err)
	}
	start = time.Now()
	keys, err := proving.Load(dir)
	if err != nil {
		log.Fatalf("GKR keys do not load back: %v", err)
	}
	fmt.Printf("save + load through the key store: load %v\n", time.Since(start).Round(time.Millisecond))
	start = time.Now()
	proof, public, err := keys.ProveAssignment(assignment)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("prove: %v, proof %d bytes\n", time.Since(start).Round(time.Millisecond), len(proof))
	if err := keys.Verify(proof, public); err != nil {
		log.Fatalf("valid proof refused: %v", err)
	}
	fmt.Println("verify: ok")
	other := append([]byte(nil), public...)
	other[3*32-1] ^= 1 // batchNumber
	if err := keys.Verify(proof, other); err == nil {
		log.Fatal("proof accepted for another batchNumber")
	}
	fmt.Println("verify against another batchNumber: refused (as it must be)")
	bad := *assignment
	bad.Slots = append([]batch.Slot(nil), assignment.Slots...)
	bad.Slots[0].Sig.S = big.NewInt(12345)
	if _, _, err := keys.ProveAssignment(&bad); err == nil {
		log.Fatal("bad signature proved")
	}
	fmt.Println("prove with a bad signature: refused (as it must be)")
}

func main() {
	proveG := flag.Bool("prove-gkr", false, "Groth16 setup/prove/verify of a GKR-variant batch, B=2, at -depth")
	gkr := flag.Bool("gkr", false, "with -batch: R1CS counts of the batch circuit with batch.GKRPoseidon2 (and of the plain one with -plain) for the B in -bs")
	plain := flag.Bool("plain", false, "with -batch -bs: the plain circuit's counts")
	validium := flag.Bool("validium", false, "with -batch -bs: the counts of the validium-mode circuit (batch.Validium)")
	bsFlag := flag.String("bs", "", "with -batch: comma-separated B list for the count table (instead of b1/b2)")
	batchOnly := flag.Bool("batch", false, "only the batch circuit's per-slot cost")
	shaOnly := flag.Bool("sha", false, "only the SHA-256 rows (gnark's sha2 and sha256bits)")
	depth := flag.Int("depth", 32, "tree depth for -batch")
	b1 := flag.Int("b1", 4, "smaller B for -batch")
	b2 := flag.Int("b2", 8, "larger B for -batch")
	flag.Parse()
	logger.Disable()
	if *proveG {
		proveGKR(*depth)
		return
	}
	if *batchOnly && (*gkr || *plain || *validium || *bsFlag != "") {
		var bs []int
		for _, f := range strings.Split(*bsFlag, ",") {
			if f == "" {
				continue
			}
			b, err := strconv.Atoi(f)
			if err != nil {
				log.Fatalf("-bs: %v", err)
			}
			bs = append(bs, b)
		}
		if len(bs) == 0 {
			bs = []int{*b1, *b2}
		}
		batchCounts(*depth, bs, *gkr, *validium)
		return
	}
	if *batchOnly {
		batchMarginal(*depth, *b1, *b2)
		return
	}
	fmt.Println("| gadget | R1CS (Groth16) | SCS (PLONK) |")
	fmt.Println("|---|---:|---:|")
	if *shaOnly {
		shaRows()
		return
	}
	count("Poseidon2 compression ×1", &compressChain{In: make([]frontend.Variable, 2)}, true)
	count("Poseidon2 compression ×128", &compressChain{In: make([]frontend.Variable, 129)}, true)
	count("gkr-poseidon2 compression ×128", &compressChain{In: make([]frontend.Variable, 129), GKR: true}, false)
	count("EdDSA verify (Poseidon2 challenge)", &signature{}, true)
	shaRows()
}
