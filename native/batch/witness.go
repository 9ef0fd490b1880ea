package batch

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math/big"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark/frontend"
)

// Witness bytes (docs/protocol.md, "Batch witness"): "ZKBW", version, B
// (u16), D (u8), then canonical 32-byte big-endian field elements.
const (
	witnessMagic   = "ZKBW"
	witnessVersion = 3 // protocol v3: tokens and a 64-bit rollup id (v1 and v2 witnesses are refused)
	// WitnessHeaderSize is the size of the fixed header before the elements.
	WitnessHeaderSize = 8
)

// NbElements is the number of field elements in the witness of b slots, depth d.
func NbElements(b, d int) int { return 11 + d + b*(SlotScalars+2*d) }

// SlotScalars is the number of field elements of a slot besides its two
// sibling paths.
const SlotScalars = 24

// OwnerTokenBits bounds ownerToken = owner·2^32 + token (owner 160 bits, the
// token's 32-bit slot). The decoder also refuses bits 16-31 set: a token is
// below 2^16.
const OwnerTokenBits = OwnerBits + TokenSlotBits

// WitnessSize is the exact length of the witness bytes of b slots, depth d.
func WitnessSize(b, d int) int { return WitnessHeaderSize + fr.Bytes*NbElements(b, d) }

// field is one witness element and the bound the decoder enforces on it.
type field struct {
	v    *frontend.Variable
	bits int // the value must be < 2^bits; 0: any canonical element
	name string
}

// ownerTokenBits marks an ownerToken field in fields(): below 2^192 and its
// token slot's bits 16-31 zero.
const ownerTokenBits = -1

// fields lists the circuit's variables in witness order with their bounds.
// The bounds keep every value the solver sees inside the range its gadgets
// decompose; rule violations inside those ranges are left to the solver.
func (c *Circuit) fields() []field {
	d := c.Depth()
	out := make([]field, 0, NbElements(c.Size(), d))
	add := func(v *frontend.Variable, bits int, name string) { out = append(out, field{v, bits, name}) }
	sibs := func(s []frontend.Variable, name string) {
		for i := range s {
			add(&s[i], 0, fmt.Sprintf("%s[%d]", name, i))
		}
	}
	add(&c.OldRoot, 0, "oldRoot")
	add(&c.NewRoot, 0, "newRoot")
	add(&c.BatchNumber, 64, "batchNumber")
	add(&c.PubdataHash, 253, "pubdataHash")
	add(&c.RollupID, RollupIDBits, "rollupId")
	add(&c.Operator, d, "operator")
	add(&c.Fee, 128, "fee")
	add(&c.OperatorKeyHash, 0, "operatorKeyHash")
	add(&c.OperatorOwnerToken, ownerTokenBits, "operatorOwnerToken")
	add(&c.OperatorBalance, 128, "operatorBalance")
	add(&c.OperatorNonce, 63, "operatorNonce")
	sibs(c.OperatorSiblings, "operatorSiblings")
	for j := range c.Slots {
		s := &c.Slots[j]
		p := fmt.Sprintf("slot %d ", j)
		add(&s.OpCode, 2, p+"opCode")
		add(&s.AmountExp, 5, p+"amountExp")
		add(&s.AmountMantissa, 11, p+"amountMantissa")
		add(&s.Amount, 128, p+"amount")
		add(&s.MaxFeeExp, 5, p+"maxFeeExp")
		add(&s.MaxFeeMantissa, 11, p+"maxFeeMantissa")
		add(&s.Dest, 160, p+"dest")
		add(&s.PriorityKind, 1, p+"priorityKind")
		add(&s.Token, TokenBits, p+"token")
		add(&s.Sender.Index, d, p+"sender.index")
		add(&s.Sender.PubKeyX, 0, p+"sender.pubKeyX")
		add(&s.Sender.PubKeyY, 0, p+"sender.pubKeyY")
		add(&s.Sender.OwnerToken, ownerTokenBits, p+"sender.ownerToken")
		add(&s.Sender.Balance, 128, p+"sender.balance")
		add(&s.Sender.Nonce, 63, p+"sender.nonce")
		sibs(s.Sender.Siblings, p+"sender.siblings")
		add(&s.Sig.Rx, 0, p+"sig.Rx")
		add(&s.Sig.Ry, 0, p+"sig.Ry")
		add(&s.Sig.S, 0, p+"sig.S")
		add(&s.Receiver.Index, d, p+"receiver.index")
		add(&s.Receiver.KeyHash, 0, p+"receiver.keyHash")
		add(&s.Receiver.OwnerToken, ownerTokenBits, p+"receiver.ownerToken")
		add(&s.Receiver.Balance, 128, p+"receiver.balance")
		add(&s.Receiver.Nonce, 63, p+"receiver.nonce")
		add(&s.Receiver.IsEmpty, 1, p+"receiver.isEmpty")
		sibs(s.Receiver.Siblings, p+"receiver.siblings")
	}
	return out
}

