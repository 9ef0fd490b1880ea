// Package batch is the universal batch circuit of protocol v1
// (docs/protocol.md, "Batches (protocol v1)"): B slots of no-op, transfer,
// deposit or withdrawal applied to a sparse Merkle tree of depth D, the
// public data built and hashed with SHA-256 in the circuit, and four public
// inputs (oldRoot, newRoot, batchNumber, pubdataHash). It also holds the
// decoder and encoder of the batch witness bytes Java hands to the prover.
package batch

import (
	"fmt"
	"math/big"

	tedwards "github.com/consensys/gnark-crypto/ecc/twistededwards"
	"github.com/consensys/gnark/constraint/solver"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/std/algebra/native/twistededwards"
	"github.com/consensys/gnark/std/hash"
	p2hash "github.com/consensys/gnark/std/hash/poseidon2"
	"github.com/consensys/gnark/std/hash/sha2"
	"github.com/consensys/gnark/std/math/uints"
	"github.com/consensys/gnark/std/permutation/poseidon2"
	gkrposeidon2 "github.com/consensys/gnark/std/permutation/poseidon2/gkr-poseidon2"
	"github.com/consensys/gnark/std/rangecheck"
	"github.com/consensys/gnark/std/signature/eddsa"
)

// Limits of the circuit parameters.
const (
	MaxDepth = 32        // account indices are 4 bytes of public data
	MaxSlots = 1<<16 - 1 // B is a u16 in the witness header
)

// Op codes (docs/protocol.md, "Operations").
const (
	OpNoop       = 0
	OpTransfer   = 1
	OpDeposit    = 2
	OpWithdrawal = 3
)

// Chunks each op owns in the public data (itself plus continuation slots).
const (
	ChunkBytes       = 10
	WithdrawalChunks = 4
	DepositChunks    = 5
	HeaderFixedBytes = 4 + 8 + 4 + 16
)

// Sender is the signer (from) of a transfer or withdrawal, opened in the
// root before its slot.
type Sender struct {
	Index    frontend.Variable
	PubKeyX  frontend.Variable
	PubKeyY  frontend.Variable
	Balance  frontend.Variable
	Nonce    frontend.Variable
	Siblings []frontend.Variable
}

// Signature is an EdDSA signature with R in affine coordinates.
type Signature struct {
	Rx, Ry, S frontend.Variable
}

// Receiver is a transfer's receiver or a deposit's account, opened after the
// sender's update.
type Receiver struct {
	Index    frontend.Variable
	KeyHash  frontend.Variable
	Balance  frontend.Variable
	Nonce    frontend.Variable
	IsEmpty  frontend.Variable
	Siblings []frontend.Variable
}

// Slot is one operation of the batch.
type Slot struct {
	OpCode         frontend.Variable
	AmountExp      frontend.Variable
	AmountMantissa frontend.Variable
	Amount         frontend.Variable
	MaxFeeExp      frontend.Variable
	MaxFeeMantissa frontend.Variable
	Dest           frontend.Variable
	A              Sender
	Sig            Signature
	B              Receiver
}

// Circuit is the batch circuit; its field order is the witness order of
// docs/protocol.md. Allocate it with NewCircuit.
type Circuit struct {
	OldRoot     frontend.Variable `gnark:",public"`
	NewRoot     frontend.Variable `gnark:",public"`
	BatchNumber frontend.Variable `gnark:",public"`
	PubdataHash frontend.Variable `gnark:",public"`

	RollupID frontend.Variable
	Operator frontend.Variable
	Fee      frontend.Variable

	OperatorKeyHash  frontend.Variable
	OperatorBalance  frontend.Variable
	OperatorNonce    frontend.Variable
	OperatorSiblings []frontend.Variable

	Slots []Slot

	// gkr selects the GKR Poseidon2 compressor (GKRPoseidon2). It is not
	// part of the witness: the schema, the public inputs and the witness
	// bytes are the same either way.
	gkr bool
}

