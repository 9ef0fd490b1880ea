package batch_test

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"math/big"
	"strings"
	"sync"
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark/constraint"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/frontend/cs/r1cs"
	"github.com/consensys/gnark/logger"

	"github.com/zkrollup/prover/native/batch"
	"github.com/zkrollup/prover/native/hashing"
	bb "github.com/zkrollup/prover/native/internal/batchbuild"
	"github.com/zkrollup/prover/native/internal/golden"
)

// validiumB is the batch size of the validium solver tests: 13 slots hold
// T, D (5 slots), T, W (4 slots), T, T, so the last transfer sits in slot
// 12, the first chunk of txHash's last element, whose other two chunks are
// past B (T_j = 0 for j ≥ B).
const validiumB = 13

var (
	validiumMu  sync.Mutex
	validiumCSs = map[[2]int]constraint.ConstraintSystem{}
)

func compiledValidium(t *testing.T, b, d int) constraint.ConstraintSystem {
	t.Helper()
	validiumMu.Lock()
	defer validiumMu.Unlock()
	if cs, ok := validiumCSs[[2]int{b, d}]; ok {
		return cs
	}
	logger.Disable()
	cs, err := frontend.Compile(ecc.BN254.ScalarField(), r1cs.NewBuilder, batch.NewCircuitWithOptions(b, d, batch.Validium()))
	if err != nil {
		t.Fatal(err)
	}
	validiumCSs[[2]int{b, d}] = cs
	return cs
}

func solveValidium(t *testing.T, c *batch.Circuit) error {
	t.Helper()
	w, err := frontend.NewWitness(c, ecc.BN254.ScalarField())
	if err != nil {
		t.Fatal(err)
	}
	return compiledValidium(t, c.Size(), c.Depth()).IsSolved(w)
}

// mixedBatch builds T(1→2), D(9, new), T(2→5), W(1), T(5→1), T(1→2) in
// validiumB slots, with the pubdataHash of mode m.
func mixedBatch(t *testing.T, m batch.Mode) (*batch.Circuit, []byte) {
	t.Helper()
	bl := newBuilder(validiumB)
	bl.Mode = m
	must(t, bl.Transfer(alice, 1, 2, 1234, 2, 5, 0))
	bl.Deposit(9, bb.NewKey(9).KeyHash(), big.NewInt(9), big.NewInt(42))
	must(t, bl.Transfer(bob, 2, 5, 1, 3, 2047, 31))
	must(t, bl.Withdraw(alice, 1, l1Address, big.NewInt(5000), 3, 0))
	must(t, bl.Transfer(carol, 5, 1, 7, 1, 5, 0))
	must(t, bl.Transfer(alice, 1, 2, 2047, 0, 5, 0))
	c, pd, err := bl.Build()
	must(t, err)
	return c, pd
}

// transferSlots of mixedBatch.
var transferSlots = []int{0, 6, 11, 12}

func chunkAt(b, j int) int { return batch.HeaderFixedBytes + (b+3)/4 + batch.ChunkBytes*j }

// zeroTransfers is the public data with transfer chunks zeroed, by hand
// (without batch.L1Data), so the tests below check L1Data too.
func zeroTransfers(pd []byte, b int, slots []int) []byte {
	out := bytes.Clone(pd)
	for _, j := range slots {
		clear(out[chunkAt(b, j) : chunkAt(b, j)+batch.ChunkBytes])
	}
	return out
}

// txHashOf folds the given 10-byte chunks (nil: zero) as the protocol says,
// written independently of batch.TxHash: big.Int packing, fr compression.
func txHashOf(t *testing.T, chunks [][]byte) []byte {
	t.Helper()
	h := make([]byte, 32)
	for k := 0; k < (len(chunks)+2)/3; k++ {
		e := new(big.Int)
		for i := 0; i < 3; i++ {
			e.Lsh(e, 80)
			if j := 3*k + i; j < len(chunks) && chunks[j] != nil {
				e.Or(e, new(big.Int).SetBytes(chunks[j]))
			}
		}
		var eb [32]byte
		e.FillBytes(eb[:])
		var err error
		if h, err = hashing.Compress(h, eb[:]); err != nil {
			t.Fatal(err)
		}
	}
	return h
}

// transferChunks lists slot j's chunk for each transfer slot, nil elsewhere.
func transferChunks(pd []byte, b int, slots []int) [][]byte {
	out := make([][]byte, b)
	for _, j := range slots {
		out[j] = bytes.Clone(pd[chunkAt(b, j) : chunkAt(b, j)+batch.ChunkBytes])
	}
	return out
}

func withHash(c *batch.Circuit, data ...[]byte) *batch.Circuit {
	cp := *c
	cp.PubdataHash = batch.HashData(bytes.Join(data, nil))
	return &cp
}

