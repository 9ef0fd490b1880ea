#!/usr/bin/env bash
# Times every step of a Groth16 ceremony (zkrollup ceremony) for one circuit,
# one contributor per phase, with GNU time: wall and CPU seconds and the peak
# resident memory of the step's process tree (the command and its child JVM).
#
#   benchmarks/ceremony-times.sh                 # B=32, D=32 (N = 2^21): hours on 2 cores
#   CEREMONY_SLOTS=5 CEREMONY_DEPTH=4 benchmarks/ceremony-times.sh   # N = 2^17: minutes
#
# Steps: init; phase 1: contribute, seal-phase1 (verifies phase 1, seals it,
# computes the phase-2 start), verify (of phase 1 alone); phase 2:
# contribute, finalize (verifies phase 2, seals it, writes the keys), verify
# (all, with the keys). Phase-2 verification alone = the last verify minus the
# phase-1 one. Output: one "TIME step wall=… user=… sys=… maxrss=…" line per
# step. Needs: the shaded jar (mvn package), GNU time (/usr/bin/time),
# disk for two phase-1 files (2 × 192·N bytes).
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
jar=${ZKROLLUP_JAR:-$root/aggregator/target/zkrollup.jar}
slots=${CEREMONY_SLOTS:-32}
depth=${CEREMONY_DEPTH:-32}
work=${CEREMONY_WORK:-$(mktemp -d)}
[ -f "$jar" ] || { echo "no $jar: build it with ./mvnw -B -DskipTests package" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "needs GNU time (/usr/bin/time; apt-get install time)" >&2; exit 2; }

cd "$work"
rm -rf transcript keys
run() { java -jar "$jar" ceremony "$@"; }
step() {
  local name=$1; shift
  echo "=== $name $(date -u +%T)"
  /usr/bin/time -f "TIME $name wall=%e s user=%U s sys=%S s maxrss=%M KB" "$@" || { echo "step $name failed" >&2; exit 1; }
}
step init run init --dir transcript --slots "$slots" --depth "$depth"
step contribute-phase1 run contribute --dir transcript --name alice
step seal-phase1 run seal-phase1 --dir transcript --beacon 0x"$(printf 'a%.0s' {1..64})"
step verify-phase1 run verify --dir transcript
step contribute-phase2 run contribute --dir transcript --name bob
step finalize run finalize --dir transcript --beacon 0x"$(printf 'b%.0s' {1..64})" --keys keys
step verify-all run verify --dir transcript --keys keys
echo "transcript and keys in $work"