// FieldBound is one witness element in witness order: its name and the
// bound Decode enforces on it (Bits > 0: below 2^Bits; 0: any canonical
// element; OwnerTokenBound: an ownerToken, below 2^192 with bits 16-31 zero).
// Fuzzers use it to write hostile values that stay inside the ranges and so
// reach the solver.
type FieldBound struct {
	Name string
	Bits int
}

// OwnerTokenBound is FieldBound.Bits of an ownerToken element.
const OwnerTokenBound = ownerTokenBits

// FieldBounds lists the witness elements of b slots, depth d, in order.
func FieldBounds(b, d int) []FieldBound {
	fs := NewCircuit(b, d).fields()
	out := make([]FieldBound, len(fs))
	for i, f := range fs {
		out[i] = FieldBound{f.name, f.bits}
	}
	return out
}

// Decode parses witness bytes for a circuit of b slots and depth d into an
// assignment whose variables are fr.Element values. It refuses, with an
// error and never a panic, a wrong magic, version, B, D or length, a
// non-canonical element, and any value outside its field's range.
func Decode(b, d int, data []byte) (*Circuit, error) {
	if err := CheckParams(b, d); err != nil {
		return nil, err
	}
	if len(data) < WitnessHeaderSize {
		return nil, fmt.Errorf("batch witness: %d bytes, shorter than the %d-byte header", len(data), WitnessHeaderSize)
	}
	if string(data[:4]) != witnessMagic {
		return nil, fmt.Errorf("batch witness: bad magic %q", data[:4])
	}
	if data[4] != witnessVersion {
		return nil, fmt.Errorf("batch witness: version %d, want %d", data[4], witnessVersion)
	}
	if gotB, gotD := int(binary.BigEndian.Uint16(data[5:7])), int(data[7]); gotB != b || gotD != d {
		return nil, fmt.Errorf("batch witness: for B=%d D=%d, circuit is B=%d D=%d", gotB, gotD, b, d)
	}
	if want := WitnessSize(b, d); len(data) != want {
		return nil, fmt.Errorf("batch witness: %d bytes, want %d for B=%d D=%d", len(data), want, b, d)
	}
	c := NewCircuit(b, d)
	body := data[WitnessHeaderSize:]
	var x big.Int
	for i, f := range c.fields() {
		var e fr.Element
		if err := e.SetBytesCanonical(body[i*fr.Bytes : (i+1)*fr.Bytes]); err != nil {
			return nil, fmt.Errorf("batch witness: %s is not a canonical field element", f.name)
		}
		if f.bits > 0 {
			e.BigInt(&x)
			if x.BitLen() > f.bits {
				return nil, fmt.Errorf("batch witness: %s must be below 2^%d", f.name, f.bits)
			}
		}
		if f.bits == ownerTokenBits {
			e.BigInt(&x)
			if x.BitLen() > OwnerTokenBits {
				return nil, fmt.Errorf("batch witness: %s must be below 2^%d", f.name, OwnerTokenBits)
			}
			for i := TokenBits; i < TokenSlotBits; i++ {
				if x.Bit(i) != 0 {
					return nil, fmt.Errorf("batch witness: %s has a token of 2^%d or more (bits %d-%d must be 0)", f.name, TokenBits, TokenBits, TokenSlotBits-1)
				}
			}
		}
		*f.v = e
	}
	return c, nil
}