// Option changes how NewCircuitWithOptions builds the circuit's constraints.
type Option func(*Circuit)

// GKRPoseidon2 makes every Poseidon2 compression of the circuit (Merkle
// paths, leaves, key hashes, the signed message) use gnark's GKR compressor
// (std/permutation/poseidon2/gkr-poseidon2) instead of the plain
// permutation: a large fixed cost, a small cost per compression
// (docs/circuit-costs.md, "GKR Poseidon2"). The EdDSA challenge hash keeps
// its own Poseidon2 hasher. The compressor computes the same function, so a
// witness for the default circuit is a witness for this one.
func GKRPoseidon2() Option { return func(c *Circuit) { c.gkr = true } }

// UsesGKR reports whether the circuit was built with GKRPoseidon2.
func (c *Circuit) UsesGKR() bool { return c.gkr }

// CheckParams reports whether b slots and depth d are supported.
func CheckParams(b, d int) error {
	if b < 1 || b > MaxSlots {
		return fmt.Errorf("batch: B must be 1..%d, got %d", MaxSlots, b)
	}
	if d < 1 || d > MaxDepth {
		return fmt.Errorf("batch: D must be 1..%d, got %d", MaxDepth, d)
	}
	return nil
}

// NewCircuit allocates a circuit (or an assignment) with b slots over a tree
// of depth d. It panics on parameters CheckParams refuses.
func NewCircuit(b, d int) *Circuit { return NewCircuitWithOptions(b, d) }

// NewCircuitWithOptions is NewCircuit with options (GKRPoseidon2). Options
// only change the constraints, never the witness.
func NewCircuitWithOptions(b, d int, opts ...Option) *Circuit {
	if err := CheckParams(b, d); err != nil {
		panic(err)
	}
	c := &Circuit{OperatorSiblings: make([]frontend.Variable, d), Slots: make([]Slot, b)}
	for i := range c.Slots {
		c.Slots[i].A.Siblings = make([]frontend.Variable, d)
		c.Slots[i].B.Siblings = make([]frontend.Variable, d)
	}
	for _, o := range opts {
		o(c)
	}
	return c
}

// Depth and Size return D and B.
func (c *Circuit) Depth() int { return len(c.OperatorSiblings) }
func (c *Circuit) Size() int  { return len(c.Slots) }

// PubdataLen is the length of the public data of a batch of b slots.
func PubdataLen(b int) int { return HeaderFixedBytes + (b+3)/4 + ChunkBytes*b }

func init() {
	solver.RegisterHint(bytesBEHint)
}

// bytesBEHint decomposes inputs[0] into len(outputs) big-endian bytes. An
// input that does not fit leaves the high part out; the recomposition
// constraint then fails.
func bytesBEHint(_ *big.Int, inputs, outputs []*big.Int) error {
	v := new(big.Int).Set(inputs[0])
	mask := big.NewInt(0xff)
	for i := len(outputs) - 1; i >= 0; i-- {
		outputs[i].And(v, mask)
		v.Rsh(v, 8)
	}
	return nil
}

// gadgets bundles what Define uses.
type gadgets struct {
	api   frontend.API
	perm  hash.Compressor
	rc    frontend.Rangechecker
	bytes *uints.Bytes
}

func (g *gadgets) compress(l, r frontend.Variable) frontend.Variable { return g.perm.Compress(l, r) }

// toBytes returns the n big-endian bytes of v as plain variables, each
// range-checked to 8 bits; this also proves v < 2^(8n).
func (g *gadgets) toBytes(v frontend.Variable, n int) []frontend.Variable {
	out, err := g.api.Compiler().NewHint(bytesBEHint, n, v)
	if err != nil {
		panic(err)
	}
	acc := frontend.Variable(0)
	for i := range out {
		g.rc.Check(out[i], 8)
		acc = g.api.Add(g.api.Mul(acc, 256), out[i])
	}
	g.api.AssertIsEqual(acc, v)
	return out
}

