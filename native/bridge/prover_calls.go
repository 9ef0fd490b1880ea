package main

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/zkrollup/prover/native/batch"
	"github.com/zkrollup/prover/native/proving"
)

// Backend codes on the bridge (LibZkProver.BACKEND_*).
const (
	backendGroth16 = 0
	backendPlonk   = 1
)

// maxBridgeSlots bounds B on the bridge: a batch header counts slots in 16
// bits. Whether a circuit fits the machine's memory is checkMemory's answer.
const maxBridgeSlots = 0xffff

// maxPathBytes bounds a key directory path.
const maxPathBytes = 4096

func bridgeBackend(code int32) (proving.Backend, error) {
	switch code {
	case backendGroth16:
		return proving.Groth16, nil
	case backendPlonk:
		return proving.Plonk, nil
	}
	return "", invalidArgument(fmt.Errorf("backend must be %d (groth16) or %d (plonk), got %d", backendGroth16, backendPlonk, code))
}

// Data-availability mode codes on the bridge (DataAvailability.code() in Java).
const (
	modeRollup   = 0
	modeValidium = 1
)

func bridgeMode(code int32) (batch.Mode, error) {
	switch code {
	case modeRollup:
		return batch.ModeRollup, nil
	case modeValidium:
		return batch.ModeValidium, nil
	}
	return 0, invalidArgument(fmt.Errorf("mode must be %d (rollup) or %d (validium), got %d", modeRollup, modeValidium, code))
}

func circuitParams(b, d, backend, mode int32) (proving.Backend, batch.Mode, error) {
	if d < 1 || d > batch.MaxDepth {
		return "", 0, invalidArgument(fmt.Errorf("D must be 1..%d, got %d", batch.MaxDepth, d))
	}
	be, err := bridgeBackend(backend)
	if err != nil {
		return "", 0, err
	}
	m, err := bridgeMode(mode)
	if err != nil {
		return "", 0, err
	}
	if b < 1 {
		return "", 0, invalidArgument(fmt.Errorf("B must be 1..%d, got %d", maxBridgeSlots, b))
	}
	if b > maxBridgeSlots {
		return "", 0, invalidArgument(fmt.Errorf("B must be 1..%d, got %d", maxBridgeSlots, b))
	}
	return be, m, nil
}

func keyDirPath(dir []byte) (string, error) {
	if len(dir) == 0 || len(dir) > maxPathBytes || !utf8.Valid(dir) || strings.ContainsRune(string(dir), 0) {
		return "", invalidArgument(errors.New("key directory must be a non-empty UTF-8 path without NUL, at most 4096 bytes"))
	}
	return string(dir), nil
}

// provingErr maps errors of package proving onto bridge codes.
func provingErr(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, proving.ErrInput) {
		return invalidArgument(err)
	}
	return err
}

// circuitInfo compiles the circuit (no setup) and reports "key=value" lines:
// b, d, backend, mode, constraints, publicInputs, witnessBytes, compileMs.
func circuitInfo(b, d, backend, mode int32) ([]byte, error) {
	be, m, err := circuitParams(b, d, backend, mode)
	if err != nil {
		return nil, err
	}
	if err := checkMemory(b, d, be, false); err != nil {
		return nil, err
	}
	injectFault()
	start := time.Now()
	ccs, err := proving.Compile(int(b), int(d), be, m)
	if err != nil {
		return nil, provingErr(err)
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "b=%d\nd=%d\nbackend=%s\nmode=%s\nconstraints=%d\npublicInputs=4\nwitnessBytes=%d\ncompileMs=%d\n",
		b, d, be, m, ccs.GetNbConstraints(), batch.WitnessSize(int(b), int(d)), time.Since(start).Milliseconds())
	return []byte(sb.String()), nil
}

// circuitSetup compiles, runs the setup and writes the key directory;
// it reports "key=value" lines: b, d, backend, mode, gnark, constraints,
// setupMs, <file>Bytes for each file written, and origin=development with
// setup=single-party.
func circuitSetup(b, d, backend, mode int32, dir []byte) ([]byte, error) {
	be, m, err := circuitParams(b, d, backend, mode)
	if err != nil {
		return nil, err
	}
	path, err := keyDirPath(dir)
	if err != nil {
		return nil, err
	}
	if err := checkMemory(b, d, be, true); err != nil {
		return nil, err
	}
	injectFault()
	start := time.Now()
	keys, err := proving.Setup(int(b), int(d), be, m)
	if err != nil {
		return nil, provingErr(err)
	}
	setupMs := time.Since(start).Milliseconds()
	sum, err := keys.Save(path)
	if err != nil {
		return nil, provingErr(err)
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "b=%d\nd=%d\nbackend=%s\nmode=%s\ngnark=%s\nconstraints=%d\nsetupMs=%d\n",
		b, d, be, keys.Mode, proving.GnarkVersion(), keys.CCS.GetNbConstraints(), setupMs)
	for _, name := range []string{proving.CCSFile, proving.PKFile, proving.VKFile, proving.ManifestFile} {
		fmt.Fprintf(&sb, "%sBytes=%d\n", name, sum.Sizes[name])
	}
	sb.WriteString(keys.Origin.InfoLines())
	return []byte(sb.String()), nil
}

