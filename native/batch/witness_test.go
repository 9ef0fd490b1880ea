package batch_test

import (
	"bytes"
	"encoding/binary"
	"math/big"
	"strings"
	"testing"

	"github.com/zkrollup/prover/native/batch"
)

func validWitness(t testing.TB) []byte {
	bl := newBuilder(testB)
	if err := bl.Transfer(alice, 1, 2, 1234, 2, 5, 0); err != nil {
		t.Fatal(err)
	}
	if err := bl.Withdraw(alice, 1, l1Address, big.NewInt(5000), 3, 0); err != nil {
		t.Fatal(err)
	}
	w, err := bl.WitnessBytes()
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func TestDecodeRoundTripAndSolve(t *testing.T) {
	w := validWitness(t)
	if len(w) != batch.WitnessSize(testB, testD) {
		t.Fatalf("size %d, want %d", len(w), batch.WitnessSize(testB, testD))
	}
	c, err := batch.Decode(testB, testD, w)
	if err != nil {
		t.Fatal(err)
	}
	again, err := batch.Encode(c)
	if err != nil || !bytes.Equal(again, w) {
		t.Fatalf("re-encoding differs (err %v)", err)
	}
	if err := solve(t, c); err != nil {
		t.Fatalf("decoded witness not solved: %v", err)
	}
}

func TestDecodeRefuses(t *testing.T) {
	w := validWitness(t)
	elem := func(i int) int { return batch.WitnessHeaderSize + 32*i }
	slot0 := 11 + testD
	edit := func(f func(b []byte) []byte) []byte { return f(bytes.Clone(w)) }
	cases := map[string][]byte{
		"magic":                         edit(func(b []byte) []byte { b[0] = 'X'; return b }),
		"version 2":                     edit(func(b []byte) []byte { b[4] = 2; return b }),
		"B":                             edit(func(b []byte) []byte { binary.BigEndian.PutUint16(b[5:], testB+1); return b }),
		"D":                             edit(func(b []byte) []byte { b[7] = testD + 1; return b }),
		"short":                         w[:len(w)-1],
		"long":                          append(bytes.Clone(w), 0),
		"empty":                         nil,
		"non-canonical":                 edit(func(b []byte) []byte { copy(b[elem(0):], bytes.Repeat([]byte{0xff}, 32)); return b }),
		"rollupId 2^64":                 edit(func(b []byte) []byte { b[elem(4)+23] = 1; return b }),
		"operatorOwnerToken 2^192":      edit(func(b []byte) []byte { b[elem(8)+7] = 1; return b }),
		"operatorOwnerToken token 2^16": edit(func(b []byte) []byte { b[elem(8)+29] |= 1; return b }),
		"opCode 4":                      edit(func(b []byte) []byte { b[elem(slot0)+31] = 4; return b }),
		"amountExp 32":                  edit(func(b []byte) []byte { b[elem(slot0+1)+31] = 32; return b }),
		"amount 2^128":                  edit(func(b []byte) []byte { b[elem(slot0+3)+15] = 1; return b }),
		"priorityKind 2":                edit(func(b []byte) []byte { b[elem(slot0+7)+31] = 2; return b }),
		"token 2^16":                    edit(func(b []byte) []byte { b[elem(slot0+8)+29] = 1; return b }),
		"sender.index 2^D":              edit(func(b []byte) []byte { b[elem(slot0+9)+31] = 1 << testD; return b }),
		"sender.ownerToken 2^192":       edit(func(b []byte) []byte { b[elem(slot0+12)+7] = 1; return b }),
		"sender.ownerToken token 2^31":  edit(func(b []byte) []byte { b[elem(slot0+12)+28] |= 0x80; return b }),
		"receiver.ownerToken 2^192": edit(func(b []byte) []byte {
			b[elem(slot0+20+testD)+7] = 1
			return b
		}),
		"receiver.ownerToken token 2^16": edit(func(b []byte) []byte {
			b[elem(slot0+20+testD)+29] |= 1
			return b
		}),
		"isEmpty 2":   edit(func(b []byte) []byte { b[elem(slot0+23+testD)+31] = 2; return b }),
		"pubdataHash": edit(func(b []byte) []byte { b[elem(3)] = 0x20; return b }),
	}
	for name, data := range cases {
		_, err := batch.Decode(testB, testD, data)
		if err == nil {
			t.Errorf("%s: accepted", name)
			continue
		}
		// A field's refusal names the field.
		if field, _, ok := strings.Cut(name, " "); ok && strings.Contains(name, "2^") {
			if !strings.Contains(err.Error(), field) {
				t.Errorf("%s: refused for another reason: %v", name, err)
			}
		}
	}
	if _, err := batch.Decode(0, testD, w); err == nil || !strings.Contains(err.Error(), "B must be") {
		t.Errorf("B=0 accepted: %v", err)
	}
	if _, err := batch.Decode(testB, 33, w); err == nil {
		t.Error("D=33 accepted")
	}
}

func FuzzDecode(f *testing.F) {
	w := validWitness(f)
	f.Add(w)
	f.Add(w[:40])
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := batch.Decode(testB, testD, data)
		if err != nil {
			return
		}
		again, err := batch.Encode(c)
		if err != nil {
			t.Fatalf("accepted witness does not re-encode: %v", err)
		}
		if !bytes.Equal(again, data) {
			t.Fatal("accepted witness re-encodes differently")
		}
	})
}