// leafValue packs balance and nonce: balance·2^64 + nonce.
func (g *gadgets) leafValue(bal, nonce frontend.Variable) frontend.Variable {
	return g.api.Add(g.api.Mul(bal, new(big.Int).Lsh(big.NewInt(1), 64)), nonce)
}

// pathRoot recomputes the root from a leaf, its index bits and siblings.
func (g *gadgets) pathRoot(leaf frontend.Variable, bits, siblings []frontend.Variable) frontend.Variable {
	cur := leaf
	for i, sib := range siblings {
		// left = bit ? sib : cur, right = cur + sib - left (one constraint per level)
		left := g.api.Add(cur, g.api.Mul(bits[i], g.api.Sub(sib, cur)))
		right := g.api.Sub(g.api.Add(cur, sib), left)
		cur = g.compress(left, right)
	}
	return cur
}

// pow10 returns 10^e for the 5 bits of e (e < 32) as a product of 5 factors.
func (g *gadgets) pow10(bits []frontend.Variable) frontend.Variable {
	res := frontend.Variable(1)
	for i, b := range bits {
		f := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(1)<<uint(i)), nil)
		f.Sub(f, big.NewInt(1))
		res = g.api.Mul(res, g.api.Add(1, g.api.Mul(b, f)))
	}
	return res
}

// float16 checks a float16 (exp < 32, mantissa < 2^11) and returns its value
// and its 16-bit encoding exp·2^11 + mantissa.
func (g *gadgets) float16(exp, mant frontend.Variable) (value, bits16 frontend.Variable) {
	eb := g.api.ToBinary(exp, 5)
	g.rc.Check(mant, 11)
	value = g.api.Mul(mant, g.pow10(eb))
	bits16 = g.api.Add(g.api.Mul(exp, 1<<11), mant)
	return value, bits16
}

func pow2(n uint) *big.Int { return new(big.Int).Lsh(big.NewInt(1), n) }

