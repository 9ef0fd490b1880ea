package ceremony

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark/backend/groth16"
	groth16bn254 "github.com/consensys/gnark/backend/groth16/bn254"
	cs "github.com/consensys/gnark/constraint/bn254"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/frontend/cs/r1cs"

	"github.com/zkrollup/prover/native/batch"
	"github.com/zkrollup/prover/native/proving"
)

// tinyCircuit stands in for the batch circuit: four public inputs like it
// (so package proving takes its keys) and a few dozen constraints, so a
// whole ceremony takes a second instead of the batch circuit's minutes.
type tinyCircuit struct {
	A, B, C, D frontend.Variable `gnark:",public"`
	X          frontend.Variable
}

func (c *tinyCircuit) Define(api frontend.API) error {
	y := c.X
	for range 20 {
		y = api.Add(api.Mul(y, y), c.X)
	}
	api.AssertIsEqual(y, c.A)
	api.AssertIsEqual(api.Mul(c.B, c.C), c.D)
	return nil
}

// tinyAssignment is a witness of tinyCircuit.
func tinyAssignment() *tinyCircuit {
	var x, y fr.Element
	x.SetUint64(3)
	y.Set(&x)
	for range 20 {
		y.Square(&y).Add(&y, &x)
	}
	return &tinyCircuit{A: y.BigInt(new(big.Int)), B: 6, C: 7, D: 42, X: 3}
}

func compileTiny() (*cs.R1CS, error) {
	ccs, err := frontend.Compile(ecc.BN254.ScalarField(), r1cs.NewBuilder, &tinyCircuit{})
	if err != nil {
		return nil, err
	}
	return ccs.(*cs.R1CS), nil
}

func TestMain(m *testing.M) {
	compileCircuit = func(b, d int, mode batch.Mode) (*cs.R1CS, error) { return compileTiny() }
	os.Exit(m.Run())
}

var (
	beacon1 = mustBeacon("0x1111111111111111111111111111111111111111111111111111111111111111")
	beacon2 = mustBeacon("2222222222222222222222222222222222222222222222222222222222222222")
)

func mustBeacon(s string) Beacon {
	b, err := ParseBeacon(s)
	if err != nil {
		panic(err)
	}
	return b
}

// honest is one finished ceremony, made once: three contributions to phase
// 1, two to phase 2, both beacons, and its keys. Tests copy it before they
// change anything.
type honest struct {
	dir, keys string
	receipts  []*Receipt
}

var (
	honestOnce sync.Once
	honestRun  honest
	honestErr  error
)

func honestCeremony(t *testing.T) honest {
	t.Helper()
	honestOnce.Do(func() {
		root, err := os.MkdirTemp("", "ceremony-test")
		if err != nil {
			honestErr = err
			return
		}
		honestRun, honestErr = runCeremony(root, []string{"alice", "bob", "carol"}, []string{"dave", "erin"}, beacon1, beacon2)
	})
	if honestErr != nil {
		t.Fatal(honestErr)
	}
	return honestRun
}

func runCeremony(root string, phase1, phase2 []string, b1, b2 Beacon) (honest, error) {
	h := honest{dir: filepath.Join(root, "transcript"), keys: filepath.Join(root, "keys")}
	if _, err := Init(h.dir, 1, 1, batch.ModeRollup); err != nil {
		return h, err
	}
	for _, name := range phase1 {
		r, err := Contribute(h.dir, name)
		if err != nil {
			return h, err
		}
		h.receipts = append(h.receipts, r)
	}
	if _, err := SealPhase1(h.dir, b1); err != nil {
		return h, err
	}
	for _, name := range phase2 {
		r, err := Contribute(h.dir, name)
		if err != nil {
			return h, err
		}
		h.receipts = append(h.receipts, r)
	}
	_, err := Finalize(h.dir, b2, h.keys)
	return h, err
}

