package main

// Fuzz targets that reach past the bridge's format checks (docs/fuzzing.md).
// Each decodes the fuzzer's bytes as a structured mutation of a valid input
// (internal/hostile), so that nearly every input is well formed and its
// hostile values — small-order and off-curve points, the identity key,
// boundary amounts, forged Merkle paths, copied counts and roots — reach
// gnark. Every call runs through guard, as its export does: the answer must
// be a result or an error status, never PANIC or INTERNAL, and the process
// must survive (a panic in one of gnark's goroutines would kill it).
//
//	go test -run='^$' -fuzz=FuzzProveHostileWitness -fuzztime=3m ./bridge
//
// A crasher the fuzzer finds lands in testdata/fuzz/<target>/ and from then
// on runs as a regression case under plain `go test`.

import (
	"bytes"
	"encoding/binary"
	"flag"
	"math/big"
	"os"
	"sync"
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark-crypto/ecc/bn254/twistededwards"

	"github.com/consensys/gnark/constraint"
	"github.com/consensys/gnark/frontend"

	"github.com/zkrollup/prover/native/batch"
	bb "github.com/zkrollup/prover/native/internal/batchbuild"
	"github.com/zkrollup/prover/native/internal/hostile"
	"github.com/zkrollup/prover/native/proving"
	"github.com/zkrollup/prover/native/signing"
)

// mustAnswer fails on a status that is neither a result nor a caller's
// error: PANIC (a recovered panic: a bug) or INTERNAL (not the caller's fault).
func mustAnswer(t *testing.T, what string, out outcome) {
	t.Helper()
	if out.code == codePanic || out.code == codeInternal {
		t.Fatalf("%s: status %d: %s", what, out.code, out.data)
	}
}

// fuzzProver is one Groth16 setup at B=2, D=4 shared by the fuzz targets
// of one process (a setup takes seconds; a solver refusal milliseconds).
var fuzzProver struct {
	once    sync.Once
	h       int64
	witness []byte
	proof   []byte
	public  []byte
	err     error
}

func sharedProver(t testing.TB) (h int64, witness, proof, public []byte) {
	fuzzProver.once.Do(func() {
		dir, err := os.MkdirTemp("", "zkp-fuzz-keys-")
		if err != nil {
			fuzzProver.err = err
			return
		}
		if _, err := circuitSetup(2, 4, backendGroth16, modeRollup, []byte(dir)); err != nil {
			fuzzProver.err = err
			return
		}
		if fuzzProver.h, err = proverLoad([]byte(dir)); err != nil {
			fuzzProver.err = err
			return
		}
		fuzzProver.witness = baseWitness(t)
		out, err := prove(fuzzProver.h, fuzzProver.witness)
		if err != nil {
			fuzzProver.err = err
			return
		}
		n := binary.BigEndian.Uint32(out)
		fuzzProver.proof, fuzzProver.public = out[4:4+n], out[4+n:]
	})
	if fuzzProver.err != nil {
		t.Fatal(fuzzProver.err)
	}
	return fuzzProver.h, fuzzProver.witness, fuzzProver.proof, fuzzProver.public
}

// Seeds: each mutation kind of hostile.Witness at least once, the identity
// key (kind 3, point 0) and the identity as R (kind 4) among them.
var witnessSeeds = [][]byte{
	{},
	{3, 0, 0, 0, 0},         // slot 0's key := (0, 1)
	{3, 0, 0, 0, 5},         // slot 0's key := order-8 point
	{3, 0, 0, 1, 1},         // slot 1's (a no-op's) key := base + torsion
	{3, 0, 0, 0, 4, 1, 2},   // off-curve key
	{4, 0, 0, 0, 0, 0},      // R := identity, S := 0
	{4, 0, 0, 0, 2, 4 * 17}, // R := base point, S := r - 1
	{0, 0, 0x12, 0, 4 * 9},  // slot 0 amount-ish field := 2^112 - 1
	{0, 0, 0x12, 0, 4 * 10}, // := 2^112
	{0, 0, 0x13, 0, 4 * 24}, // := p - 1, or the largest in range
	{5, 0, 0, 0, 2, 0},      // sender/receiver siblings swapped
	{5, 0, 0, 0, 1, 1, 3},   // one sibling replaced
	{6, 0, 1, 0, 0, 0},      // newRoot := oldRoot
	{7, 0, 2, 0},            // batchNumber := 2^64 (decoder refusal)
}

