package ceremony

import (
	"encoding/hex"
	"path/filepath"
	"strings"
)

// Beacon is public randomness that nobody could know before the last
// contribution of a phase: the hash of an L1 block far enough in the future
// when the phase's deadline was announced. gnark's Seal hashes it with the
// transcript into one last "contribution" that anyone can recompute, so the
// last contributor cannot choose the final keys by trying many randomnesses.
type Beacon []byte

// Beacon sizes: a block hash is 32 bytes; below 16 is too little entropy for
// a beacon, above 128 is not a beacon.
const (
	minBeaconBytes = 16
	maxBeaconBytes = 128
)

// ParseBeacon reads a beacon in hex (an optional 0x, 16 to 128 bytes).
func ParseBeacon(s string) (Beacon, error) {
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(strings.TrimPrefix(s, "0x"), "0X")
	b, err := hex.DecodeString(s)
	if err != nil {
		return nil, inputErr("a beacon is hex bytes (e.g. an L1 block hash): %v", err)
	}
	if len(b) < minBeaconBytes || len(b) > maxBeaconBytes {
		return nil, inputErr("a beacon of %d bytes: it must have %d to %d (an L1 block hash has 32)", len(b), minBeaconBytes, maxBeaconBytes)
	}
	return b, nil
}

// String is the beacon in lower-case hex, without 0x.
func (b Beacon) String() string { return hex.EncodeToString(b) }

// fileBytes is what a phase's beacon.txt holds: the hex and a newline.
func (b Beacon) fileBytes() []byte { return []byte(b.String() + "\n") }

// readBeacon reads a phase's beacon.txt; nil when the phase is not sealed.
func readBeacon(dir string, phase int) (Beacon, error) {
	path := filepath.Join(dir, phaseDir(phase), BeaconFile)
	raw, err := readSmall(path)
	if err != nil {
		if isNotExist(err) {
			return nil, nil
		}
		return nil, inputErr("%v", err)
	}
	b, err := ParseBeacon(string(raw))
	if err != nil {
		return nil, inputErr("%s/%s: %v", phaseDir(phase), BeaconFile, err)
	}
	if string(b.fileBytes()) != string(raw) {
		return nil, inputErr("%s/%s is not written as the ceremony writes beacons (lower-case hex and a newline)", phaseDir(phase), BeaconFile)
	}
	return b, nil
}