// copyDir copies a directory tree (the transcript or keys) for a test to change.
func copyDir(t *testing.T, from string) string {
	t.Helper()
	to := filepath.Join(t.TempDir(), filepath.Base(from))
	err := filepath.Walk(from, func(path string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, path)
		if info.IsDir() {
			return os.MkdirAll(filepath.Join(to, rel), 0o755)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(to, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return to
}

func TestHonestCeremonyVerifiesAndItsKeysProve(t *testing.T) {
	h := honestCeremony(t)
	r, err := Verify(h.dir, VerifyOptions{KeyDir: h.keys, Beacon1: beacon1, Beacon2: beacon2})
	if err != nil {
		t.Fatal(err)
	}
	if r.State != Finalized || !r.KeysChecked || len(r.Phase1) != 3 || len(r.Phase2) != 2 {
		t.Fatalf("report %v", r)
	}
	// Every contributor finds their receipt in the report.
	for i, c := range append(append([]Contribution{}, r.Phase1...), r.Phase2...) {
		if c.SHA256 != h.receipts[i].SHA256 || c.Name != h.receipts[i].Name {
			t.Fatalf("contribution %d: %+v, receipt %+v", i, c, h.receipts[i])
		}
	}
	// The manifest names the transcript, which sha256sum over the files recomputes.
	m, err := proving.ReadManifest(h.keys)
	if err != nil {
		t.Fatal(err)
	}
	if o := m.KeyOrigin(); !o.IsCeremony() || o.Transcript != r.Transcript || o.Beacon1 != beacon1.String() || len(o.Phase2) != 2 || o.Phase2[1].Name != "erin" {
		t.Fatalf("origin %+v, transcript %s", o, r.Transcript)
	}
	if got := sha256sumOfGlobs(t, h.dir); got != r.Transcript {
		t.Fatalf("sha256sum gives %s, Verify %s", got, r.Transcript)
	}
	// The keys load as any key directory does, and prove.
	v, err := proving.LoadVerifier(h.keys)
	if err != nil {
		t.Fatal(err)
	}
	if !v.Origin.IsCeremony() {
		t.Fatalf("loaded origin %+v", v.Origin)
	}
	proveWithKeyDir(t, h.keys)
}

// sha256sumOfGlobs is `LC_ALL=C sha256sum ceremony.json phase1/* phase2/* | sha256sum`.
func sha256sumOfGlobs(t *testing.T, dir string) string {
	files := []string{SpecFile}
	for _, sub := range []string{Phase1Dir, Phase2Dir} {
		entries, err := os.ReadDir(filepath.Join(dir, sub))
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, e := range entries {
			if !strings.HasPrefix(e.Name(), ".") {
				names = append(names, sub+"/"+e.Name())
			}
		}
		sort.Strings(names)
		files = append(files, names...)
	}
	var sb strings.Builder
	for _, f := range files {
		data, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&sb, "%x  %s\n", sha256.Sum256(data), f)
	}
	sum := sha256.Sum256([]byte(sb.String()))
	return hex.EncodeToString(sum[:])
}

func proveWithKeyDir(t *testing.T, keys string) {
	t.Helper()
	ccs := groth16.NewCS(ecc.BN254)
	pk := &groth16bn254.ProvingKey{}
	vk := &groth16bn254.VerifyingKey{}
	for name, read := range map[string]func(f *os.File) error{
		proving.CCSFile: func(f *os.File) error { _, err := ccs.ReadFrom(f); return err },
		proving.PKFile:  func(f *os.File) error { return pk.ReadDump(f) },
		proving.VKFile:  func(f *os.File) error { _, err := vk.ReadFrom(f); return err },
	} {
		f, err := os.Open(filepath.Join(keys, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := read(f); err != nil {
			t.Fatal(name, err)
		}
		f.Close()
	}
	full, err := frontend.NewWitness(tinyAssignment(), ecc.BN254.ScalarField())
	if err != nil {
		t.Fatal(err)
	}
	proof, err := groth16.Prove(ccs, pk, full)
	if err != nil {
		t.Fatal(err)
	}
	public, _ := full.Public()
	if err := groth16.Verify(proof, vk, public); err != nil {
		t.Fatalf("a proof with the ceremony's keys does not verify: %v", err)
	}
}

// expectRefused runs Verify and wants ErrInput with every one of the phrases.
func expectRefused(t *testing.T, dir string, opts VerifyOptions, phrases ...string) {
	t.Helper()
	_, err := Verify(dir, opts)
	if err == nil {
		t.Fatal("verify passed")
	}
	if !errors.Is(err, ErrInput) {
		t.Fatalf("not ErrInput: %v", err)
	}
	for _, p := range phrases {
		if !strings.Contains(err.Error(), p) {
			t.Fatalf("%q does not say %q", err, p)
		}
	}
	t.Logf("refused: %v", err)
}

// editLog rewrites log.json through edit, as someone covering their tracks would.
func editLog(t *testing.T, dir string, edit func([]Contribution) []Contribution) {
	t.Helper()
	log, err := readLog(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(dir, LogFile)); err != nil {
		t.Fatal(err)
	}
	if err := writeLog(dir, edit(log)); err != nil {
		t.Fatal(err)
	}
}

// relog sets the log's hash of file to the file's hash.
func relog(t *testing.T, dir, file string) {
	t.Helper()
	h, err := hashFile(filepath.Join(dir, file))
	if err != nil {
		t.Fatal(err)
	}
	editLog(t, dir, func(log []Contribution) []Contribution {
		for i := range log {
			if log[i].File == file {
				log[i].SHA256 = h
			}
		}
		return log
	})
}

// flipByte flips one bit of a file at offset (negative: from the end).
func flipByte(t *testing.T, path string, offset int) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if offset < 0 {
		offset += len(data)
	}
	data[offset] ^= 0x01
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestVerifyRefusesATamperedContribution(t *testing.T) {
	h := honestCeremony(t)
	n := int(mustSpec(t, h.dir).Domain)
	// A byte of [τ⁵]₁ of bob's file; a byte of a private-wire term of dave's.
	for _, c := range []struct {
		file   string
		offset int
		who    string
	}{
		{"phase1/0002-bob.bin", 3*96 + 8 + 64 + 4*32 + 17, "phase 1 contribution 2 (phase1/0002-bob.bin, by bob)"},
		{"phase1/0003-carol.bin", 3*96 + 8 + 64 + (2*n-2)*32 + 64*3 + 40, "phase 1 contribution 3 (phase1/0003-carol.bin, by carol)"},
		{"phase2/0001-dave.bin", 2 + 32 + 4 + 32 + 5, "phase 2 contribution 1 (phase2/0001-dave.bin, by dave)"},
	} {
		t.Run(c.file, func(t *testing.T) {
			dir := copyDir(t, h.dir)
			flipByte(t, filepath.Join(dir, c.file), c.offset)
			// The log still has the old hash: seen before any curve work.
			expectRefused(t, dir, VerifyOptions{}, c.who, "changed after it was written")
			// With the log rewritten to match, the cryptography still refuses it.
			relog(t, dir, c.file)
			expectRefused(t, dir, VerifyOptions{}, c.who)
		})
	}
}

// A file whose points are all on the curve but not the ones the contributor
// computed: only the proofs of the update can tell.
func TestVerifyRefusesValidPointsInTheWrongPlace(t *testing.T) {
	h := honestCeremony(t)
	for _, c := range []struct {
		file string
		a, b int // offsets of two compressed G1 points to swap
		who  string
	}{
		// [τ¹]₁ and [τ²]₁ of bob's powers
		{"phase1/0002-bob.bin", 3*96 + 8 + 64, 3*96 + 8 + 64 + 32, "phase 1 contribution 2 (phase1/0002-bob.bin, by bob) does not verify"},
		// the first two private-wire terms of erin's state
		{"phase2/0002-erin.bin", 2 + 32 + 4, 2 + 32 + 4 + 32, "phase 2 contribution 2 (phase2/0002-erin.bin, by erin) does not verify"},
	} {
		t.Run(c.file, func(t *testing.T) {
			dir := copyDir(t, h.dir)
			path := filepath.Join(dir, c.file)
			data, _ := os.ReadFile(path)
			pa := bytes.Clone(data[c.a : c.a+32])
			copy(data[c.a:], data[c.b:c.b+32])
			copy(data[c.b:], pa)
			os.WriteFile(path, data, 0o644)
			relog(t, dir, c.file)
			expectRefused(t, dir, VerifyOptions{}, c.who)
		})
	}
}

func TestVerifyRefusesADroppedContribution(t *testing.T) {
	h := honestCeremony(t)
	dir := copyDir(t, h.dir)
	if err := os.Remove(filepath.Join(dir, "phase1/0002-bob.bin")); err != nil {
		t.Fatal(err)
	}
	expectRefused(t, dir, VerifyOptions{}, "phase 1 contribution 2 is missing")
	// Renumbered, and the log rewritten to match: carol's proof was made on bob's file.
	if err := os.Rename(filepath.Join(dir, "phase1/0003-carol.bin"), filepath.Join(dir, "phase1/0002-carol.bin")); err != nil {
		t.Fatal(err)
	}
	editLog(t, dir, func(log []Contribution) []Contribution {
		var out []Contribution
		for _, c := range log {
			switch {
			case c.Name == "bob":
				continue
			case c.Name == "carol":
				c.Index, c.File = 2, "phase1/0002-carol.bin"
			}
			out = append(out, c)
		}
		return out
	})
	expectRefused(t, dir, VerifyOptions{}, "phase 1 contribution 2 (phase1/0002-carol.bin, by carol) does not verify against its predecessor")
}

func TestVerifyRefusesReorderedContributions(t *testing.T) {
	h := honestCeremony(t)
	for _, phase := range []struct {
		first, second, firstName, secondName string
		phase                                int
	}{
		{"phase1/0002-bob.bin", "phase1/0003-carol.bin", "bob", "carol", 1},
		{"phase2/0001-dave.bin", "phase2/0002-erin.bin", "dave", "erin", 2},
	} {
		t.Run(phase.first, func(t *testing.T) {
			dir := copyDir(t, h.dir)
			a, b := filepath.Join(dir, phase.first), filepath.Join(dir, phase.second)
			da, _ := os.ReadFile(a)
			db, _ := os.ReadFile(b)
			os.WriteFile(a, db, 0o644)
			os.WriteFile(b, da, 0o644)
			expectRefused(t, dir, VerifyOptions{}, "changed after it was written")
			relog(t, dir, phase.first)
			relog(t, dir, phase.second)
			expectRefused(t, dir, VerifyOptions{}, fmt.Sprintf("phase %d contribution", phase.phase), "does not verify against its predecessor")
		})
	}
}

func TestVerifyRefusesAWrongBeacon(t *testing.T) {
	h := honestCeremony(t)
	other := mustBeacon("3333333333333333333333333333333333333333333333333333333333333333")

	// Phase 1 sealed with another beacon than it says: its SRS is not the seal.
	dir := copyDir(t, h.dir)
	os.WriteFile(filepath.Join(dir, Phase1Dir, BeaconFile), other.fileBytes(), 0o644)
	expectRefused(t, dir, VerifyOptions{}, "phase1/srs.bin", "not the seal of phase 1 with beacon "+other.String())

	// Phase 2's beacon changed: another transcript, not the one the keys came from.
	dir = copyDir(t, h.dir)
	os.WriteFile(filepath.Join(dir, Phase2Dir, BeaconFile), other.fileBytes(), 0o644)
	expectRefused(t, dir, VerifyOptions{KeyDir: h.keys}, "keys of another ceremony")

	// A verifier who knows the announced beacons refuses any other.
	expectRefused(t, h.dir, VerifyOptions{Beacon1: other}, "phase 1 was sealed with beacon "+beacon1.String()+", not the expected "+other.String())
	expectRefused(t, h.dir, VerifyOptions{Beacon2: other}, "phase 2 was sealed with beacon")

	// And a beacon file that is not hex is no beacon.
	dir = copyDir(t, h.dir)
	os.WriteFile(filepath.Join(dir, Phase2Dir, BeaconFile), []byte("next tuesday\n"), 0o644)
	expectRefused(t, dir, VerifyOptions{}, "phase2/beacon.txt")
}

func TestVerifyRefusesKeysTheTranscriptDidNotMake(t *testing.T) {
	h := honestCeremony(t)
	r1cs, err := compileTiny()
	if err != nil {
		t.Fatal(err)
	}
	pk, vk, err := groth16.Setup(r1cs)
	if err != nil {
		t.Fatal(err)
	}
	dev, err := proving.NewGroth16Keys(r1cs, pk, vk, 1, 1, batch.ModeRollup, proving.DevelopmentOrigin())
	if err != nil {
		t.Fatal(err)
	}
	devDir := filepath.Join(t.TempDir(), "dev")
	if _, err := dev.Save(devDir); err != nil {
		t.Fatal(err)
	}
	expectRefused(t, h.dir, VerifyOptions{KeyDir: devDir}, "from a single-party development setup, not from this ceremony")

	// A development key directory whose manifest claims this ceremony: found out by recomputing the keys.
	honestManifest, err := proving.ReadManifest(h.keys)
	if err != nil {
		t.Fatal(err)
	}
	forged, err := proving.ReadManifest(devDir)
	if err != nil {
		t.Fatal(err)
	}
	forged.Origin = honestManifest.Origin
	raw, _ := json.MarshalIndent(forged, "", "  ")
	os.WriteFile(filepath.Join(devDir, proving.ManifestFile), raw, 0o644)
	expectRefused(t, h.dir, VerifyOptions{KeyDir: devDir}, "dev/proving.key is not what the transcript produces")

	// The honest keys with their verifying key replaced by the development one (manifest hash and all).
	swapped := copyDir(t, h.keys)
	devVK, _ := os.ReadFile(filepath.Join(devDir, proving.VKFile))
	os.WriteFile(filepath.Join(swapped, proving.VKFile), devVK, 0o644)
	expectRefused(t, h.dir, VerifyOptions{KeyDir: swapped}, "verifying.key has SHA-256")

	// Keys of another (honest) ceremony of the same circuit.
	other, err := runCeremony(t.TempDir(), []string{"mallory"}, []string{"mallory"}, beacon1, beacon2)
	if err != nil {
		t.Fatal(err)
	}
	expectRefused(t, h.dir, VerifyOptions{KeyDir: other.keys}, "keys of another ceremony")
}

func TestMalformedFilesAreRefusedBeforeGnarkReadsThem(t *testing.T) {
	h := honestCeremony(t)
	n := mustSpec(t, h.dir).Domain
	for _, c := range []struct {
		name, file string
		change     func([]byte) []byte
		want       string
	}{
		{"truncated", "phase1/0001-alice.bin", func(b []byte) []byte { return b[:len(b)/2] }, "ends early"},
		{"extended", "phase1/0001-alice.bin", func(b []byte) []byte { return append(b, 0) }, "bytes after the end"},
		{"another domain", "phase1/0001-alice.bin", func(b []byte) []byte { b[3*96+7] ^= 2; return b }, fmt.Sprintf("the ceremony's is %d", n)},
		{"an uncompressed point", "phase1/0001-alice.bin", func(b []byte) []byte { b[3*96+8+64] &= 0x3f; return b }, "not in compressed form"},
		// Z's u32 length in dave's file: gnark would allocate 2^32 points for it.
		{"a huge length", "phase2/0001-dave.bin", func(b []byte) []byte {
			off := 2 + 32 + 4 + 32*int(be(b[2+32:2+32+4]))
			copy(b[off:], []byte{0xff, 0xff, 0xff, 0xff})
			return b
		}, "Z has 4294967295 points"},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := copyDir(t, h.dir)
			path := filepath.Join(dir, c.file)
			data, _ := os.ReadFile(path)
			os.WriteFile(path, c.change(data), 0o644)
			relog(t, dir, c.file)
			expectRefused(t, dir, VerifyOptions{}, c.file, c.want)
		})
	}
}

func be(b []byte) uint32 { return uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3]) }