// Define implements frontend.Circuit.
func (c *Circuit) Define(api frontend.API) error {
	bSlots, depth := len(c.Slots), len(c.OperatorSiblings)
	if err := CheckParams(bSlots, depth); err != nil {
		return err
	}
	var perm hash.Compressor
	var err error
	if c.gkr {
		perm, err = gkrposeidon2.NewCompressor(api)
	} else {
		perm, err = poseidon2.NewPoseidon2(api)
	}
	if err != nil {
		return err
	}
	bf, err := uints.NewBytes(api)
	if err != nil {
		return err
	}
	g := &gadgets{api: api, perm: perm, rc: rangecheck.New(api), bytes: bf}
	curve, err := twistededwards.NewEdCurve(api, tedwards.BN254)
	if err != nil {
		return err
	}

	// Header fields (their byte decompositions are also their range checks).
	rollupBytes := g.toBytes(c.RollupID, 4)
	batchBytes := g.toBytes(c.BatchNumber, 8)
	operatorBytes := g.toBytes(c.Operator, 4)
	feeBytes := g.toBytes(c.Fee, 16)

	// Chunk area of the public data: a sum of every slot's segments; the
	// continuation slots of a multi-chunk op are no-ops, so at most one term
	// of each sum is non-zero.
	chunks := make([]frontend.Variable, ChunkBytes*bSlots)
	for i := range chunks {
		chunks[i] = frontend.Variable(0)
	}
	addSegment := func(offset int, v frontend.Variable, n int) {
		for i, by := range g.toBytes(v, n) {
			chunks[offset+i] = api.Add(chunks[offset+i], by)
		}
	}

	opCodes := make([]frontend.Variable, bSlots)
	isNoop := make([]frontend.Variable, bSlots)
	isW := make([]frontend.Variable, bSlots)
	isD := make([]frontend.Variable, bSlots)
	nSigned := frontend.Variable(0)
	root := c.OldRoot

	for j := range c.Slots {
		s := &c.Slots[j]
		ob := api.ToBinary(s.OpCode, 2)
		opCodes[j] = s.OpCode
		isW[j] = api.Mul(ob[0], ob[1])
		isT := api.Sub(ob[0], isW[j])
		isD[j] = api.Sub(ob[1], isW[j])
		isNoop[j] = api.Sub(1, api.Add(isT, isD[j], isW[j]))
		signed := api.Add(isT, isW[j])
		hasB := api.Add(isT, isD[j])
		nSigned = api.Add(nSigned, signed)

		// Amounts and fees.
		tValue, amount16 := g.float16(s.AmountExp, s.AmountMantissa)
		api.AssertIsEqual(api.Mul(isT, api.Sub(s.Amount, tValue)), 0)
		maxFee, maxFee16 := g.float16(s.MaxFeeExp, s.MaxFeeMantissa)
		g.rc.Check(api.Mul(signed, api.Sub(maxFee, c.Fee)), 128) // fee <= maxFee

		// Signature: over msg in signed slots, over 0 otherwise.
		aBits := api.ToBinary(s.A.Index, depth)
		e1 := api.Add(
			api.Mul(s.OpCode, pow2(184)),
			api.Mul(c.RollupID, pow2(152)),
			api.Mul(s.A.Index, pow2(120)),
			api.Mul(s.A.Nonce, pow2(56)),
			api.Mul(maxFee16, pow2(40)),
		)
		msg := api.Mul(signed, g.compress(e1, g.compress(s.Amount, s.Dest)))
		hasher, err := p2hash.New(api)
		if err != nil {
			return err
		}
		pub := eddsa.PublicKey{A: twistededwards.Point{X: s.A.PubKeyX, Y: s.A.PubKeyY}}
		sig := eddsa.Signature{R: twistededwards.Point{X: s.Sig.Rx, Y: s.Sig.Ry}, S: s.Sig.S}
		if err := eddsa.Verify(curve, sig, msg, pub, hasher); err != nil {
			return err
		}

		// Sender: debit amount + fee, bump the nonce.
		g.rc.Check(s.A.Balance, 128)
		g.rc.Check(s.A.Nonce, 63)
		keyHashA := g.compress(s.A.PubKeyX, s.A.PubKeyY)
		oldLeafA := g.compress(keyHashA, g.leafValue(s.A.Balance, s.A.Nonce))
		api.AssertIsEqual(api.Mul(signed, api.Sub(g.pathRoot(oldLeafA, aBits, s.A.Siblings), root)), 0)
		newBalA := api.Sub(s.A.Balance, api.Mul(signed, api.Add(s.Amount, c.Fee)))
		g.rc.Check(newBalA, 128) // no overdraft
		newNonceA := api.Add(s.A.Nonce, 1)
		g.rc.Check(newNonceA, 63)
		newLeafA := g.compress(keyHashA, g.leafValue(newBalA, newNonceA))
		root = api.Select(signed, g.pathRoot(newLeafA, aBits, s.A.Siblings), root)

		// Receiver: credit amount; a deposit may create the account.
		bBits := api.ToBinary(s.B.Index, depth)
		api.AssertIsEqual(api.Mul(isT, api.Sub(s.B.Index, s.Dest)), 0)
		api.AssertIsBoolean(s.B.IsEmpty)
		api.AssertIsEqual(api.Mul(s.B.IsEmpty, api.Sub(1, isD[j])), 0)
		api.AssertIsEqual(api.Mul(s.B.IsEmpty, s.B.Balance), 0)
		api.AssertIsEqual(api.Mul(s.B.IsEmpty, s.B.Nonce), 0)
		g.rc.Check(s.B.Balance, 128)
		g.rc.Check(s.B.Nonce, 63)
		oldLeafB := api.Select(s.B.IsEmpty, 0, g.compress(s.B.KeyHash, g.leafValue(s.B.Balance, s.B.Nonce)))
		api.AssertIsEqual(api.Mul(hasB, api.Sub(g.pathRoot(oldLeafB, bBits, s.B.Siblings), root)), 0)
		newBalB := api.Add(s.B.Balance, api.Mul(hasB, s.Amount))
		g.rc.Check(newBalB, 128)
		newLeafB := g.compress(s.B.KeyHash, g.leafValue(newBalB, s.B.Nonce))
		root = api.Select(hasB, g.pathRoot(newLeafB, bBits, s.B.Siblings), root)

		// Public data segments of this slot's chunk(s).
		base := ChunkBytes * j
		first := api.Add(api.Mul(signed, s.A.Index), api.Mul(isD[j], s.B.Index))
		addSegment(base, first, 4)                                                     // from | to
		addSegment(base+4, api.Mul(isT, api.Add(api.Mul(s.Dest, 1<<16), amount16)), 6) // transfer: to, float16
		if j+WithdrawalChunks <= bSlots {
			addSegment(base+4, api.Mul(isW[j], s.Dest), 20)    // withdrawal: l1Address
			addSegment(base+24, api.Mul(isW[j], s.Amount), 16) // withdrawal: amount < 2^128
		}
		if j+DepositChunks <= bSlots {
			addSegment(base+4, api.Mul(isD[j], s.Amount), 14)     // deposit: amount < 2^112
			addSegment(base+18, api.Mul(isD[j], s.B.KeyHash), 32) // deposit: keyHash
		}
	}

	// Multi-chunk ops own the following slots: they must exist and be no-ops.
	for j := range bSlots {
		for k := 1; k < DepositChunks; k++ {
			var follows frontend.Variable = 0
			if j+k < bSlots {
				follows = api.Sub(1, isNoop[j+k])
			} else {
				follows = 1
			}
			if k < WithdrawalChunks {
				api.AssertIsEqual(api.Mul(isW[j], follows), 0)
			}
			api.AssertIsEqual(api.Mul(isD[j], follows), 0)
		}
	}

	// Operator: credited fee × number of signed ops, after the last slot.
	opBits := api.ToBinary(c.Operator, depth)
	g.rc.Check(c.OperatorBalance, 128)
	g.rc.Check(c.OperatorNonce, 63)
	opLeaf := g.compress(c.OperatorKeyHash, g.leafValue(c.OperatorBalance, c.OperatorNonce))
	api.AssertIsEqual(g.pathRoot(opLeaf, opBits, c.OperatorSiblings), root)
	opNewBal := api.Add(c.OperatorBalance, api.Mul(c.Fee, nSigned))
	g.rc.Check(opNewBal, 128)
	opNewLeaf := g.compress(c.OperatorKeyHash, g.leafValue(opNewBal, c.OperatorNonce))
	api.AssertIsEqual(g.pathRoot(opNewLeaf, opBits, c.OperatorSiblings), c.NewRoot)

	// Public data: header ‖ chunks, hashed with SHA-256.
	pubdata := make([]uints.U8, 0, PubdataLen(bSlots))
	for _, part := range [][]frontend.Variable{rollupBytes, batchBytes, operatorBytes, feeBytes} {
		for _, v := range part {
			pubdata = append(pubdata, bf.ValueOf(v))
		}
	}
	for m := 0; m < (bSlots+3)/4; m++ {
		acc := frontend.Variable(0)
		for t := range 4 {
			if j := 4*m + t; j < bSlots {
				acc = api.Add(acc, api.Mul(opCodes[j], 1<<(2*(3-t))))
			}
		}
		pubdata = append(pubdata, bf.ValueOf(acc))
	}
	for _, v := range chunks {
		pubdata = append(pubdata, bf.ValueOf(v))
	}
	h, err := sha2.New(api)
	if err != nil {
		return err
	}
	h.Write(pubdata)
	sum := h.Sum()
	// Clear the 3 high bits: pubdataHash = SHA-256 mod 2^253.
	hi := api.ToBinary(bf.Value(sum[0]), 8)
	acc := api.FromBinary(hi[:5]...)
	for _, by := range sum[1:] {
		acc = api.Add(api.Mul(acc, 256), bf.Value(by))
	}
	api.AssertIsEqual(acc, c.PubdataHash)
	return nil
}
