package main

import (
	"bytes"
	"testing"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"

	"github.com/zkrollup/prover/native/smt"
)

func TestSmtRootMatchesPackage(t *testing.T) {
	var v fr.Element
	v.SetUint64(42)
	leaves := []smt.Leaf{{Index: 3, Value: v}, {Index: 1 << 20, Value: v}}
	got, err := smtRoot(32, smt.EncodeLeaves(leaves))
	if err != nil {
		t.Fatal(err)
	}
	want, _ := smt.Root(32, leaves)
	wb := want.Bytes()
	if !bytes.Equal(got, wb[:]) {
		t.Fatalf("bridge %x, package %x", got, wb)
	}
	empty, err := smtRoot(4, nil)
	if err != nil {
		t.Fatal(err)
	}
	e, _ := smt.EmptyRoots(4)
	eb := e[4].Bytes()
	if !bytes.Equal(empty, eb[:]) {
		t.Fatal("no leaves is not the empty root")
	}
}

func TestSmtRootStatusCodes(t *testing.T) {
	var one fr.Element
	one.SetOne()
	modulus := fr.Modulus().FillBytes(make([]byte, 32))
	nonCanonical := append(make([]byte, 8), modulus...)
	dup := smt.EncodeLeaves([]smt.Leaf{{Index: 1, Value: one}, {Index: 1, Value: one}})
	cases := map[string]struct {
		depth int32
		in    []byte
		code  int32
	}{
		"depth 0":       {0, nil, codeInvalidArgument},
		"depth 64":      {64, nil, codeInvalidArgument},
		"ragged":        {8, make([]byte, 41), codeInvalidArgument},
		"non-canonical": {8, nonCanonical, codeInvalidArgument},
		"index too big": {4, smt.EncodeLeaves([]smt.Leaf{{Index: 16, Value: one}}), codeInvalidArgument},
		"duplicate":     {4, dup, codeInvalidArgument},
		"too many":      {32, make([]byte, smt.EncodedLeafSize*(smt.MaxLeaves+1)), codeResourceExhausted},
	}
	for name, c := range cases {
		out := guard(func() ([]byte, error) { return smtRoot(c.depth, c.in) })
		if out.code != c.code {
			t.Errorf("%s: code %d (%s), want %d", name, out.code, out.data, c.code)
		}
	}
}
