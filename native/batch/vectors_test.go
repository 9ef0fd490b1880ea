package batch_test

import (
	"crypto/sha256"
	"fmt"
	"math/big"
	"strings"
	"testing"

	"github.com/zkrollup/prover/native/batch"
	bb "github.com/zkrollup/prover/native/internal/batchbuild"
	"github.com/zkrollup/prover/native/internal/golden"
)

// Regenerate with: (cd native && go test ./batch -run TestBatchVectorFile -update)
const batchVectorFile = "../testdata/batch_vectors.txt"

// A vector scenario: accounts, then ops, as the Go builder applies them and
// as the Java BatchBuilder must (circuits' BatchVectorsTest reads the file).
type vectorScenario struct {
	name        string
	b           int
	batchNumber uint64
	operator    uint64 // vectorOperator unless set
	accounts    []vectorAccount
	ops         []func(bl *bb.Builder, out *strings.Builder)
}

type vectorAccount struct {
	index          uint64
	seed           byte // the key is bb.NewKey(seed): 32 bytes of seed
	owner, balance *big.Int
	nonce          uint64
	token          uint64
}

// vectorRollupID has its top bit set: Java reads the 64-bit id as unsigned.
const vectorRollupID, vectorOperator, vectorFee = 0xc0ffee5eed000001, 15, 3

func hex40(v *big.Int) string { return fmt.Sprintf("%040x", v) }

// canonicalFloat16 is the smallest-exponent float16 encoding of v (Java's).
func canonicalFloat16(v int64) (m, e uint64) {
	for v > 2047 {
		if v%10 != 0 {
			panic(fmt.Sprintf("%d is not a float16 value", v))
		}
		v /= 10
		e++
	}
	return uint64(v), e
}

func vTransfer(seed byte, from, to uint64, amount, maxFee int64) func(*bb.Builder, *strings.Builder) {
	return func(bl *bb.Builder, out *strings.Builder) {
		fmt.Fprintf(out, "transfer %d %d %d %d %d %d %d\n", seed, from, to, amount, maxFee, bl.Account(from).Nonce, bl.Account(from).Token)
		m, e := canonicalFloat16(amount)
		fm, fe := canonicalFloat16(maxFee)
		if err := bl.Transfer(bb.NewKey(seed), from, to, m, e, fm, fe); err != nil {
			panic(err)
		}
	}
}

func vWithdrawal(seed byte, from uint64, l1 *big.Int, amount *big.Int, maxFee int64) func(*bb.Builder, *strings.Builder) {
	return func(bl *bb.Builder, out *strings.Builder) {
		fmt.Fprintf(out, "withdrawal %d %d %s %s %d %d %d\n", seed, from, hex40(l1), amount, maxFee, bl.Account(from).Nonce, bl.Account(from).Token)
		fm, fe := canonicalFloat16(maxFee)
		if err := bl.Withdraw(bb.NewKey(seed), from, l1, amount, fm, fe); err != nil {
			panic(err)
		}
	}
}

func vDeposit(to uint64, seed byte, owner *big.Int, token uint64, amount *big.Int) func(*bb.Builder, *strings.Builder) {
	return func(bl *bb.Builder, out *strings.Builder) {
		fmt.Fprintf(out, "deposit %d %d %s %d %s\n", to, seed, hex40(owner), token, amount)
		bl.DepositToken(to, bb.NewKey(seed).KeyHash(), owner, token, amount)
	}
}

func vForced(account uint64, requester *big.Int, token uint64, amount int64) func(*bb.Builder, *strings.Builder) {
	return func(bl *bb.Builder, out *strings.Builder) {
		outcome := "refused"
		if bl.ForcedWithdrawalToken(account, requester, token, big.NewInt(amount)) {
			outcome = "paid"
		}
		fmt.Fprintf(out, "forced %d %s %d %d %s\n", account, hex40(requester), token, amount, outcome)
	}
}