// FuzzProveHostileWitness proves mutated witnesses of a valid 2-slot batch
// that the solver refuses: each must come back INVALID_ARGUMENT through the
// whole prove call. (Those that still solve are skipped, see below.)
func FuzzProveHostileWitness(f *testing.F) {
	for _, s := range witnessSeeds[1:] { // not {}: the unchanged witness, proved once in sharedProver already
		f.Add(s)
	}
	// Without -fuzz (the suite's go test) the seeds would cost a key setup
	// and a proof, about 40 s of the suite's 20 minutes, for what the suite
	// already covers: FuzzDecodeHostileWitness runs these seeds through the
	// solver, and HostileInputFuzzIT proves hostile witnesses through JNI.
	// docs/fuzzing.md runs this target with -fuzz.
	if !fuzzing() {
		f.Skip("proves only under -fuzz (see the comment)")
	}
	// Set up before f.Fuzz: the fuzzing engine gives each input 10 s and
	// kills a worker that takes longer ("hung"); a setup does.
	h, base, _, _ := sharedProver(f)
	if c, err := batch.Decode(2, 4, base); err != nil || solveBatch(c) != nil {
		f.Fatalf("the base witness does not solve: %v", err)
	}
	f.Fuzz(func(t *testing.T, ops []byte) {
		w := hostile.Witness(base, 2, 4, hostile.NewReader(ops), 8)
		// A witness that still solves would be proved in full: seconds, and
		// past the engine's 10 s limit per input on a loaded machine (it
		// reported the unchanged witness as a hang). Proving valid batches
		// is BatchProvingIT's and the unit tests' job, and HostileInputFuzzIT
		// proves them through JNI; here only the refusals go through prove.
		if c, err := batch.Decode(2, 4, w); err == nil && solveBatch(c) == nil {
			return
		}
		out := guardOffThread(func() ([]byte, error) { return prove(h, w) })
		mustAnswer(t, "prove", out)
		if out.code != codeInvalidArgument {
			t.Fatalf("prove of a witness the solver refuses: status %d: %s", out.code, out.data)
		}
	})
}

// fuzzing reports whether go test runs with -fuzz (not only the seeds).
func fuzzing() bool {
	f := flag.Lookup("test.fuzz")
	return f != nil && f.Value.String() != ""
}

// FuzzDecodeHostileWitness is the same mutations at B=2, D=4 without a
// prover: the decoder and gnark's solver alone (no setup, thousands per
// second), the check that every refusal is an error.
func FuzzDecodeHostileWitness(f *testing.F) {
	for _, s := range witnessSeeds {
		f.Add(s)
	}
	// Build the base and compile the circuit before f.Fuzz (see FuzzProveHostileWitness).
	base := fuzzBaseWitness(f)
	if c, err := batch.Decode(2, 4, base); err != nil || solveBatch(c) != nil {
		f.Fatalf("the base witness does not solve: %v", err)
	}
	f.Fuzz(func(t *testing.T, ops []byte) {
		w := hostile.Witness(base, 2, 4, hostile.NewReader(ops), 8)
		out := guard(func() ([]byte, error) {
			c, err := batch.Decode(2, 4, w)
			if err != nil {
				return nil, invalidArgument(err)
			}
			if err := solveBatch(c); err != nil {
				return nil, invalidArgument(err)
			}
			return nil, nil
		})
		mustAnswer(t, "decode and solve", out)
	})
}

var fuzzBase struct {
	once sync.Once
	w    []byte
}

func fuzzBaseWitness(t testing.TB) []byte {
	fuzzBase.once.Do(func() { fuzzBase.w = baseWitness(t) })
	return fuzzBase.w
}