func mustSpec(t *testing.T, dir string) *Spec {
	t.Helper()
	s, err := ReadSpec(dir)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestOperationsRefuseTheWrongOrder(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "c")
	if _, err := Init(dir, 1, 1, batch.ModeRollup); err != nil {
		t.Fatal(err)
	}
	refused := func(err error, phrase string) {
		t.Helper()
		if !errors.Is(err, ErrInput) || !strings.Contains(err.Error(), phrase) {
			t.Fatalf("want ErrInput saying %q, got %v", phrase, err)
		}
	}
	_, err := Init(dir, 1, 1, batch.ModeRollup)
	refused(err, "holds a ceremony already")
	cluttered := t.TempDir()
	os.WriteFile(filepath.Join(cluttered, "notes.txt"), []byte("x"), 0o644)
	_, err = Init(cluttered, 1, 1, batch.ModeRollup)
	refused(err, "not empty")
	_, err = SealPhase1(dir, beacon1)
	refused(err, "phase 1 has no contribution")
	_, err = Finalize(dir, beacon2, filepath.Join(t.TempDir(), "k"))
	refused(err, "phase 1 is not sealed")
	_, err = Contribute(dir, "../../etc/passwd")
	refused(err, "contributor name")
	if _, err := Contribute(dir, "alice"); err != nil {
		t.Fatal(err)
	}
	// An unfinished transcript verifies as far as it goes.
	r, err := Verify(dir, VerifyOptions{})
	if err != nil || r.State != Phase1Open || len(r.Phase1) != 1 {
		t.Fatalf("%v %v", r, err)
	}
	_, err = Verify(dir, VerifyOptions{KeyDir: t.TempDir()})
	refused(err, "manifest")
	if _, err := SealPhase1(dir, beacon1); err != nil {
		t.Fatal(err)
	}
	_, err = SealPhase1(dir, beacon1)
	refused(err, "sealed already")
	_, err = Finalize(dir, beacon2, filepath.Join(t.TempDir(), "k"))
	refused(err, "phase 2 has no contribution")
	if _, err := Contribute(dir, "bob"); err != nil {
		t.Fatal(err)
	}
	keys := filepath.Join(t.TempDir(), "k")
	if _, err := Finalize(dir, beacon2, keys); err != nil {
		t.Fatal(err)
	}
	_, err = Contribute(dir, "carol")
	refused(err, "finalized")
	_, err = Finalize(dir, beacon2, filepath.Join(t.TempDir(), "k2"))
	refused(err, "finalized already")
	_, err = Finalize(dir, beacon2, keys)
	refused(err, "holds keys already")
	if _, err := ParseBeacon("abcd"); !errors.Is(err, ErrInput) {
		t.Fatalf("a 2-byte beacon: %v", err)
	}
	if _, err := Verify(t.TempDir(), VerifyOptions{}); !errors.Is(err, ErrInput) {
		t.Fatalf("an empty directory: %v", err)
	}
}

