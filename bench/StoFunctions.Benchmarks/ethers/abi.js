// ethers v6 baseline for the ABI row of the benchmark: Interface.encodeFunctionData("transfer", [to, amount]).
// Usage: node abi.js <milliseconds>. Prints one JSON line: {"ops": <calls>, "seconds": <elapsed>, "sample": "<hex>"}.
'use strict';
const path = require('path');
const { createRequire } = require('module');

// ethers lives in the pinned tools/ install, not beside this script.
const toolsRequire = createRequire(path.join(__dirname, '..', '..', '..', 'tools', 'package.json'));
const { Interface } = toolsRequire('ethers');

const ms = Number(process.argv[2] || 1000);
const iface = new Interface(['function transfer(address to, uint256 amount) returns (bool)']);
const to = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';

function run(durationMs) {
  let ops = 0;
  let sample = '';
  const start = process.hrtime.bigint();
  const end = start + BigInt(durationMs) * 1000000n;
  let now = start;
  while (now < end) {
    for (let i = 0; i < 256; i++) {
      sample = iface.encodeFunctionData('transfer', [to, BigInt(ops + i) + 1000000n]);
    }
    ops += 256;
    now = process.hrtime.bigint();
  }
  return { ops, seconds: Number(now - start) / 1e9, sample };
}

run(ms); // warm-up as long as the measurement: V8 needs many calls before it optimises the hot path
const result = run(ms);
process.stdout.write(JSON.stringify(result) + '\n');
