package ceremony

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// State is how far a ceremony has come.
type State int

const (
	Phase1Open State = iota // contributions to phase 1 are taken
	Phase2Open              // phase 1 is sealed; contributions to phase 2 are taken
	Finalized               // phase 2 is sealed; the keys were written
)

func (s State) String() string {
	return [...]string{"phase1-open", "phase2-open", "finalized"}[s]
}

// transcript is a ceremony directory as read from disk: its spec, its log and
// contribution files (checked against each other), and the beacons of the
// sealed phases. Reading it hashes nothing; the operations read what they need.
type transcript struct {
	dir              string
	spec             *Spec
	log              []Contribution
	phase1, phase2   []Contribution
	beacon1, beacon2 Beacon
}

// open reads a ceremony directory's structure and checks it is consistent.
func open(dir string) (*transcript, error) {
	spec, err := ReadSpec(dir)
	if err != nil {
		return nil, err
	}
	t := &transcript{dir: dir, spec: spec}
	if t.log, err = readLog(dir); err != nil {
		return nil, err
	}
	for _, c := range t.log {
		if c.Phase != 1 && c.Phase != 2 {
			return nil, inputErr("%s: an entry of phase %d", LogFile, c.Phase)
		}
	}
	if t.phase1, err = contributions(dir, 1, t.log); err != nil {
		return nil, err
	}
	if t.phase2, err = contributions(dir, 2, t.log); err != nil {
		return nil, err
	}
	if t.beacon1, err = readBeacon(dir, 1); err != nil {
		return nil, err
	}
	if t.beacon2, err = readBeacon(dir, 2); err != nil {
		return nil, err
	}
	switch {
	case t.beacon1 == nil && (len(t.phase2) > 0 || t.beacon2 != nil):
		return nil, inputErr("phase 2 has files but phase 1 is not sealed (no %s/%s)", Phase1Dir, BeaconFile)
	case t.beacon1 != nil && !exists(dir, Phase1Dir, SRSFile):
		return nil, inputErr("phase 1 is sealed but %s/%s is missing", Phase1Dir, SRSFile)
	case t.beacon1 != nil && (!exists(dir, Phase2Dir, InitialFile) || !exists(dir, Phase2Dir, EvaluationsFile)):
		return nil, inputErr("phase 1 is sealed but %s/%s or %s/%s is missing", Phase2Dir, InitialFile, Phase2Dir, EvaluationsFile)
	}
	return t, nil
}

// Status reads how far the ceremony in dir has come, checking its structure
// (not its contents: that is Verify's work).
func Status(dir string) (*Spec, State, error) {
	t, err := open(dir)
	if err != nil {
		return nil, 0, err
	}
	return t.spec, t.state(), nil
}

func (t *transcript) state() State {
	switch {
	case t.beacon2 != nil:
		return Finalized
	case t.beacon1 != nil:
		return Phase2Open
	}
	return Phase1Open
}

func (t *transcript) path(rel string) string { return filepath.Join(t.dir, filepath.FromSlash(rel)) }

// files are the transcript's files in the order of its hash, which is also
// the order `LC_ALL=C sha256sum ceremony.json phase1/* phase2/*` lists them:
// ceremony.json, the phase-1 contributions, phase1/beacon.txt,
// phase1/srs.bin, phase2/0000-initial.bin, the phase-2 contributions,
// phase2/beacon.txt, phase2/evaluations.bin. The log is not among them: it
// holds times, and every hash it holds is in the transcript anyway.
func (t *transcript) files() []string {
	files := []string{SpecFile}
	for _, c := range t.phase1 {
		files = append(files, c.File)
	}
	if t.beacon1 == nil {
		return files
	}
	files = append(files, Phase1Dir+"/"+BeaconFile, Phase1Dir+"/"+SRSFile, Phase2Dir+"/"+InitialFile)
	for _, c := range t.phase2 {
		files = append(files, c.File)
	}
	if t.beacon2 != nil {
		files = append(files, Phase2Dir+"/"+BeaconFile)
	}
	return append(files, Phase2Dir+"/"+EvaluationsFile)
}

// fileHash is one line of the transcript: a file and its SHA-256.
type fileHash struct {
	File, SHA256 string
}

// hashFiles hashes every file of the transcript and checks each
// contribution's hash against the log.
func (t *transcript) hashFiles() ([]fileHash, error) { return t.hashFilesWith("", nil) }

// hashFilesWith is hashFiles where the file named pending is not written
// yet and will hold content.
func (t *transcript) hashFilesWith(pending string, content []byte) ([]fileHash, error) {
	logged := map[string]string{}
	for _, c := range t.log {
		logged[c.File] = c.SHA256
	}
	var out []fileHash
	for _, f := range t.files() {
		if f == pending {
			sum := sha256.Sum256(content)
			out = append(out, fileHash{f, hex.EncodeToString(sum[:])})
			continue
		}
		h, err := hashFile(t.path(f))
		if err != nil {
			return nil, inputErr("%v", err)
		}
		if want, ok := logged[f]; ok && want != h {
			return nil, inputErr("%s has SHA-256 %s, but the contribution log recorded %s: the file was changed after it was written", t.describe(f), h, want)
		}
		out = append(out, fileHash{f, h})
	}
	return out, nil
}

// TranscriptHash is the SHA-256 (hex) of a transcript's file list as
// sha256sum prints it ("<hash>  <file>\n" per file, in order), so that
//
//	cd DIR && LC_ALL=C sha256sum ceremony.json phase1/* phase2/* | sha256sum
//
// recomputes it with no software of ours.
func transcriptHash(files []fileHash) string {
	var sb strings.Builder
	for _, f := range files {
		fmt.Fprintf(&sb, "%s  %s\n", f.SHA256, f.File)
	}
	sum := sha256.Sum256([]byte(sb.String()))
	return hex.EncodeToString(sum[:])
}

// describe names a transcript file for messages: a contribution by its
// phase, number and contributor.
func (t *transcript) describe(file string) string {
	for _, c := range append(append([]Contribution{}, t.phase1...), t.phase2...) {
		if c.File == file {
			return c.String()
		}
	}
	return file
}

func exists(dir string, elem ...string) bool {
	_, err := os.Stat(filepath.Join(append([]string{dir}, elem...)...))
	return err == nil
}

func isNotExist(err error) bool { return errors.Is(err, fs.ErrNotExist) }
