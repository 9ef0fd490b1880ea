// Package batchbuild builds valid batch witnesses (docs/protocol.md,
// "Batches", "Protocol v2" and "Protocol v3") from real signed operations and L1 requests, over a small dense
// copy of the state tree. It is test support: the Go tests of the circuit,
// the prover and the bridge use it; production witnesses come from Java.
package batchbuild

import (
	"fmt"
	"math/big"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr/poseidon2"
	"github.com/consensys/gnark-crypto/ecc/bn254/twistededwards"
	"github.com/consensys/gnark/frontend"

	"github.com/zkrollup/prover/native/batch"
	"github.com/zkrollup/prover/native/signing"
)

// MaxDepth bounds the dense tree this package keeps in memory.
const MaxDepth = 16

var perm = poseidon2.NewDefaultPermutation()

// Compress is the protocol's compress(l, r).
func Compress(l, r fr.Element) fr.Element {
	lb, rb := l.Bytes(), r.Bytes()
	out, err := perm.Compress(lb[:], rb[:])
	if err != nil {
		panic(err)
	}
	var e fr.Element
	e.SetBytes(out)
	return e
}

// Key is a signing key with its public key coordinates.
type Key struct {
	Seed       []byte
	PubX, PubY fr.Element
	// Forge, if set, signs instead of the seed (negative tests: a key
	// nobody holds the secret of, whose "signature" is forged).
	Forge func(msg fr.Element) (rx, ry, s fr.Element)
}

// IdentityKey is the public key A = (0, 1), the curve's identity, with the
// signature anyone can make for it: for A of small order, gnark's
// verification [8]([S]G − [h]A − R) = O reduces to R = [S]G, so S = 1 and
// R = G sign every message. The circuit must refuse it (negative tests).
func IdentityKey() Key {
	var k Key
	k.PubY.SetOne()
	k.Forge = func(fr.Element) (rx, ry, s fr.Element) {
		base := twistededwards.GetEdwardsCurve().Base
		s.SetOne()
		return base.X, base.Y, s
	}
	return k
}

// NewKey derives the key of a 32-byte seed made from n.
func NewKey(n byte) Key {
	seed := make([]byte, signing.SeedSize)
	for i := range seed {
		seed[i] = n
	}
	return keyOf(seed)
}

func keyOf(seed []byte) Key {
	k, err := signing.KeyFromSeed(seed)
	if err != nil {
		panic(err)
	}
	return Key{Seed: seed, PubX: k.PublicKey.A.X, PubY: k.PublicKey.A.Y}
}

// DummyKey is the key with seed 32 zero bytes that signs message 0 in unsigned slots.
func DummyKey() Key { return keyOf(make([]byte, signing.SeedSize)) }

// KeyHash is compress(pubKeyX, pubKeyY).
func (k Key) KeyHash() fr.Element { return Compress(k.PubX, k.PubY) }

// Sign signs msg and returns (Rx, Ry, S).
func (k Key) Sign(msg fr.Element) (rx, ry, s fr.Element) {
	if k.Forge != nil {
		return k.Forge(msg)
	}
	mb := msg.Bytes()
	sb, err := signing.Sign(k.Seed, mb[:])
	if err != nil {
		panic(err)
	}
	sig, err := signing.DecodeSignature(sb)
	if err != nil {
		panic(err)
	}
	s.SetBytes(sig.S[:])
	return sig.R.X, sig.R.Y, s
}

// Account is an account's state.
type Account struct {
	KeyHash fr.Element
	Owner   *big.Int // the L1 address that owns the account (160 bits)
	Token   uint64   // the token it holds (below 2^16; 0 is ETH)
	Balance *big.Int
	Nonce   uint64
}

// ETH is token 0.
const ETH = 0

// OwnerToken is owner·2^32 + token.
func OwnerToken(owner *big.Int, token uint64) *big.Int {
	v := new(big.Int).Lsh(owner, batch.TokenSlotBits)
	return v.Add(v, new(big.Int).SetUint64(token))
}