func TestL1DataZeroesOnlyTransferChunks(t *testing.T) {
	_, pd := mixedBatch(t, batch.ModeValidium)
	l1, err := batch.L1Data(pd, validiumB)
	must(t, err)
	if len(l1) != batch.L1DataLen(validiumB) || batch.L1DataLen(validiumB) != batch.PubdataLen(validiumB)+32 {
		t.Fatalf("l1Data is %d bytes, want %d", len(l1), batch.PubdataLen(validiumB)+32)
	}
	want := zeroTransfers(pd, validiumB, transferSlots)
	if !bytes.Equal(l1[:len(pd)], want) {
		t.Fatalf("l1Data's first %d bytes:\n%x\nwant\n%x", len(pd), l1[:len(pd)], want)
	}
	// The zeroed chunks were not zero: the test data has real transfers.
	for _, j := range transferSlots {
		if bytes.Equal(pd[chunkAt(validiumB, j):chunkAt(validiumB, j)+10], make([]byte, 10)) {
			t.Fatalf("slot %d's transfer chunk is already zero", j)
		}
	}
	tx, err := batch.TxHash(pd, validiumB)
	must(t, err)
	if ref := txHashOf(t, transferChunks(pd, validiumB, transferSlots)); !bytes.Equal(tx, ref) || !bytes.Equal(l1[len(pd):], ref) {
		t.Fatalf("txHash %x, l1Data tail %x, independent fold %x", tx, l1[len(pd):], ref)
	}
	if _, err := batch.L1Data(pd[1:], validiumB); err == nil {
		t.Fatal("public data of the wrong length accepted")
	}
	// No transfers: txHash is the fold of zero elements, l1Data = pubdata ‖ txHash.
	_, emptyPd, err := newBuilder(4).Build()
	must(t, err)
	l1, err = batch.L1Data(emptyPd, 4)
	must(t, err)
	if !bytes.Equal(l1[:len(emptyPd)], emptyPd) || !bytes.Equal(l1[len(emptyPd):], txHashOf(t, make([][]byte, 4))) {
		t.Fatal("l1Data of a batch without transfers")
	}
}

func TestValidiumBatch(t *testing.T) {
	c, pd := mixedBatch(t, batch.ModeValidium)
	if err := solveValidium(t, c); err != nil {
		t.Fatalf("valid validium batch (transfers, a deposit, a withdrawal) not solved: %v", err)
	}
	zeroed := zeroTransfers(pd, validiumB, transferSlots)
	chunks := transferChunks(pd, validiumB, transferSlots)
	// Control: the negative cases below assemble l1Data by hand; assembled
	// from the right parts it must be accepted, so each refusal below comes
	// from the part it changes.
	if err := solveValidium(t, withHash(c, zeroed, txHashOf(t, chunks))); err != nil {
		t.Fatalf("hand-assembled l1Data refused: %v", err)
	}

	rollup, _ := mixedBatch(t, batch.ModeRollup)
	if rollup.PubdataHash.(*big.Int).Cmp(c.PubdataHash.(*big.Int)) == 0 {
		t.Fatal("rollup and validium pubdataHash are equal")
	}
	swapped := bytes.Clone(pd) // transfers of slots 0 and 6 swapped in the hash input only
	copy(swapped[chunkAt(validiumB, 0):], chunks[6])
	copy(swapped[chunkAt(validiumB, 6):], chunks[0])
	amount := transferChunks(pd, validiumB, transferSlots)
	amount[11][9] ^= 1 // slot 11's amount, in the hash input only
	kept := bytes.Clone(zeroed)
	copy(kept[chunkAt(validiumB, 6):], chunks[6])
	for name, bad := range map[string]*batch.Circuit{
		"the rollup pubdataHash":                     rollup,
		"txHash over two transfers swapped":          withHash(c, zeroed, txHashOf(t, transferChunks(swapped, validiumB, transferSlots))),
		"txHash over a changed amount":               withHash(c, zeroed, txHashOf(t, amount)),
		"txHash missing the last transfer":           withHash(c, zeroed, txHashOf(t, transferChunks(pd, validiumB, transferSlots[:3]))),
		"l1Data keeping a transfer chunk":            withHash(c, kept, txHashOf(t, chunks)),
		"l1Data without txHash":                      withHash(c, zeroed),
		"txHash of pubdata without the zeroed bytes": withHash(c, pd, txHashOf(t, chunks)),
	} {
		if err := solveValidium(t, bad); err == nil {
			t.Errorf("validium circuit accepted %s", name)
		}
	}
	// The rollup circuit accepts the rollup hash and refuses the validium one.
	if err := solve(t, rollup); err != nil {
		t.Fatalf("rollup circuit refused the rollup batch: %v", err)
	}
	if err := solve(t, c); err == nil {
		t.Fatal("rollup circuit accepted the validium pubdataHash")
	}
}

