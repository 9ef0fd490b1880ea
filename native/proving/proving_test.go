package proving_test

import (
	"bytes"
	"errors"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/zkrollup/prover/native/batch"
	bb "github.com/zkrollup/prover/native/internal/batchbuild"
	"github.com/zkrollup/prover/native/proving"
)

// slots is the B of the keys these tests set up: one slot, the smallest batch
// that holds a transfer. The tests are about keys, proofs and their files, not
// about batch shapes (the batch package's tests and the Java ITs prove batches
// with no-op slots), and a setup's time grows with the circuit: at D=4, B=1
// has 42k constraints and B=2 74k, and the three setups here are most of the
// package's time.
const slots = 1

// witness builds a valid batch of b slots at depth 4: one transfer, the other
// slots no-ops.
func witness(t testing.TB, b int, batchNumber uint64) []byte {
	return witnessIn(t, b, batchNumber, batch.ModeRollup)
}

// witnessIn is witness with the pubdataHash of mode m.
func witnessIn(t testing.TB, b int, batchNumber uint64, m batch.Mode) []byte {
	alice, bob, op := bb.NewKey(1), bb.NewKey(2), bb.NewKey(4)
	bl := bb.New(b, 4, 7, batchNumber, 15, big.NewInt(2))
	bl.Mode = m
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

func TestMain(m *testing.M) {
	// The development SRS is deterministic per size: cache it between runs.
	if dir, err := os.UserCacheDir(); err == nil {
		proving.DevSRSCacheDir = filepath.Join(dir, "zkrollup-unsafekzg")
	}
	os.Exit(m.Run())
}

func TestProveVerifyBothBackends(t *testing.T) {
	for _, be := range []proving.Backend{proving.Groth16, proving.Plonk} {
		t.Run(string(be), func(t *testing.T) {
			start := time.Now()
			keys, err := proving.Setup(slots, 4, be, batch.ModeRollup)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("setup %v (%d constraints)", time.Since(start), keys.CCS.GetNbConstraints())
			dir := t.TempDir()
			if _, err := keys.Save(dir); err != nil {
				t.Fatal(err)
			}
			start = time.Now()
			loaded, err := proving.Load(dir)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("load %v", time.Since(start))

			start = time.Now()
			proof, public, err := loaded.Prove(witness(t, slots, 9))
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("prove %v, proof %d bytes", time.Since(start), len(proof))
			if err := keys.Verify(proof, public); err != nil {
				t.Fatalf("valid proof refused: %v", err)
			}
			// The same proof against other public inputs must fail.
			other := bytes.Clone(public)
			other[3*32-1] ^= 1 // batchNumber
			if err := keys.Verify(proof, other); !errors.Is(err, proving.ErrVerification) {
				t.Fatalf("proof accepted for another batchNumber: %v", err)
			}
			// Malformed proofs are input errors, never panics.
			for _, p := range [][]byte{nil, proof[:len(proof)-1], append(bytes.Clone(proof), 0), bytes.Repeat([]byte{0xff}, len(proof))} {
				if err := keys.Verify(p, public); !errors.Is(err, proving.ErrInput) {
					t.Fatalf("malformed proof: %v", err)
				}
			}
			// A point flagged compressed: gnark's decoder would read it as
			// half its size and the next u32 count from inside a coordinate.
			// Flagging Krs (offset 192) made it allocate 48 GB and die of a
			// fatal out-of-memory (HostileInputFuzzIT, docs/fuzzing.md); the
			// flags of every raw point are now checked first.
			flagged := []int{0, 64, 192, 260} // Groth16: Ar, Bs, Krs, the PoK
			if be == proving.Plonk {
				flagged = []int{0, 64, 128, 192, 256, 320, 384, 448}
			}
			for _, off := range flagged {
				for _, flag := range []byte{0x40, 0x80, 0xc0} {
					p := bytes.Clone(proof)
					p[off] |= flag
					if err := keys.Verify(p, public); !errors.Is(err, proving.ErrInput) {
						t.Fatalf("proof with the point at %d flagged %#x: %v", off, flag, err)
					}
					if _, err := keys.SolidityProof(p); !errors.Is(err, proving.ErrInput) {
						t.Fatalf("calldata of a proof with the point at %d flagged %#x: %v", off, flag, err)
					}
				}
			}
			// The Solidity calldata. The circuit has no commitment
			// (docs/decisions.md), so Groth16 is the raw proof's A ‖ B ‖ C:
			// 256 bytes, dropping the empty commitment list (u32 0) and the
			// unused PoK point of the raw encoding (324 bytes in all).
			// PLONK is gnark's MarshalSolidity layout.
			calldata, err := keys.SolidityProof(proof)
			if err != nil {
				t.Fatalf("solidity proof: %v", err)
			}
			t.Logf("solidity calldata %d bytes (raw proof %d)", len(calldata), len(proof))
			if be == proving.Groth16 {
				if len(proof) != 324 || !bytes.Equal(proof[256:260], []byte{0, 0, 0, 0}) {
					t.Fatalf("raw groth16 proof of %d bytes, commitment count % x: the circuit has a commitment", len(proof), proof[256:260])
				}
				if !bytes.Equal(calldata, proof[:256]) {
					t.Fatalf("groth16 calldata is not A ‖ B ‖ C")
				}
			} else if len(calldata) < 768 || len(calldata)%32 != 0 {
				t.Fatalf("plonk calldata of %d bytes", len(calldata))
			}
			for _, p := range [][]byte{nil, proof[:len(proof)-1], append(bytes.Clone(proof), 0), bytes.Repeat([]byte{0xff}, len(proof))} {
				if _, err := keys.SolidityProof(p); !errors.Is(err, proving.ErrInput) {
					t.Fatalf("malformed proof to calldata: %v", err)
				}
			}
			if _, _, err := loaded.Prove([]byte("ZKBW")); !errors.Is(err, proving.ErrInput) {
				t.Fatalf("bad witness: %v", err)
			}
			sol, err := keys.ExportSolidity()
			if err != nil || !strings.Contains(string(sol), "pragma solidity") {
				t.Fatalf("solidity export: %v", err)
			}

			// A tampered key file is refused.
			pk := filepath.Join(dir, proving.PKFile)
			data, err := os.ReadFile(pk)
			if err != nil {
				t.Fatal(err)
			}
			data[len(data)/2] ^= 1
			if err := os.WriteFile(pk, data, 0o644); err != nil {
				t.Fatal(err)
			}
			if _, err := proving.Load(dir); err == nil || !strings.Contains(err.Error(), "does not match its SHA-256") {
				t.Fatalf("tampered key loaded: %v", err)
			}

			// A verifier reads the verifying key alone: neither the
			// tampered proving key nor a missing one or a missing circuit
			// stops it, and it verifies what the full keys verify.
			for _, name := range []string{proving.PKFile, proving.CCSFile} {
				if err := os.Remove(filepath.Join(dir, name)); err != nil {
					t.Fatal(err)
				}
			}
			v, err := proving.LoadVerifier(dir)
			if err != nil {
				t.Fatalf("verifier without proving key and circuit: %v", err)
			}
			if v.B != slots || v.D != 4 || v.Backend != be || v.Mode != batch.ModeRollup {
				t.Fatalf("verifier describes B=%d D=%d %s %s", v.B, v.D, v.Backend, v.Mode)
			}
			if err := v.Verify(proof, public); err != nil {
				t.Fatalf("verifier refused a valid proof: %v", err)
			}
			if err := v.Verify(proof, other); !errors.Is(err, proving.ErrVerification) {
				t.Fatalf("verifier accepted another batchNumber: %v", err)
			}
			if got, err := v.SolidityProof(proof); err != nil || !bytes.Equal(got, calldata) {
				t.Fatalf("verifier's solidity proof differs: %v", err)
			}
			if got, err := v.ExportSolidity(); err != nil || !bytes.Equal(got, sol) {
				t.Fatalf("verifier's solidity export differs: %v", err)
			}
			// ... but a tampered verifying key is refused before it is parsed.
			vkPath := filepath.Join(dir, proving.VKFile)
			vk, err := os.ReadFile(vkPath)
			if err != nil {
				t.Fatal(err)
			}
			vk[len(vk)-1] ^= 1
			if err := os.WriteFile(vkPath, vk, 0o644); err != nil {
				t.Fatal(err)
			}
			if _, err := proving.LoadVerifier(dir); !errors.Is(err, proving.ErrInput) || !strings.Contains(err.Error(), "verifying.key does not match its SHA-256") {
				t.Fatalf("tampered verifying key loaded: %v", err)
			}
		})
	}
}

// Validium keys: the manifest records the mode, Load restores it, a validium
// witness proves and verifies, and the rollup witness of the same batch
// (same bytes but pubdataHash) is refused by the solver.
func TestValidiumKeys(t *testing.T) {
	if _, err := proving.Compile(slots, 4, proving.Groth16, batch.Mode(2)); !errors.Is(err, proving.ErrInput) {
		t.Fatalf("mode 2 compiled: %v", err)
	}
	keys, err := proving.Setup(slots, 4, proving.Groth16, batch.ModeValidium)
	if err != nil {
		t.Fatal(err)
	}
	if keys.Mode != batch.ModeValidium {
		t.Fatalf("keys.Mode = %v", keys.Mode)
	}
	dir := t.TempDir()
	if _, err := keys.Save(dir); err != nil {
		t.Fatal(err)
	}
	m, err := proving.ReadManifest(dir)
	if err != nil || m.Mode != "validium" {
		t.Fatalf("manifest mode %q, %v", m.Mode, err)
	}
	raw, err := os.ReadFile(filepath.Join(dir, proving.ManifestFile))
	if err != nil || !strings.Contains(string(raw), `"mode": "validium"`) {
		t.Fatalf("manifest.json: %s %v", raw, err)
	}
	// Setup's keys say where they came from.
	if !strings.Contains(string(raw), `"kind": "development"`) || !strings.Contains(string(raw), `"setup": "single-party"`) {
		t.Fatalf("manifest.json has no development origin: %s", raw)
	}
	loaded, err := proving.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if loaded.Mode != batch.ModeValidium {
		t.Fatalf("loaded mode %v", loaded.Mode)
	}
	proof, public, err := loaded.Prove(witnessIn(t, slots, 9, batch.ModeValidium))
	if err != nil {
		t.Fatalf("validium witness: %v", err)
	}
	if err := loaded.Verify(proof, public); err != nil {
		t.Fatalf("validium proof refused: %v", err)
	}
	if _, _, err := loaded.Prove(witnessIn(t, slots, 9, batch.ModeRollup)); !errors.Is(err, proving.ErrInput) {
		t.Fatalf("rollup witness proved with validium keys: %v", err)
	}
	// The same proof against the rollup pubdataHash of the batch is false.
	rollupPublic := bytes.Clone(public)
	rw := witnessIn(t, slots, 9, batch.ModeRollup)
	copy(rollupPublic[3*32:], rw[batch.WitnessHeaderSize+3*32:batch.WitnessHeaderSize+4*32])
	if bytes.Equal(rollupPublic, public) {
		t.Fatal("rollup and validium pubdataHash are equal")
	}
	if err := loaded.Verify(proof, rollupPublic); !errors.Is(err, proving.ErrVerification) {
		t.Fatalf("validium proof verified against the rollup pubdataHash: %v", err)
	}
}

// A manifest without "mode" (every key directory written before validium
// mode) is a rollup directory; an unknown mode is refused.
func TestManifestMode(t *testing.T) {
	dir := t.TempDir()
	write := func(mode string) {
		t.Helper()
		m := `{"format": 4, "b": 1, "d": 1, "backend": "groth16", ` + mode + `"gnark": "` + proving.GnarkVersion() +
			`", "sha256": {"circuit.ccs": "` + strings.Repeat("0", 64) + `", "proving.key": "` + strings.Repeat("0", 64) +
			`", "verifying.key": "` + strings.Repeat("0", 64) + `"}}`
		if err := os.WriteFile(filepath.Join(dir, proving.ManifestFile), []byte(m), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("")
	m, err := proving.ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	if mode, err := m.DataAvailability(); err != nil || mode != batch.ModeRollup {
		t.Fatalf("manifest without mode: %v %v", mode, err)
	}
	write(`"mode": "rollup", `)
	if m, err := proving.ReadManifest(dir); err != nil || m.Mode != "rollup" {
		t.Fatalf("rollup manifest: %v", err)
	}
	write(`"mode": "sidechain", `)
	if _, err := proving.ReadManifest(dir); !errors.Is(err, proving.ErrInput) {
		t.Fatalf("unknown mode accepted: %v", err)
	}
}

// Key directories of earlier circuits are refused on load, not at the first
// proof: format 1 (with a Groth16 commitment), 2 (protocol v1), 3 (protocol
// v2, whose witness has no tokens and a 32-bit rollup id).
func TestManifestOfAnEarlierCircuitIsRefused(t *testing.T) {
	dir := t.TempDir()
	for _, format := range []string{"1", "2", "3"} {
		m := `{"format": ` + format + `, "b": 1, "d": 1, "backend": "groth16", "gnark": "` + proving.GnarkVersion() +
			`", "sha256": {"circuit.ccs": "` + strings.Repeat("0", 64) + `", "proving.key": "` + strings.Repeat("0", 64) +
			`", "verifying.key": "` + strings.Repeat("0", 64) + `"}}`
		if err := os.WriteFile(filepath.Join(dir, proving.ManifestFile), []byte(m), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := proving.ReadManifest(dir); !errors.Is(err, proving.ErrInput) || !strings.Contains(err.Error(), "manifest format "+format+", want 4") {
			t.Errorf("format %s: %v", format, err)
		}
		if _, err := proving.Load(dir); !errors.Is(err, proving.ErrInput) {
			t.Errorf("format %s loaded: %v", format, err)
		}
	}
}

// A manifest without "origin" (every key directory written before
// ceremonies) holds development keys; an origin is checked before it is
// believed, and Setup records itself as a single-party development setup.
func TestManifestOrigin(t *testing.T) {
	dir := t.TempDir()
	write := func(origin string) {
		t.Helper()
		m := `{"format": 4, "b": 1, "d": 1, "backend": "groth16", "gnark": "` + proving.GnarkVersion() +
			`", "sha256": {"circuit.ccs": "` + strings.Repeat("0", 64) + `", "proving.key": "` + strings.Repeat("0", 64) +
			`", "verifying.key": "` + strings.Repeat("0", 64) + `"}` + origin + `}`
		if err := os.WriteFile(filepath.Join(dir, proving.ManifestFile), []byte(m), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("")
	m, err := proving.ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	if o := m.KeyOrigin(); o.IsCeremony() || o.Setup != "single-party" || !strings.Contains(o.InfoLines(), "origin=development\n") {
		t.Fatalf("manifest without origin: %+v", o)
	}
	h := strings.Repeat("ab", 32)
	ceremony := `, "origin": {"kind": "ceremony", "transcript": "` + h + `", "phase1": [{"name": "alice", "sha256": "` + h +
		`"}], "phase2": [{"name": "bob", "sha256": "` + h + `"}], "beacon1": "01", "beacon2": "02"}`
	write(ceremony)
	if m, err = proving.ReadManifest(dir); err != nil {
		t.Fatal(err)
	}
	if got, want := m.KeyOrigin().InfoLines(), "origin=ceremony\ntranscript="+h+"\nphase1=alice\nphase2=bob\nbeacon1=01\nbeacon2=02\n"; got != want {
		t.Fatalf("info lines %q, want %q", got, want)
	}
	for _, bad := range []string{
		`, "origin": {"kind": "trusted-me"}`,
		`, "origin": {"kind": "ceremony", "transcript": "00"}`,
		strings.Replace(ceremony, `"alice"`, `"alice,mallory"`, 1),
		strings.Replace(ceremony, `"phase2": [{"name": "bob", "sha256": "`+h+`"}], `, ``, 1),
		`, "origin": {"kind": "development", "transcript": "` + h + `"}`,
	} {
		write(bad)
		if _, err := proving.ReadManifest(dir); !errors.Is(err, proving.ErrInput) {
			t.Fatalf("origin %s accepted: %v", bad, err)
		}
	}
}
