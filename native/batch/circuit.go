// Package batch is the universal batch circuit of protocol v1
// (docs/protocol.md, "Batches (protocol v1)"): B slots of no-op, transfer,
// deposit or withdrawal applied to a sparse Merkle tree of depth D, the
// public data built and hashed with SHA-256 in the circuit, and four public
// inputs (oldRoot, newRoot, batchNumber, pubdataHash). The Validium option
// builds the protocol v2 validium variant (docs/protocol.md, "Validium"),
// which hashes the L1 data instead of the public data. It also holds the
// decoder and encoder of the batch witness bytes Java hands to the prover.
package batch

import (
	"fmt"
	"math/big"

	tedwards "github.com/consensys/gnark-crypto/ecc/twistededwards"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/std/algebra/native/twistededwards"
	"github.com/consensys/gnark/std/hash"
	p2hash "github.com/consensys/gnark/std/hash/poseidon2"
	"github.com/consensys/gnark/std/permutation/poseidon2"
	gkrposeidon2 "github.com/consensys/gnark/std/permutation/poseidon2/gkr-poseidon2"
	"github.com/consensys/gnark/std/signature/eddsa"

	"github.com/zkrollup/prover/native/sha256bits"
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
	// mode is the data-availability mode (Validium). Like gkr it changes
	// constraints only: the witness schema is the same in both modes.
	mode Mode
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

// Validium builds the validium-mode circuit (docs/protocol.md, "Validium
// (protocol v2 mode)"): transfer chunks are left out of the hashed data
// (zero bytes in place), a Poseidon2 fold of them (txHash) is appended, and
// pubdataHash is SHA-256 of that L1 data (L1Data). The witness is unchanged;
// only the pubdataHash it must carry differs, so a witness of one mode does
// not satisfy the other mode's circuit.
func Validium() Option { return WithMode(ModeValidium) }

// WithMode selects the data-availability mode (ModeRollup, the default, is
// protocol v1 with unchanged constraints).
func WithMode(m Mode) Option { return func(c *Circuit) { c.mode = m } }

// Mode reports the circuit's data-availability mode.
func (c *Circuit) Mode() Mode { return c.mode }

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

// NewCircuitWithOptions is NewCircuit with options (GKRPoseidon2, Validium).
// Options only change the constraints, never the witness.
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

// gadgets bundles what Define uses.
//
// The circuit must not get a Groth16 commitment (docs/decisions.md, "No
// commitment in the batch circuit"): a commitment costs the L1 verifier two
// more pairings. So range checks are binary decompositions, not
// std/rangecheck, and SHA-256 is sha256bits, not std/hash/sha2 with
// std/math/uints: those use lookup arguments, which commit.
// TestNoCommitment guards this.
type gadgets struct {
	api  frontend.API
	perm hash.Compressor
}

func (g *gadgets) compress(l, r frontend.Variable) frontend.Variable { return g.perm.Compress(l, r) }

// rangeCheck proves 0 <= v < 2^n by decomposing v into n boolean variables.
func (g *gadgets) rangeCheck(v frontend.Variable, n int) { g.api.ToBinary(v, n) }

// toBits returns the bits of v as n big-endian bytes, in SHA-256 message
// order (the most significant bit first). The decomposition also proves
// v < 2^(8n) (and, for 32 bytes, that the bytes are v's canonical encoding),
// so the public data bits are their own range checks.
func (g *gadgets) toBits(v frontend.Variable, n int) []frontend.Variable {
	le := g.api.ToBinary(v, 8*n)
	out := make([]frontend.Variable, len(le))
	for i, b := range le {
		out[len(le)-1-i] = b
	}
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
	g.rangeCheck(mant, 11)
	value = g.api.Mul(mant, g.pow10(eb))
	bits16 = g.api.Add(g.api.Mul(exp, 1<<11), mant)
	return value, bits16
}

func pow2(n uint) *big.Int { return new(big.Int).Lsh(big.NewInt(1), n) }

// txHash folds the transfer chunks T_j (docs/protocol.md, "Validium"): three
// chunks per element, e_k = T_{3k}·2^160 + T_{3k+1}·2^80 + T_{3k+2}
// (T_j = 0 for j ≥ B), h_0 = 0, h_{k+1} = compress(h_k, e_k).
func (g *gadgets) txHash(chunks []frontend.Variable) frontend.Variable {
	var h frontend.Variable = 0
	for k := 0; k < TxHashElements(len(chunks)); k++ {
		e := frontend.Variable(0)
		for i := 0; i < TxChunksPerElement; i++ {
			if j := TxChunksPerElement*k + i; j < len(chunks) {
				e = g.api.Add(e, g.api.Mul(chunks[j], pow2(uint(8*ChunkBytes*(TxChunksPerElement-1-i)))))
			}
		}
		h = g.compress(h, e)
	}
	return h
}

// Define implements frontend.Circuit.
func (c *Circuit) Define(api frontend.API) error {
	bSlots, depth := len(c.Slots), len(c.OperatorSiblings)
	if err := CheckParams(bSlots, depth); err != nil {
		return err
	}
	if err := c.mode.check(); err != nil {
		return err
	}
	validium := c.mode == ModeValidium
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
	g := &gadgets{api: api, perm: perm}
	curve, err := twistededwards.NewEdCurve(api, tedwards.BN254)
	if err != nil {
		return err
	}

	// Header fields (their bit decompositions are also their range checks).
	rollupBits := g.toBits(c.RollupID, 4)
	batchBits := g.toBits(c.BatchNumber, 8)
	operatorBits := g.toBits(c.Operator, 4)
	feeBits := g.toBits(c.Fee, 16)

	// Chunk area of the public data, as bits: a sum of every slot's
	// segments; the continuation slots of a multi-chunk op are no-ops, so at
	// most one term of each sum is non-zero (sha256bits.Sum asserts each sum
	// boolean all the same).
	chunks := make([]frontend.Variable, 8*ChunkBytes*bSlots)
	for i := range chunks {
		chunks[i] = frontend.Variable(0)
	}
	addSegment := func(offset int, v frontend.Variable, n int) {
		for i, b := range g.toBits(v, n) {
			chunks[8*offset+i] = api.Add(chunks[8*offset+i], b)
		}
	}

	opBits := make([][]frontend.Variable, bSlots) // each op code's 2 bits, low first
	isNoop := make([]frontend.Variable, bSlots)
	isW := make([]frontend.Variable, bSlots)
	isD := make([]frontend.Variable, bSlots)
	nSigned := frontend.Variable(0)
	root := c.OldRoot
	// txChunks[j] is T_j of the validium txHash: slot j's transfer chunk as
	// an 80-bit integer, 0 for other ops (only used in validium mode).
	txChunks := make([]frontend.Variable, bSlots)

	for j := range c.Slots {
		s := &c.Slots[j]
		ob := api.ToBinary(s.OpCode, 2)
		opBits[j] = ob
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
		g.rangeCheck(api.Mul(signed, api.Sub(maxFee, c.Fee)), 128) // fee <= maxFee

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
		g.rangeCheck(s.A.Balance, 128)
		g.rangeCheck(s.A.Nonce, 63)
		keyHashA := g.compress(s.A.PubKeyX, s.A.PubKeyY)
		oldLeafA := g.compress(keyHashA, g.leafValue(s.A.Balance, s.A.Nonce))
		api.AssertIsEqual(api.Mul(signed, api.Sub(g.pathRoot(oldLeafA, aBits, s.A.Siblings), root)), 0)
		newBalA := api.Sub(s.A.Balance, api.Mul(signed, api.Add(s.Amount, c.Fee)))
		g.rangeCheck(newBalA, 128) // no overdraft
		newNonceA := api.Add(s.A.Nonce, 1)
		g.rangeCheck(newNonceA, 63)
		newLeafA := g.compress(keyHashA, g.leafValue(newBalA, newNonceA))
		root = api.Select(signed, g.pathRoot(newLeafA, aBits, s.A.Siblings), root)

		// Receiver: credit amount; a deposit may create the account.
		bBits := api.ToBinary(s.B.Index, depth)
		api.AssertIsEqual(api.Mul(isT, api.Sub(s.B.Index, s.Dest)), 0)
		api.AssertIsBoolean(s.B.IsEmpty)
		api.AssertIsEqual(api.Mul(s.B.IsEmpty, api.Sub(1, isD[j])), 0)
		api.AssertIsEqual(api.Mul(s.B.IsEmpty, s.B.Balance), 0)
		api.AssertIsEqual(api.Mul(s.B.IsEmpty, s.B.Nonce), 0)
		g.rangeCheck(s.B.Balance, 128)
		g.rangeCheck(s.B.Nonce, 63)
		oldLeafB := api.Select(s.B.IsEmpty, 0, g.compress(s.B.KeyHash, g.leafValue(s.B.Balance, s.B.Nonce)))
		api.AssertIsEqual(api.Mul(hasB, api.Sub(g.pathRoot(oldLeafB, bBits, s.B.Siblings), root)), 0)
		newBalB := api.Add(s.B.Balance, api.Mul(hasB, s.Amount))
		g.rangeCheck(newBalB, 128)
		newLeafB := g.compress(s.B.KeyHash, g.leafValue(newBalB, s.B.Nonce))
		root = api.Select(hasB, g.pathRoot(newLeafB, bBits, s.B.Siblings), root)

		// Public data segments of this slot's chunk(s).
		base := ChunkBytes * j
		if validium {
			// The transfer chunk stays out of the hashed data (its bytes
			// are zero there) and goes into txHash instead. T_j < 2^80
			// without further checks: A.Index and B.Index (= Dest for a
			// transfer) are decomposed into D ≤ 32 bits above, and
			// amount16 < 2^16 by float16's checks; so the 240-bit packing
			// of three chunks below is injective.
			txChunks[j] = api.Mul(isT, api.Add(api.Mul(s.A.Index, pow2(48)), api.Mul(s.Dest, 1<<16), amount16))
			addSegment(base, api.Add(api.Mul(isW[j], s.A.Index), api.Mul(isD[j], s.B.Index)), 4) // withdrawal: from | deposit: to
		} else {
			first := api.Add(api.Mul(signed, s.A.Index), api.Mul(isD[j], s.B.Index))
			addSegment(base, first, 4)                                                     // from | to
			addSegment(base+4, api.Mul(isT, api.Add(api.Mul(s.Dest, 1<<16), amount16)), 6) // transfer: to, float16
		}
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
	operatorIndexBits := api.ToBinary(c.Operator, depth)
	g.rangeCheck(c.OperatorBalance, 128)
	g.rangeCheck(c.OperatorNonce, 63)
	opLeaf := g.compress(c.OperatorKeyHash, g.leafValue(c.OperatorBalance, c.OperatorNonce))
	api.AssertIsEqual(g.pathRoot(opLeaf, operatorIndexBits, c.OperatorSiblings), root)
	opNewBal := api.Add(c.OperatorBalance, api.Mul(c.Fee, nSigned))
	g.rangeCheck(opNewBal, 128)
	opNewLeaf := g.compress(c.OperatorKeyHash, g.leafValue(opNewBal, c.OperatorNonce))
	api.AssertIsEqual(g.pathRoot(opNewLeaf, operatorIndexBits, c.OperatorSiblings), c.NewRoot)

	// Public data: header ‖ op codes ‖ chunks, as bits, hashed with SHA-256.
	pubdata := make([]frontend.Variable, 0, 8*PubdataLen(bSlots))
	for _, part := range [][]frontend.Variable{rollupBits, batchBits, operatorBits, feeBits} {
		pubdata = append(pubdata, part...)
	}
	// Op codes, 2 bits each, 4 to a byte, the first slot in the high bits;
	// the last byte is padded with zeros.
	for j := range 4 * ((bSlots + 3) / 4) {
		if j < bSlots {
			pubdata = append(pubdata, opBits[j][1], opBits[j][0])
		} else {
			pubdata = append(pubdata, 0, 0)
		}
	}
	pubdata = append(pubdata, chunks...)
	if validium {
		// l1Data = public data with the transfer chunks zeroed ‖ txHash.
		pubdata = append(pubdata, g.toBits(g.txHash(txChunks), 32)...)
	}
	sum := sha256bits.Sum(api, pubdata)
	// Clear the 3 high bits: pubdataHash = SHA-256 mod 2^253. sum is in
	// message order, so sum[255] is the least significant bit.
	terms := make([]frontend.Variable, 0, 253)
	for i := 3; i < 256; i++ {
		terms = append(terms, api.Mul(sum[i], pow2(uint(255-i))))
	}
	api.AssertIsEqual(api.Add(terms[0], terms[1], terms[2:]...), c.PubdataHash)
	return nil
}
