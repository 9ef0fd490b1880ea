package main

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/zkrollup/prover/native/ceremony"
	"github.com/zkrollup/prover/native/proving"
)

// The ceremony calls (package ceremony): paths and names in, UTF-8
// "key=value" lines out. They take minutes to hours at production sizes, so
// their exports run off the JVM thread like prove.

// ceremonyErr maps errors of package ceremony onto bridge codes: a bad
// transcript or argument is the caller's.
func ceremonyErr(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, ceremony.ErrInput) || errors.Is(err, proving.ErrInput) {
		return invalidArgument(err)
	}
	return err
}

// textArg checks a UTF-8 argument (a path, a name, a beacon); empty is
// refused unless optional.
func textArg(what string, b []byte, optional bool) (string, error) {
	if (len(b) == 0 && !optional) || len(b) > maxPathBytes || !utf8.Valid(b) || strings.ContainsRune(string(b), 0) {
		return "", invalidArgument(fmt.Errorf("%s must be non-empty UTF-8 without NUL, at most %d bytes", what, maxPathBytes))
	}
	return string(b), nil
}

// beaconArg parses an optional beacon (hex); nil when empty.
func beaconArg(what string, b []byte) (ceremony.Beacon, error) {
	s, err := textArg(what, b, true)
	if err != nil || s == "" {
		return nil, err
	}
	beacon, err := ceremony.ParseBeacon(s)
	return beacon, ceremonyErr(err)
}

// checkCeremonyMemory refuses (RESOURCE_EXHAUSTED) an operation whose lower
// bound of memory, known from N before any file is read, exceeds the
// machine's: as checkMemory does for circuits.
func checkCeremonyMemory(spec *ceremony.Spec, op ceremony.Operation) error {
	need, have := spec.MemoryLowerBound(op), physicalMemory()
	if have == 0 || need <= have {
		return nil
	}
	return resourceExhausted(fmt.Errorf("%s for N = %d needs at least %.1f GiB of memory and this machine has %.1f GiB", op, spec.Domain, gib(need), gib(have)))
}

// ceremonyFor reads the spec and state of a ceremony directory and checks
// the memory an operation on it needs.
func ceremonyFor(dir string, op func(ceremony.State) ceremony.Operation) error {
	spec, state, err := ceremony.Status(dir)
	if err != nil {
		return ceremonyErr(err)
	}
	return checkCeremonyMemory(spec, op(state))
}

func specLines(sb *strings.Builder, s *ceremony.Spec) {
	fmt.Fprintf(sb, "b=%d\nd=%d\nmode=%s\nbackend=%s\ngnark=%s\nconstraints=%d\ndomain=%d\ncircuitSha256=%s\n",
		s.B, s.D, s.Mode, s.Backend, s.Gnark, s.Constraints, s.Domain, s.CircuitSHA256)
}

// ceremonyInit compiles the batch circuit and starts a ceremony in dir. It
// reports the spec (b, d, mode, backend, gnark, constraints, domain,
// circuitSha256), what each contribution moves and holds
// (phase1FileBytes, contributeMemoryBytes, verifyMemoryBytes: lower bounds)
// and initMs.
func ceremonyInit(b, d, mode int32, dir []byte) ([]byte, error) {
	_, m, err := circuitParams(b, d, backendGroth16, mode)
	if err != nil {
		return nil, err
	}
	path, err := textArg("the ceremony directory", dir, false)
	if err != nil {
		return nil, err
	}
	if err := checkMemory(b, d, proving.Groth16, false); err != nil {
		return nil, err
	}
	start := time.Now()
	spec, err := ceremony.Init(path, int(b), int(d), m)
	if err != nil {
		return nil, ceremonyErr(err)
	}
	var sb strings.Builder
	specLines(&sb, spec)
	fmt.Fprintf(&sb, "phase1FileBytes=%d\ncontributeMemoryBytes=%d\nverifyMemoryBytes=%d\ninitMs=%d\n",
		spec.Phase1FileBytes(), spec.MemoryLowerBound(ceremony.OpContribute1), spec.MemoryLowerBound(ceremony.OpVerify), time.Since(start).Milliseconds())
	return []byte(sb.String()), nil
}

// ceremonyContribute adds a contribution by name to the open phase and
// reports its receipt: phase, index, name, file (in the directory), path,
// sha256, bytes, time, contributeMs.
func ceremonyContribute(dir, name []byte) ([]byte, error) {
	path, err := textArg("the ceremony directory", dir, false)
	if err != nil {
		return nil, err
	}
	who, err := textArg("the contributor's name", name, false)
	if err != nil {
		return nil, err
	}
	if err := ceremonyFor(path, func(s ceremony.State) ceremony.Operation {
		if s == ceremony.Phase1Open {
			return ceremony.OpContribute1
		}
		return ceremony.OpContribute2
	}); err != nil {
		return nil, err
	}
	start := time.Now()
	r, err := ceremony.Contribute(path, who)
	if err != nil {
		return nil, ceremonyErr(err)
	}
	return []byte(fmt.Sprintf("phase=%d\nindex=%d\nname=%s\nfile=%s\npath=%s\nsha256=%s\nbytes=%d\ntime=%s\ncontributeMs=%d\n",
		r.Phase, r.Index, r.Name, r.File, filepath.Join(path, filepath.FromSlash(r.File)), r.SHA256, r.Size, r.Time, time.Since(start).Milliseconds())), nil
}

