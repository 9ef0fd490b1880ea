#!/usr/bin/env bash
# Installs the pinned npm packages (package-lock.json) into contracts/node_modules
# when they are missing or older than the lock file; otherwise does nothing, so
# the Maven build can call it before every integration-test run.
#
# --ignore-scripts: @foundry-rs/anvil's postinstall only downloads the binary
# when npm skipped its platform package (an optionalDependency); with the
# platform package installed, as here, nothing needs to run.
set -euo pipefail
cd "$(dirname "$0")/.."

stamp=node_modules/.package-lock.json # written by npm at the end of every install
if [[ -f "$stamp" && ! package-lock.json -nt "$stamp" ]]; then
  exit 0
fi
if ! command -v npm >/dev/null; then
  echo "contracts/scripts/install.sh: npm not found; the L1 tests need Node.js >= 20 and npm (README, Prerequisites)" >&2
  exit 1
fi
echo "contracts: npm ci (node $(node --version), npm $(npm --version))"
npm ci --ignore-scripts --no-audit --no-fund
