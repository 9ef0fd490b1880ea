package batch_test

import (
	"crypto/sha256"
	"math/big"
	"sync"
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark/constraint"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/frontend/cs/r1cs"
	"github.com/consensys/gnark/logger"

	"github.com/zkrollup/prover/native/batch"
	bb "github.com/zkrollup/prover/native/internal/batchbuild"
)

const (
	testB = 8
	testD = 4
	// ruleB is the batch size of every rule case (ruleCases): 12 slots fit
	// the longest case (three operations and their continuations, then
	// free no-ops), and testdata/negative is written at ruleB, testD.
	ruleB = 12
	// rollupID uses all 64 bits, so a signature over its low 32 bits alone
	// would not do.
	rollupID = 0x0badcafe5eed1234
	operator = 15
	// usdc is a listed token (any id but 0, ETH).
	usdc = 0x1234
)

var (
	alice, bob, carol, opKey = bb.NewKey(1), bb.NewKey(2), bb.NewKey(3), bb.NewKey(4)
	l1Address, _             = new(big.Int).SetString("00112233445566778899aabbccddeeff00112233", 16)
	// The L1 owners of the accounts (an owner that uses all 20 bytes, and small ones).
	aliceOwner, _ = new(big.Int).SetString("a11ce000000000000000000000000000000000a1", 16)
	bobOwner      = big.NewInt(0xb0b)
	carolOwner    = big.NewInt(0xca201)
	opOwner       = big.NewInt(0x0905)
)

var (
	ccsMu sync.Mutex
	ccses = map[[2]int]constraint.ConstraintSystem{}
)

func compiled(t *testing.T, b, d int) constraint.ConstraintSystem {
	t.Helper()
	ccsMu.Lock()
	defer ccsMu.Unlock()
	if cs, ok := ccses[[2]int{b, d}]; ok {
		return cs
	}
	logger.Disable()
	cs, err := frontend.Compile(ecc.BN254.ScalarField(), r1cs.NewBuilder, batch.NewCircuit(b, d))
	if err != nil {
		t.Fatal(err)
	}
	ccses[[2]int{b, d}] = cs
	return cs
}

func solve(t *testing.T, c *batch.Circuit) error {
	t.Helper()
	w, err := frontend.NewWitness(c, ecc.BN254.ScalarField())
	if err != nil {
		t.Fatal(err)
	}
	return compiled(t, c.Size(), c.Depth()).IsSolved(w)
}

// newBuilder starts a batch with the ETH accounts alice (1), bob (2), carol
// (5) and the operator (15, so ETH is the fee token), and alice's (6) and
// bob's (7) USDC accounts.
func newBuilder(b int) *bb.Builder {
	bl := bb.New(b, testD, rollupID, 77, operator, big.NewInt(3))
	bl.Put(1, alice.KeyHash(), aliceOwner, big.NewInt(1_000_000), 4)
	bl.Put(2, bob.KeyHash(), bobOwner, big.NewInt(500), 0)
	bl.Put(5, carol.KeyHash(), carolOwner, big.NewInt(7), 9)
	bl.PutToken(6, alice.KeyHash(), aliceOwner, usdc, big.NewInt(2_000_000), 1)
	bl.PutToken(7, bob.KeyHash(), bobOwner, usdc, big.NewInt(50), 0)
	bl.Put(operator, opKey.KeyHash(), opOwner, big.NewInt(100), 0)
	return bl
}

// mixedTokens: a USDC transfer (6 → 7), which pays no fee in an ETH batch,
// then an ETH transfer (1 → 2), which pays it; tamper (may be nil) is set on
// the builder first.
func mixedTokens(t *testing.T, tamper func(bl *bb.Builder)) *batch.Circuit {
	t.Helper()
	bl := newBuilder(ruleB)
	if tamper != nil {
		tamper(bl)
	}
	must(t, bl.Transfer(alice, 6, 7, 1234, 2, 5, 0))
	must(t, bl.Transfer(alice, 1, 2, 1234, 2, 5, 0))
	c, _, err := bl.Build()
	must(t, err)
	return c
}

// claimToken sets the token signed ops claim instead of their sender's.
func claimToken(bl *bb.Builder, token uint64) { bl.ClaimedToken = &token }