// Encode writes an assignment (variables holding fr.Element, *big.Int, or
// Go integers; nil means 0) as witness bytes. It does not check ranges.
func Encode(c *Circuit) ([]byte, error) {
	b, d := c.Size(), c.Depth()
	if err := CheckParams(b, d); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	buf.WriteString(witnessMagic)
	buf.WriteByte(witnessVersion)
	buf.Write(binary.BigEndian.AppendUint16(nil, uint16(b)))
	buf.WriteByte(byte(d))
	for _, f := range c.fields() {
		e, err := toElement(*f.v)
		if err != nil {
			return nil, fmt.Errorf("batch witness: %s: %w", f.name, err)
		}
		bs := e.Bytes()
		buf.Write(bs[:])
	}
	return buf.Bytes(), nil
}

func toElement(v frontend.Variable) (fr.Element, error) {
	var e fr.Element
	switch t := v.(type) {
	case nil:
		return e, nil
	case fr.Element:
		return t, nil
	case *fr.Element:
		return *t, nil
	case *big.Int:
		if t.Sign() < 0 || t.Cmp(fr.Modulus()) >= 0 {
			return e, fmt.Errorf("value out of field range")
		}
		e.SetBigInt(t)
		return e, nil
	case big.Int:
		return toElement(&t)
	case int:
		if t < 0 {
			return e, fmt.Errorf("negative value")
		}
		e.SetUint64(uint64(t))
		return e, nil
	case uint64:
		e.SetUint64(t)
		return e, nil
	default:
		return e, fmt.Errorf("unsupported value type %T", v)
	}
}

// PublicInputsSize is the size of the public inputs as bytes: oldRoot,
// newRoot, batchNumber, pubdataHash, each a canonical 32-byte element.
const PublicInputsSize = 4 * fr.Bytes

// publicInputs are the circuit's public variables in the order of their
// bytes (Public, PublicAssignment). Where they sit among the circuit's
// fields, and so their order in gnark's witness, is the struct's business.
func (c *Circuit) publicInputs() []*frontend.Variable {
	return []*frontend.Variable{&c.OldRoot, &c.NewRoot, &c.BatchNumber, &c.PubdataHash}
}

// Public returns the four public inputs of an assignment as 128 bytes.
func Public(c *Circuit) ([]byte, error) {
	out := make([]byte, 0, PublicInputsSize)
	for _, v := range c.publicInputs() {
		e, err := toElement(*v)
		if err != nil {
			return nil, err
		}
		bs := e.Bytes()
		out = append(out, bs[:]...)
	}
	return out, nil
}

// PublicAssignment is the inverse of Public: a circuit whose public inputs
// are the 128 bytes (each a canonical element) and whose other variables are
// unset. It is for gnark's public witness (frontend.NewWitness with
// frontend.PublicOnly()), which then takes the public inputs in the order the
// circuit declares them, the order the prover used.
func PublicAssignment(public []byte) (*Circuit, error) {
	if len(public) != PublicInputsSize {
		return nil, fmt.Errorf("public inputs must be %d bytes, got %d", PublicInputsSize, len(public))
	}
	c := NewCircuit(1, 1) // B and D do not shape the public inputs
	for i, v := range c.publicInputs() {
		var e fr.Element
		if err := e.SetBytesCanonical(public[i*fr.Bytes : (i+1)*fr.Bytes]); err != nil {
			return nil, fmt.Errorf("public input %d is not canonical", i)
		}
		*v = e
	}
	return c, nil
}
