#!/usr/bin/env bash
# Builds libzkprover (Go c-shared library + JNI shim) for this machine.
#   native/build.sh OUTPUT_DIR VERSION JAVA_HOME
# writes OUTPUT_DIR/<platform>/libzkprover.{so,dylib}, where <platform> is the
# resource directory prover-native's loader looks in (linux-x86_64, ...).
#   native/build.sh --check JAVA_HOME
# only checks the prerequisites (the root pom runs this first of all).
#   native/build.sh --fault-injection OUTPUT_FILE VERSION JAVA_HOME
# writes the test library to OUTPUT_FILE: the faultinject tag adds test hooks
# and ZKPROVER_FAULT_ONCE_FILE (native/README.md, "The fault-injection
# build"). prover-native builds it for its integration tests only; it never
# goes into the jar.
# The Maven build calls all three; they are safe to run by hand.
# ZKPROVER_GO_TAGS adds Go build tags (e.g. icicle for the GPU build).
set -euo pipefail

usage="usage: build.sh OUTPUT_DIR VERSION JAVA_HOME | build.sh --check JAVA_HOME | build.sh --fault-injection OUTPUT_FILE VERSION JAVA_HOME"
mode=library
tags=jni
case "${1:-}" in
  --check)
    mode=check
    java_home=${2:?$usage}
    ;;
  --fault-injection)
    mode=fault-injection
    tags=jni,faultinject
    out_file=${2:?$usage}
    version=${3:?$usage}
    java_home=${4:?$usage}
    ;;
  *)
    out=${1:?$usage}
    version=${2:?$usage}
    java_home=${3:?$usage}
    ;;
esac
here=$(cd "$(dirname "$0")" && pwd)

missing() {
  echo "libzkprover cannot be built: $1" >&2
  echo "See README.md, Prerequisites." >&2
  exit 1
}

command -v go >/dev/null 2>&1 || missing "the Go toolchain ('go') is not on PATH. Install Go 1.25.7 or newer."
go_minor=$(go env GOVERSION | sed -E 's/^go1\.([0-9]+).*/\1/')
[[ "$go_minor" =~ ^[0-9]+$ ]] && (( go_minor >= 21 )) \
  || missing "Go $(go env GOVERSION) is too old; install Go 1.25.7 or newer (1.21+ fetches it automatically)."
cc=$(go env CC)
command -v "${cc%% *}" >/dev/null 2>&1 || missing "the C compiler '$cc' that cgo uses is not on PATH. Install gcc."
[ -f "$java_home/include/jni.h" ] || missing "no jni.h under $java_home/include: JAVA_HOME must be a JDK, not a JRE."

goos=$(go env GOOS)
goarch=$(go env GOARCH)
case "$goos" in
  linux) os=linux; ext=so; jni_md="$java_home/include/linux" ;;
  darwin) os=macos; ext=dylib; jni_md="$java_home/include/darwin" ;;
  *) missing "unsupported OS '$goos' (linux and macOS are supported)." ;;
esac
case "$goarch" in
  amd64) arch=x86_64 ;;
  arm64) arch=aarch64 ;;
  *) missing "unsupported architecture '$goarch' (amd64 and arm64 are supported)." ;;
esac

if [ "$mode" = check ]; then
  echo "prerequisites: $(go env GOVERSION), cgo compiler $cc, JDK headers in $java_home/include, target $os-$arch"
  exit 0
fi

# Absolute, since the build runs in native/.
if [ "$mode" = fault-injection ]; then
  mkdir -p "$(dirname "$out_file")"
  out_file=$(cd "$(dirname "$out_file")" && pwd)/$(basename "$out_file")
else
  mkdir -p "$out/$os-$arch"
  out_file=$(cd "$out/$os-$arch" && pwd)/libzkprover.$ext
fi
cd "$here"
# -trimpath keeps the build reproducible; the jni tag adds jni_shim.c. Only
# the bridge package differs between the two builds, so Go's build cache
# recompiles only that package for the second.
CGO_ENABLED=1 \
CGO_CFLAGS="-O2 -Wall -I$java_home/include -I$jni_md" \
  go build -trimpath -tags "$tags${ZKPROVER_GO_TAGS:+,$ZKPROVER_GO_TAGS}" -buildmode=c-shared \
    -ldflags "-s -w -X main.libraryVersion=$version" \
    -o "$out_file" ./bridge
rm -f "${out_file%.*}.h" # cgo's generated header: the contract is zkprover.h
echo "built $out_file (Go tags $tags${ZKPROVER_GO_TAGS:+,$ZKPROVER_GO_TAGS})"
