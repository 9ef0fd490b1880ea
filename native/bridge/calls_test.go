package main

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// bugs are the kinds of Go panic a bug raises.
var bugs = map[string]func() error{
	"panic value": func() error { panic("a panic value") },
	"nil pointer": func() error { var p *int32; return fmt.Errorf("unreachable %d", *p) },
	"index out of range": func() error {
		s := []int{}
		return fmt.Errorf("unreachable %d", s[len(s)])
	},
	"error value": func() error { panic(errors.New("an error value")) },
}

func TestGuardTurnsEveryPanicIntoAStatus(t *testing.T) {
	for kind, bug := range bugs {
		out := guard(func() ([]byte, error) { return nil, bug() })
		if out.code != codePanic {
			t.Fatalf("%s: code %d, message %s", kind, out.code, out.data)
		}
		if !bytes.HasPrefix(out.data, []byte("native panic: ")) {
			t.Fatalf("%s: message %q", kind, out.data)
		}
	}
}

// A panic on the goroutine guardOffThread starts must come back as a status
// too: left alone it would end the process, JVM and all.
func TestGuardOffThreadTurnsAPanicIntoAStatus(t *testing.T) {
	for kind, bug := range bugs {
		out := guardOffThread(func() ([]byte, error) { return nil, bug() })
		if out.code != codePanic || !bytes.HasPrefix(out.data, []byte("native panic: ")) {
			t.Fatalf("%s: code %d, message %q", kind, out.code, out.data)
		}
	}
	if out := guardOffThread(func() ([]byte, error) { return []byte{7}, nil }); out.code != codeOK || !bytes.Equal(out.data, []byte{7}) {
		t.Fatalf("a result: code %d, data %v", out.code, out.data)
	}
}

func TestStatusCodes(t *testing.T) {
	if out := guard(func() ([]byte, error) { return poseidon2Hash(make([]byte, 31)) }); out.code != codeInvalidArgument {
		t.Fatalf("ragged hash input: %d", out.code)
	}
	if out := guard(func() ([]byte, error) { return poseidon2Hash(make([]byte, 32<<20)) }); out.code != codeResourceExhausted {
		t.Fatalf("huge hash input: %d", out.code)
	}
	if out := guard(func() ([]byte, error) { return hasherDigest(1 << 40) }); out.code != codeInvalidHandle {
		t.Fatalf("unknown handle: %d", out.code)
	}
	if out := guard(func() ([]byte, error) { return nil, release(-5) }); out.code != codeInvalidHandle {
		t.Fatalf("release of unknown handle: %d", out.code)
	}
}

func TestHasherHandleMatchesOneShotHash(t *testing.T) {
	h, err := hasherCreate()
	if err != nil {
		t.Fatal(err)
	}
	defer release(h)
	a, b := bytes.Repeat([]byte{0}, 31), bytes.Repeat([]byte{0}, 31)
	a, b = append(a, 7), append(b, 9)
	if err := hasherWrite(h, a); err != nil {
		t.Fatal(err)
	}
	if err := hasherWrite(h, b); err != nil {
		t.Fatal(err)
	}
	got, err := hasherDigest(h)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := poseidon2Hash(append(a, b...))
	if !bytes.Equal(got, want) {
		t.Fatalf("incremental %x, one-shot %x", got, want)
	}
}

func TestVersionsNameGnark(t *testing.T) {
	v, _ := versions()
	for _, key := range []string{"libzkprover=", "gnark=v0.", "gnark-crypto=", "go=go", "gpu=none"} {
		if !strings.Contains(string(v), key) {
			t.Fatalf("versions %q lack %q", v, key)
		}
	}
}