// transfersAndWithdrawal: T(1→2), T(2→5), W(1), then no-ops, in b slots.
func transfersAndWithdrawal(t *testing.T, b int) (*bb.Builder, *batch.Circuit, []byte) {
	bl := newBuilder(b)
	must(t, bl.Transfer(alice, 1, 2, 1234, 2, 5, 0)) // 123,400, maxFee 5
	must(t, bl.Transfer(bob, 2, 5, 1, 3, 2047, 31))  // 1,000
	must(t, bl.Withdraw(alice, 1, l1Address, big.NewInt(5000), 3, 0))
	c, pd, err := bl.Build()
	must(t, err)
	return bl, c, pd
}

// deposits: a deposit to an empty leaf (9) and one to bob (2), then a
// transfer; with tamper set, the builder breaks one rule in the second.
func deposits(t *testing.T, tamper func(bl *bb.Builder)) *batch.Circuit {
	bl := newBuilder(ruleB)
	bl.Deposit(9, bb.NewKey(9).KeyHash(), big.NewInt(9), big.NewInt(42))
	if tamper != nil {
		tamper(bl)
	}
	bl.Deposit(2, bob.KeyHash(), bobOwner, new(big.Int).Lsh(big.NewInt(1), 100))
	must(t, bl.Transfer(bob, 2, 9, 1, 0, 5, 0))
	c, _, err := bl.Build()
	must(t, err)
	return c
}

// forced builds a forced withdrawal by requester from account, then a
// transfer, with tamper (may be nil) set on the builder first; it checks
// the builder's paid/refused against want.
func forced(t *testing.T, account uint64, requester *big.Int, amount int64, want bool, tamper func(bl *bb.Builder)) *batch.Circuit {
	t.Helper()
	return forcedToken(t, account, requester, bb.ETH, amount, want, tamper)
}

