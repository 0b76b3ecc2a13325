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
  for (let i = 0; i < count; i++) {
    const tx = await signer.sendTransaction({ to: oracle, data: iface.encodeFunctionData('exec', [ethers.id('ethers-' + i)]), gasLimit: 100000 });
    await tx.wait();
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  console.log(JSON.stringify({ ethers: ethers.version, node: process.version, count, seconds }));
  provider.destroy();
}

main().catch((e) => { console.error(e); process.exit(1); });
