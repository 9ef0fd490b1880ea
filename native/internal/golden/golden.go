// Package golden checks generated files that other code reads (test vectors
// for the Java side, generated Java constants) against what the generator
// produces now, so a checked-in file can never silently drift from gnark-crypto.
package golden

import (
	"os"
	"testing"
)

// Check fails t unless the file at path holds exactly want. With update set
// (each package's -update test flag) it first rewrites the file.
func Check(t testing.TB, path, want string, update bool) {
	t.Helper()
	if update {
		if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read %s (regenerate with -update): %v", path, err)
	}
	if string(got) != want {
		t.Fatalf("%s differs from what its generator produces now; regenerate with -update and review the diff", path)
	}
}