// IdHash is compress(keyHash, owner·2^32 + token): the account's identity in its leaf.
func IdHash(keyHash fr.Element, owner *big.Int, token uint64) fr.Element {
	var t fr.Element
	t.SetBigInt(OwnerToken(owner, token))
	return Compress(keyHash, t)
}

// OwnerToken is the account's owner·2^32 + token.
func (a Account) OwnerToken() *big.Int { return OwnerToken(a.Owner, a.Token) }

// IdHash is the account's compress(keyHash, ownerToken).
func (a Account) IdHash() fr.Element { return IdHash(a.KeyHash, a.Owner, a.Token) }

// Leaf is compress(idHash, balance·2^64 + nonce). A balance below zero (a
// negative test's overdrawn account) is taken modulo p.
func (a Account) Leaf() fr.Element {
	v := new(big.Int).Lsh(a.Balance, 64)
	v.Add(v, new(big.Int).SetUint64(a.Nonce))
	var e fr.Element
	e.SetBigInt(v)
	return Compress(a.IdHash(), e)
}

// Tamper makes the builder break one rule of a forced withdrawal (negative tests).
type Tamper int

const (
	// TamperNone: the forced withdrawal follows the rules.
	TamperNone Tamper = iota
	// TamperPaid: it is marked paid (and debited) whatever the rules say.
	TamperPaid
	// TamperRefused: it is marked refused (nothing changes) whatever the rules say.
	TamperRefused
	// TamperNonce: a paid one also bumps the account's nonce.
	TamperNonce
	// TamperFee: a paid one also pays the batch fee, credited to the operator.
	TamperFee
	// TamperNotDebited: a paid one is published as paid (L1 pays the
	// requester) but the account keeps its balance.
	TamperNotDebited
	// TamperClaimEmpty: the account's occupied leaf is opened as empty, so
	// that a valid request is refused.
	TamperClaimEmpty
)

// FeeTamper makes the builder break a rule of the fee (negative tests).
type FeeTamper int

const (
	// FeeNone: an op pays the fee exactly when its token is the fee token.
	FeeNone FeeTamper = iota
	// FeeFromEveryToken: signed ops of other tokens pay it too (and are counted).
	FeeFromEveryToken
	// FeeFromNoToken: signed ops of the fee token do not pay it (nor are counted).
	FeeFromNoToken
)

// Builder assembles one batch.
type Builder struct {
	B, D        int
	RollupID    uint64
	BatchNumber uint64
	Operator    uint64
	Fee         *big.Int

	levels   [][]fr.Element // levels[i][j]: node j of level i
	accounts map[uint64]*Account
	circuit  *batch.Circuit
	next     int // next free slot
	oldRoot  fr.Element
	started  bool
	pubdata  []byte

	// Knobs that make the builder break one rule (negative tests).

	// ForceIdHash makes a deposit onto an existing account claim the
	// deposit's key and owner instead of the account's.
	ForceIdHash bool
	// DepositOverwrite makes a deposit onto an existing account claim the
	// leaf is empty (isEmpty on an occupied leaf) and put a new account there.
	DepositOverwrite bool
	// TransferToEmpty lets a transfer credit an empty leaf, marked isEmpty.
	TransferToEmpty bool
	// ForcedTamper breaks a rule of the forced withdrawals that follow.
	ForcedTamper Tamper
	// ExtraFees is added to the number of fees the operator receives
	// (negative: more or fewer fees than ops that paid).
	ExtraFees int
	// CrossToken lets a transfer credit an account of another token.
	CrossToken bool
	// ClaimedToken, if set, is the token signed ops claim (and sign) instead
	// of their sender's; whether they pay the fee follows the claim.
	ClaimedToken *uint64
	// FeeTamper breaks the rule of which ops pay the fee.
	FeeTamper FeeTamper
	// Mode is the data-availability mode whose pubdataHash Build puts in
	// the witness (batch.ModeRollup unless set): the witness is otherwise
	// the same in both modes.
	Mode    batch.Mode
	dummy   Key
	rxDummy [3]fr.Element
	paying  int // signed ops that paid the fee
}

