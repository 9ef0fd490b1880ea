package proving

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"

	"github.com/zkrollup/prover/native/batch"
)

// Key directory layout. Every file is hashed into the manifest, which Load
// checks before it parses anything: the proving key is read with gnark's
// unchecked fast paths (ReadDump, UnsafeReadFrom), so the hash is what keeps
// a damaged or swapped key from reaching them.
const (
	ManifestFile = "manifest.json"
	CCSFile      = "circuit.ccs"   // gnark's constraint system encoding
	PKFile       = "proving.key"   // groth16: WriteDump; plonk: WriteRawTo
	VKFile       = "verifying.key" // WriteRawTo
	// manifestFmt names the batch circuit's generation, so Load refuses keys
	// of a circuit this library no longer builds rather than fail at the
	// first proof. 2: the circuit lost its Groth16 commitment (a format-1
	// directory has a 384-byte Solidity proof, a costlier verifier).
	// 3: protocol v2 (accounts with owners, priority ops; witness version
	// 2), whose witness a format-2 key cannot prove.
	// 4: protocol v3 (tokens, a 64-bit rollup id; witness version 3).
	manifestFmt = 4
	// maxManifestBytes bounds the manifest: a ceremony origin lists every
	// contribution (about 150 bytes each).
	maxManifestBytes = 1 << 20
)

// Manifest describes a key directory.
type Manifest struct {
	Format  int     `json:"format"`
	B       int     `json:"b"`
	D       int     `json:"d"`
	Backend Backend `json:"backend"`
	// Mode is "rollup" or "validium" (batch.Mode's names). Format 2 did not
	// have it at first; a manifest without it is a rollup key directory,
	// which is what every directory written before validium mode holds.
	Mode  string            `json:"mode,omitempty"`
	Gnark string            `json:"gnark"`
	Files map[string]string `json:"sha256"`
	// Origin says where the keys came from (origin.go). Directories written
	// before it existed came from a single-party setup: a manifest without
	// it reads as DevelopmentOrigin.
	Origin *Origin `json:"origin,omitempty"`
}

// KeyOrigin is the manifest's origin, development when the field is absent.
func (m *Manifest) KeyOrigin() Origin {
	if m.Origin == nil {
		return DevelopmentOrigin()
	}
	return *m.Origin
}

// DataAvailability is the manifest's mode, rollup when the field is absent.
func (m *Manifest) DataAvailability() (batch.Mode, error) {
	if m.Mode == "" {
		return batch.ModeRollup, nil
	}
	return batch.ParseMode(m.Mode)
}

// SaveSummary reports what Save wrote.
type SaveSummary struct {
	Sizes map[string]int64
}

// keyFileWriter names one file of a key directory and how to write it.
type keyFileWriter struct {
	name  string
	write func(w io.Writer) error
}

// files are the key files Save writes, in order (the manifest comes last).
func (k *Keys) files() []keyFileWriter {
	return []keyFileWriter{
		{CCSFile, func(w io.Writer) error { _, err := k.CCS.WriteTo(w); return err }},
		{PKFile, k.pk.writeTo},
		{VKFile, k.vk.writeTo},
	}
}

// FileHashes is the SHA-256 (hex) of each key file Save would write, by file
// name, computed without writing anything: what a key directory holding
// exactly these keys has in its manifest.
func (k *Keys) FileHashes() (map[string]string, error) {
	hashes := map[string]string{}
	for _, f := range k.files() {
		h := sha256.New()
		bw := bufio.NewWriterSize(h, 1<<20)
		if err := f.write(bw); err != nil {
			return nil, fmt.Errorf("proving: %s: %w", f.name, err)
		}
		if err := bw.Flush(); err != nil {
			return nil, err
		}
		hashes[f.name] = hex.EncodeToString(h.Sum(nil))
	}
	return hashes, nil
}

