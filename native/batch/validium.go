package batch

import (
	"crypto/sha256"
	"fmt"
	"math/big"

	"github.com/zkrollup/prover/native/hashing"
)

// Mode is the data-availability mode of a circuit (docs/protocol.md,
// "Validium (protocol v2 mode)"). It is a circuit parameter like B and D:
// keys are made for one mode. The numeric values are the bridge's codes and
// Java's DataAvailability.code().
type Mode int

const (
	// ModeRollup is protocol v1: pubdataHash = SHA-256(pubdata) mod 2^253.
	ModeRollup Mode = 0
	// ModeValidium: pubdataHash = SHA-256(L1Data(pubdata)) mod 2^253.
	ModeValidium Mode = 1
)

// String returns the name used in key manifests and bridge reports.
func (m Mode) String() string {
	switch m {
	case ModeRollup:
		return "rollup"
	case ModeValidium:
		return "validium"
	}
	return fmt.Sprintf("Mode(%d)", int(m))
}

func (m Mode) check() error {
	if m != ModeRollup && m != ModeValidium {
		return fmt.Errorf("batch: unknown data-availability mode %d (0 rollup, 1 validium)", int(m))
	}
	return nil
}

// ParseMode accepts "rollup" and "validium".
func ParseMode(s string) (Mode, error) {
	switch s {
	case "rollup":
		return ModeRollup, nil
	case "validium":
		return ModeValidium, nil
	}
	return 0, fmt.Errorf("batch: unknown data-availability mode %q (rollup or validium)", s)
}

// ModeOfCode returns the mode of a bridge code (0 rollup, 1 validium).
func ModeOfCode(code int) (Mode, error) {
	m := Mode(code)
	if err := m.check(); err != nil {
		return 0, err
	}
	return m, nil
}

// TxChunksPerElement is how many 10-byte transfer chunks txHash packs into
// one field element (240 bits < the 254-bit field).
const TxChunksPerElement = 3

// TxHashElements is the number of compressions txHash takes for b slots, ⌈b/3⌉.
func TxHashElements(b int) int { return (b + TxChunksPerElement - 1) / TxChunksPerElement }

// L1DataLen is the length of the validium L1 data of b slots: the public
// data (transfer chunks zeroed) followed by the 32-byte txHash.
func L1DataLen(b int) int { return PubdataLen(b) + 32 }

// opCode reads slot j's 2-bit op code from the public data's header.
func opCode(pubdata []byte, j int) int {
	return int(pubdata[HeaderFixedBytes+j/4]>>(2*uint(3-j%4))) & 3
}

func chunkOffset(b, j int) int { return HeaderFixedBytes + (b+3)/4 + ChunkBytes*j }

func checkPubdata(pubdata []byte, b int) error {
	if b < 1 || b > MaxSlots {
		return fmt.Errorf("batch: B must be 1..%d, got %d", MaxSlots, b)
	}
	if len(pubdata) != PubdataLen(b) {
		return fmt.Errorf("batch: public data of B=%d must be %d bytes, got %d", b, PubdataLen(b), len(pubdata))
	}
	return nil
}

// TxHash computes the validium txHash of the public data of a batch of b
// slots (docs/protocol.md, "Validium"), as 32 bytes big-endian: T_j is slot
// j's chunk if its op code is a transfer, else zero (also for j ≥ b);
// e_k = T_{3k} ‖ T_{3k+1} ‖ T_{3k+2} as a 240-bit integer; h_0 = 0,
// h_{k+1} = compress(h_k, e_k) (hashing.Compress, the Merkle-node
// compression); txHash = h_{⌈b/3⌉}.
func TxHash(pubdata []byte, b int) ([]byte, error) {
	if err := checkPubdata(pubdata, b); err != nil {
		return nil, err
	}
	h := make([]byte, 32)
	for k := 0; k < TxHashElements(b); k++ {
		// e_k as 32 bytes big-endian: 2 zero bytes, then the three chunks.
		e := make([]byte, 32)
		for i := 0; i < TxChunksPerElement; i++ {
			j := TxChunksPerElement*k + i
			if j < b && opCode(pubdata, j) == OpTransfer {
				off := chunkOffset(b, j)
				copy(e[32-ChunkBytes*(TxChunksPerElement-i):], pubdata[off:off+ChunkBytes])
			}
		}
		var err error
		if h, err = hashing.Compress(h, e); err != nil {
			return nil, err
		}
	}
	return h, nil
}

// L1Data returns what a validium batch posts to L1: the public data with
// every transfer slot's chunk replaced by zero bytes (deposits, withdrawals,
// their continuations, the header and op codes unchanged), followed by
// TxHash. Its length is L1DataLen(b).
func L1Data(pubdata []byte, b int) ([]byte, error) {
	tx, err := TxHash(pubdata, b)
	if err != nil {
		return nil, err
	}
	out := make([]byte, 0, L1DataLen(b))
	out = append(out, pubdata...)
	for j := 0; j < b; j++ {
		if opCode(pubdata, j) == OpTransfer {
			off := chunkOffset(b, j)
			clear(out[off : off+ChunkBytes])
		}
	}
	return append(out, tx...), nil
}

// HashData is SHA-256(data) mod 2^253, the pubdataHash of the bytes L1 gets.
func HashData(data []byte) *big.Int {
	sum := sha256.Sum256(data)
	sum[0] &= 0x1f
	return new(big.Int).SetBytes(sum[:])
}

// PubdataHash is the public input pubdataHash of a batch of b slots with
// this public data in mode m: HashData(pubdata) in rollup mode,
// HashData(L1Data(pubdata, b)) in validium mode.
func PubdataHash(m Mode, pubdata []byte, b int) (*big.Int, error) {
	if err := m.check(); err != nil {
		return nil, err
	}
	if err := checkPubdata(pubdata, b); err != nil {
		return nil, err
	}
	if m == ModeRollup {
		return HashData(pubdata), nil
	}
	l1, err := L1Data(pubdata, b)
	if err != nil {
		return nil, err
	}
	return HashData(l1), nil
}