// New returns a builder for b slots at depth d (d ≤ MaxDepth).
func New(b, d int, rollupID uint64, batchNumber, operator uint64, fee *big.Int) *Builder {
	if d > MaxDepth {
		panic("batchbuild: depth too large for the dense tree")
	}
	bl := &Builder{B: b, D: d, RollupID: rollupID, BatchNumber: batchNumber, Operator: operator, Fee: fee,
		accounts: map[uint64]*Account{}, circuit: batch.NewCircuit(b, d), dummy: DummyKey()}
	bl.levels = make([][]fr.Element, d+1)
	for i := range bl.levels {
		bl.levels[i] = make([]fr.Element, 1<<uint(d-i))
	}
	for i := 1; i <= d; i++ {
		for j := range bl.levels[i] {
			bl.levels[i][j] = Compress(bl.levels[i-1][2*j], bl.levels[i-1][2*j+1])
		}
	}
	var zero fr.Element
	bl.rxDummy[0], bl.rxDummy[1], bl.rxDummy[2] = bl.dummy.Sign(zero)
	return bl
}

func (bl *Builder) setLeaf(idx uint64, v fr.Element) {
	bl.levels[0][idx] = v
	for i := 1; i <= bl.D; i++ {
		idx >>= 1
		bl.levels[i][idx] = Compress(bl.levels[i-1][2*idx], bl.levels[i-1][2*idx+1])
	}
}

// Siblings returns the current Merkle siblings of idx.
func (bl *Builder) Siblings(idx uint64) []frontend.Variable { return bl.siblings(idx) }

func (bl *Builder) root() fr.Element { return bl.levels[bl.D][0] }

func (bl *Builder) siblings(idx uint64) []frontend.Variable {
	out := make([]frontend.Variable, bl.D)
	for i := range bl.D {
		out[i] = bl.levels[i][(idx>>uint(i))^1]
	}
	return out
}

// Put creates the ETH account of keyHash owned by owner before the batch starts.
func (bl *Builder) Put(idx uint64, keyHash fr.Element, owner, balance *big.Int, nonce uint64) {
	bl.PutToken(idx, keyHash, owner, ETH, balance, nonce)
}

// PutToken creates the account of keyHash owned by owner holding token
// before the batch starts.
func (bl *Builder) PutToken(idx uint64, keyHash fr.Element, owner *big.Int, token uint64, balance *big.Int, nonce uint64) {
	if bl.started {
		panic("batchbuild: Put after the first operation")
	}
	a := &Account{KeyHash: keyHash, Owner: new(big.Int).Set(owner), Token: token, Balance: new(big.Int).Set(balance), Nonce: nonce}
	bl.accounts[idx] = a
	bl.setLeaf(idx, a.Leaf())
}

// Account returns the current state of an account (nil if none).
func (bl *Builder) Account(idx uint64) *Account { return bl.accounts[idx] }

func (bl *Builder) start() *batch.Slot {
	if !bl.started {
		bl.started = true
		bl.oldRoot = bl.root()
	}
	if bl.next >= bl.B {
		panic("batchbuild: batch is full")
	}
	s := &bl.circuit.Slots[bl.next]
	bl.next++
	zeroSlot(s, bl.D)
	return s
}

func zeroSlot(s *batch.Slot, d int) {
	s.OpCode = uint64(batch.OpNoop)
	for _, v := range []*frontend.Variable{&s.AmountExp, &s.AmountMantissa, &s.Amount, &s.MaxFeeExp,
		&s.MaxFeeMantissa, &s.Dest, &s.PriorityKind, &s.Token, &s.Sender.Index, &s.Sender.OwnerToken, &s.Sender.Balance, &s.Sender.Nonce,
		&s.Receiver.Index, &s.Receiver.KeyHash, &s.Receiver.OwnerToken, &s.Receiver.Balance, &s.Receiver.Nonce, &s.Receiver.IsEmpty} {
		*v = 0
	}
	for i := range d {
		s.Sender.Siblings[i] = 0
		s.Receiver.Siblings[i] = 0
	}
}

