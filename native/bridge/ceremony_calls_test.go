package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zkrollup/prover/native/ceremony"
)

// The ceremony's bridge calls check their arguments before any work and
// report a bad transcript as the caller's (INVALID_ARGUMENT). A whole
// ceremony of the batch circuit takes minutes (package ceremony's tests run
// one on a small circuit; CeremonyIT runs one through the CLI).
func TestCeremonyCallsRefuseBadInput(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "c")
	out, err := ceremonyInit(1, 1, modeRollup, []byte(dir))
	if err != nil {
		t.Fatal(err)
	}
	if got := lines(string(out)); got["domain"] != "65536" || got["backend"] != "groth16" || got["circuitSha256"] == "" || got["phase1FileBytes"] == "" {
		t.Fatalf("init report: %s", out)
	}
	beacon := []byte(strings.Repeat("ab", 32))
	for name, c := range map[string]struct {
		call func() ([]byte, error)
		code int32
		says string
	}{
		"init again":             {func() ([]byte, error) { return ceremonyInit(1, 1, modeRollup, []byte(dir)) }, codeInvalidArgument, "holds a ceremony already"},
		"init with a bad mode":   {func() ([]byte, error) { return ceremonyInit(1, 1, 7, []byte(dir)) }, codeInvalidArgument, "mode"},
		"init with no directory": {func() ([]byte, error) { return ceremonyInit(1, 1, modeRollup, nil) }, codeInvalidArgument, "directory"},
		"a bad name":             {func() ([]byte, error) { return ceremonyContribute([]byte(dir), []byte("a b")) }, codeInvalidArgument, "contributor name"},
		"no name":                {func() ([]byte, error) { return ceremonyContribute([]byte(dir), nil) }, codeInvalidArgument, "name"},
		"not a ceremony":         {func() ([]byte, error) { return ceremonyContribute([]byte(t.TempDir()), []byte("alice")) }, codeInvalidArgument, "not a ceremony directory"},
		"a short beacon":         {func() ([]byte, error) { return ceremonySealPhase1([]byte(dir), []byte("abcd")) }, codeInvalidArgument, "beacon of 2 bytes"},
		"no beacon":              {func() ([]byte, error) { return ceremonySealPhase1([]byte(dir), nil) }, codeInvalidArgument, "needs a beacon"},
		"nothing to seal":        {func() ([]byte, error) { return ceremonySealPhase1([]byte(dir), beacon) }, codeInvalidArgument, "no contribution"},
		"finalize first":         {func() ([]byte, error) { return ceremonyFinalize([]byte(dir), beacon, []byte(t.TempDir())) }, codeInvalidArgument, "not sealed"},
		"keys before the end":    {func() ([]byte, error) { return ceremonyVerify([]byte(dir), []byte(t.TempDir()), nil, nil) }, codeInvalidArgument, "manifest"},
		"a bad expected beacon":  {func() ([]byte, error) { return ceremonyVerify([]byte(dir), nil, []byte("zz"), nil) }, codeInvalidArgument, "hex"},
	} {
		t.Run(name, func(t *testing.T) {
			o := guard(c.call)
			if o.code != c.code || !strings.Contains(string(o.data), c.says) {
				t.Fatalf("code %d %q, want %d saying %q", o.code, o.data, c.code, c.says)
			}
		})
	}
	// A transcript with nothing in it yet verifies as far as it goes.
	out, err = ceremonyVerify([]byte(dir), nil, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := lines(string(out)); got["state"] != "phase1-open" || got["phase1.count"] != "0" || got["keysChecked"] != "false" {
		t.Fatalf("verify report: %s", out)
	}
	// A tampered ceremony.json is refused, naming it.
	spec := filepath.Join(dir, ceremony.SpecFile)
	raw, _ := os.ReadFile(spec)
	os.WriteFile(spec, []byte(strings.Replace(string(raw), `"domain": 65536`, `"domain": 65537`, 1)), 0o644)
	if o := guard(func() ([]byte, error) { return ceremonyVerify([]byte(dir), nil, nil, nil) }); o.code != codeInvalidArgument || !strings.Contains(string(o.data), "ceremony.json") {
		t.Fatalf("tampered spec: %d %s", o.code, o.data)
	}
}

// Every operation's memory is refused up front when N is beyond the machine.
func TestCeremonyMemoryIsCheckedBeforeTheWork(t *testing.T) {
	if physicalMemory() == 0 {
		t.Skip("no memory figure on this machine")
	}
	huge := &ceremony.Spec{Domain: 1 << 40}
	err := checkCeremonyMemory(huge, ceremony.OpVerify)
	if o := guard(func() ([]byte, error) { return nil, err }); o.code != codeResourceExhausted || !strings.Contains(string(o.data), "verifying for N = 1099511627776") {
		t.Fatalf("code %d %s", o.code, o.data)
	}
	if err := checkCeremonyMemory(&ceremony.Spec{Domain: 1 << 16}, ceremony.OpVerify); err != nil {
		t.Fatalf("a small ceremony refused: %v", err)
	}
}
