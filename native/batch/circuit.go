// Package batch is the universal batch circuit of protocol v3
// (docs/protocol.md, "Batches", "Protocol v2" and "Protocol v3"): B slots of
// no-op, transfer, withdrawal or priority op (an L1 deposit or forced
// withdrawal) applied to a sparse Merkle tree of depth D whose accounts
// belong to an L1 owner and hold one token, the public data built and hashed
// with SHA-256 in the circuit, and four public inputs (oldRoot, newRoot,
// batchNumber, pubdataHash). The Validium option builds the validium
// variant (docs/protocol.md, "Validium"),
// which hashes the L1 data instead of the public data. It also holds the
// decoder and encoder of the batch witness bytes Java hands to the prover.
package batch

import (
	"fmt"
	"math/big"

	"github.com/consensys/gnark-crypto/ecc"
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

// Op codes (docs/protocol.md, "Operations"; code 2 was v1's deposit).
const (
	OpNoop       = 0
	OpTransfer   = 1
	OpPriority   = 2 // a request from the L1 priority queue: deposit or forced withdrawal
	OpWithdrawal = 3
)

// Priority kinds: the witness's PriorityKind of a priority op.
const (
	PriorityDeposit          = 0
	PriorityForcedWithdrawal = 1
)

// The first byte of a priority op's public data (docs/protocol.md, "Public
// data of a priority op").
const (
	KindDeposit       = 0
	KindForcedPaid    = 1
	KindForcedRefused = 2
)

// Chunks each op owns in the public data (itself plus continuation slots).
const (
	ChunkBytes       = 10
	WithdrawalChunks = 4
	PriorityChunks   = 5
	HeaderFixedBytes = 8 + 8 + 4 + 16 // rollupId, batchNumber, operator, fee
)

// Bit widths of protocol v3's identifiers (docs/protocol.md, "Protocol v3").
const (
	RollupIDBits = 64  // the header's rollupId, bound into every signed message
	TokenBits    = 16  // a token id: 0 is ETH, 1 … 65,535 listed ERC-20 tokens
	OwnerBits    = 160 // an L1 address
	// TokenSlotBits is the width of the token's slot in ownerToken =
	// owner·2^32 + token; bits TokenBits … TokenSlotBits-1 are 0.
	TokenSlotBits = 32
)

// Sender is the signer (from) of a transfer or withdrawal, opened in the
// root before its slot.
type Sender struct {
	Index      frontend.Variable
	PubKeyX    frontend.Variable
	PubKeyY    frontend.Variable
	OwnerToken frontend.Variable // owner·2^32 + token of the account
	Balance    frontend.Variable
	Nonce      frontend.Variable
	Siblings   []frontend.Variable
}

// Signature is an EdDSA signature with R in affine coordinates.
type Signature struct {
	Rx, Ry, S frontend.Variable
}

// Receiver is a transfer's receiver or a priority op's account (a deposit's
// or a forced withdrawal's), opened after the sender's update.
type Receiver struct {
	Index      frontend.Variable
	KeyHash    frontend.Variable
	OwnerToken frontend.Variable // owner·2^32 + token of the account
	Balance    frontend.Variable
	Nonce      frontend.Variable
	IsEmpty    frontend.Variable
	Siblings   []frontend.Variable
}

// Slot is one operation of the batch: its op, the accounts it touches and
// the sender's signature, in witness order (docs/protocol.md, "Batch witness").
type Slot struct {
	OpCode         frontend.Variable
	AmountExp      frontend.Variable
	AmountMantissa frontend.Variable
	Amount         frontend.Variable
	MaxFeeExp      frontend.Variable
	MaxFeeMantissa frontend.Variable
	Dest           frontend.Variable // transfer: to; withdrawal: l1Address; forced withdrawal: requester
	PriorityKind   frontend.Variable // a priority op's kind (PriorityDeposit, PriorityForcedWithdrawal); 0 otherwise
	// Token is a signed op's sender token (the circuit checks it is the
	// sender account's) or a forced withdrawal's requested token; 0 for a
	// deposit or a no-op, whose token the circuit does not read.
	Token    frontend.Variable
	Sender   Sender
	Sig      Signature
	Receiver Receiver
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

	// The operator's account: its key hash and ownerToken, whose token is
	// the batch's fee token, then its balance, nonce and path.
	OperatorKeyHash    frontend.Variable
	OperatorOwnerToken frontend.Variable
	OperatorBalance    frontend.Variable
	OperatorNonce      frontend.Variable
	OperatorSiblings   []frontend.Variable

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

// WithMode selects the data-availability mode (ModeRollup, the default, or
// ModeValidium).
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
		c.Slots[i].Sender.Siblings = make([]frontend.Variable, d)
		c.Slots[i].Receiver.Siblings = make([]frontend.Variable, d)
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

// gadgets bundles the building blocks the rules are made of.
//
// The circuit must not get a Groth16 commitment (docs/decisions.md, "No
// commitment in the batch circuit"): a commitment costs the L1 verifier two
// more pairings. So range checks are binary decompositions, not
// std/rangecheck, and SHA-256 is sha256bits, not std/hash/sha2 with
// std/math/uints: those use lookup arguments, which commit.
// TestNoCommitment guards this.
type gadgets struct {
	api   frontend.API
	perm  hash.Compressor
	curve twistededwards.Curve
}

// newGadgets makes the Poseidon2 compressor (GKR's if gkr is set) and the
// Baby Jubjub curve of the signatures.
func newGadgets(api frontend.API, gkr bool) (*gadgets, error) {
	var perm hash.Compressor
	var err error
	if gkr {
		perm, err = gkrposeidon2.NewCompressor(api)
	} else {
		perm, err = poseidon2.NewPoseidon2(api)
	}
	if err != nil {
		return nil, err
	}
	curve, err := twistededwards.NewEdCurve(api, tedwards.BN254)
	if err != nil {
		return nil, err
	}
	return &gadgets{api: api, perm: perm, curve: curve}, nil
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

// invTokenSlot is 2^-32 in the field: (ownerToken − token)·2^-32 is the owner.
var invTokenSlot = new(big.Int).ModInverse(pow2(TokenSlotBits), ecc.BN254.ScalarField())

// assertTokenOf proves, where sel is 1, that ownerToken = owner·2^32 + token
// with owner < 2^160 (the caller range-checks token < 2^16). The owner's
// range check is what binds the token: without it any token could be
// claimed, the owner being chosen modulo p as (ownerToken − token)·2^-32.
// Where sel is 0 it proves nothing.
func (g *gadgets) assertTokenOf(sel, ownerToken, token frontend.Variable) {
	g.rangeCheck(g.api.Mul(sel, g.api.Sub(ownerToken, token), invTokenSlot), OwnerBits)
}

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

// Define implements frontend.Circuit: each slot's rules, one gadget each,
// then the operator's fee credit and the public data's hash. The order of
// the gadgets is the order of the constraints; changing it changes the
// keys, never what the circuit accepts.
func (c *Circuit) Define(api frontend.API) error {
	if err := CheckParams(c.Size(), c.Depth()); err != nil {
		return err
	}
	if err := c.mode.check(); err != nil {
		return err
	}
	g, err := newGadgets(api, c.gkr)
	if err != nil {
		return err
	}

	header := c.headerBits(g)
	operatorIdHash, feeToken := c.operatorAccount(g)
	pd := newPubdata(g, c.Size())
	ops := make([]op, c.Size())
	nPaying := frontend.Variable(0)
	root := c.OldRoot
	for j := range c.Slots {
		s := &c.Slots[j]
		ops[j] = decodeOp(api, s.OpCode, s.PriorityKind)
		c.checkTokens(g, s, ops[j])
		pays := paysFee(api, s, ops[j], feeToken)
		nPaying = api.Add(nPaying, pays)
		amount16, maxFee16 := c.checkAmounts(g, s, ops[j], pays)
		// The sender's path bits; decomposing into D bits is also the range
		// check of Sender.Index that the signed message and the public data need.
		senderBits := api.ToBinary(s.Sender.Index, c.Depth())
		if err := c.verifySigned(g, s, ops[j], maxFee16); err != nil {
			return err
		}
		root = c.applySender(g, s, ops[j], pays, senderBits, root)
		acct := c.openReceiver(g, s, ops[j], root)
		paid := c.forcedWithdrawal(g, s, ops[j], acct)
		root = c.applyReceiver(g, s, ops[j], acct, paid, root)
		c.emitChunks(pd, j, s, ops[j], amount16, acct.idHash, paid)
	}
	checkContinuations(api, ops)
	c.creditOperator(g, root, operatorIdHash, nPaying)
	c.commitPubdata(g, header, ops, pd)
	return nil
}

// op is a slot's op code and priority kind as selectors: exactly one of
// noop, transfer, priority and withdrawal is 1, and a priority op is exactly
// one of deposit and forced.
type op struct {
	bits                                 []frontend.Variable // the op code's 2 bits, low first
	noop, transfer, priority, withdrawal frontend.Variable
	deposit, forced                      frontend.Variable // the priority op's kind
	signed                               frontend.Variable // transfer or withdrawal: the sender signs and pays
	credits                              frontend.Variable // transfer or deposit: the receiver is credited
	opens                                frontend.Variable // transfer or priority op: the receiver's leaf is opened
}

// decodeOp splits an op code and a priority kind into their selectors; the
// code is < 4 by its 2-bit decomposition.
func decodeOp(api frontend.API, code, kind frontend.Variable) op {
	o := op{bits: api.ToBinary(code, 2)}
	o.withdrawal = api.Mul(o.bits[0], o.bits[1])
	o.transfer = api.Sub(o.bits[0], o.withdrawal)
	o.priority = api.Sub(o.bits[1], o.withdrawal)
	o.noop = api.Sub(1, api.Add(o.transfer, o.priority, o.withdrawal))
	// The kind is a bit, and 0 unless the op is a priority op.
	api.AssertIsBoolean(kind)
	api.AssertIsEqual(api.Mul(kind, api.Sub(1, o.priority)), 0)
	o.forced = kind
	o.deposit = api.Sub(o.priority, kind)
	o.signed = api.Add(o.transfer, o.withdrawal)
	o.credits = api.Add(o.transfer, o.deposit)
	o.opens = api.Add(o.transfer, o.priority)
	return o
}

// checkTokens enforces the token rules of a slot (docs/protocol.md, "The
// circuit's token rules"): the slot's token is below 2^16; a signed op's is
// its sender account's token (so the token it signs and, for a withdrawal,
// the token L1 pays are the account's); a transfer's receiver holds the same
// token. A forced withdrawal's token is compared in forcedWithdrawal.
func (c *Circuit) checkTokens(g *gadgets, s *Slot, o op) {
	g.rangeCheck(s.Token, TokenBits)
	g.assertTokenOf(o.signed, s.Sender.OwnerToken, s.Token)
	g.assertTokenOf(o.transfer, s.Receiver.OwnerToken, s.Token)
}

// paysFee is 1 for a signed op in the batch's fee token (the operator
// account's token), which pays the batch fee; a signed op of another token,
// and every unsigned op, pays nothing.
func paysFee(api frontend.API, s *Slot, o op, feeToken frontend.Variable) frontend.Variable {
	return api.Mul(o.signed, api.IsZero(api.Sub(s.Token, feeToken)))
}

// checkAmounts enforces the float16 fields: a transfer moves exactly its
// float16 amount, and an op that pays the batch fee pays at most the max fee
// it signed. It returns the two 16-bit encodings.
func (c *Circuit) checkAmounts(g *gadgets, s *Slot, o op, pays frontend.Variable) (amount16, maxFee16 frontend.Variable) {
	api := g.api
	value, amount16 := g.float16(s.AmountExp, s.AmountMantissa)
	api.AssertIsEqual(api.Mul(o.transfer, api.Sub(s.Amount, value)), 0)
	maxFee, maxFee16 := g.float16(s.MaxFeeExp, s.MaxFeeMantissa)
	g.rangeCheck(api.Mul(pays, api.Sub(maxFee, c.Fee)), 128) // fee <= maxFee
	return amount16, maxFee16
}

// verifySigned checks the sender's EdDSA signature over the slot's message
// (docs/protocol.md, "Signed message"); an unsigned slot carries a signature
// over 0, since gnark's verifier cannot be switched off.
func (c *Circuit) verifySigned(g *gadgets, s *Slot, o op, maxFee16 frontend.Variable) error {
	api := g.api
	// e1 < 2^210 < p packs fields whose ranges are checked elsewhere:
	// rollupId < 2^64 (header), from < 2^D ≤ 2^32, nonce < 2^63, maxFee16
	// < 2^16 (float16), token < 2^16 (checkTokens).
	e1 := api.Add(
		api.Mul(s.OpCode, pow2(208)),
		api.Mul(c.RollupID, pow2(144)),
		api.Mul(s.Sender.Index, pow2(112)),
		api.Mul(s.Sender.Nonce, pow2(48)),
		api.Mul(maxFee16, pow2(32)),
		s.Token,
	)
	msg := api.Mul(o.signed, g.compress(e1, g.compress(s.Amount, s.Dest)))
	hasher, err := p2hash.New(api)
	if err != nil {
		return err
	}
	pub := eddsa.PublicKey{A: twistededwards.Point{X: s.Sender.PubKeyX, Y: s.Sender.PubKeyY}}
	g.assertSigningKey(pub.A)
	sig := eddsa.Signature{R: twistededwards.Point{X: s.Sig.Rx, Y: s.Sig.Ry}, S: s.Sig.S}
	return eddsa.Verify(g.curve, sig, msg, pub, hasher)
}

// assertSigningKey refuses a public key A that anyone could sign for.
// gnark's eddsa.Verify checks [8]([S]G − [h]A − R) = O and never looks at A
// itself, so for an A of small order (order dividing the cofactor 8: the
// identity (0,1), (0,−1) and the other six torsion points) the term [8][h]A
// vanishes and R = [S]G signs any message; nor does it check that A is on
// the curve, and for a point off it the addition formulas prove nothing.
// So: A is on the curve, and [8]A is not the identity. On Baby Jubjub the
// points with x = 0 are (0,1) and (0,−1), and [8]A = (0,−1) would need an
// A of order 16, which a group of order 8·r has none of; so [8]A.x ≠ 0 is
// exactly "the order of A does not divide 8". Every slot is checked, the
// unsigned ones too: their dummy key is a real one. The doublings divide
// by y² + a·x² and 2 − y² − a·x², which are non-zero on the curve (the
// Edwards formulas are complete there, d not being a square).
func (g *gadgets) assertSigningKey(a twistededwards.Point) {
	g.curve.AssertIsOnCurve(a)
	a8 := g.curve.Double(g.curve.Double(g.curve.Double(a)))
	g.api.AssertIsDifferent(a8.X, 0)
}

// applySender opens the sender's leaf in root and, in a signed slot, debits
// the amount and, if it pays the fee, the fee (no overdraft) and bumps the
// nonce; it returns the new root. The leaf is the account of the signing
// key: its idHash is hashed from the key hash of the public key that signed.
func (c *Circuit) applySender(g *gadgets, s *Slot, o op, pays frontend.Variable, indexBits []frontend.Variable, root frontend.Variable) frontend.Variable {
	api, sender := g.api, &s.Sender
	g.rangeCheck(sender.Balance, 128)
	g.rangeCheck(sender.Nonce, 63)
	keyHash := g.compress(sender.PubKeyX, sender.PubKeyY)
	idHash := g.compress(keyHash, sender.OwnerToken)
	oldLeaf := g.compress(idHash, g.leafValue(sender.Balance, sender.Nonce))
	api.AssertIsEqual(api.Mul(o.signed, api.Sub(g.pathRoot(oldLeaf, indexBits, sender.Siblings), root)), 0)
	newBalance := api.Sub(sender.Balance, api.Mul(o.signed, s.Amount), api.Mul(pays, c.Fee))
	g.rangeCheck(newBalance, 128) // no overdraft
	newNonce := api.Add(sender.Nonce, 1)
	g.rangeCheck(newNonce, 63)
	newLeaf := g.compress(idHash, g.leafValue(newBalance, newNonce))
	return api.Select(o.signed, g.pathRoot(newLeaf, indexBits, sender.Siblings), root)
}

// opened is the receiver's leaf as openReceiver found it.
type opened struct {
	indexBits []frontend.Variable
	idHash    frontend.Variable // compress(keyHash, ownerToken)
	// balanceBits are the 129 bits of t = balance + (credits − forced)·amount
	// + forced·2^128. For a credit (transfer, deposit) t is the new balance,
	// and bit 128 must be 0: it stays below 2^128. For a forced withdrawal
	// bit 128 is 1 exactly when amount ≤ balance (both are below 2^128: the
	// amount by its public-data segment, emitChunks). One decomposition is
	// the range check of both rules.
	balanceBits []frontend.Variable
}

// openReceiver opens the receiver's leaf in root, after the sender's update:
// a transfer's receiver (Dest), a deposit's or a forced withdrawal's
// account. Only a priority op may find the leaf empty.
func (c *Circuit) openReceiver(g *gadgets, s *Slot, o op, root frontend.Variable) opened {
	api, receiver := g.api, &s.Receiver
	indexBits := api.ToBinary(receiver.Index, c.Depth())
	// A transfer credits the account its signer named.
	api.AssertIsEqual(api.Mul(o.transfer, api.Sub(receiver.Index, s.Dest)), 0)
	// isEmpty is a bit, set only by a priority op, and an empty leaf holds nothing.
	api.AssertIsBoolean(receiver.IsEmpty)
	api.AssertIsEqual(api.Mul(receiver.IsEmpty, api.Sub(1, o.priority)), 0)
	api.AssertIsEqual(api.Mul(receiver.IsEmpty, receiver.Balance), 0)
	api.AssertIsEqual(api.Mul(receiver.IsEmpty, receiver.Nonce), 0)
	g.rangeCheck(receiver.Balance, 128)
	g.rangeCheck(receiver.Nonce, 63)
	idHash := g.compress(receiver.KeyHash, receiver.OwnerToken)
	oldLeaf := api.Select(receiver.IsEmpty, 0, g.compress(idHash, g.leafValue(receiver.Balance, receiver.Nonce)))
	api.AssertIsEqual(api.Mul(o.opens, api.Sub(g.pathRoot(oldLeaf, indexBits, receiver.Siblings), root)), 0)
	t := api.Add(receiver.Balance, api.Mul(api.Sub(o.credits, o.forced), s.Amount), api.Mul(o.forced, pow2(128)))
	balanceBits := api.ToBinary(t, 129)
	// A credit leaves the balance below 2^128.
	api.AssertIsEqual(api.Mul(o.credits, balanceBits[128]), 0)
	return opened{indexBits: indexBits, idHash: idHash, balanceBits: balanceBits}
}

// forcedWithdrawal decides a forced withdrawal (docs/protocol.md, "The
// circuit's rules for a forced withdrawal"): it is paid exactly when the
// account exists, its owner is the requester (Dest), its token the
// requested token and the amount is at most its balance, and refused
// otherwise. paid is computed from the leaf
// the receiver path opened, so the prover can neither pay a bad request nor
// refuse a good one. It returns paid (0 for every other op).
func (c *Circuit) forcedWithdrawal(g *gadgets, s *Slot, o op, acct opened) frontend.Variable {
	api := g.api
	// ownerToken = requester·2^32 + token: the requester owns the account and
	// it holds the requested token. Both sides are below 2^192 (the requester
	// by its public-data segment, the token by checkTokens), so equality in
	// the field is equality of (owner, token).
	isOwner := api.IsZero(api.Sub(s.Receiver.OwnerToken, api.Mul(s.Dest, pow2(TokenSlotBits)), s.Token))
	authorized := api.Mul(api.Sub(1, s.Receiver.IsEmpty), isOwner)
	enough := acct.balanceBits[128] // amount ≤ balance
	return api.Mul(o.forced, api.Mul(authorized, enough))
}

// applyReceiver updates the opened leaf: a transfer or a deposit credits the
// amount (a deposit to an empty leaf creates the account), a paid forced
// withdrawal debits it; the nonce stays and no fee is paid. A refused forced
// withdrawal changes nothing. It returns the new root.
func (c *Circuit) applyReceiver(g *gadgets, s *Slot, o op, acct opened, paid, root frontend.Variable) frontend.Variable {
	api, receiver := g.api, &s.Receiver
	// Below 2^128: a credit by openReceiver's bit 128; a paid debit is at most the balance.
	newBalance := api.Add(receiver.Balance, api.Mul(api.Sub(o.credits, paid), s.Amount))
	newLeaf := g.compress(acct.idHash, g.leafValue(newBalance, receiver.Nonce))
	return api.Select(api.Add(o.credits, paid), g.pathRoot(newLeaf, acct.indexBits, receiver.Siblings), root)
}

// pubdata is the public data being built: its chunk area as bits, each bit
// a sum of the slots' segments (the continuation slots of a multi-chunk op
// are no-ops, so at most one term of a sum is non-zero; sha256bits.Sum
// asserts each sum boolean all the same), and in validium mode the
// transfer chunks that go into txHash instead.
type pubdata struct {
	g      *gadgets
	chunks []frontend.Variable
	// txChunks[j] is T_j of the validium txHash: slot j's transfer chunk as
	// an 80-bit integer, 0 for other ops (only used in validium mode).
	txChunks []frontend.Variable
}

func newPubdata(g *gadgets, slots int) *pubdata {
	p := &pubdata{g: g, chunks: make([]frontend.Variable, 8*ChunkBytes*slots), txChunks: make([]frontend.Variable, slots)}
	for i := range p.chunks {
		p.chunks[i] = frontend.Variable(0)
	}
	return p
}

// addSegment adds the n-byte value v at a byte offset of the chunk area and
// returns its bits, most significant first.
func (p *pubdata) addSegment(offset int, v frontend.Variable, n int) []frontend.Variable {
	bits := p.g.toBits(v, n)
	for i, b := range bits {
		p.chunks[8*offset+i] = p.g.api.Add(p.chunks[8*offset+i], b)
	}
	return bits
}

// addBit adds a bit at a bit offset of the chunk area (0 = the most
// significant bit of the first byte).
func (p *pubdata) addBit(offset int, b frontend.Variable) {
	p.chunks[offset] = p.g.api.Add(p.chunks[offset], b)
}

// emitChunks writes slot j's public data (docs/protocol.md, "Public data"
// and "Public data of a priority op"): its own chunk, and for a withdrawal
// or a priority op the chunks of the slots it owns; a segment is zero unless
// the op is the one it is for. Segments that two ops share are one
// decomposition: a withdrawal's token and address start one byte before a
// forced withdrawal's, so one segment holds token·2^8 (dest·2^8) for the one
// and token (dest) for the other; its 14-byte amount starts one byte before
// and ends three bytes before the forced withdrawal's 16-byte amount, so one
// segment holds amount·2^24 for the one and amount for the other.
func (c *Circuit) emitChunks(p *pubdata, j int, s *Slot, o op, amount16, idHash, paid frontend.Variable) {
	api := p.g.api
	base := ChunkBytes * j
	// Bytes 0-3: from (a signed op); bytes 1-4: the account (a priority op).
	from := o.signed
	if c.mode == ModeValidium {
		// The transfer chunk stays out of the hashed data (its bytes are
		// zero there) and goes into txHash instead. T_j < 2^80 without
		// further checks: Sender.Index and Receiver.Index (= Dest for a
		// transfer) are decomposed into D ≤ 32 bits (Define's sender bits,
		// openReceiver), and amount16 < 2^16 by float16's checks; so the
		// 240-bit packing of three chunks in txHash is injective.
		p.txChunks[j] = api.Mul(o.transfer, api.Add(api.Mul(s.Sender.Index, pow2(48)), api.Mul(s.Dest, 1<<16), amount16))
		from = o.withdrawal
	}
	p.addSegment(base, api.Add(api.Mul(from, s.Sender.Index, 1<<8), api.Mul(o.priority, s.Receiver.Index)), 5)
	// A priority op's kind byte: 0 deposit, 1 forced withdrawal paid, 2 refused.
	p.addBit(8*base+7, paid)
	p.addBit(8*base+6, api.Sub(o.forced, paid))
	if c.mode != ModeValidium {
		p.addSegment(base+4, api.Mul(o.transfer, api.Add(api.Mul(s.Dest, 1<<16), amount16)), 6) // transfer: to, float16
	}
	switch {
	case j+PriorityChunks <= c.Size():
		shift := api.Add(api.Mul(o.withdrawal, 1<<8), o.forced)
		p.addSegment(base+4, api.Mul(shift, s.Token), 3)            // withdrawal: token (4-5) | forced: token (5-6)
		address := p.addSegment(base+6, api.Mul(shift, s.Dest), 21) // withdrawal: l1Address (6-25) | forced: requester (7-26)
		// withdrawal: amount (26-39) | forced: amount (27-42). The withdrawal's
		// amount·2^24 < 2^136 makes it below 2^112: applySender's balance
		// check bounds the amount by the balance (< 2^128), so the product
		// cannot wrap around p.
		amount := p.addSegment(base+26, api.Mul(api.Add(api.Mul(o.withdrawal, 1<<24), o.forced), s.Amount), 17)
		// A forced withdrawal's requester is below 2^160 and its amount below 2^128.
		api.AssertIsEqual(api.Mul(o.forced, api.Add(address[0], address[1], address[2:8]...)), 0)
		api.AssertIsEqual(api.Mul(o.forced, api.Add(amount[0], amount[1], amount[2:8]...)), 0)
		p.addSegment(base+5, api.Mul(o.deposit, s.Amount), 13) // deposit: amount < 2^104
		p.addSegment(base+18, api.Mul(o.deposit, idHash), 32)  // deposit: idHash
	case j+WithdrawalChunks <= c.Size():
		p.addSegment(base+4, api.Mul(o.withdrawal, s.Token), 2)    // withdrawal: token
		p.addSegment(base+6, api.Mul(o.withdrawal, s.Dest), 20)    // withdrawal: l1Address
		p.addSegment(base+26, api.Mul(o.withdrawal, s.Amount), 14) // withdrawal: amount < 2^112
	}
}

// checkContinuations: a withdrawal owns the next WithdrawalChunks-1 slots
// and a priority op the next PriorityChunks-1; they must exist and be no-ops.
func checkContinuations(api frontend.API, ops []op) {
	for j := range ops {
		for k := 1; k < PriorityChunks; k++ {
			var follows frontend.Variable = 1 // an op after slot j+k-1, or no slot j+k at all
			if j+k < len(ops) {
				follows = api.Sub(1, ops[j+k].noop)
			}
			if k < WithdrawalChunks {
				api.AssertIsEqual(api.Mul(ops[j].withdrawal, follows), 0)
			}
			api.AssertIsEqual(api.Mul(ops[j].priority, follows), 0)
		}
	}
}

// operatorAccount returns the operator account's idHash and the batch's fee
// token, the account's token: ownerToken's low 16 bits, bits 16-31 being 0.
// The 192-bit decomposition is also the owner's range check (once per batch,
// so no cheaper split is needed).
func (c *Circuit) operatorAccount(g *gadgets) (idHash, feeToken frontend.Variable) {
	api := g.api
	bits := api.ToBinary(c.OperatorOwnerToken, TokenSlotBits+OwnerBits)
	api.AssertIsEqual(api.Add(bits[TokenBits], bits[TokenBits+1], bits[TokenBits+2:TokenSlotBits]...), 0)
	return g.compress(c.OperatorKeyHash, c.OperatorOwnerToken), api.FromBinary(bits[:TokenBits]...)
}

// creditOperator opens the operator's leaf (by its idHash) in the root after
// the last slot and credits fee × the number of ops that paid it; the result
// must be newRoot.
func (c *Circuit) creditOperator(g *gadgets, root, idHash, nPaying frontend.Variable) {
	api := g.api
	indexBits := api.ToBinary(c.Operator, c.Depth())
	g.rangeCheck(c.OperatorBalance, 128)
	g.rangeCheck(c.OperatorNonce, 63)
	leaf := g.compress(idHash, g.leafValue(c.OperatorBalance, c.OperatorNonce))
	api.AssertIsEqual(g.pathRoot(leaf, indexBits, c.OperatorSiblings), root)
	newBalance := api.Add(c.OperatorBalance, api.Mul(c.Fee, nPaying))
	g.rangeCheck(newBalance, 128)
	newLeaf := g.compress(idHash, g.leafValue(newBalance, c.OperatorNonce))
	api.AssertIsEqual(g.pathRoot(newLeaf, indexBits, c.OperatorSiblings), c.NewRoot)
}

// headerBits are the public data's header fields as bits: rollupId,
// batchNumber, operator, fee. The decompositions are also their range checks.
func (c *Circuit) headerBits(g *gadgets) []frontend.Variable {
	var bits []frontend.Variable
	for _, f := range []struct {
		v     frontend.Variable
		bytes int
	}{{c.RollupID, RollupIDBits / 8}, {c.BatchNumber, 8}, {c.Operator, 4}, {c.Fee, 16}} {
		bits = append(bits, g.toBits(f.v, f.bytes)...)
	}
	return bits
}

// commitPubdata binds pubdataHash to the public data: SHA-256 of header ‖
// op codes ‖ chunks (validium: the L1 data, chunks with the transfer chunks
// zeroed ‖ txHash), mod 2^253.
func (c *Circuit) commitPubdata(g *gadgets, header []frontend.Variable, ops []op, p *pubdata) {
	api := g.api
	data := make([]frontend.Variable, 0, 8*PubdataLen(len(ops)))
	data = append(data, header...)
	// Op codes, 2 bits each, 4 to a byte, the first slot in the high bits;
	// the last byte is padded with zeros.
	for j := range 4 * ((len(ops) + 3) / 4) {
		if j < len(ops) {
			data = append(data, ops[j].bits[1], ops[j].bits[0])
		} else {
			data = append(data, 0, 0)
		}
	}
	data = append(data, p.chunks...)
	if c.mode == ModeValidium {
		data = append(data, g.toBits(g.txHash(p.txChunks), 32)...)
	}
	sum := sha256bits.Sum(api, data)
	// Clear the 3 high bits: pubdataHash = SHA-256 mod 2^253. sum is in
	// message order, so sum[255] is the least significant bit.
	terms := make([]frontend.Variable, 0, 253)
	for i := 3; i < 256; i++ {
		terms = append(terms, api.Mul(sum[i], pow2(uint(255-i))))
	}
	api.AssertIsEqual(api.Add(terms[0], terms[1], terms[2:]...), c.PubdataHash)
}