func TestFileSizesAndMemoryBoundsFollowN(t *testing.T) {
	h := honestCeremony(t)
	s := mustSpec(t, h.dir)
	st, err := os.Stat(filepath.Join(h.dir, "phase1/0001-alice.bin"))
	if err != nil {
		t.Fatal(err)
	}
	if uint64(st.Size()) != s.Phase1FileBytes() {
		t.Fatalf("phase-1 file %d bytes, Phase1FileBytes %d", st.Size(), s.Phase1FileBytes())
	}
	if s.MemoryLowerBound(OpContribute1) != 384*s.Domain-64 || s.MemoryLowerBound(OpVerify) != 3*s.MemoryLowerBound(OpContribute1) {
		t.Fatalf("bounds %d %d", s.MemoryLowerBound(OpContribute1), s.MemoryLowerBound(OpVerify))
	}
}

func TestEvaluationsRoundTrip(t *testing.T) {
	h := honestCeremony(t)
	tr, err := open(h.dir)
	if err != nil {
		t.Fatal(err)
	}
	e, err := tr.readEvaluations()
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := writeEvaluations(&buf, e); err != nil {
		t.Fatal(err)
	}
	want, _ := os.ReadFile(filepath.Join(h.dir, Phase2Dir, EvaluationsFile))
	if !bytes.Equal(buf.Bytes(), want) {
		t.Fatal("evaluations do not round-trip")
	}
}