// proverLoad loads a key directory (hashes checked) and returns a handle.
func proverLoad(dir []byte) (int64, error) {
	path, err := keyDirPath(dir)
	if err != nil {
		return 0, err
	}
	keys, err := proving.Load(path)
	if err != nil {
		return 0, provingErr(err)
	}
	h, err := objects.Put(keys)
	if err != nil {
		return 0, resourceExhausted(err)
	}
	return h, nil
}

// verifierLoad loads only the verifying key of a key directory (its hash
// checked against the manifest; proving.key and circuit.ccs are never
// opened) and returns a handle whose calls run concurrently: the verifier
// never changes, so it needs no lock of its own.
func verifierLoad(dir []byte) (int64, error) {
	path, err := keyDirPath(dir)
	if err != nil {
		return 0, err
	}
	v, err := proving.LoadVerifier(path)
	if err != nil {
		return 0, provingErr(err)
	}
	h, err := objects.PutShared(v)
	if err != nil {
		return 0, resourceExhausted(err)
	}
	return h, nil
}

func withProver(h int64, fn func(*proving.Keys) error) error {
	return objects.With(h, func(v any) error {
		k, ok := v.(*proving.Keys)
		if !ok {
			return &codedError{codeInvalidHandle, fmt.Errorf("handle %d is not a prover", h)}
		}
		return fn(k)
	})
}

// withVerifier runs fn on the verifier behind a verifier handle, or behind a
// prover handle (a prover's keys verify too, but its calls are serialised).
func withVerifier(h int64, fn func(*proving.Verifier) error) error {
	return objects.With(h, func(v any) error {
		switch k := v.(type) {
		case *proving.Verifier:
			return fn(k)
		case *proving.Keys:
			return fn(&k.Verifier)
		}
		return &codedError{codeInvalidHandle, fmt.Errorf("handle %d is neither a prover nor a verifier", h)}
	})
}

// nativeFault, when set, runs before every proof, compilation and setup:
// the work that runs inside gnark. Only the faultinject build sets it
// (faultinject.go); the production library never does.
var nativeFault func()

func injectFault() {
	if nativeFault != nil {
		nativeFault()
	}
}

// prove returns u32 proofLen ‖ proof ‖ 128 bytes of public inputs.
func prove(h int64, witnessBytes []byte) (out []byte, err error) {
	err = withProver(h, func(k *proving.Keys) error {
		injectFault()
		proof, public, perr := k.Prove(witnessBytes)
		if perr != nil {
			return provingErr(perr)
		}
		out = binary.BigEndian.AppendUint32(make([]byte, 0, 4+len(proof)+len(public)), uint32(len(proof)))
		out = append(append(out, proof...), public...)
		return nil
	})
	return out, err
}

// verify returns one byte: 1 if the proof verifies, 0 if it is well formed
// but false. Malformed proof or public-input bytes are INVALID_ARGUMENT.
// h is a prover or a verifier handle, as for exportSolidity, solidityProof
// and keysInfo.
func verify(h int64, proof, public []byte) (out []byte, err error) {
	err = withVerifier(h, func(k *proving.Verifier) error {
		verr := k.Verify(proof, public)
		switch {
		case verr == nil:
			out = []byte{1}
		case errors.Is(verr, proving.ErrVerification):
			out = []byte{0}
		default:
			return provingErr(verr)
		}
		return nil
	})
	return out, err
}

// exportSolidity returns the verifier contract's Solidity source (UTF-8).
func exportSolidity(h int64) (out []byte, err error) {
	err = withVerifier(h, func(k *proving.Verifier) error {
		var xerr error
		out, xerr = k.ExportSolidity()
		return xerr
	})
	return out, err
}

// solidityProof returns the proof bytes the exported Solidity verifier takes
// (proving.Verifier.SolidityProof; layout in native/README.md). Malformed proof
// bytes are INVALID_ARGUMENT.
func solidityProof(h int64, proof []byte) (out []byte, err error) {
	err = withVerifier(h, func(k *proving.Verifier) error {
		var serr error
		out, serr = k.SolidityProof(proof)
		return provingErr(serr)
	})
	return out, err
}

// keysInfo describes the keys behind a prover or verifier handle as
// "key=value" lines: b, d, backend, mode, and where they came from (origin;
// then setup for development keys, or transcript, phase1, phase2 (names,
// comma-separated), beacon1, beacon2 for a ceremony's).
func keysInfo(h int64) (out []byte, err error) {
	err = withVerifier(h, func(k *proving.Verifier) error {
		out = []byte(fmt.Sprintf("b=%d\nd=%d\nbackend=%s\nmode=%s\n", k.B, k.D, k.Backend, k.Mode) + k.Origin.InfoLines())
		return nil
	})
	return out, err
}

// proverUseGPU switches a Groth16 prover to GPU (ICICLE) proving; it returns
// no bytes. PLONK keys are INVALID_ARGUMENT; a library built without the
// icicle tag answers INTERNAL with proving.ErrNoGPU's message (versions
// reports gpu=none there, so callers can check first).
func proverUseGPU(h int64) ([]byte, error) {
	err := withProver(h, func(k *proving.Keys) error { return provingErr(k.UseGPU()) })
	return []byte{}, err
}