func (bl *Builder) dummySig(s *batch.Slot) {
	s.Sender.PubKeyX, s.Sender.PubKeyY = bl.dummy.PubX, bl.dummy.PubY
	s.Sig.Rx, s.Sig.Ry, s.Sig.S = bl.rxDummy[0], bl.rxDummy[1], bl.rxDummy[2]
}

// Float16 returns m·10^e.
func Float16(m, e uint64) *big.Int {
	return new(big.Int).Mul(new(big.Int).SetUint64(m), new(big.Int).Exp(big.NewInt(10), new(big.Int).SetUint64(e), nil))
}

// Message computes the signed message of docs/protocol.md ("Protocol v3",
// "Signed message"): compress(e1, compress(amount, dest)) with
// e1 = opCode·2^208 + rollupId·2^144 + from·2^112 + nonce·2^48 + maxFee16·2^32 + token.
func Message(op, rollupID, from, nonce, maxFee16, token uint64, amount, dest *big.Int) fr.Element {
	e1 := new(big.Int).Lsh(new(big.Int).SetUint64(op), 208)
	e1.Add(e1, new(big.Int).Lsh(new(big.Int).SetUint64(rollupID), 144))
	e1.Add(e1, new(big.Int).Lsh(new(big.Int).SetUint64(from), 112))
	e1.Add(e1, new(big.Int).Lsh(new(big.Int).SetUint64(nonce), 48))
	e1.Add(e1, new(big.Int).Lsh(new(big.Int).SetUint64(maxFee16), 32))
	e1.Add(e1, new(big.Int).SetUint64(token))
	var f1, f2, f3 fr.Element
	f1.SetBigInt(e1)
	f2.SetBigInt(amount)
	f3.SetBigInt(dest)
	return Compress(f1, Compress(f2, f3))
}

// FeeToken is the batch's fee token: the operator account's token. The
// operator must exist when a signed op is added.
func (bl *Builder) FeeToken() (uint64, error) {
	op := bl.accounts[bl.Operator]
	if op == nil {
		return 0, fmt.Errorf("batchbuild: no operator account %d, so no fee token", bl.Operator)
	}
	return op.Token, nil
}

// signedOp fills the sender part of a transfer or withdrawal and debits it:
// the amount, and the fee if the op's token is the fee token. It returns
// the sender.
func (bl *Builder) signedOp(s *batch.Slot, op uint64, key Key, from uint64, amount, dest *big.Int, feeM, feeE uint64) (*Account, error) {
	a := bl.accounts[from]
	if a == nil {
		return nil, fmt.Errorf("batchbuild: no account %d", from)
	}
	feeToken, err := bl.FeeToken()
	if err != nil {
		return nil, err
	}
	token := a.Token
	if bl.ClaimedToken != nil {
		token = *bl.ClaimedToken
	}
	pays := token == feeToken
	switch bl.FeeTamper {
	case FeeFromEveryToken:
		pays = true
	case FeeFromNoToken:
		pays = false
	}
	s.OpCode, s.Amount, s.Dest, s.Token = op, amount, dest, token
	s.MaxFeeExp, s.MaxFeeMantissa = feeE, feeM
	s.Sender.Index, s.Sender.PubKeyX, s.Sender.PubKeyY = from, key.PubX, key.PubY
	s.Sender.OwnerToken = a.OwnerToken()
	s.Sender.Balance, s.Sender.Nonce = new(big.Int).Set(a.Balance), a.Nonce
	s.Sender.Siblings = bl.siblings(from)
	msg := Message(op, bl.RollupID, from, a.Nonce, feeE<<11|feeM, token, amount, dest)
	s.Sig.Rx, s.Sig.Ry, s.Sig.S = key.Sign(msg)
	cost := new(big.Int).Set(amount)
	if pays {
		cost.Add(cost, bl.Fee)
		bl.paying++
	}
	a.Balance = new(big.Int).Sub(a.Balance, cost)
	a.Nonce++
	bl.setLeaf(from, a.Leaf())
	bl.appendPubdataIdx(from)
	return a, nil
}

