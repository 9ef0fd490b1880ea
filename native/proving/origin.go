package proving

import (
	"encoding/hex"
	"fmt"
	"regexp"
	"strings"
)

// Origin says where the keys of a key directory came from: the manifest's
// "origin" object. Whoever ran a single-party setup knows its toxic waste and
// can forge any proof, so keys that secure funds must come from a multi-party
// ceremony (package ceremony), and the node and deploy tooling read this to
// tell the two apart.
//
// The origin is a claim written next to the keys, not a proof: anyone who can
// write the key directory can edit it (and could as well replace the keys).
// What proves a ceremony origin is `zkrollup ceremony verify --keys`, which
// recomputes the keys from the transcript.
type Origin struct {
	// Kind is OriginDevelopment or OriginCeremony.
	Kind string `json:"kind"`
	// Setup names a development setup: "single-party" (gnark's groth16.Setup,
	// PLONK over the unsafe development SRS).
	Setup string `json:"setup,omitempty"`
	// Transcript is the SHA-256 (hex) of the ceremony's transcript: of the
	// list of its files' SHA-256 hashes, in order (ceremony.TranscriptHash).
	Transcript string `json:"transcript,omitempty"`
	// Phase1 and Phase2 are the ceremony's contributions, in order.
	Phase1 []Contributor `json:"phase1,omitempty"`
	Phase2 []Contributor `json:"phase2,omitempty"`
	// Beacon1 and Beacon2 are the random beacons that sealed each phase (hex).
	Beacon1 string `json:"beacon1,omitempty"`
	Beacon2 string `json:"beacon2,omitempty"`
}

// Contributor is one contribution to a ceremony: who made it, and the SHA-256
// of the file it wrote (the receipt the contributor kept).
type Contributor struct {
	Name   string `json:"name"`
	SHA256 string `json:"sha256"`
}

// Origin kinds.
const (
	OriginDevelopment = "development"
	OriginCeremony    = "ceremony"
)

// DevelopmentOrigin is the origin of keys from this package's Setup: one
// party ran it and could have kept its randomness.
func DevelopmentOrigin() Origin { return Origin{Kind: OriginDevelopment, Setup: "single-party"} }

// IsCeremony reports whether the keys claim to come from a ceremony.
func (o Origin) IsCeremony() bool { return o.Kind == OriginCeremony }

// contributorName is what a contributor may be called: it becomes part of a
// file name and of comma-separated lists on the bridge, so it is kept to
// letters, digits, '.', '_' and '-'.
var contributorName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

// CheckContributorName refuses a name that cannot name a contribution file.
func CheckContributorName(name string) error {
	if !contributorName.MatchString(name) {
		return fmt.Errorf("contributor name %q: 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit", name)
	}
	return nil
}

// check refuses an origin a manifest cannot hold.
func (o *Origin) check() error {
	switch o.Kind {
	case OriginDevelopment:
		if o.Transcript != "" || len(o.Phase1) > 0 || len(o.Phase2) > 0 || o.Beacon1 != "" || o.Beacon2 != "" {
			return fmt.Errorf("a development origin names no ceremony")
		}
		return nil
	case OriginCeremony:
	default:
		return fmt.Errorf("origin kind %q (development or ceremony)", o.Kind)
	}
	if !isSHA256Hex(o.Transcript) {
		return fmt.Errorf("ceremony origin: transcript must be a SHA-256 in hex")
	}
	if len(o.Phase1) == 0 || len(o.Phase2) == 0 {
		return fmt.Errorf("ceremony origin: both phases need a contribution")
	}
	for _, c := range append(append([]Contributor{}, o.Phase1...), o.Phase2...) {
		if err := CheckContributorName(c.Name); err != nil {
			return fmt.Errorf("ceremony origin: %v", err)
		}
		if !isSHA256Hex(c.SHA256) {
			return fmt.Errorf("ceremony origin: contribution of %s has no SHA-256", c.Name)
		}
	}
	for _, b := range []string{o.Beacon1, o.Beacon2} {
		if _, err := hex.DecodeString(b); err != nil || b == "" {
			return fmt.Errorf("ceremony origin: beacons must be hex")
		}
	}
	return nil
}

// InfoLines describes the origin as the bridge's "key=value" lines:
// origin, and setup (development) or transcript, phase1, phase2 (names,
// comma-separated), beacon1, beacon2 (ceremony).
func (o Origin) InfoLines() string {
	if !o.IsCeremony() {
		return fmt.Sprintf("origin=%s\nsetup=%s\n", OriginDevelopment, o.Setup)
	}
	names := func(cs []Contributor) string {
		n := make([]string, len(cs))
		for i, c := range cs {
			n[i] = c.Name
		}
		return strings.Join(n, ",")
	}
	return fmt.Sprintf("origin=%s\ntranscript=%s\nphase1=%s\nphase2=%s\nbeacon1=%s\nbeacon2=%s\n",
		OriginCeremony, o.Transcript, names(o.Phase1), names(o.Phase2), o.Beacon1, o.Beacon2)
}

func isSHA256Hex(s string) bool {
	b, err := hex.DecodeString(s)
	return err == nil && len(b) == 32 && s == strings.ToLower(s)
}