// forcedToken is forced for a request of token.
func forcedToken(t *testing.T, account uint64, requester *big.Int, token uint64, amount int64, want bool, tamper func(bl *bb.Builder)) *batch.Circuit {
	t.Helper()
	bl := newBuilder(ruleB)
	if tamper != nil {
		tamper(bl)
	}
	if paid := bl.ForcedWithdrawalToken(account, requester, token, big.NewInt(amount)); paid != want {
		t.Fatalf("forced withdrawal from %d by %x of %d of token %d: paid %v, want %v", account, requester, amount, token, paid, want)
	}
	must(t, bl.Transfer(alice, 1, 5, 1234, 2, 5, 0)) // touches neither account of the forced withdrawals
	c, _, err := bl.Build()
	must(t, err)
	return c
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestValidBatches(t *testing.T) {
	_, c, pd := transfersAndWithdrawal(t, testB)
	if len(pd) != batch.PubdataLen(testB) {
		t.Fatalf("pubdata length %d, want %d", len(pd), batch.PubdataLen(testB))
	}
	if err := solve(t, c); err != nil {
		t.Fatalf("valid transfer/withdrawal batch not solved: %v", err)
	}
	if err := solve(t, deposits(t, nil)); err != nil {
		t.Fatalf("valid deposit batch not solved: %v", err)
	}
	for name, c := range map[string]*batch.Circuit{
		"paid":                                  forced(t, 2, bobOwner, 500, true, nil),
		"paid, part of the balance":             forced(t, 1, aliceOwner, 1, true, nil),
		"paid, the tampered cases' request":     forced(t, 2, bobOwner, 100, true, nil),
		"refused: not the owner's":              forced(t, 2, aliceOwner, 1, false, nil),
		"refused: more than the balance":        forced(t, 2, bobOwner, 501, false, nil),
		"refused: an empty account":             forced(t, 9, big.NewInt(0), 1, false, nil),
		"refused: the owner of an empty leaf":   forced(t, 9, bobOwner, 1, false, nil),
		"paid, a USDC account":                  forcedToken(t, 7, bobOwner, usdc, 50, true, nil),
		"refused: ETH asked of a USDC account":  forcedToken(t, 7, bobOwner, bb.ETH, 1, false, nil),
		"refused: USDC asked of an ETH account": forcedToken(t, 2, bobOwner, usdc, 1, false, nil),
		"mixed tokens, fee paid by ETH only":    mixedTokens(t, nil),
		"a USDC batch":                          usdcBatch(t),
	} {
		if err := solve(t, c); err != nil {
			t.Fatalf("valid forced withdrawal (%s) not solved: %v", name, err)
		}
	}
	// The operator-credit cases' batch, credited right.
	one := newBuilder(ruleB)
	must(t, one.Transfer(alice, 1, 2, 1234, 2, 5, 0))
	c, _, err := one.Build()
	must(t, err)
	if err := solve(t, c); err != nil {
		t.Fatalf("valid one-transfer batch not solved: %v", err)
	}
	empty, _, err := newBuilder(testB).Build()
	must(t, err)
	if err := solve(t, empty); err != nil {
		t.Fatalf("all-no-op batch not solved: %v", err)
	}
}

func el(v frontend.Variable) fr.Element {
	switch x := v.(type) {
	case fr.Element:
		return x
	case uint64:
		var e fr.Element
		e.SetUint64(x)
		return e
	case *big.Int:
		var e fr.Element
		e.SetBigInt(x)
		return e
	}
	panic("unexpected type")
}

func plusOne(v frontend.Variable) fr.Element {
	e := el(v)
	var one fr.Element
	one.SetOne()
	e.Add(&e, &one)
	return e
}

// rehash recomputes pubdataHash after a test edits the public data.
func rehash(c *batch.Circuit, pd []byte) {
	sum := sha256.Sum256(pd)
	sum[0] &= 0x1f
	c.PubdataHash = new(big.Int).SetBytes(sum[:])
}

// ruleCase builds a batch of ruleB slots, depth testD, that breaks exactly
// one rule of an otherwise valid batch. slug names its file in
// testdata/negative (negative_test.go).
type ruleCase struct {
	slug, rule string
	build      func(t *testing.T) *batch.Circuit
}

// ruleCases is the one list of rule-breaking batches: TestEachRuleIsEnforced
// solves them and TestNegativeWitnessFiles writes them for the Java side.
func ruleCases() []ruleCase {
	return []ruleCase{
		{"bad-signature", "bad signature", func(t *testing.T) *batch.Circuit {
			_, c, _ := transfersAndWithdrawal(t, ruleB)
			c.Slots[0].Sig.S = plusOne(c.Slots[0].Sig.S)
			return c
		}},
		{"signature-other-message", "signature over a different message", func(t *testing.T) *batch.Circuit {
			_, c, _ := transfersAndWithdrawal(t, ruleB)
			other := bb.Message(batch.OpTransfer, rollupID, 1, 4, 5, bb.ETH, bb.Float16(1234, 3), big.NewInt(2))
			s := &c.Slots[0].Sig
			s.Rx, s.Ry, s.S = alice.Sign(other)
			return c
		}},
		{"signature-other-key", "signature by another key", func(t *testing.T) *batch.Circuit {
			_, c, _ := transfersAndWithdrawal(t, ruleB)
			msg := bb.Message(batch.OpTransfer, rollupID, 1, 4, 5, bb.ETH, bb.Float16(1234, 2), big.NewInt(2))
			s := &c.Slots[0]
			s.Sender.PubKeyX, s.Sender.PubKeyY = carol.PubX, carol.PubY
			s.Sig.Rx, s.Sig.Ry, s.Sig.S = carol.Sign(msg)
			return c
		}},
		{"identity-key", "transfer signed by the identity key A = (0, 1), whose forged signature (R = G, S = 1) passes gnark's cofactored check", func(t *testing.T) *batch.Circuit {
			// The account of the identity key holds funds (a deposit to its key
			// hash would make it); the forged transfer must not move them.
			bl := newBuilder(ruleB)
			id := bb.IdentityKey()
			bl.Put(10, id.KeyHash(), big.NewInt(0x1d), big.NewInt(1000), 0)
			must(t, bl.Transfer(id, 10, 2, 100, 0, 5, 0))
			c, _, err := bl.Build()
			must(t, err)
			return c
		}},
		{"wrong-nonce", "wrong nonce (replay of a signed nonce the account is past)", func(t *testing.T) *batch.Circuit {
			_, c, _ := transfersAndWithdrawal(t, ruleB)
			// alice's nonce is 4; claim 5 with a valid signature over nonce 5.
			s := &c.Slots[0]
			s.Sender.Nonce = uint64(5)
			s.Sig.Rx, s.Sig.Ry, s.Sig.S = alice.Sign(bb.Message(batch.OpTransfer, rollupID, 1, 5, 5, bb.ETH, bb.Float16(1234, 2), big.NewInt(2)))
			return c
		}},
		{"overdraft", "overdraft", func(t *testing.T) *batch.Circuit {
			bl := newBuilder(ruleB)
			must(t, bl.Transfer(bob, 2, 1, 498, 0, 5, 0)) // 498 + fee 3 > 500
			c, _, err := bl.Build()
			must(t, err)
			return c
		}},
		{"receiver-balance-overflow", "receiver balance overflows 2^128", func(t *testing.T) *batch.Circuit {
			bl := bb.New(ruleB, testD, rollupID, 77, operator, big.NewInt(3))
			bl.Put(1, alice.KeyHash(), aliceOwner, big.NewInt(1_000_000), 4)
			bl.Put(2, bob.KeyHash(), bobOwner, new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 128), big.NewInt(10)), 0)
			bl.Put(operator, opKey.KeyHash(), opOwner, big.NewInt(100), 0)
			must(t, bl.Transfer(alice, 1, 2, 10, 0, 5, 0))
			c, _, err := bl.Build()
			must(t, err)
			return c
		}},
		{"forged-merkle-path", "forged Merkle path", func(t *testing.T) *batch.Circuit {
			_, c, _ := transfersAndWithdrawal(t, ruleB)
			c.Slots[1].Sender.Siblings[2] = plusOne(c.Slots[1].Sender.Siblings[2])
			return c
		}},
		{"wrong-old-root", "wrong old root", func(t *testing.T) *batch.Circuit {
			_, c, _ := transfersAndWithdrawal(t, ruleB)
			c.OldRoot = plusOne(c.OldRoot)
			return c
		}},
		{"wrong-new-root", "wrong new root", func(t *testing.T) *batch.Circuit {
			_, c, _ := transfersAndWithdrawal(t, ruleB)
			c.NewRoot = plusOne(c.NewRoot)
			return c
		}},
		{"pubdata-hash-mismatch", "pubdataHash not matching the data", func(t *testing.T) *batch.Circuit {
			_, c, _ := transfersAndWithdrawal(t, ruleB)
			c.PubdataHash = plusOne(c.PubdataHash)
			return c
		}},
		{"batch-number-mismatch", "batchNumber not the header's", func(t *testing.T) *batch.Circuit {
			_, c, _ := transfersAndWithdrawal(t, ruleB)
			c.BatchNumber = uint64(78)
			return c
		}},
		{"continuation-not-noop", "continuation slot that is not a no-op", func(t *testing.T) *batch.Circuit {
			return continuationMutation(t, 3)
		}},
		{"fee-above-max-fee", "fee above maxFee", func(t *testing.T) *batch.Circuit {
			bl := newBuilder(ruleB)
			must(t, bl.Transfer(alice, 1, 2, 1, 0, 2, 0)) // maxFee 2 < fee 3
			c, _, err := bl.Build()
			must(t, err)
			return c
		}},
		{"deposit-idhash-mismatch", "deposit onto an existing account of another key (the account's id replaced by the deposit's)", func(t *testing.T) *batch.Circuit {
			// carol's key with bob's owner names no account; the builder puts it on bob's.
			bl := newBuilder(ruleB)
			bl.Deposit(9, bb.NewKey(9).KeyHash(), big.NewInt(9), big.NewInt(42))
			bl.ForceIdHash = true
			bl.Deposit(2, carol.KeyHash(), bobOwner, big.NewInt(1))
			must(t, bl.Transfer(alice, 1, 9, 1, 0, 5, 0))
			c, _, err := bl.Build()
			must(t, err)
			return c
		}},
		{"amount-not-float16", "transfer amount not its float16", func(t *testing.T) *batch.Circuit {
			_, c, _ := transfersAndWithdrawal(t, ruleB)
			c.Slots[0].AmountMantissa = uint64(1235)
			return c
		}},
		// Forced withdrawals: bob (2) owns 500; each case is one rule broken.
		{"forced-paid-not-owner", "forced withdrawal paid to a requester who is not the account's owner", func(t *testing.T) *batch.Circuit {
			return forced(t, 2, aliceOwner, 100, true, func(bl *bb.Builder) { bl.ForcedTamper = bb.TamperPaid })
		}},
		{"forced-paid-over-balance", "forced withdrawal paid for more than the balance", func(t *testing.T) *batch.Circuit {
			return forced(t, 2, bobOwner, 501, true, func(bl *bb.Builder) { bl.ForcedTamper = bb.TamperPaid })
		}},
		{"forced-paid-empty-account", "forced withdrawal paid from an empty account", func(t *testing.T) *batch.Circuit {
			return forced(t, 9, big.NewInt(0), 1, true, func(bl *bb.Builder) { bl.ForcedTamper = bb.TamperPaid })
		}},
		{"forced-refused-valid", "valid forced withdrawal refused", func(t *testing.T) *batch.Circuit {
			return forced(t, 2, bobOwner, 500, false, func(bl *bb.Builder) { bl.ForcedTamper = bb.TamperRefused })
		}},
		{"forced-refused-claims-empty", "valid forced withdrawal refused by opening the owner's account as an empty leaf", func(t *testing.T) *batch.Circuit {
			return forced(t, 2, bobOwner, 500, false, func(bl *bb.Builder) { bl.ForcedTamper = bb.TamperClaimEmpty })
		}},
		{"forced-paid-not-debited", "forced withdrawal published as paid (L1 pays the requester) without debiting the account", func(t *testing.T) *batch.Circuit {
			return forced(t, 2, bobOwner, 100, true, func(bl *bb.Builder) { bl.ForcedTamper = bb.TamperNotDebited })
		}},
		{"forced-changes-nonce", "forced withdrawal that changes the account's nonce", func(t *testing.T) *batch.Circuit {
			return forced(t, 2, bobOwner, 100, true, func(bl *bb.Builder) { bl.ForcedTamper = bb.TamperNonce })
		}},
		{"forced-charges-fee", "forced withdrawal that charges the batch fee (credited to the operator)", func(t *testing.T) *batch.Circuit {
			return forced(t, 2, bobOwner, 100, true, func(bl *bb.Builder) { bl.ForcedTamper = bb.TamperFee })
		}},
		// Rules the v1 cases left out (review T5).
		{"deposit-marks-occupied-empty", "deposit that marks an occupied leaf empty (isEmpty on bob's account)", func(t *testing.T) *batch.Circuit {
			return deposits(t, func(bl *bb.Builder) { bl.DepositOverwrite = true })
		}},
		{"transfer-is-empty", "transfer that marks its receiver empty (isEmpty on a transfer, creating an account)", func(t *testing.T) *batch.Circuit {
			bl := newBuilder(ruleB)
			bl.TransferToEmpty = true
			must(t, bl.Transfer(alice, 1, 9, 1234, 2, 5, 0))
			c, _, err := bl.Build()
			must(t, err)
			return c
		}},
		{"deposit-amount-over-2pow104", "deposit of 2^104 (the public data's 13 bytes hold less)", func(t *testing.T) *batch.Circuit {
			bl := newBuilder(ruleB)
			bl.Deposit(9, bb.NewKey(9).KeyHash(), big.NewInt(9), new(big.Int).Lsh(big.NewInt(1), 104))
			c, _, err := bl.Build()
			must(t, err)
			return c
		}},
		{"operator-credit-wrong", "operator credited fee × (signed ops + 1)", func(t *testing.T) *batch.Circuit {
			bl := newBuilder(ruleB)
			bl.ExtraFees = 1
			must(t, bl.Transfer(alice, 1, 2, 1234, 2, 5, 0))
			c, _, err := bl.Build()
			must(t, err)
			return c
		}},
		{"operator-credit-short", "operator credited fee × (signed ops − 1)", func(t *testing.T) *batch.Circuit {
			bl := newBuilder(ruleB)
			bl.ExtraFees = -1
			must(t, bl.Transfer(alice, 1, 2, 1234, 2, 5, 0))
			c, _, err := bl.Build()
			must(t, err)
			return c
		}},
		{"transfer-receiver-not-dest", "transfer that credits another account than its dest", func(t *testing.T) *batch.Circuit {
			bl := newBuilder(ruleB)
			must(t, bl.TransferRedirected(alice, 1, 2, 5, 1234, 2, 5, 0)) // signed and published for 2, credits 5
			c, _, err := bl.Build()
			must(t, err)
			return c
		}},
		// Protocol v3: tokens and the 64-bit rollup id.
		{"transfer-cross-token", "transfer from an ETH account to a USDC account", func(t *testing.T) *batch.Circuit {
			bl := newBuilder(ruleB)
			bl.CrossToken = true
			must(t, bl.Transfer(alice, 1, 7, 1234, 2, 5, 0))
			c, _, err := bl.Build()
			must(t, err)
			return c
		}},
		{"signed-token-not-senders", "signature over another token than the sender account's", func(t *testing.T) *batch.Circuit {
			_, c, _ := transfersAndWithdrawal(t, ruleB)
			s := &c.Slots[0]
			s.Sig.Rx, s.Sig.Ry, s.Sig.S = alice.Sign(bb.Message(batch.OpTransfer, rollupID, 1, 4, 5, usdc, bb.Float16(1234, 2), big.NewInt(2)))
			return c
		}},
		{"sender-token-forged-mod-p", "ETH sent to a USDC account by claiming (and signing) USDC, the owner forged modulo p (owner ≥ 2^160)", func(t *testing.T) *batch.Circuit {
			bl := newBuilder(ruleB)
			bl.CrossToken = true
			claimToken(bl, usdc)
			must(t, bl.Transfer(alice, 1, 7, 1234, 2, 5, 0))
			c, _, err := bl.Build()
			must(t, err)
			return c
		}},
		{"withdrawal-claims-other-token", "withdrawal from an ETH account that claims (and signs, and publishes) USDC", func(t *testing.T) *batch.Circuit {
			bl := newBuilder(ruleB)
			claimToken(bl, usdc)
			must(t, bl.Withdraw(alice, 1, l1Address, big.NewInt(5000), 3, 0))
			c, _, err := bl.Build()
			must(t, err)
			return c
		}},
		{"withdrawal-chunk-other-token", "USDC withdrawal whose chunk names ETH", func(t *testing.T) *batch.Circuit {
			bl := newBuilder(ruleB)
			must(t, bl.Withdraw(alice, 6, l1Address, big.NewInt(5000), 3, 0))
			c, pd, err := bl.Build()
			must(t, err)
			chunk := batch.HeaderFixedBytes + (ruleB+3)/4
			pd[chunk+4], pd[chunk+5] = 0, 0 // the token: ETH
			rehash(c, pd)
			return c
		}},
		{"token-over-2pow16", "transfer claiming token 2^32 (the owner less 1, so the owner split holds) to pay no fee", func(t *testing.T) *batch.Circuit {
			bl := newBuilder(ruleB)
			claimToken(bl, 1<<32)
			must(t, bl.Transfer(alice, 1, 2, 1234, 2, 5, 0))
			c, _, err := bl.Build()
			must(t, err)
			return c
		}},
		{"forced-paid-other-token", "forced withdrawal of USDC by the owner of an ETH account, paid", func(t *testing.T) *batch.Circuit {
			return forcedToken(t, 2, bobOwner, usdc, 100, true, func(bl *bb.Builder) { bl.ForcedTamper = bb.TamperPaid })
		}},
		{"fee-from-other-token", "fee charged to a USDC transfer in an ETH batch (and credited)", func(t *testing.T) *batch.Circuit {
			return mixedTokens(t, func(bl *bb.Builder) { bl.FeeTamper = bb.FeeFromEveryToken })
		}},
		{"fee-not-from-fee-token", "fee not charged to an ETH transfer in an ETH batch (nor credited)", func(t *testing.T) *batch.Circuit {
			return mixedTokens(t, func(bl *bb.Builder) { bl.FeeTamper = bb.FeeFromNoToken })
		}},
		{"operator-credit-counts-other-token", "operator credited fee × signed ops, counting a USDC transfer that paid nothing", func(t *testing.T) *batch.Circuit {
			return mixedTokens(t, func(bl *bb.Builder) { bl.ExtraFees = 1 })
		}},
		{"rollup-id-high-bits", "signature for a rollup id that differs from the header's in its high 32 bits", func(t *testing.T) *batch.Circuit {
			_, c, _ := transfersAndWithdrawal(t, ruleB)
			s := &c.Slots[0]
			s.Sig.Rx, s.Sig.Ry, s.Sig.S = alice.Sign(bb.Message(batch.OpTransfer, rollupID^1<<40, 1, 4, 5, bb.ETH, bb.Float16(1234, 2), big.NewInt(2)))
			return c
		}},
	}
}