// Save writes the keys into dir (created if needed) and the manifest last.
func (k *Keys) Save(dir string) (*SaveSummary, error) {
	if _, err := batch.ModeOfCode(int(k.Mode)); err != nil {
		return nil, inputErr("%v", err)
	}
	origin := k.Origin
	if origin.Kind == "" {
		origin = DevelopmentOrigin()
	}
	if err := origin.check(); err != nil {
		return nil, inputErr("%v", err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, inputErr("key directory: %v", err)
	}
	m := Manifest{Format: manifestFmt, B: k.B, D: k.D, Backend: k.Backend, Mode: k.Mode.String(), Gnark: GnarkVersion(), Files: map[string]string{}, Origin: &origin}
	sum := &SaveSummary{Sizes: map[string]int64{}}
	write := func(name string, fn func(w io.Writer) error) error {
		path := filepath.Join(dir, name)
		f, err := os.Create(path)
		if err != nil {
			return err
		}
		h := sha256.New()
		bw := bufio.NewWriterSize(io.MultiWriter(f, h), 1<<20)
		if err := fn(bw); err != nil {
			f.Close()
			return fmt.Errorf("%s: %w", name, err)
		}
		if err := bw.Flush(); err != nil {
			f.Close()
			return err
		}
		st, err := f.Stat()
		if err != nil {
			f.Close()
			return err
		}
		if err := f.Close(); err != nil {
			return err
		}
		m.Files[name] = hex.EncodeToString(h.Sum(nil))
		sum.Sizes[name] = st.Size()
		return nil
	}
	for _, f := range k.files() {
		if err := write(f.name, f.write); err != nil {
			return nil, err
		}
	}
	if err := write(ManifestFile, func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(m)
	}); err != nil {
		return nil, err
	}
	return sum, nil
}

// ReadManifest reads and checks the manifest of dir (not the files).
func ReadManifest(dir string) (*Manifest, error) {
	raw, err := os.ReadFile(filepath.Join(dir, ManifestFile))
	if err != nil {
		return nil, inputErr("key directory %s: %v", dir, err)
	}
	if len(raw) > maxManifestBytes {
		return nil, inputErr("key directory %s: manifest too large", dir)
	}
	var m Manifest
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, inputErr("key directory %s: manifest: %v", dir, err)
	}
	if m.Format != manifestFmt {
		return nil, inputErr("key directory %s: manifest format %d, want %d", dir, m.Format, manifestFmt)
	}
	if err := batch.CheckParams(m.B, m.D); err != nil {
		return nil, inputErr("key directory %s: %v", dir, err)
	}
	if _, err := ParseBackend(string(m.Backend)); err != nil {
		return nil, inputErr("key directory %s: %v", dir, err)
	}
	if _, err := m.DataAvailability(); err != nil {
		return nil, inputErr("key directory %s: %v", dir, err)
	}
	if m.Gnark != GnarkVersion() {
		return nil, inputErr("key directory %s: keys made with gnark %s, this library has %s", dir, m.Gnark, GnarkVersion())
	}
	for _, name := range []string{CCSFile, PKFile, VKFile} {
		if len(m.Files[name]) != 64 {
			return nil, inputErr("key directory %s: manifest has no hash for %s", dir, name)
		}
	}
	if m.Origin != nil {
		if err := m.Origin.check(); err != nil {
			return nil, inputErr("key directory %s: manifest: %v", dir, err)
		}
	}
	return &m, nil
}

// keyFile is a key file being parsed. Its SHA-256 was checked against the
// manifest by streaming the file once before any decoder saw it (so a
// damaged or replaced file never reaches gnark's decoders, which allocate
// what length prefixes say); it is hashed again while it is parsed, so a file
// swapped between the two reads is refused by finish. Memory holds the
// parsed key only, never the file as well: at production sizes the proving
// key is gigabytes.
type keyFile struct {
	dir, name, want string
	f               *os.File
	h               hash.Hash
	r               *bufio.Reader
}

func (k *keyFile) Read(p []byte) (int, error) { return k.r.Read(p) }

// finish hashes what the parser left unread, closes the file and compares
// the second hash with the manifest.
func (k *keyFile) finish() error {
	_, err := io.Copy(io.Discard, k.r)
	k.f.Close()
	if err != nil {
		return inputErr("key directory %s: reading %s: %v", k.dir, k.name, err)
	}
	if hex.EncodeToString(k.h.Sum(nil)) != k.want {
		return inputErr("key directory %s: %s changed while it was loaded; refusing it", k.dir, k.name)
	}
	return nil
}

