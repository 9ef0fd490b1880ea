// Package batchbuild builds valid batch witnesses (docs/protocol.md,
// "Batches" and "Protocol v2") from real signed operations and L1 requests, over a small dense
// copy of the state tree. It is test support: the Go tests of the circuit,
// the prover and the bridge use it; production witnesses come from Java.
package batchbuild

import (
	"fmt"
	"math/big"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr/poseidon2"
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
	Balance *big.Int
	Nonce   uint64
}

// OwnerToken is owner·2^32 + token, token 0 (ETH).
func OwnerToken(owner *big.Int) *big.Int { return new(big.Int).Lsh(owner, 32) }

// IdHash is compress(keyHash, owner·2^32): the account's identity in its leaf.
func IdHash(keyHash fr.Element, owner *big.Int) fr.Element {
	var t fr.Element
	t.SetBigInt(OwnerToken(owner))
	return Compress(keyHash, t)
}

// IdHash is the account's compress(keyHash, ownerToken).
func (a Account) IdHash() fr.Element { return IdHash(a.KeyHash, a.Owner) }

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

// Builder assembles one batch.
type Builder struct {
	B, D        int
	RollupID    uint32
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
	// ExtraFees is added to the signed ops whose fee the operator receives
	// (negative: fewer fees than signed ops).
	ExtraFees int
	// Mode is the data-availability mode whose pubdataHash Build puts in
	// the witness (batch.ModeRollup unless set): the witness is otherwise
	// the same in both modes.
	Mode    batch.Mode
	dummy   Key
	rxDummy [3]fr.Element
}