// open fills the receiver part of s with the account at idx as it stands
// and returns it, or nil (and isEmpty) for an empty leaf.
func (bl *Builder) open(s *batch.Slot, idx uint64) *Account {
	s.Receiver.Index, s.Receiver.Siblings = idx, bl.siblings(idx)
	a := bl.accounts[idx]
	if a == nil {
		s.Receiver.IsEmpty = 1
		return nil
	}
	s.Receiver.KeyHash, s.Receiver.OwnerToken = a.KeyHash, a.OwnerToken()
	s.Receiver.Balance, s.Receiver.Nonce = new(big.Int).Set(a.Balance), a.Nonce
	return a
}

// create puts a new account in the empty leaf s opened.
func (bl *Builder) create(s *batch.Slot, idx uint64, keyHash fr.Element, owner *big.Int, token uint64) *Account {
	a := &Account{KeyHash: keyHash, Owner: new(big.Int).Set(owner), Token: token, Balance: new(big.Int)}
	bl.accounts[idx] = a
	s.Receiver.KeyHash, s.Receiver.OwnerToken = keyHash, a.OwnerToken()
	return a
}

// chunk bytes of the public data, appended as ops are added.
func (bl *Builder) appendPubdataIdx(idx uint64) {
	bl.pubdata = append(bl.pubdata, byte(idx>>24), byte(idx>>16), byte(idx>>8), byte(idx))
}

// appendInt appends v as n big-endian bytes; a value too large for them (a
// negative test's) is cut to its low bytes.
func (bl *Builder) appendInt(v *big.Int, n int) {
	buf := make([]byte, n)
	new(big.Int).Mod(v, new(big.Int).Lsh(big.NewInt(1), uint(8*n))).FillBytes(buf)
	bl.pubdata = append(bl.pubdata, buf...)
}

// Transfer adds a transfer of m·10^e from → to, signed by key.
func (bl *Builder) Transfer(key Key, from, to uint64, m, e, feeM, feeE uint64) error {
	return bl.TransferRedirected(key, from, to, to, m, e, feeM, feeE)
}

// TransferRedirected adds a transfer signed (and published) for `to` that
// credits `credited` instead: a valid transfer when they are equal, else a
// receiver that is not the transfer's dest (negative tests).
func (bl *Builder) TransferRedirected(key Key, from, to, credited, m, e, feeM, feeE uint64) error {
	s := bl.start()
	amount := Float16(m, e)
	s.AmountExp, s.AmountMantissa = e, m
	sender, err := bl.signedOp(s, batch.OpTransfer, key, from, amount, new(big.Int).SetUint64(to), feeM, feeE)
	if err != nil {
		return err
	}
	rcv := bl.open(s, credited)
	if rcv == nil {
		if !bl.TransferToEmpty {
			return fmt.Errorf("batchbuild: transfer to missing account %d", credited)
		}
		rcv = bl.create(s, credited, fr.Element{}, new(big.Int), sender.Token)
	}
	if rcv.Token != sender.Token && !bl.CrossToken {
		return fmt.Errorf("batchbuild: transfer from account %d (token %d) to account %d (token %d)", from, sender.Token, credited, rcv.Token)
	}
	rcv.Balance = new(big.Int).Add(rcv.Balance, amount)
	bl.setLeaf(credited, rcv.Leaf())
	bl.appendPubdataIdx(to)
	bl.pubdata = append(bl.pubdata, byte(e<<3|m>>8), byte(m))
	bl.dummyFill(0)
	return nil
}

// Withdraw adds a withdrawal of amount from → l1Address (4 slots) in the
// sender's token.
func (bl *Builder) Withdraw(key Key, from uint64, l1Address, amount *big.Int, feeM, feeE uint64) error {
	s := bl.start()
	if _, err := bl.signedOp(s, batch.OpWithdrawal, key, from, amount, l1Address, feeM, feeE); err != nil {
		return err
	}
	bl.appendInt(new(big.Int).SetUint64(s.Token.(uint64)), 2)
	bl.appendInt(l1Address, 20)
	bl.appendInt(amount, 14)
	bl.dummyFill(batch.WithdrawalChunks - 1)
	return nil
}

