// Baseline for the `pipeline` benchmark suite: ethers v6 NonceManager sending the same exec(bytes32) calls
// one after another and awaiting each receipt (the common script pattern). Prints one JSON object.
// Usage: node nonce-manager.js <rpcUrl> <privateKey> <oracle> <count>
'use strict';
const path = require('path');
const ethers = require(path.join(__dirname, '..', '..', '..', 'tools', 'node_modules', 'ethers'));

async function main() {
  const [url, key, oracle, countText] = process.argv.slice(2);
  const count = Number(countText);
  const provider = new ethers.JsonRpcProvider(url, undefined, { staticNetwork: true });
  provider.pollingInterval = 50; // default 4 s would make the baseline unfairly slow on a dev chain
  const signer = new ethers.NonceManager(new ethers.Wallet(key, provider));
  const iface = new ethers.Interface(['function exec(bytes32 id)']);
  const start = process.hrtime.bigint();
  let stalls = 0;
  for (let i = 0; i < count; i++) {
    const tx = await signer.sendTransaction({ to: oracle, data: iface.encodeFunctionData('exec', [ethers.id('ethers-' + i)]), gasLimit: 100000 });
    // On a loaded machine the polling subscriber occasionally misses a mined transaction and wait() never returns;
    // re-await with a timeout so the baseline finishes, and report how often that happened.
    for (;;) {
      try {
        await tx.wait(1, 5000);
        break;
      } catch (e) {
        if (e.code !== 'TIMEOUT') throw e;
        stalls++;
      }
    }
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  console.log(JSON.stringify({ ethers: ethers.version, node: process.version, count, seconds, stalls }));
  provider.destroy();
}

main().catch((e) => { console.error(e); process.exit(1); });
