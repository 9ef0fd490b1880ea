#!/usr/bin/env bash
# The whole test suite, exactly as the README's test command runs it, plus the
# tool versions so a CI log says what it ran on.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== toolchain"
java -version 2>&1 | head -n 1
go version 2>/dev/null || echo "go: not found (native/build.sh --check will explain)"
gcc --version 2>/dev/null | head -n 1 || true
echo "node $(node --version 2>/dev/null || echo 'not found (the L1 ITs need Node.js and npm)'), npm $(npm --version 2>/dev/null || echo 'not found')"

echo "== ./mvnw -B verify"
./mvnw -B verify
