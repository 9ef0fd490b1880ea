package ceremony

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
	"syscall"
)

// written is what writeAtomic reports about the file it wrote.
type written struct {
	SHA256 string
	Size   int64
}

// writeAtomic writes a file through write, streaming (a phase-1 file at
// production size is hundreds of megabytes), to a hidden temporary name in
// the same directory, syncs it and renames it into place: a crash leaves the
// old directory, never half a file under the final name. It refuses to
// replace an existing file: transcript files are written once.
func writeAtomic(path string, write func(w io.Writer) error) (written, error) {
	if _, err := os.Lstat(path); err == nil {
		return written{}, inputErr("%s exists already", path)
	}
	return writeReplacing(path, write)
}

// writeReplacing is writeAtomic for a file that may be replaced (the log).
func writeReplacing(path string, write func(w io.Writer) error) (written, error) {
	tmp := filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+".tmp")
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return written{}, fmt.Errorf("ceremony: %w", err)
	}
	ok := false
	defer func() {
		if !ok {
			f.Close()
			os.Remove(tmp)
		}
	}()
	h := sha256.New()
	bw := bufio.NewWriterSize(io.MultiWriter(f, h), 1<<20)
	if err := write(bw); err != nil {
		return written{}, fmt.Errorf("ceremony: writing %s: %w", path, err)
	}
	if err := bw.Flush(); err != nil {
		return written{}, fmt.Errorf("ceremony: writing %s: %w", path, err)
	}
	if err := f.Sync(); err != nil {
		return written{}, fmt.Errorf("ceremony: %w", err)
	}
	st, err := f.Stat()
	if err != nil {
		return written{}, fmt.Errorf("ceremony: %w", err)
	}
	if err := f.Close(); err != nil {
		return written{}, fmt.Errorf("ceremony: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return written{}, fmt.Errorf("ceremony: %w", err)
	}
	ok = true
	syncDir(filepath.Dir(path))
	return written{SHA256: hex.EncodeToString(h.Sum(nil)), Size: st.Size()}, nil
}

// syncDir makes a rename in dir durable (best effort: not every file system
// can sync a directory).
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

func writeJSON(path string, v any) (written, error) {
	return writeAtomic(path, func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(v)
	})
}

// readSmall reads a small file (JSON, a beacon), refusing anything larger
// than a megabyte: these files never are.
func readSmall(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, 1<<20+1))
	if err != nil {
		return nil, err
	}
	if len(b) > 1<<20 {
		return nil, fmt.Errorf("%s is larger than a megabyte", path)
	}
	return b, nil
}

// hashFile is the SHA-256 (hex) of a file, streamed.
func hashFile(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, bufio.NewReaderSize(f, 1<<20)); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func isHash(s string) bool {
	b, err := hex.DecodeString(s)
	return err == nil && len(b) == sha256.Size && hex.EncodeToString(b) == s
}

// readChecked reads one transcript file with gnark's decoder (read), after
// checking its shape (check) and hashing it in the same pass; it returns the
// hash. The file stays open between the passes, so renaming another file
// over it cannot swap what is parsed; a change in place shows as a second
// hash that differs from the first.
func readChecked(path string, check func(r *bufio.Reader) error, read func(r io.Reader) error) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", inputErr("%v", err)
	}
	defer f.Close()
	first := sha256.New()
	br := bufio.NewReaderSize(io.TeeReader(f, first), 1<<20)
	if err := check(br); err != nil {
		return "", err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return "", fmt.Errorf("ceremony: %w", err)
	}
	second := sha256.New()
	br = bufio.NewReaderSize(io.TeeReader(f, second), 1<<20)
	if err := read(br); err != nil {
		return "", inputErr("decoding: %v", err)
	}
	if _, err := io.Copy(io.Discard, br); err != nil {
		return "", fmt.Errorf("ceremony: %w", err)
	}
	if !sameHash(first, second) {
		return "", inputErr("%s changed while it was read", path)
	}
	return hex.EncodeToString(first.Sum(nil)), nil
}

func sameHash(a, b hash.Hash) bool { return string(a.Sum(nil)) == string(b.Sum(nil)) }

// lock takes an exclusive advisory lock on the ceremony directory (on
// ceremony.json) for one writing operation, so two contributors sharing a
// directory cannot both write the next file. The lock ends with the process.
func lock(dir string) (unlock func(), err error) {
	f, err := os.Open(filepath.Join(dir, SpecFile))
	if err != nil {
		return nil, inputErr("%s is not a ceremony directory: %v", dir, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		return nil, inputErr("%s is busy: another ceremony command is writing to it", dir)
	}
	return func() {
		syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}
