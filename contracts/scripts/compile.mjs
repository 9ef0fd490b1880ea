#!/usr/bin/env node
// Compiles Solidity sources with the pinned solc-js (package-lock.json) through
// its standard JSON interface and writes, per contract, <ContractName>.json
// holding { contractName, sourceName, abi, bytecode }, and the same ABI and
// bytecode as <ContractName>.abi and <ContractName>.bin (the files web3j's
// wrapper generator reads: the aggregator build generates Rollup.sol's Java
// binding from them).
//
//   node scripts/compile.mjs [--out DIR] FILE.sol...
//
// Errors (not warnings) print every message and exit with status 1, so a
// caller (the Java ITs, CI) never deploys stale or missing bytecode.
// Settings are fixed here, not per call, so every contract is built the same way.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs'
import { basename, dirname, resolve, join } from 'node:path'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'

const require = createRequire(import.meta.url)
const solc = require('solc')

// 200 runs: the verifier is called once per batch, so deployment size and
// per-call gas weigh about the same; 200 is solc's documented default trade-off.
const OPTIMIZER_RUNS = 200
// Prague: the hard fork of Ethereum mainnet since May 2025 and anvil 1.7's
// default; the verifier needs nothing newer (its BN254 precompiles are Byzantium's).
const EVM_VERSION = 'prague'

function usage(msg) {
  console.error(`compile.mjs: ${msg}\nusage: node scripts/compile.mjs [--out DIR] FILE.sol...`)
  process.exit(2)
}

const args = process.argv.slice(2)
let outDir = 'build'
const files = []
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--out') {
    if (i + 1 >= args.length) usage('--out needs a directory')
    outDir = args[++i]
  } else if (args[i].startsWith('--')) {
    usage(`unknown option ${args[i]}`)
  } else {
    files.push(args[i])
  }
}
if (files.length === 0) usage('no source files')

const sources = {}
for (const f of files) {
  const name = basename(f)
  if (sources[name]) usage(`two sources named ${name}`)
  try {
    sources[name] = { content: readFileSync(resolve(f), 'utf8') }
  } catch (e) {
    console.error(`compile.mjs: cannot read ${f}: ${e.message}`)
    process.exit(1)
  }
}

const input = {
  language: 'Solidity',
  sources,
  settings: {
    optimizer: { enabled: true, runs: OPTIMIZER_RUNS },
    evmVersion: EVM_VERSION,
    outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } },
  },
}

// Sources are named by their file name, so `import "./Poseidon2.sol"` in Rollup.sol asks for
// "Poseidon2.sol": it is read from the directories of the files given, in order, then from
// contracts/src (so a test contract in contracts/test can import "./Rollup.sol").
// A package import (`import "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol"`) is read
// from the npm package that package-lock.json pins, found by Node's resolution from this script
// (contracts/node_modules, which `npm ci` restores); the package's own relative imports reach the
// callback already resolved against the importing file's name ("@openzeppelin/contracts/…").
const srcDir = resolve(dirname(fileURLToPath(import.meta.url)), '../src')
const searchDirs = [...new Set([...files.map((f) => dirname(resolve(f))), srcDir])]
function findImports(path) {
  if (path.startsWith('@')) {
    try {
      return { contents: readFileSync(require.resolve(path), 'utf8') }
    } catch (e) {
      return { error: `${path}: not in the installed npm packages (run npm ci in contracts/): ${e.message}` }
    }
  }
  for (const d of searchDirs) {
    try {
      return { contents: readFileSync(join(d, path), 'utf8') }
    } catch {
      // not in this directory
    }
  }
  return { error: `${path} not found next to ${files.join(', ')}` }
}

const output = JSON.parse(solc.compile(JSON.stringify(input), { import: findImports }))
const errors = (output.errors ?? []).filter((e) => e.severity === 'error')
for (const e of output.errors ?? []) {
  if (e.severity !== 'error') console.error(e.formattedMessage ?? e.message)
}
if (errors.length > 0) {
  for (const e of errors) console.error(e.formattedMessage ?? e.message)
  console.error(`compile.mjs: ${errors.length} error(s), nothing written (solc ${solc.version()})`)
  process.exit(1)
}

mkdirSync(outDir, { recursive: true })
let written = 0
for (const [sourceName, contracts] of Object.entries(output.contracts ?? {})) {
  for (const [contractName, c] of Object.entries(contracts)) {
    const bytecode = c.evm?.bytecode?.object ?? ''
    const path = join(outDir, `${contractName}.json`)
    writeFileSync(path, JSON.stringify({ contractName, sourceName, abi: c.abi, bytecode: '0x' + bytecode }, null, 2) + '\n')
    // No trailing newline: web3j's generator copies the .bin into the binding's BINARY verbatim.
    writeFileSync(join(outDir, `${contractName}.abi`), JSON.stringify(c.abi))
    writeFileSync(join(outDir, `${contractName}.bin`), bytecode)
    console.log(`${path}  (${bytecode.length / 2} bytes of init code)`)
    written++
  }
}
if (written === 0) {
  console.error('compile.mjs: the sources define no contract')
  process.exit(1)
}
console.log(`solc ${solc.version()}, optimizer runs=${OPTIMIZER_RUNS}, evmVersion=${EVM_VERSION}`)