// The witness bytes are the same in both modes except pubdataHash.
func TestValidiumWitnessBytes(t *testing.T) {
	rollup, _ := mixedBatch(t, batch.ModeRollup)
	validium, _ := mixedBatch(t, batch.ModeValidium)
	rb, err := batch.Encode(rollup)
	must(t, err)
	vb, err := batch.Encode(validium)
	must(t, err)
	const hashAt = batch.WitnessHeaderSize + 3*fr.Bytes // the 4th public input
	if len(rb) != len(vb) || !bytes.Equal(rb[:hashAt], vb[:hashAt]) || !bytes.Equal(rb[hashAt+fr.Bytes:], vb[hashAt+fr.Bytes:]) {
		t.Fatal("rollup and validium witnesses differ outside pubdataHash")
	}
	if bytes.Equal(rb[hashAt:hashAt+fr.Bytes], vb[hashAt:hashAt+fr.Bytes]) {
		t.Fatal("pubdataHash is the same in both modes")
	}
	// A validium witness decodes like any other (Decode knows no mode).
	if _, err := batch.Decode(validiumB, testD, vb); err != nil {
		t.Fatal(err)
	}
}

// rollupR1CS is the R1CS count of the rollup circuit at B=8, D=4 (protocol
// v3 with the signing-key check, +20 per slot; v3 before it 164,738, v2 161,399, v1's 158,213, unchanged from before validium mode
// existed to commit 7337f26). A change of the count changes the keys: it
// must be a change of the protocol, made on purpose (docs/circuit-costs.md).
const rollupR1CS = 164898

func TestRollupConstraintsUnchanged(t *testing.T) {
	plain := compiled(t, testB, testD).GetNbConstraints()
	if plain != rollupR1CS {
		t.Errorf("rollup circuit B=%d D=%d has %d R1CS, pinned at %d", testB, testD, plain, rollupR1CS)
	}
	explicit, err := frontend.Compile(ecc.BN254.ScalarField(), r1cs.NewBuilder, batch.NewCircuitWithOptions(testB, testD, batch.WithMode(batch.ModeRollup)))
	must(t, err)
	if explicit.GetNbConstraints() != plain {
		t.Errorf("WithMode(ModeRollup) has %d R1CS, NewCircuit %d", explicit.GetNbConstraints(), plain)
	}
	if v := compiledValidium(t, testB, testD).GetNbConstraints(); v == plain {
		t.Errorf("validium circuit has the rollup count %d", v)
	} else {
		t.Logf("B=%d D=%d: rollup %d R1CS, validium %d", testB, testD, plain, v)
	}
}

func TestModeNames(t *testing.T) {
	for _, m := range []batch.Mode{batch.ModeRollup, batch.ModeValidium} {
		if p, err := batch.ParseMode(m.String()); err != nil || p != m {
			t.Errorf("ParseMode(%q) = %v, %v", m.String(), p, err)
		}
		if p, err := batch.ModeOfCode(int(m)); err != nil || p != m {
			t.Errorf("ModeOfCode(%d) = %v, %v", int(m), p, err)
		}
	}
	for _, code := range []int{-1, 2, 255} {
		if _, err := batch.ModeOfCode(code); err == nil {
			t.Errorf("mode code %d accepted", code)
		}
	}
	if _, err := batch.ParseMode("Validium"); err == nil {
		t.Error("mode names are lower case")
	}
	if _, err := frontend.Compile(ecc.BN254.ScalarField(), r1cs.NewBuilder, batch.NewCircuitWithOptions(1, 1, batch.WithMode(7))); err == nil {
		t.Error("a circuit of an unknown mode compiled")
	}
}

const validiumVectorFile = "../testdata/validium_vectors.txt"

