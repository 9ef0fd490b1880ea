package ceremony

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"

	"github.com/zkrollup/prover/native/proving"
)

// Contribution is one contribution of the log (log.json): which phase, its
// number in that phase (from 1), who made it, the file it wrote (relative to
// the ceremony directory), its SHA-256 (the contributor's receipt) and when.
type Contribution struct {
	Phase  int    `json:"phase"`
	Index  int    `json:"index"`
	Name   string `json:"name"`
	File   string `json:"file"`
	SHA256 string `json:"sha256"`
	Time   string `json:"time"` // RFC 3339, UTC
}

// String names the contribution for messages: "phase 1 contribution 2 (phase1/0002-bob.bin, by bob)".
func (c Contribution) String() string {
	return fmt.Sprintf("phase %d contribution %d (%s, by %s)", c.Phase, c.Index, c.File, c.Name)
}

// contributionFile is a contribution's file name: its number and its
// contributor's name, so a directory listing reads as the log does.
func contributionFile(phase, index int, name string) string {
	return filepath.ToSlash(filepath.Join(phaseDir(phase), fmt.Sprintf("%04d-%s.bin", index, name)))
}

func phaseDir(phase int) string {
	if phase == 1 {
		return Phase1Dir
	}
	return Phase2Dir
}

var contributionName = regexp.MustCompile(`^([0-9]{4})-(.+)\.bin$`)

// readLog reads log.json.
func readLog(dir string) ([]Contribution, error) {
	raw, err := readSmall(filepath.Join(dir, LogFile))
	if err != nil {
		return nil, inputErr("the contribution log: %v", err)
	}
	var log []Contribution
	if err := json.Unmarshal(raw, &log); err != nil {
		return nil, inputErr("%s: %v", LogFile, err)
	}
	return log, nil
}

// writeLog replaces log.json.
func writeLog(dir string, log []Contribution) error {
	if log == nil {
		log = []Contribution{}
	}
	_, err := writeReplacing(filepath.Join(dir, LogFile), func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(log)
	})
	return err
}

// contributions lists the contribution files of one phase from the directory
// and checks them against the log: numbered 1, 2, … without a gap, the same
// files as the log names in the same order, each by the name in its file
// name. It hashes nothing; the callers hash what they read.
func contributions(dir string, phase int, log []Contribution) ([]Contribution, error) {
	entries, err := os.ReadDir(filepath.Join(dir, phaseDir(phase)))
	if err != nil {
		return nil, inputErr("%v", err)
	}
	var files []string
	for _, e := range entries {
		m := contributionName.FindStringSubmatch(e.Name())
		if m == nil || m[1] == "0000" {
			continue // the beacon, the SRS, the initial state, temporary files
		}
		files = append(files, e.Name())
	}
	sort.Strings(files)
	var logged []Contribution
	for _, c := range log {
		if c.Phase == phase {
			logged = append(logged, c)
		}
	}
	var out []Contribution
	for i, name := range files {
		m := contributionName.FindStringSubmatch(name)
		index, _ := strconv.Atoi(m[1])
		file := filepath.ToSlash(filepath.Join(phaseDir(phase), name))
		if index != i+1 {
			return nil, inputErr("phase %d contribution %d is missing: the next file is %s", phase, i+1, file)
		}
		if err := proving.CheckContributorName(m[2]); err != nil {
			return nil, inputErr("%s: %v", file, err)
		}
		if i >= len(logged) {
			return nil, inputErr("%s is not in the contribution log", file)
		}
		c := logged[i]
		if c.Index != index || c.File != file || c.Name != m[2] {
			return nil, inputErr("the contribution log names %s (#%d by %s) where the directory has %s", c.File, c.Index, c.Name, file)
		}
		out = append(out, c)
	}
	if len(logged) > len(files) {
		return nil, inputErr("the contribution log names %s, which is missing", logged[len(files)].File)
	}
	return out, nil
}