// baseWitness is transferWitness's batch (a valid 2-slot batch at depth 4:
// one transfer and a no-op) for a fuzz target's setup.
func baseWitness(t testing.TB) []byte {
	alice, bob, op := bb.NewKey(1), bb.NewKey(2), bb.NewKey(4)
	bl := bb.New(2, 4, 7, 9, 15, big.NewInt(2))
	bl.Put(1, alice.KeyHash(), big.NewInt(0x1001), big.NewInt(1000), 0)
	bl.Put(2, bob.KeyHash(), big.NewInt(0x1002), big.NewInt(0), 0)
	bl.Put(15, op.KeyHash(), big.NewInt(0x1015), big.NewInt(0), 0)
	if err := bl.Transfer(alice, 1, 2, 5, 1, 9, 0); err != nil {
		t.Fatal(err)
	}
	w, err := bl.WitnessBytes()
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// FuzzVerifyHostile verifies a real proof with hostile public inputs (each
// a boundary value or a copy of another) and with proof bytes whose points
// are replaced or bits flipped. Only the original pair may verify.
func FuzzVerifyHostile(f *testing.F) {
	f.Add([]byte{}, []byte{})
	f.Add([]byte{1, 0, 0}, []byte{})
	f.Add([]byte{}, []byte{0, 10, 1})
	f.Add([]byte{0, 0, 24}, []byte{1, 0, 0, 0, 0})
	h, _, proof, public := sharedProver(f) // before f.Fuzz, as in FuzzProveHostileWitness
	f.Fuzz(func(t *testing.T, pubOps, proofOps []byte) {
		pub := append([]byte(nil), public...)
		r := hostile.NewReader(pubOps)
		for k := 0; k < 4 && r.More(); k++ {
			i := int(r.Byte()) % 4
			v := hostile.Value(r, 0, new(big.Int).SetBytes(pub[32*i:32*i+32]))
			v.FillBytes(pub[32*i : 32*i+32])
		}
		pr := append([]byte(nil), proof...)
		r = hostile.NewReader(proofOps)
		for k := 0; k < 4 && r.More(); k++ {
			pos := r.Uint16() % len(pr)
			pr[pos] ^= r.Byte() | 1
		}
		out := guard(func() ([]byte, error) { return verify(h, pr, pub) })
		mustAnswer(t, "verify", out)
		if out.code == codeOK && out.data[0] == 1 && (!bytes.Equal(pub, public) || !bytes.Equal(pr, proof)) {
			// A different encoding of the same proof may verify; different
			// public inputs must not.
			if !bytes.Equal(pub, public) {
				t.Fatal("a proof verified for other public inputs")
			}
		}
		out = guard(func() ([]byte, error) { return solidityProof(h, pr) })
		mustAnswer(t, "solidityProof", out)
	})
}

// pointBytes is gnark-crypto's compressed encoding of a point.
func pointBytes(x, y fr.Element) []byte {
	p := twistededwards.NewPointAffine(x, y)
	b := p.Bytes()
	return b[:]
}

// FuzzEdDSAVerifyHostile verifies signatures whose key and R are hostile
// points (small order, identity, outside the subgroup, off the curve) or a
// real one, S a boundary scalar, the message a boundary element. A
// small-order key must never verify.
func FuzzEdDSAVerifyHostile(f *testing.F) {
	f.Add([]byte{0, 0, 0, 0})       // key (0,1)
	f.Add([]byte{2, 5, 0, 4 * 18})  // base key, order-8 R, S = r
	f.Add([]byte{255, 255, 7, 1})   // real key and signature
	f.Add([]byte{4, 1, 2, 3, 4, 5}) // off-curve key
	seed := bytes.Repeat([]byte{7}, signing.SeedSize)
	realPub, _ := signing.PublicKey(seed)
	f.Fuzz(func(t *testing.T, in []byte) {
		r := hostile.NewReader(in)
		sel := r.Byte()
		var pub []byte
		smallOrder := false
		if sel == 255 {
			pub = realPub
		} else {
			x, y := hostile.Point(hostile.NewReader([]byte{sel, r.Byte(), r.Byte()}))
			pub = pointBytes(x, y)
			for _, p := range hostile.Torsion() {
				if p.X.Equal(&x) && p.Y.Equal(&y) {
					smallOrder = true
				}
			}
		}
		msgV := hostile.Value(r, 0, big.NewInt(0))
		msg := msgV.FillBytes(make([]byte, 32))
		var sig []byte
		if r.Byte()%2 == 0 {
			sig, _ = signing.Sign(seed, msg)
			sig = append([]byte(nil), sig...)
			if r.Byte()%2 == 0 { // a hostile S under a real R
				hostile.Value(r, 0, big.NewInt(0)).FillBytes(sig[32:])
			}
		} else {
			rx, ry := hostile.Point(r)
			sig = append(pointBytes(rx, ry), hostile.Value(r, 256, big.NewInt(0)).FillBytes(make([]byte, 32))...)
		}
		out := guard(func() ([]byte, error) { return eddsaVerify(pub, sig, msg) })
		mustAnswer(t, "eddsaVerify", out)
		if smallOrder && out.code == codeOK && out.data[0] == 1 {
			t.Fatal("a small-order key verified a signature")
		}
	})
}

// FuzzPoseidon2Hostile hashes boundary elements (p − 1, 0, and p itself,
// which must be refused) through every Poseidon2 call and a hasher handle.
func FuzzPoseidon2Hostile(f *testing.F) {
	f.Add([]byte{0, 4 * 24, 4 * 24})
	f.Add([]byte{3, 2, 0xff})
	f.Fuzz(func(t *testing.T, in []byte) {
		r := hostile.NewReader(in)
		n := int(r.Byte()) % 9
		elems := make([]byte, 0, 32*n)
		for i := 0; i < n; i++ {
			e := hostile.Value(r, 0, big.NewInt(0)).FillBytes(make([]byte, 32))
			if r.Byte() == 0xff { // the modulus: not canonical
				fr.Modulus().FillBytes(e)
			}
			elems = append(elems, e...)
		}
		mustAnswer(t, "hash", guard(func() ([]byte, error) { return poseidon2Hash(elems) }))
		if n >= 2 {
			mustAnswer(t, "compress", guard(func() ([]byte, error) { return poseidon2Compress(elems[:32], elems[32:64]) }))
			mustAnswer(t, "permute", guard(func() ([]byte, error) { return poseidon2Permute(elems[:64]) }))
		}
		h, err := hasherCreate()
		if err != nil {
			t.Fatal(err)
		}
		defer release(h)
		mustAnswer(t, "hasher write", guard(func() ([]byte, error) { return nil, hasherWrite(h, elems) }))
		mustAnswer(t, "hasher digest", guard(func() ([]byte, error) { return hasherDigest(h) }))
	})
}

// FuzzSmtRootHostile computes roots at depths around the valid range with
// leaves at boundary indices (2^D − 1, 2^D, repeated) and boundary values.
func FuzzSmtRootHostile(f *testing.F) {
	f.Add([]byte{32, 2, 0, 0})
	f.Add([]byte{0, 1})
	f.Add([]byte{33, 3, 1, 1, 1})
	f.Fuzz(func(t *testing.T, in []byte) {
		r := hostile.NewReader(in)
		depth := int32(r.Byte()) % 40
		n := int(r.Byte()) % 6
		var leaves []byte
		for i := 0; i < n; i++ {
			var idx uint64
			switch r.Byte() % 4 {
			case 0:
				idx = (uint64(1) << uint(depth%64)) - 1
			case 1:
				idx = uint64(1) << uint(depth%64)
			case 2:
				idx = 0
			default:
				idx = binary.BigEndian.Uint64(r.Bytes(8))
			}
			leaves = binary.BigEndian.AppendUint64(leaves, idx)
			leaves = append(leaves, hostile.Value(r, 0, big.NewInt(0)).FillBytes(make([]byte, 32))...)
		}
		mustAnswer(t, "smtRoot", guard(func() ([]byte, error) { return smtRoot(depth, leaves) }))
	})
}

var fuzzCCS struct {
	once sync.Once
	ccs  constraint.ConstraintSystem
	err  error
}

// solveBatch runs gnark's solver on a decoded B=2, D=4 witness, as Prove
// does before any proving work.
func solveBatch(c *batch.Circuit) error {
	fuzzCCS.once.Do(func() { fuzzCCS.ccs, fuzzCCS.err = proving.Compile(2, 4, proving.Groth16, batch.ModeRollup) })
	if fuzzCCS.err != nil {
		return fuzzCCS.err
	}
	w, err := frontend.NewWitness(c, ecc.BN254.ScalarField())
	if err != nil {
		return err
	}
	_, err = fuzzCCS.ccs.Solve(w)
	return err
}