// Deposit adds an ETH deposit (DepositToken of token 0).
func (bl *Builder) Deposit(to uint64, keyHash fr.Element, owner, amount *big.Int) {
	bl.DepositToken(to, keyHash, owner, ETH, amount)
}

// DepositToken adds a deposit of amount for the account of keyHash owned by
// owner holding token at index `to` (5 slots): L1 posts its idHash. The leaf
// must be empty or hold that account. The slot's token is 0: the circuit
// reads a deposit's token only inside its idHash.
func (bl *Builder) DepositToken(to uint64, keyHash fr.Element, owner *big.Int, token uint64, amount *big.Int) {
	s := bl.priorityOp(batch.PriorityDeposit, to, amount, new(big.Int).SetUint64(to))
	a := bl.accounts[to]
	if a != nil && bl.DepositOverwrite {
		a = nil // claims the occupied leaf is empty
		s.Receiver.KeyHash, s.Receiver.OwnerToken, s.Receiver.Balance, s.Receiver.Nonce, s.Receiver.IsEmpty = 0, 0, 0, 0, 1
	}
	if a != nil && bl.ForceIdHash {
		a.KeyHash, a.Owner, a.Token = keyHash, new(big.Int).Set(owner), token // claims the account is the deposit's
		s.Receiver.KeyHash, s.Receiver.OwnerToken = keyHash, a.OwnerToken()
	}
	if a == nil {
		a = bl.create(s, to, keyHash, owner, token)
	}
	a.Balance = new(big.Int).Add(a.Balance, amount)
	bl.setLeaf(to, a.Leaf())
	bl.pubdata = append(bl.pubdata, batch.KindDeposit)
	bl.appendPubdataIdx(to)
	bl.appendInt(amount, 13)
	id := IdHash(keyHash, owner, token)
	ib := id.Bytes()
	bl.pubdata = append(bl.pubdata, ib[:]...)
	bl.dummyFill(batch.PriorityChunks - 1)
}

// ForcedWithdrawal is ForcedWithdrawalToken for ETH (token 0).
func (bl *Builder) ForcedWithdrawal(account uint64, requester, amount *big.Int) bool {
	return bl.ForcedWithdrawalToken(account, requester, ETH, amount)
}

// ForcedWithdrawalToken adds requester's forced withdrawal of amount of
// token from `account` (5 slots) and reports whether it is paid: exactly
// when the account exists, requester is its owner, it holds token and
// amount ≤ its balance (unless ForcedTamper says otherwise). Paid, the
// account is debited; refused, nothing changes.
func (bl *Builder) ForcedWithdrawalToken(account uint64, requester *big.Int, token uint64, amount *big.Int) bool {
	s := bl.priorityOp(batch.PriorityForcedWithdrawal, account, amount, requester)
	s.Token = token
	a := bl.accounts[account]
	if a != nil && bl.ForcedTamper == TamperClaimEmpty {
		a = nil
		s.Receiver.KeyHash, s.Receiver.OwnerToken, s.Receiver.Balance, s.Receiver.Nonce, s.Receiver.IsEmpty = 0, 0, 0, 0, 1
	}
	paid := a != nil && a.Owner.Cmp(requester) == 0 && a.Token == token && amount.Cmp(a.Balance) <= 0
	switch bl.ForcedTamper {
	case TamperPaid:
		paid = true
	case TamperRefused:
		paid = false
	}
	if paid && a != nil {
		if bl.ForcedTamper != TamperNotDebited {
			a.Balance = new(big.Int).Sub(a.Balance, amount)
		}
		switch bl.ForcedTamper {
		case TamperNonce:
			a.Nonce++
		case TamperFee:
			a.Balance.Sub(a.Balance, bl.Fee)
			bl.ExtraFees++
		}
		bl.setLeaf(account, a.Leaf())
	}
	kind := byte(batch.KindForcedRefused)
	if paid {
		kind = batch.KindForcedPaid
	}
	bl.pubdata = append(bl.pubdata, kind)
	bl.appendPubdataIdx(account)
	bl.appendInt(new(big.Int).SetUint64(token), 2)
	bl.appendInt(requester, 20)
	bl.appendInt(amount, 16)
	bl.pubdata = append(bl.pubdata, make([]byte, 7)...)
	bl.dummyFill(batch.PriorityChunks - 1)
	return paid
}

