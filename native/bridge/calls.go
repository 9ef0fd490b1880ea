package main

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/consensys/gnark"

	"github.com/zkrollup/prover/native/handles"
	"github.com/zkrollup/prover/native/hashing"
	"github.com/zkrollup/prover/native/proving"
)

// libraryVersion is set at link time by native/build.sh to the Maven project version.
var libraryVersion = "dev"

// maxLiveObjects bounds the handle registry (see handles.NewRegistry).
const maxLiveObjects = 1 << 16

// objects holds every native object Java has a handle to. It is the one piece
// of process-wide state in the library: handles must outlive a single call.
var objects = handles.NewRegistry(maxLiveObjects)

// versions reports the library's build as "key=value" lines.
func versions() ([]byte, error) {
	var b strings.Builder
	fmt.Fprintf(&b, "libzkprover=%s\n", libraryVersion)
	fmt.Fprintf(&b, "gnark=v%s\n", gnark.Version.String())
	fmt.Fprintf(&b, "gnark-crypto=%s\n", moduleVersion("github.com/consensys/gnark-crypto"))
	fmt.Fprintf(&b, "go=%s\n", runtime.Version())
	fmt.Fprintf(&b, "platform=%s-%s\n", runtime.GOOS, runtime.GOARCH)
	gpu := "none" // built without the icicle tag
	if proving.GPUCompiledIn {
		gpu = "icicle"
	}
	fmt.Fprintf(&b, "gpu=%s\n", gpu)
	return []byte(b.String()), nil
}

func moduleVersion(path string) string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	for _, dep := range info.Deps {
		if dep.Path == path {
			if dep.Replace != nil {
				return dep.Replace.Version
			}
			return dep.Version
		}
	}
	return "unknown"
}

func poseidon2Permute(state []byte) ([]byte, error) {
	out, err := hashing.Permute(state)
	if err != nil {
		return nil, invalidArgument(err)
	}
	return out, nil
}

func poseidon2Compress(left, right []byte) ([]byte, error) {
	out, err := hashing.Compress(left, right)
	if err != nil {
		return nil, invalidArgument(err)
	}
	return out, nil
}

func poseidon2Hash(elements []byte) ([]byte, error) {
	if len(elements) > hashing.MaxHashElements*32 {
		return nil, resourceExhausted(fmt.Errorf("poseidon2 hash: input of %d bytes exceeds %d elements", len(elements), hashing.MaxHashElements))
	}
	out, err := hashing.Hash(elements)
	if err != nil {
		return nil, invalidArgument(err)
	}
	return out, nil
}

func hasherCreate() (int64, error) {
	h, err := objects.Put(hashing.NewHasher())
	if err != nil {
		return 0, resourceExhausted(err)
	}
	return h, nil
}

// withHasher runs fn on the hasher behind handle h, rejecting handles of other kinds.
func withHasher(h int64, fn func(*hashing.Hasher) error) error {
	return objects.With(h, func(v any) error {
		hasher, ok := v.(*hashing.Hasher)
		if !ok {
			return &codedError{codeInvalidHandle, fmt.Errorf("handle %d is not a Poseidon2 hasher", h)}
		}
		return fn(hasher)
	})
}

func hasherWrite(h int64, elements []byte) error {
	return withHasher(h, func(hasher *hashing.Hasher) error {
		if err := hasher.Write(elements); err != nil {
			return invalidArgument(err)
		}
		return nil
	})
}

func hasherDigest(h int64) (digest []byte, err error) {
	err = withHasher(h, func(hasher *hashing.Hasher) error {
		var sumErr error
		if digest, sumErr = hasher.Sum(); sumErr != nil {
			return invalidArgument(sumErr)
		}
		return nil
	})
	return digest, err
}

func release(h int64) error {
	return objects.Release(h)
}