// ceremonySealPhase1 seals phase 1 with a beacon (hex) and reports beacon,
// contributions, srsSha256, initialSha256, evaluationsSha256, sealMs.
func ceremonySealPhase1(dir, beacon []byte) ([]byte, error) {
	path, err := textArg("the ceremony directory", dir, false)
	if err != nil {
		return nil, err
	}
	b, err := beaconArg("the beacon", beacon)
	if err != nil {
		return nil, err
	}
	if b == nil {
		return nil, invalidArgument(errors.New("sealing needs a beacon"))
	}
	if err := ceremonyFor(path, func(ceremony.State) ceremony.Operation { return ceremony.OpSeal }); err != nil {
		return nil, err
	}
	start := time.Now()
	s, err := ceremony.SealPhase1(path, b)
	if err != nil {
		return nil, ceremonyErr(err)
	}
	return []byte(fmt.Sprintf("beacon=%s\ncontributions=%d\nsrsSha256=%s\ninitialSha256=%s\nevaluationsSha256=%s\nsealMs=%d\n",
		s.Beacon, s.Contributors, s.SRS, s.Initial, s.Evaluations, time.Since(start).Milliseconds())), nil
}

// ceremonyFinalize seals phase 2 with a beacon and writes the key directory;
// it reports beacon, transcript, keyDir, <file>Bytes per key file, the
// keys' origin (as zkp_prover_info does) and finalizeMs.
func ceremonyFinalize(dir, beacon, keyDir []byte) ([]byte, error) {
	path, err := textArg("the ceremony directory", dir, false)
	if err != nil {
		return nil, err
	}
	b, err := beaconArg("the beacon", beacon)
	if err != nil {
		return nil, err
	}
	if b == nil {
		return nil, invalidArgument(errors.New("finalizing needs a beacon"))
	}
	keys, err := textArg("the key directory", keyDir, false)
	if err != nil {
		return nil, err
	}
	if err := ceremonyFor(path, func(ceremony.State) ceremony.Operation { return ceremony.OpFinalize }); err != nil {
		return nil, err
	}
	start := time.Now()
	f, err := ceremony.Finalize(path, b, keys)
	if err != nil {
		return nil, ceremonyErr(err)
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "beacon=%s\ntranscript=%s\nkeyDir=%s\n", f.Beacon, f.Transcript, keys)
	for _, name := range []string{proving.CCSFile, proving.PKFile, proving.VKFile, proving.ManifestFile} {
		fmt.Fprintf(&sb, "%sBytes=%d\n", name, f.Keys.Sizes[name])
	}
	sb.WriteString(f.Origin.InfoLines())
	fmt.Fprintf(&sb, "finalizeMs=%d\n", time.Since(start).Milliseconds())
	return []byte(sb.String()), nil
}

// ceremonyVerify recomputes a ceremony from its files (ceremony.Verify);
// keyDir, beacon1 and beacon2 may be empty (not checked). It reports state,
// the spec, each contribution (phase1.count, phase1.<i>.name, .file, .sha256,
// .time; likewise phase2), beacon1, beacon2, srsSha256, initialSha256,
// evaluationsSha256, transcript, keys.<file> (SHA-256 of the key files the
// transcript produces), keysChecked and verifyMs. A transcript that fails is
// INVALID_ARGUMENT, its message naming the file, contribution and why.
func ceremonyVerify(dir, keyDir, beacon1, beacon2 []byte) ([]byte, error) {
	path, err := textArg("the ceremony directory", dir, false)
	if err != nil {
		return nil, err
	}
	var opts ceremony.VerifyOptions
	if opts.KeyDir, err = textArg("the key directory", keyDir, true); err != nil {
		return nil, err
	}
	if opts.Beacon1, err = beaconArg("the expected phase-1 beacon", beacon1); err != nil {
		return nil, err
	}
	if opts.Beacon2, err = beaconArg("the expected phase-2 beacon", beacon2); err != nil {
		return nil, err
	}
	if err := ceremonyFor(path, func(ceremony.State) ceremony.Operation { return ceremony.OpVerify }); err != nil {
		return nil, err
	}
	start := time.Now()
	r, err := ceremony.Verify(path, opts)
	if err != nil {
		return nil, ceremonyErr(err)
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "state=%s\n", r.State)
	specLines(&sb, &r.Spec)
	for phase, cs := range [][]ceremony.Contribution{r.Phase1, r.Phase2} {
		fmt.Fprintf(&sb, "phase%d.count=%d\n", phase+1, len(cs))
		for _, c := range cs {
			fmt.Fprintf(&sb, "phase%d.%d.name=%s\nphase%[1]d.%[2]d.file=%[4]s\nphase%[1]d.%[2]d.sha256=%[5]s\nphase%[1]d.%[2]d.time=%[6]s\n",
				c.Phase, c.Index, c.Name, c.File, c.SHA256, c.Time)
		}
	}
	if r.Beacon1 != nil {
		fmt.Fprintf(&sb, "beacon1=%s\nsrsSha256=%s\ninitialSha256=%s\nevaluationsSha256=%s\n", r.Beacon1, r.SRS, r.Initial, r.Evaluations)
	}
	if r.Beacon2 != nil {
		fmt.Fprintf(&sb, "beacon2=%s\n", r.Beacon2)
	}
	fmt.Fprintf(&sb, "transcript=%s\n", r.Transcript)
	for _, name := range []string{proving.CCSFile, proving.PKFile, proving.VKFile} {
		if h, ok := r.Keys[name]; ok {
			fmt.Fprintf(&sb, "keys.%s=%s\n", name, h)
		}
	}
	fmt.Fprintf(&sb, "keysChecked=%t\nverifyMs=%d\n", r.KeysChecked, time.Since(start).Milliseconds())
	return []byte(sb.String()), nil
}
