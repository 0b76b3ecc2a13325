// Peer for the `api` benchmark suite: ethers v6 NonceManager sending the distribution's token transfers one after
// another, as an operator's script would (ethers fills in gas and fees), then waiting until the last one is mined.
// Prints one JSON object. Usage: node token-transfers.js <rpcUrl> <privateKey> <token> <recipients.json>
'use strict';
const fs = require('fs');
const path = require('path');
const ethers = require(path.join(__dirname, '..', '..', '..', 'tools', 'node_modules', 'ethers'));

async function main() {
  const [url, key, tokenAddress, recipientsFile] = process.argv.slice(2);
  const recipients = JSON.parse(fs.readFileSync(recipientsFile, 'utf8'));
  const provider = new ethers.JsonRpcProvider(url, undefined, { staticNetwork: true, batchMaxCount: 1 });
  provider.pollingInterval = 50;
  const signer = new ethers.NonceManager(new ethers.Wallet(key, provider));
  const token = new ethers.Contract(tokenAddress, ['function transfer(address to, uint256 amount) returns (bool)'], signer);
  const amount = ethers.parseUnits('1', 18);
  const from = await signer.getAddress();
  const start = process.hrtime.bigint();
  const first = await provider.getTransactionCount(from, 'pending');
  for (const to of recipients) {
    await token.transfer(to, amount);
  }
  const target = first + recipients.length;
  while ((await provider.getTransactionCount(from, 'latest')) < target) {
    await new Promise((r) => setTimeout(r, 50));
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  console.log(JSON.stringify({ ethers: ethers.version, node: process.version, count: recipients.length, seconds }));
  provider.destroy();
}

main().catch((e) => { console.error(e); process.exit(1); });