// decoderRefuses lists the rule cases whose witness the decoder refuses
// before the solver (a value outside its field's range): they are solved
// directly, but have no file in testdata/negative.
var decoderRefuses = map[string]bool{"token-over-2pow16": true}

// usdcBatch is a batch whose operator account (14) holds USDC: USDC ops pay
// the fee, ETH ops pay nothing.
func usdcBatch(t *testing.T) *batch.Circuit {
	t.Helper()
	bl := bb.New(ruleB, testD, rollupID, 77, 14, big.NewInt(3))
	bl.Put(1, alice.KeyHash(), aliceOwner, big.NewInt(1_000_000), 4)
	bl.Put(2, bob.KeyHash(), bobOwner, big.NewInt(500), 0)
	bl.PutToken(6, alice.KeyHash(), aliceOwner, usdc, big.NewInt(2_000_000), 1)
	bl.PutToken(7, bob.KeyHash(), bobOwner, usdc, big.NewInt(50), 0)
	bl.PutToken(14, opKey.KeyHash(), opOwner, usdc, big.NewInt(0), 0)
	must(t, bl.Transfer(alice, 6, 7, 1234, 2, 5, 0))                   // pays
	must(t, bl.Transfer(alice, 1, 2, 1234, 2, 0, 0))                   // ETH: pays nothing, maxFee 0 is fine
	must(t, bl.Withdraw(bob, 7, l1Address, big.NewInt(123_447), 3, 0)) // all of bob's 123,450 USDC but the fee
	c, _, err := bl.Build()
	must(t, err)
	if got := bl.Account(14).Balance; got.Cmp(big.NewInt(6)) != 0 {
		t.Fatalf("USDC operator credited %v, want 2 fees of 3", got)
	}
	return c
}

