#!/usr/bin/env bash
# Java vs Go Poseidon2 on one core: runs the JMH benchmark (state-tree's Java
# Poseidon2) and gnark-crypto's Go benchmark on the same fixed inputs, both
# single-threaded and pinned to the same CPU, and prints the Java/Go
# throughput ratio (Go ns/op divided by Java ns/op; 1.0 means as fast as Go).
#
#   benchmarks/poseidon2-ratio.sh            # build the jar if missing, then run
#   RATIO_CPU=1 RATIO_FORKS=5 benchmarks/poseidon2-ratio.sh
#
# Needs: a JDK 17+, Go (see native/go.mod), awk; taskset (util-linux) if
# present, to pin both runs to CPU $RATIO_CPU. Takes about two minutes.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cpu=${RATIO_CPU:-0}
forks=${RATIO_FORKS:-3}
jar="$root/benchmarks/target/benchmarks.jar"

if [ ! -f "$jar" ]; then
  echo "building $jar ..." >&2
  (cd "$root" && ./mvnw -B -q -DskipTests package)
fi

pin() {
  if command -v taskset >/dev/null 2>&1; then taskset -c "$cpu" "$@"; else "$@"; fi
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2 | xargs), pinned to CPU $cpu" \
  "$(command -v taskset >/dev/null 2>&1 || echo '(taskset missing: not pinned)')"
echo "java: $(java -version 2>&1 | head -1)   go: $(go env GOVERSION)"
echo

echo "running JMH (Poseidon2Benchmark: compress, permute, hash4; 1 thread, $forks forks) ..." >&2
pin java -jar "$jar" 'io.zkrollup.benchmarks.Poseidon2Benchmark.(compress|permute|hash4)$' \
  -t 1 -f "$forks" -wi 5 -w 1 -i 5 -r 1 -rf csv -rff "$tmp/java.csv" >"$tmp/java.log" 2>&1 \
  || { cat "$tmp/java.log" >&2; exit 1; }

echo "running go test -bench Poseidon2 -cpu 1 -count 5 in native/hashing ..." >&2
(cd "$root/native" && pin go test -run '^$' -bench 'Poseidon2' -cpu 1 -count 5 -benchtime 1s ./hashing) \
  >"$tmp/go.log" 2>&1 || { cat "$tmp/go.log" >&2; exit 1; }

# Java: "io.zkrollup.benchmarks.Poseidon2Benchmark.compress","avgt",1,15,6122.1,127.4,"ns/op"
java_ns() {
  awk -F, -v b="\"io.zkrollup.benchmarks.Poseidon2Benchmark.$1\"" '$1 == b { printf "%.0f %.0f", $5, $6 }' "$tmp/java.csv"
}
# Go: "BenchmarkPoseidon2Hash4   93355   13002 ns/op ..."; the median of the -count runs.
go_ns() {
  awk -v b="Benchmark$1" '{ n = $1; sub(/-[0-9]+$/, "", n) } n == b && $4 == "ns/op" { print $3 }' "$tmp/go.log" \
    | sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) exit 1; printf "%.0f", v[int((NR + 1) / 2)] }'
}

printf '%-40s %-45s %13s\n' "Java benchmark   ns/op ± 99.9% error" "Go gnark-crypto benchmark         median ns/op" "Java/Go ratio"
row() {
  read -r jv je <<<"$(java_ns "$1")"
  gv=$(go_ns "$2")
  awk -v jn="$1" -v jv="$jv" -v je="$je" -v gn="$2" -v gv="$gv" -v note="$3" \
    'BEGIN { printf "%-16s %8d ± %-6d        %-30s %14d %12.2fx  %s\n", jn, jv, je, gn, gv, gv / jv, note }'
}
row compress Poseidon2CompressElements "(headline: compression on in-memory elements)"
row compress Poseidon2CompressBytes "(gnark's public Compress on 32-byte encodings)"
row permute Poseidon2Permutation "(permutation in place)"
row hash4 Poseidon2Hash4 "(Merkle-Damgard hash of 4 elements)"
echo
echo "target: Java >= 0.80x gnark-crypto on one core"
