package main

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math/big"
	"math/rand"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	bb "github.com/zkrollup/prover/native/internal/batchbuild"
	"github.com/zkrollup/prover/native/proving"
)

// verifierSlots is the B of TestVerifierHandle's keys: one slot, the smallest
// batch that holds a transfer. The test is about the handles, not batch
// shapes, and the setup's time grows with the circuit (at D=4, B=1 has 42k
// constraints, B=2 74k).
const verifierSlots = 1

// transferWitness is a valid batch of verifierSlots slots at depth 4: one
// transfer.
func transferWitness(t *testing.T) []byte {
	alice, bob, op := bb.NewKey(1), bb.NewKey(2), bb.NewKey(4)
	bl := bb.New(verifierSlots, 4, 7, 9, 15, big.NewInt(2))
	bl.Put(1, alice.KeyHash(), big.NewInt(0x1001), big.NewInt(1000), 0)
	bl.Put(2, bob.KeyHash(), big.NewInt(0x1002), big.NewInt(0), 0)
	bl.Put(15, op.KeyHash(), big.NewInt(0x1015), big.NewInt(0), 0)
	if err := bl.Transfer(alice, 1, 2, 5, 1, 9, 0); err != nil {
		t.Fatal(err)
	}
	w, err := bl.WitnessBytes()
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// verifierDir copies only the manifest and the verifying key of a key
// directory: a verifier needs nothing else.
func verifierDir(t *testing.T, keys string) string {
	dir := t.TempDir()
	for _, name := range []string{proving.ManifestFile, proving.VKFile} {
		data, err := os.ReadFile(filepath.Join(keys, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// code runs a bridge call as its export does and returns the status.
func code(call func() ([]byte, error)) int32 { return guard(call).code }

func TestVerifierHandle(t *testing.T) {
	keys := t.TempDir()
	if _, err := circuitSetup(verifierSlots, 4, backendGroth16, modeRollup, []byte(keys)); err != nil {
		t.Fatal(err)
	}
	prover, err := proverLoad([]byte(keys))
	if err != nil {
		t.Fatal(err)
	}
	defer release(prover)
	raw, err := prove(prover, transferWitness(t))
	if err != nil {
		t.Fatal(err)
	}
	n := binary.BigEndian.Uint32(raw)
	proof, public := raw[4:4+n], raw[4+n:]

	dir := verifierDir(t, keys) // no proving.key, no circuit.ccs
	h, err := verifierLoad([]byte(dir))
	if err != nil {
		t.Fatalf("verifier from manifest and verifying key: %v", err)
	}

	t.Run("answers as the prover does", func(t *testing.T) {
		info, err := keysInfo(h)
		if err != nil {
			t.Fatal(err)
		}
		if got := lines(string(info)); got["b"] != strconv.Itoa(verifierSlots) || got["d"] != "4" || got["backend"] != "groth16" || got["mode"] != "rollup" || got["origin"] != "development" {
			t.Fatalf("verifier info: %s", info)
		}
		if out, err := verify(h, proof, public); err != nil || !bytes.Equal(out, []byte{1}) {
			t.Fatalf("valid proof: %v %v", out, err)
		}
		other := bytes.Clone(public)
		other[3*32-1] ^= 1 // batchNumber
		if out, err := verify(h, proof, other); err != nil || !bytes.Equal(out, []byte{0}) {
			t.Fatalf("proof for another batchNumber: %v %v", out, err)
		}
		for _, call := range []func(int64) ([]byte, error){
			func(h int64) ([]byte, error) { return solidityProof(h, proof) },
			exportSolidity,
		} {
			want, err := call(prover)
			if err != nil {
				t.Fatal(err)
			}
			if got, err := call(h); err != nil || !bytes.Equal(got, want) {
				t.Fatalf("verifier and prover differ: %v", err)
			}
		}
	})

	t.Run("hostile bytes are INVALID_ARGUMENT", func(t *testing.T) {
		hugeCount := bytes.Clone(proof)
		binary.BigEndian.PutUint32(hugeCount[256:], 0xffffffff) // "4 billion commitments"
		offCurve := bytes.Repeat([]byte{0xff}, len(proof))
		binary.BigEndian.PutUint32(offCurve[256:], 0)
		for name, p := range map[string][]byte{
			"empty": nil, "short": proof[:len(proof)-1], "long": append(bytes.Clone(proof), 0),
			"huge count": hugeCount, "off the curve": offCurve, "64 KiB+1": make([]byte, proving.MaxProofSize+1),
		} {
			if c := code(func() ([]byte, error) { return verify(h, p, public) }); c != codeInvalidArgument {
				t.Errorf("verify, %s proof: code %d", name, c)
			}
			if c := code(func() ([]byte, error) { return solidityProof(h, p) }); c != codeInvalidArgument {
				t.Errorf("solidity proof, %s proof: code %d", name, c)
			}
		}
		nonCanonical := bytes.Clone(public)
		copy(nonCanonical[32:], bytes.Repeat([]byte{0xff}, 32))
		for name, in := range map[string][]byte{"empty": nil, "127 bytes": public[:127], "129 bytes": append(bytes.Clone(public), 0), "non-canonical": nonCanonical} {
			if c := code(func() ([]byte, error) { return verify(h, proof, in) }); c != codeInvalidArgument {
				t.Errorf("verify, %s public inputs: code %d", name, c)
			}
		}
		r := rand.New(rand.NewSource(20261207))
		for i := 0; i < 200; i++ {
			p := make([]byte, r.Intn(2*len(proof)))
			r.Read(p)
			if i%2 == 0 && len(p) >= 260 { // a plausible length prefix, so the decoder is reached
				binary.BigEndian.PutUint32(p[256:], uint32((len(p)-324)/64))
			}
			out := guard(func() ([]byte, error) { return verify(h, p, public) })
			if out.code != codeInvalidArgument && !(out.code == codeOK && bytes.Equal(out.data, []byte{0})) {
				t.Fatalf("random proof of %d bytes: code %d %q", len(p), out.code, out.data)
			}
		}
	})

	t.Run("it is not a prover", func(t *testing.T) {
		if c := code(func() ([]byte, error) { return prove(h, transferWitness(t)) }); c != codeInvalidHandle {
			t.Errorf("prove on a verifier handle: code %d", c)
		}
		if c := code(func() ([]byte, error) { return proverUseGPU(h) }); c != codeInvalidHandle {
			t.Errorf("use GPU on a verifier handle: code %d", c)
		}
		hasher, _ := hasherCreate()
		defer release(hasher)
		if c := code(func() ([]byte, error) { return verify(hasher, proof, public) }); c != codeInvalidHandle {
			t.Errorf("verify on a hasher handle: code %d", c)
		}
	})

	// Deterministic, no timing: a call is held inside a handle's lock while
	// a verify runs. The verify must finish on a verifier handle, whose
	// calls overlap, whatever holds the prover's handle.
	t.Run("verifies run while other calls are in flight", func(t *testing.T) {
		for name, held := range map[string]int64{"the prover's handle": prover, "this verifier handle": h} {
			inside, leave := make(chan struct{}), make(chan struct{})
			go objects.With(held, func(any) error { close(inside); <-leave; return nil })
			<-inside
			done := make(chan error, 1)
			go func() {
				out, err := verify(h, proof, public)
				if err == nil && !bytes.Equal(out, []byte{1}) {
					err = errFalse
				}
				done <- err
			}()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("verify while a call holds %s: %v", name, err)
				}
			case <-time.After(time.Minute):
				t.Errorf("verify waited for a call holding %s", name)
			}
			close(leave)
		}
	})

	t.Run("a released handle", func(t *testing.T) {
		if err := release(h); err != nil {
			t.Fatal(err)
		}
		for _, call := range []func() ([]byte, error){
			func() ([]byte, error) { return verify(h, proof, public) },
			func() ([]byte, error) { return solidityProof(h, proof) },
			func() ([]byte, error) { return exportSolidity(h) },
			func() ([]byte, error) { return keysInfo(h) },
			func() ([]byte, error) { return nil, release(h) },
		} {
			if c := code(call); c != codeInvalidHandle {
				t.Errorf("call on a released verifier: code %d", c)
			}
		}
	})

	t.Run("bad key directories are refused", func(t *testing.T) {
		tampered := verifierDir(t, keys)
		vk := filepath.Join(tampered, proving.VKFile)
		data, _ := os.ReadFile(vk)
		data[len(data)/2] ^= 1
		if err := os.WriteFile(vk, data, 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := verifierLoad([]byte(tampered)); codeOf(err) != codeInvalidArgument || !strings.Contains(err.Error(), "verifying.key does not match its SHA-256") {
			t.Errorf("tampered verifying key: %v", err)
		}
		noKey := verifierDir(t, keys)
		os.Remove(filepath.Join(noKey, proving.VKFile))
		garbled := verifierDir(t, keys)
		os.WriteFile(filepath.Join(garbled, proving.ManifestFile), []byte(`{"format": 2, "b": `), 0o644)
		for name, path := range map[string][]byte{
			"no verifying key": []byte(noKey), "garbled manifest": []byte(garbled), "empty directory": []byte(t.TempDir()),
			"missing directory": []byte(filepath.Join(keys, "nowhere")), "no path": nil, "non-UTF-8": {0xff, 0xfe},
			"NUL": []byte(keys + "\x00"), "too long": bytes.Repeat([]byte("a"), maxPathBytes+1),
		} {
			if c := code(func() ([]byte, error) { _, err := verifierLoad(path); return nil, err }); c != codeInvalidArgument {
				t.Errorf("%s: code %d", name, c)
			}
		}
	})
}

var errFalse = errors.New("valid proof refused")