func vectorScenarios() []vectorScenario {
	accounts := []vectorAccount{
		{1, 1, aliceOwner, big.NewInt(1_000_000), 4, bb.ETH},
		{2, 2, bobOwner, big.NewInt(500), 0, bb.ETH},
		{5, 3, carolOwner, big.NewInt(7000), 9, bb.ETH},
		{vectorOperator, 4, opOwner, big.NewInt(100), 0, bb.ETH},
	}
	maxDeposit := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 104), big.NewInt(1))
	maxWithdrawal := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 112), big.NewInt(1))
	// With USDC accounts of alice (6), bob (7) and carol (8), and the
	// operator's USDC fee account (14).
	withTokens := append(append([]vectorAccount(nil), accounts...),
		vectorAccount{6, 1, aliceOwner, big.NewInt(2_000_000), 1, usdc},
		vectorAccount{7, 2, bobOwner, big.NewInt(50), 0, usdc},
		vectorAccount{8, 3, carolOwner, new(big.Int).Add(maxWithdrawal, big.NewInt(vectorFee)), 2, usdc},
		vectorAccount{14, 4, opOwner, big.NewInt(0), 0, usdc},
	)
	return []vectorScenario{
		{"deposits-and-a-forced-withdrawal", 16, 7, 0, accounts, []func(*bb.Builder, *strings.Builder){
			vDeposit(9, 9, big.NewInt(0x99), bb.ETH, big.NewInt(42)), // a new account
			vDeposit(2, 2, bobOwner, bb.ETH, maxDeposit),             // onto bob's
			vTransfer(1, 1, 9, 1234_00, 5),                           // to the new account
			vForced(5, carolOwner, bb.ETH, 6999),                     // paid, from carol's
		}},
		{"forced-withdrawals-refused", 12, 8, 0, accounts, []func(*bb.Builder, *strings.Builder){
			vForced(2, aliceOwner, bb.ETH, 1),         // not the owner's
			vForced(1, aliceOwner, bb.ETH, 1_000_001), // more than the balance
			vTransfer(2, 2, 5, 497, 3),                // all of bob's balance, with the fee
		}},
		{"transfers-and-a-withdrawal", 8, 9, 0, accounts, []func(*bb.Builder, *strings.Builder){
			vTransfer(1, 1, 2, 20470, 2047),
			vWithdrawal(3, 5, l1Address, big.NewInt(5000), 3),
			vTransfer(2, 2, 2, 1, 3), // to itself
		}},
		{"a-forced-withdrawal-from-an-empty-leaf", 5, 10, 0, accounts, []func(*bb.Builder, *strings.Builder){
			vForced(9, big.NewInt(0), bb.ETH, 1),
		}},
		// Protocol v3: an ETH batch with USDC ops, which pay no fee.
		{"tokens-in-an-eth-batch", 23, 11, 0, withTokens, []func(*bb.Builder, *strings.Builder){
			vTransfer(1, 6, 7, 1234_00, 0),                         // USDC, no fee (maxFee 0)
			vTransfer(1, 1, 2, 1000, 3),                            // ETH, pays
			vWithdrawal(2, 7, l1Address, big.NewInt(123_450), 0),   // all of bob's USDC
			vDeposit(9, 9, big.NewInt(0x99), usdc, big.NewInt(42)), // a new USDC account
			vForced(6, aliceOwner, usdc, 1_000_000),                // paid
			vForced(6, aliceOwner, bb.ETH, 1),                      // refused: alice's account 6 holds USDC
		}},
		// A USDC batch (the operator's USDC account): USDC ops pay, ETH ops do not.
		{"a-usdc-batch", 12, 12, 14, withTokens, []func(*bb.Builder, *strings.Builder){
			vTransfer(1, 6, 7, 1234_00, 5),                 // pays
			vTransfer(2, 2, 1, 500, 0),                     // ETH: all of bob's balance, no fee
			vWithdrawal(3, 8, l1Address, maxWithdrawal, 3), // the largest withdrawal, 2^112 − 1, and the fee
		}},
	}
}

func generateBatchVectors(t *testing.T) string {
	var sb strings.Builder
	sb.WriteString(`# Batches built by the Go builder (native/internal/batchbuild), for the Java BatchBuilder
# (circuits' BatchVectorsTest): from the same accounts and ops it must build the same public data,
# roots and witness bytes. Protocol v3 (docs/protocol.md, "Protocol v2" and "Protocol v3").
# Generated by: (cd native && go test ./batch -run TestBatchVectorFile -update)
# Lines (decimal unless hex; hex lower case without 0x):
#   batch <name> <B> <D> <rollupId (unsigned 64-bit)> <batchNumber> <operator> <fee>
#   account <index> <seed> <owner hex40> <token> <balance> <nonce>     the key of seed s: 32 bytes of s
#   transfer <seed> <from> <to> <amount> <maxFee> <nonce> <token>      (signed by the key of seed)
#   withdrawal <seed> <from> <l1Address hex40> <amount> <maxFee> <nonce> <token>
#   deposit <to> <seed> <owner hex40> <token> <amount>
#   forced <account> <requester hex40> <token> <amount> <paid|refused>
# The fee token is the operator account's token; a signed op of another token pays no fee.
#   expect <oldRoot> <newRoot> <pubdataHash> <SHA-256 of the ZKBW witness bytes>   (hex, 32 bytes each)
#   pubdata <hex>
#   end
`)
	for _, sc := range vectorScenarios() {
		operator := sc.operator
		if operator == 0 {
			operator = vectorOperator
		}
		bl := bb.New(sc.b, testD, vectorRollupID, sc.batchNumber, operator, big.NewInt(vectorFee))
		fmt.Fprintf(&sb, "batch %s %d %d %d %d %d %d\n", sc.name, sc.b, testD, uint64(vectorRollupID), sc.batchNumber, operator, vectorFee)
		for _, a := range sc.accounts {
			bl.PutToken(a.index, bb.NewKey(a.seed).KeyHash(), a.owner, a.token, a.balance, a.nonce)
			fmt.Fprintf(&sb, "account %d %d %s %d %s %d\n", a.index, a.seed, hex40(a.owner), a.token, a.balance, a.nonce)
		}
		for _, op := range sc.ops {
			op(bl, &sb)
		}
		c, pd, err := bl.Build()
		must(t, err)
		if err := solve(t, c); err != nil {
			t.Fatalf("%s: the vector's batch does not solve: %v", sc.name, err)
		}
		w, err := batch.Encode(c)
		must(t, err)
		pub, err := batch.Public(c)
		must(t, err)
		sum := sha256.Sum256(w)
		fmt.Fprintf(&sb, "expect %x %x %x %x\n", pub[0:32], pub[32:64], pub[96:128], sum)
		fmt.Fprintf(&sb, "pubdata %x\nend\n", pd)
	}
	return sb.String()
}

// TestBatchVectorFile keeps testdata/batch_vectors.txt equal to what the Go
// builder produces now; every batch in it solves the circuit.
func TestBatchVectorFile(t *testing.T) {
	golden.Check(t, batchVectorFile, generateBatchVectors(t), *update)
}

func TestCanonicalFloat16(t *testing.T) {
	for v, want := range map[int64][2]uint64{1000: {1000, 0}, 20470: {2047, 1}, 123400: {1234, 2}, 5: {5, 0}} {
		if m, e := canonicalFloat16(v); m != want[0] || e != want[1] {
			t.Errorf("%d: (%d, %d), want %v", v, m, e, want)
		}
	}
	if batch.OpPriority != 2 {
		t.Fatal("op code 2 is the priority op")
	}
}
