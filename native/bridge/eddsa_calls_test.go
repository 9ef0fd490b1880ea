package main

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"os"
	"strings"
	"testing"
)

// firstEdDSAVector reads the first line of the shared vector file:
// seed, message, public key, signature.
func firstEdDSAVector(t *testing.T) (seed, msg, pub, sig []byte) {
	t.Helper()
	f, err := os.Open("../testdata/eddsa_vectors.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || line[0] == '#' {
			continue
		}
		var parts [4][]byte
		for i, field := range strings.Fields(line) {
			if parts[i], err = hex.DecodeString(field); err != nil {
				t.Fatal(err)
			}
		}
		return parts[0], parts[1], parts[2], parts[3]
	}
	t.Fatal("no vectors")
	return
}

func TestEdDSACallsMatchTheVectors(t *testing.T) {
	seed, msg, pub, sig := firstEdDSAVector(t)
	out := guard(func() ([]byte, error) { return eddsaPublicKey(seed) })
	if out.code != codeOK || !bytes.Equal(out.data, pub) {
		t.Fatalf("public key: code %d, %x", out.code, out.data)
	}
	out = guard(func() ([]byte, error) { return eddsaSign(seed, msg) })
	if out.code != codeOK || !bytes.Equal(out.data, sig) {
		t.Fatalf("sign: code %d, %x", out.code, out.data)
	}
	out = guard(func() ([]byte, error) { return eddsaVerify(pub, sig, msg) })
	if out.code != codeOK || !bytes.Equal(out.data, []byte{1}) {
		t.Fatalf("verify: code %d, %x", out.code, out.data)
	}
}

func TestEdDSAVerifyOfAWrongSignatureIsFalseNotAnError(t *testing.T) {
	_, msg, pub, sig := firstEdDSAVector(t)
	other := bytes.Clone(msg)
	other[31] ^= 1
	out := guard(func() ([]byte, error) { return eddsaVerify(pub, sig, other) })
	if out.code != codeOK || !bytes.Equal(out.data, []byte{0}) {
		t.Fatalf("code %d, %x", out.code, out.data)
	}
}

func TestEdDSAMalformedInputIsInvalidArgument(t *testing.T) {
	seed, msg, pub, sig := firstEdDSAVector(t)
	modulus, _ := hex.DecodeString("30644e72e131a029b85045b68181585d2833e84879b9709143e1f593f0000001")
	zeroS := append(bytes.Clone(sig[:32]), make([]byte, 32)...)
	identity := append([]byte{1}, make([]byte, 31)...)
	calls := map[string]func() ([]byte, error){
		"public key of a nil seed":   func() ([]byte, error) { return eddsaPublicKey(nil) },
		"public key of a short seed": func() ([]byte, error) { return eddsaPublicKey(seed[:31]) },
		"sign a long message":        func() ([]byte, error) { return eddsaSign(seed, append(bytes.Clone(msg), 0)) },
		"sign the modulus":           func() ([]byte, error) { return eddsaSign(seed, modulus) },
		"verify with S = 0":          func() ([]byte, error) { return eddsaVerify(pub, zeroS, msg) },
		"verify under the identity":  func() ([]byte, error) { return eddsaVerify(identity, sig, msg) },
		"verify a short signature":   func() ([]byte, error) { return eddsaVerify(pub, sig[:63], msg) },
		"verify the modulus":         func() ([]byte, error) { return eddsaVerify(pub, sig, modulus) },
		"verify a nil message":       func() ([]byte, error) { return eddsaVerify(pub, sig, nil) },
	}
	for name, call := range calls {
		out := guard(call)
		if out.code != codeInvalidArgument {
			t.Errorf("%s: code %d, %s", name, out.code, out.data)
		}
		if !strings.Contains(string(out.data), "invalid eddsa input") {
			t.Errorf("%s: message %q", name, out.data)
		}
	}
}