// craftedPubdata is public data written byte by byte, with account indices
// and amounts that use all their bytes, so a Java reader that gets the byte
// order or the chunk offsets wrong fails. Ops: T, W (4), T, deposit (5), T,
// no-op.
func craftedPubdata() (b int, pd []byte) {
	b = 13
	codes := []int{1, 3, 0, 0, 0, 1, 2, 0, 0, 0, 0, 1, 0}
	pd = append(pd, 0xde, 0xad, 0xbe, 0xef, 0xc0, 0xff, 0xee, 0x01) // rollupId (8 bytes, protocol v3)
	pd = append(pd, 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef) // batchNumber
	pd = append(pd, 0xff, 0xee, 0xdd, 0xcc)                         // operator
	pd = append(pd, bytes.Repeat([]byte{0x5a}, 16)...)              // fee
	ops := make([]byte, (b+3)/4)
	for j, c := range codes {
		ops[j/4] |= byte(c) << (2 * uint(3-j%4))
	}
	pd = append(pd, ops...)
	chunk := func(seed byte, n int) []byte {
		out := make([]byte, n)
		for i := range out {
			out[i] = seed + byte(37*i)
		}
		return out
	}
	pd = append(pd, chunk(0x81, 10)...)           // T: from, to, float16
	pd = append(pd, chunk(0x13, 40)...)           // W: from, token, l1Address, amount
	pd = append(pd, chunk(0xf0, 10)...)           // T
	pd = append(pd, 0x00, 0x12, 0x34, 0x56, 0x78) // D: kind 0, to, amount (13, < 2^104), idHash (32, canonical)
	pd = append(pd, chunk(0x07, 13)...)
	pd = append(pd, 0x0f)
	pd = append(pd, chunk(0x99, 31)...)
	pd = append(pd, 0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x01, 0xff, 0xff) // T
	pd = append(pd, make([]byte, 10)...)                                        // no-op
	return b, pd
}

func generateValidiumVectors(t *testing.T) string {
	var sb strings.Builder
	sb.WriteString(`# Validium L1 data (docs/protocol.md, "Validium (protocol v2 mode)"), for the Java side.
# Generated by: (cd native && go test ./batch -run TestValidiumVectorFile -update)
# Lines: validium <B> <pubdata> <l1Data> <txHash> <pubdataHash>
#   all lower-case hex without 0x; pubdata is the (v3) public data (PubdataLen(B) bytes),
#   l1Data = pubdata with every transfer chunk zeroed ‖ txHash (PubdataLen(B) + 32 bytes),
#   txHash = the Poseidon2 fold of the transfer chunks (32 bytes, big-endian),
#   pubdataHash = SHA-256(l1Data) mod 2^253 (32 bytes, big-endian), the validium public input.
`)
	line := func(b int, pd []byte) {
		l1, err := batch.L1Data(pd, b)
		must(t, err)
		tx, err := batch.TxHash(pd, b)
		must(t, err)
		h, err := batch.PubdataHash(batch.ModeValidium, pd, b)
		must(t, err)
		if !bytes.Equal(batch.HashData(l1).Bytes(), h.Bytes()) || !bytes.Equal(l1[len(pd):], tx) {
			t.Fatal("PubdataHash, L1Data and TxHash disagree")
		}
		var hb [32]byte
		h.FillBytes(hb[:])
		fmt.Fprintf(&sb, "validium %d %s %s %s %s\n", b, hex.EncodeToString(pd), hex.EncodeToString(l1), hex.EncodeToString(tx), hex.EncodeToString(hb[:]))
	}
	// B = 7: T(1→2), W(1), T(2→5), T(5→1), from a real batch.
	bl := newBuilder(7)
	must(t, bl.Transfer(alice, 1, 2, 1234, 2, 5, 0))
	must(t, bl.Withdraw(alice, 1, l1Address, big.NewInt(5000), 3, 0))
	must(t, bl.Transfer(bob, 2, 5, 1, 3, 2047, 31))
	must(t, bl.Transfer(carol, 5, 1, 1000, 0, 5, 0))
	_, pd, err := bl.Build()
	must(t, err)
	line(7, pd)
	// B = 1: one transfer; B = 4: no transfer at all (txHash = compress(0, 0)).
	bl = newBuilder(1)
	must(t, bl.Transfer(alice, 1, 2, 1, 0, 5, 0))
	_, pd, err = bl.Build()
	must(t, err)
	line(1, pd)
	_, pd, err = newBuilder(4).Build()
	must(t, err)
	line(4, pd)
	line(craftedPubdata())
	// The mixed batch the solver test proves in validium mode.
	_, pd = mixedBatch(t, batch.ModeValidium)
	line(validiumB, pd)
	// B = 12: a forced withdrawal paid, one refused (not the owner's), a transfer.
	bl = newBuilder(12)
	bl.ForcedWithdrawal(2, bobOwner, big.NewInt(300))
	bl.ForcedWithdrawal(1, bobOwner, big.NewInt(1))
	must(t, bl.Transfer(alice, 1, 2, 1234, 2, 5, 0))
	_, pd, err = bl.Build()
	must(t, err)
	line(12, pd)
	return sb.String()
}

// TestValidiumVectorFile keeps testdata/validium_vectors.txt equal to what
// L1Data, TxHash and PubdataHash compute now; the mixed batch's line is the
// one TestValidiumBatch proves satisfies the validium circuit.
func TestValidiumVectorFile(t *testing.T) {
	golden.Check(t, validiumVectorFile, generateValidiumVectors(t), *update)
}