// priorityOp starts the slot of a priority op on the leaf at idx.
func (bl *Builder) priorityOp(kind int, idx uint64, amount, dest *big.Int) *batch.Slot {
	s := bl.start()
	s.OpCode, s.PriorityKind, s.Amount, s.Dest = uint64(batch.OpPriority), uint64(kind), amount, dest
	bl.dummySig(s)
	bl.open(s, idx)
	return s
}

// dummyFill adds n continuation no-ops (their chunk bytes are already written).
func (bl *Builder) dummyFill(n int) {
	for range n {
		s := bl.start()
		bl.dummySig(s)
	}
}

// Noop adds a no-op slot.
func (bl *Builder) Noop() {
	s := bl.start()
	bl.dummySig(s)
	bl.pubdata = append(bl.pubdata, make([]byte, batch.ChunkBytes)...)
}

// Build pads the batch with no-ops, credits the operator fee × the ops that
// paid it and returns the
// full assignment and the public data; the assignment's pubdataHash is
// that of bl.Mode (for validium, of batch.L1Data of the public data).
func (bl *Builder) Build() (*batch.Circuit, []byte, error) {
	if !bl.started {
		bl.started = true
		bl.oldRoot = bl.root()
	}
	for bl.next < bl.B {
		bl.Noop()
	}
	c := bl.circuit
	op := bl.accounts[bl.Operator]
	if op == nil {
		return nil, nil, fmt.Errorf("batchbuild: no operator account %d", bl.Operator)
	}
	fees := bl.paying + bl.ExtraFees
	header := make([]byte, 0, batch.PubdataLen(bl.B))
	for i := 7; i >= 0; i-- {
		header = append(header, byte(bl.RollupID>>(8*uint(i))))
	}
	for i := 7; i >= 0; i-- {
		header = append(header, byte(bl.BatchNumber>>(8*uint(i))))
	}
	header = append(header, byte(bl.Operator>>24), byte(bl.Operator>>16), byte(bl.Operator>>8), byte(bl.Operator))
	fee := make([]byte, 16)
	bl.Fee.FillBytes(fee)
	header = append(header, fee...)
	codes := make([]byte, (bl.B+3)/4)
	for j := range c.Slots {
		code := c.Slots[j].OpCode.(uint64)
		codes[j/4] |= byte(code) << (2 * uint(3-j%4))
	}
	header = append(header, codes...)
	pubdata := append(header, bl.pubdata...)

	c.RollupID, c.Operator, c.Fee, c.BatchNumber = bl.RollupID, bl.Operator, bl.Fee, bl.BatchNumber
	c.OperatorKeyHash, c.OperatorOwnerToken = op.KeyHash, op.OwnerToken()
	c.OperatorBalance, c.OperatorNonce = new(big.Int).Set(op.Balance), op.Nonce
	copy(c.OperatorSiblings, bl.siblings(bl.Operator))
	op.Balance = new(big.Int).Add(op.Balance, new(big.Int).Mul(bl.Fee, big.NewInt(int64(fees))))
	bl.setLeaf(bl.Operator, op.Leaf())
	c.OldRoot, c.NewRoot = bl.oldRoot, bl.root()

	hash, err := batch.PubdataHash(bl.Mode, pubdata, bl.B)
	if err != nil {
		return nil, nil, err
	}
	c.PubdataHash = hash
	return c, pubdata, nil
}

// WitnessBytes builds the batch and encodes it in the ZKBW witness format.
func (bl *Builder) WitnessBytes() ([]byte, error) {
	c, _, err := bl.Build()
	if err != nil {
		return nil, err
	}
	return batch.Encode(c)
}
