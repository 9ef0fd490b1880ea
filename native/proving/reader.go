package proving

import "bytes"

// bytesReader is a bytes.Reader; named so Load reads one in-memory copy of
// each verified file and never re-reads the disk after hashing it.
type bytesReader = bytes.Reader

func newBytesReader(b []byte) *bytesReader { return bytes.NewReader(b) }
