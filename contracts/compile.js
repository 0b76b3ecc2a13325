#!/usr/bin/env node
// Compiles every contracts/src/**/*.sol with solc-js (standard JSON, offline) and writes one artifact per
// contract to contracts/out/<Name>.json: { contractName, sourceName, abi, bytecode, deployedBytecode }.
// Imports such as "@openzeppelin/contracts/..." resolve from tools/node_modules, so the compiler version and
// the library version are both pinned by tools/package-lock.json.
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const modules = path.join(root, 'tools', 'node_modules');
const srcDir = path.join(__dirname, 'src');
const outDir = process.argv[2] ? path.resolve(process.argv[2]) : path.join(__dirname, 'out');

let solc;
try {
  solc = require(path.join(modules, 'solc'));
} catch (e) {
  console.error(`contracts/compile.js: solc-js is not installed in ${modules}. Run "npm ci" in tools/ (./dev does this).`);
  process.exit(2);
}

function listSources(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return listSources(p);
    return e.name.endsWith('.sol') ? [p] : [];
  });
}

const sources = {};
for (const file of listSources(srcDir)) {
  sources[path.relative(srcDir, file).split(path.sep).join('/')] = { content: fs.readFileSync(file, 'utf8') };
}

const input = {
  language: 'Solidity',
  sources,
  settings: {
    // Cancun is what anvil 1.x runs by default; pinning it keeps bytecode stable across solc patch releases.
    evmVersion: 'cancun',
    optimizer: { enabled: true, runs: 200 },
    outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object', 'evm.deployedBytecode.object'] } },
  },
};

// Every import solc resolved, by the unit name it asked for: with the sources, the complete standard-JSON input
// that explorers (Etherscan's solidity-standard-json-input) compile to verify a deployed contract.
const imported = {};

function findImports(importPath) {
  for (const base of [srcDir, modules]) {
    const candidate = path.join(base, importPath);
    if (fs.existsSync(candidate)) {
      const contents = fs.readFileSync(candidate, 'utf8');
      imported[importPath] = { content: contents };
      return { contents };
    }
  }
  return { error: `import not found: ${importPath} (looked in contracts/src and tools/node_modules)` };
}

const output = JSON.parse(solc.compile(JSON.stringify(input), { import: findImports }));
const errors = (output.errors || []).filter((e) => e.severity === 'error');
for (const e of output.errors || []) {
  (e.severity === 'error' ? console.error : console.warn)(e.formattedMessage.trim());
}
if (errors.length > 0) process.exit(1);

fs.mkdirSync(outDir, { recursive: true });
let count = 0;
for (const [sourceName, contracts] of Object.entries(output.contracts || {})) {
  if (!Object.prototype.hasOwnProperty.call(sources, sourceName)) continue; // library sources (OpenZeppelin) are not artifacts
  for (const [contractName, c] of Object.entries(contracts)) {
    const artifact = {
      contractName,
      sourceName,
      compiler: `solc ${solc.version()}`,
      abi: c.abi,
      bytecode: '0x' + c.evm.bytecode.object,
      deployedBytecode: '0x' + c.evm.deployedBytecode.object,
    };
    fs.writeFileSync(path.join(outDir, `${contractName}.json`), JSON.stringify(artifact, null, 2) + '\n');
    count++;
  }
}
// The input exactly as compiled, plus the imported sources, in one self-contained file (input/, so it is not
// taken for a contract artifact). Units are sorted so the file only changes when a source does.
const verificationSources = { ...sources, ...imported };
const standardInput = {
  ...input,
  sources: Object.fromEntries(Object.keys(verificationSources).sort().map((k) => [k, verificationSources[k]])),
};
fs.mkdirSync(path.join(outDir, 'input'), { recursive: true });
fs.writeFileSync(path.join(outDir, 'input', 'standard-input.json'), JSON.stringify(standardInput) + '\n');
console.log(`contracts/compile.js: ${count} artifacts from ${Object.keys(sources).length} sources (solc ${solc.version()}) → ${path.relative(root, outDir)}`);