// openVerified checks a key file's hash against the manifest, streaming, and
// opens it for parsing.
func openVerified(dir, name string, m *Manifest) (*keyFile, error) {
	path := filepath.Join(dir, name)
	f, err := os.Open(path)
	if err != nil {
		return nil, inputErr("key directory %s: %v", dir, err)
	}
	h := sha256.New()
	_, err = io.Copy(h, bufio.NewReaderSize(f, 1<<20))
	f.Close()
	if err != nil {
		return nil, inputErr("key directory %s: reading %s: %v", dir, name, err)
	}
	if hex.EncodeToString(h.Sum(nil)) != m.Files[name] {
		return nil, inputErr("key directory %s: %s does not match its SHA-256 in the manifest (damaged or replaced); refusing to load it", dir, name)
	}
	if f, err = os.Open(path); err != nil {
		return nil, inputErr("key directory %s: %v", dir, err)
	}
	again := sha256.New()
	return &keyFile{dir: dir, name: name, want: m.Files[name], f: f, h: again, r: bufio.NewReaderSize(io.TeeReader(f, again), 1<<20)}, nil
}

// parseVerified opens one key file, hands it to parse and checks it was the
// file the manifest names from first byte to last.
func parseVerified(dir, name string, m *Manifest, parse func(io.Reader) error) error {
	kf, err := openVerified(dir, name, m)
	if err != nil {
		return err
	}
	if err := parse(kf); err != nil {
		kf.f.Close()
		return fmt.Errorf("proving: %s: %w", name, err)
	}
	return kf.finish()
}

// Load reads a key directory written by Save, checking every file's hash
// before parsing it and again while parsing it.
func Load(dir string) (*Keys, error) {
	m, err := ReadManifest(dir)
	if err != nil {
		return nil, err
	}
	v, err := readVerifier(dir, m)
	if err != nil {
		return nil, err
	}
	sys := systems[m.Backend] // checked by ReadManifest
	// The mode's constraints come with circuit.ccs, which the manifest's
	// hash ties to the mode it names; Keys.Mode reports it.
	k := &Keys{Verifier: *v, CCS: sys.newCS()}
	if err := parseVerified(dir, CCSFile, m, func(r io.Reader) error { _, err := k.CCS.ReadFrom(r); return err }); err != nil {
		return nil, err
	}
	if err := parseVerified(dir, PKFile, m, func(r io.Reader) (err error) { k.pk, err = sys.readProvingKey(r); return err }); err != nil {
		return nil, err
	}
	if got, want := k.CCS.GetNbPublicVariables(), sys.ccsPublicVariables(); got != want {
		return nil, fmt.Errorf("proving: %s has %d public variables, want %d", CCSFile, got, want)
	}
	return k, nil
}

// LoadVerifier reads only the manifest and the verifying key of a key
// directory, the key's hash checked as Load checks it. It never opens the
// proving key or the circuit: it takes milliseconds and kilobytes where Load
// takes the proving key's gigabytes at production sizes.
func LoadVerifier(dir string) (*Verifier, error) {
	m, err := ReadManifest(dir)
	if err != nil {
		return nil, err
	}
	return readVerifier(dir, m)
}

// readVerifier parses the verifying key of dir, whose manifest is m.
func readVerifier(dir string, m *Manifest) (*Verifier, error) {
	mode, err := m.DataAvailability() // checked by ReadManifest
	if err != nil {
		return nil, inputErr("key directory %s: %v", dir, err)
	}
	sys := systems[m.Backend] // checked by ReadManifest
	v := &Verifier{B: m.B, D: m.D, Backend: m.Backend, Mode: mode, Origin: m.KeyOrigin()}
	if err := parseVerified(dir, VKFile, m, func(r io.Reader) (err error) { v.vk, err = sys.readVerifyingKey(r); return err }); err != nil {
		return nil, err
	}
	if got, want := v.vk.nbPublicInputs(), PublicInputsSize/fr.Bytes; got != want {
		return nil, fmt.Errorf("proving: %s verifies %d public inputs, the batch circuit has %d", VKFile, got, want)
	}
	return v, nil
}