// Each case breaks one rule of a valid batch; the solver must refuse it.
func TestEachRuleIsEnforced(t *testing.T) {
	for _, tc := range ruleCases() {
		t.Run(tc.rule, func(t *testing.T) {
			if err := solve(t, tc.build(t)); err == nil {
				t.Fatal("a batch breaking the rule was accepted")
			}
		})
	}
}

// continuationMutation turns slot j of T,T,W,c,c,c,n,n,n,n,n,n into a
// forced withdrawal of 0 from the account at index 0 by requester 1, who is
// not its owner (0): refused, no state change, and no public data beyond its
// op code and its kind byte 2, which the mutation writes (rehash accounts
// for them). It needs the 4 slots after it (j ≤ 7). In a free no-op slot (6)
// that is a valid batch; in a withdrawal's continuation slot (3) it must be
// refused.
func continuationMutation(t *testing.T, j int) *batch.Circuit {
	bl := bb.New(ruleB, testD, rollupID, 77, operator, big.NewInt(3))
	bl.Put(0, fr.Element{}, big.NewInt(0), big.NewInt(11), 0)
	bl.Put(1, alice.KeyHash(), aliceOwner, big.NewInt(1_000_000), 4)
	bl.Put(2, bob.KeyHash(), bobOwner, big.NewInt(500), 0)
	bl.Put(operator, opKey.KeyHash(), opOwner, big.NewInt(100), 0)
	must(t, bl.Transfer(alice, 1, 2, 1234, 2, 5, 0))
	must(t, bl.Transfer(bob, 2, 1, 1, 3, 2047, 31))
	must(t, bl.Withdraw(alice, 1, l1Address, big.NewInt(5000), 3, 0))
	sibs := bl.Siblings(0) // nothing after the withdrawal touches the tree before the operator
	c, pd, err := bl.Build()
	must(t, err)
	s := &c.Slots[j]
	s.OpCode, s.PriorityKind, s.Dest = uint64(batch.OpPriority), uint64(batch.PriorityForcedWithdrawal), uint64(1)
	s.Receiver.Index, s.Receiver.KeyHash, s.Receiver.OwnerToken, s.Receiver.Balance, s.Receiver.Nonce, s.Receiver.IsEmpty = uint64(0), fr.Element{}, uint64(0), big.NewInt(11), uint64(0), uint64(0)
	copy(s.Receiver.Siblings, sibs)
	pd[batch.HeaderFixedBytes+j/4] |= batch.OpPriority << (2 * uint(3-j%4))
	pd[batch.HeaderFixedBytes+(ruleB+3)/4+batch.ChunkBytes*j+0] |= batch.KindForcedRefused
	pd[batch.HeaderFixedBytes+(ruleB+3)/4+batch.ChunkBytes*j+26] |= 1 // requester 1: the last of bytes 7-26
	rehash(c, pd)
	return c
}

func TestContinuationControl(t *testing.T) {
	if err := solve(t, continuationMutation(t, 6)); err != nil {
		t.Fatalf("the control mutation in a free slot must be valid: %v", err)
	}
}