// New returns a builder for b slots at depth d (d ≤ MaxDepth).
func New(b, d int, rollupID uint32, batchNumber, operator uint64, fee *big.Int) *Builder {
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

// Put creates the account of keyHash owned by owner before the batch starts.
func (bl *Builder) Put(idx uint64, keyHash fr.Element, owner, balance *big.Int, nonce uint64) {
	if bl.started {
		panic("batchbuild: Put after the first operation")
	}
	a := &Account{KeyHash: keyHash, Owner: new(big.Int).Set(owner), Balance: new(big.Int).Set(balance), Nonce: nonce}
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
		&s.MaxFeeMantissa, &s.Dest, &s.PriorityKind, &s.Sender.Index, &s.Sender.OwnerToken, &s.Sender.Balance, &s.Sender.Nonce,
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

// Message computes the signed message of docs/protocol.md.
func Message(op uint64, rollupID uint32, from, nonce, maxFee16 uint64, amount, dest *big.Int) fr.Element {
	e1 := new(big.Int).Lsh(new(big.Int).SetUint64(op), 184)
	e1.Add(e1, new(big.Int).Lsh(new(big.Int).SetUint64(uint64(rollupID)), 152))
	e1.Add(e1, new(big.Int).Lsh(new(big.Int).SetUint64(from), 120))
	e1.Add(e1, new(big.Int).Lsh(new(big.Int).SetUint64(nonce), 56))
	e1.Add(e1, new(big.Int).Lsh(new(big.Int).SetUint64(maxFee16), 40))
	var f1, f2, f3 fr.Element
	f1.SetBigInt(e1)
	f2.SetBigInt(amount)
	f3.SetBigInt(dest)
	return Compress(f1, Compress(f2, f3))
}

// signedOp fills the sender part of a transfer or withdrawal and debits it.
func (bl *Builder) signedOp(s *batch.Slot, op uint64, key Key, from uint64, amount, dest *big.Int, feeM, feeE uint64) error {
	a := bl.accounts[from]
	if a == nil {
		return fmt.Errorf("batchbuild: no account %d", from)
	}
	s.OpCode, s.Amount, s.Dest = op, amount, dest
	s.MaxFeeExp, s.MaxFeeMantissa = feeE, feeM
	s.Sender.Index, s.Sender.PubKeyX, s.Sender.PubKeyY = from, key.PubX, key.PubY
	s.Sender.OwnerToken = OwnerToken(a.Owner)
	s.Sender.Balance, s.Sender.Nonce = new(big.Int).Set(a.Balance), a.Nonce
	s.Sender.Siblings = bl.siblings(from)
	msg := Message(op, bl.RollupID, from, a.Nonce, feeE<<11|feeM, amount, dest)
	s.Sig.Rx, s.Sig.Ry, s.Sig.S = key.Sign(msg)
	a.Balance = new(big.Int).Sub(a.Balance, new(big.Int).Add(amount, bl.Fee))
	a.Nonce++
	bl.setLeaf(from, a.Leaf())
	bl.appendPubdataIdx(from)
	return nil
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
	s.Receiver.KeyHash, s.Receiver.OwnerToken = a.KeyHash, OwnerToken(a.Owner)
	s.Receiver.Balance, s.Receiver.Nonce = new(big.Int).Set(a.Balance), a.Nonce
	return a
}

// create puts a new account in the empty leaf s opened.
func (bl *Builder) create(s *batch.Slot, idx uint64, keyHash fr.Element, owner *big.Int) *Account {
	a := &Account{KeyHash: keyHash, Owner: new(big.Int).Set(owner), Balance: new(big.Int)}
	bl.accounts[idx] = a
	s.Receiver.KeyHash, s.Receiver.OwnerToken = keyHash, OwnerToken(owner)
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
	if err := bl.signedOp(s, batch.OpTransfer, key, from, amount, new(big.Int).SetUint64(to), feeM, feeE); err != nil {
		return err
	}
	rcv := bl.open(s, credited)
	if rcv == nil {
		if !bl.TransferToEmpty {
			return fmt.Errorf("batchbuild: transfer to missing account %d", credited)
		}
		rcv = bl.create(s, credited, fr.Element{}, new(big.Int))
	}
	rcv.Balance = new(big.Int).Add(rcv.Balance, amount)
	bl.setLeaf(credited, rcv.Leaf())
	bl.appendPubdataIdx(to)
	bl.pubdata = append(bl.pubdata, byte(e<<3|m>>8), byte(m))
	bl.dummyFill(0)
	return nil
}

// Withdraw adds a withdrawal of amount from → l1Address (4 slots).
func (bl *Builder) Withdraw(key Key, from uint64, l1Address, amount *big.Int, feeM, feeE uint64) error {
	s := bl.start()
	if err := bl.signedOp(s, batch.OpWithdrawal, key, from, amount, l1Address, feeM, feeE); err != nil {
		return err
	}
	bl.appendInt(l1Address, 20)
	bl.appendInt(amount, 16)
	bl.dummyFill(batch.WithdrawalChunks - 1)
	return nil
}

// Deposit adds a deposit of amount for the account of keyHash owned by owner
// at index `to` (5 slots): L1 posts its idHash. The leaf must be empty or
// hold that account.
func (bl *Builder) Deposit(to uint64, keyHash fr.Element, owner, amount *big.Int) {
	s := bl.priorityOp(batch.PriorityDeposit, to, amount, new(big.Int).SetUint64(to))
	a := bl.accounts[to]
	if a != nil && bl.DepositOverwrite {
		a = nil // claims the occupied leaf is empty
		s.Receiver.KeyHash, s.Receiver.OwnerToken, s.Receiver.Balance, s.Receiver.Nonce, s.Receiver.IsEmpty = 0, 0, 0, 0, 1
	}
	if a != nil && bl.ForceIdHash {
		a.KeyHash, a.Owner = keyHash, new(big.Int).Set(owner) // claims the account is the deposit's
		s.Receiver.KeyHash, s.Receiver.OwnerToken = keyHash, OwnerToken(owner)
	}
	if a == nil {
		a = bl.create(s, to, keyHash, owner)
	}
	a.Balance = new(big.Int).Add(a.Balance, amount)
	bl.setLeaf(to, a.Leaf())
	bl.pubdata = append(bl.pubdata, batch.KindDeposit)
	bl.appendPubdataIdx(to)
	bl.appendInt(amount, 13)
	id := IdHash(keyHash, owner)
	ib := id.Bytes()
	bl.pubdata = append(bl.pubdata, ib[:]...)
	bl.dummyFill(batch.PriorityChunks - 1)
}

// ForcedWithdrawal adds requester's forced withdrawal of amount from
// `account` (5 slots) and reports whether it is paid: exactly when the
// account exists, requester is its owner and amount ≤ its balance (unless
// ForcedTamper says otherwise). Paid, the account is debited; refused,
// nothing changes.
func (bl *Builder) ForcedWithdrawal(account uint64, requester, amount *big.Int) bool {
	s := bl.priorityOp(batch.PriorityForcedWithdrawal, account, amount, requester)
	a := bl.accounts[account]
	if a != nil && bl.ForcedTamper == TamperClaimEmpty {
		a = nil
		s.Receiver.KeyHash, s.Receiver.OwnerToken, s.Receiver.Balance, s.Receiver.Nonce, s.Receiver.IsEmpty = 0, 0, 0, 0, 1
	}
	paid := a != nil && a.Owner.Cmp(requester) == 0 && amount.Cmp(a.Balance) <= 0
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
	bl.appendInt(requester, 20)
	bl.appendInt(amount, 16)
	bl.pubdata = append(bl.pubdata, make([]byte, 9)...)
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

// Build pads the batch with no-ops, credits the operator and returns the
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
	signed := bl.ExtraFees
	header := make([]byte, 0, batch.PubdataLen(bl.B))
	header = append(header, byte(bl.RollupID>>24), byte(bl.RollupID>>16), byte(bl.RollupID>>8), byte(bl.RollupID))
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
		if code == batch.OpTransfer || code == batch.OpWithdrawal {
			signed++
		}
		codes[j/4] |= byte(code) << (2 * uint(3-j%4))
	}
	header = append(header, codes...)
	pubdata := append(header, bl.pubdata...)

	c.RollupID, c.Operator, c.Fee, c.BatchNumber = uint64(bl.RollupID), bl.Operator, bl.Fee, bl.BatchNumber
	c.OperatorIdHash, c.OperatorBalance, c.OperatorNonce = op.IdHash(), new(big.Int).Set(op.Balance), op.Nonce
	copy(c.OperatorSiblings, bl.siblings(bl.Operator))
	op.Balance = new(big.Int).Add(op.Balance, new(big.Int).Mul(bl.Fee, big.NewInt(int64(signed))))
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
