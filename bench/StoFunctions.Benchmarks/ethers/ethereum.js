// Baseline for the `ethereum` benchmark suite: the same work as EthereumSuite.cs, done by ethers v6.
// Prints one JSON object of figures (operations or MB per second, best of several rounds) and sample outputs
// that the C# side compares byte for byte, so both sides are shown to do identical work.
'use strict';
const path = require('path');
const ethers = require(path.join(__dirname, '..', '..', '..', 'tools', 'node_modules', 'ethers'));

const rounds = Number(process.argv[2] || 3);
const seconds = Number(process.argv[3] || 1.5);

function measure(fn) {
  for (let i = 0; i < 200; i++) fn(i);
  let best = 0;
  for (let r = 0; r < rounds; r++) {
    const start = process.hrtime.bigint();
    let n = 0;
    let elapsed = 0;
    do {
      for (let j = 0; j < 20; j++) fn(n++);
      elapsed = Number(process.hrtime.bigint() - start) / 1e9;
    } while (elapsed < seconds);
    best = Math.max(best, n / elapsed);
  }
  return best;
}

const key = new ethers.SigningKey('0x4646464646464646464646464646464646464646464646464646464646464646');
const transferData = '0xa9059cbb000000000000000000000000f39fd6e51aad88f6f4ce6ab8827279cfffb92266000000000000000000000000000000000000000000000000000000000000000a';
function transfer(nonce) {
  return {
    type: 2, chainId: 31337, nonce, maxPriorityFeePerGas: 1000000000n, maxFeePerGas: 30000000000n, gasLimit: 60000n,
    to: '0x3535353535353535353535353535353535353535', value: 0n, data: transferData,
  };
}
function signAndSerialize(nonce) {
  const tx = ethers.Transaction.from(transfer(nonce));
  tx.signature = key.sign(tx.unsignedHash);
  return tx.serialized;
}

const signedHex = signAndSerialize(7);
const signedBytes = ethers.getBytes(signedHex);
const rlpPayload = signedBytes.slice(1);
const mib = new Uint8Array(1 << 20).map((_, i) => i & 0xff);
const small = new Uint8Array(64).map((_, i) => i);

const result = {
  ethers: ethers.version,
  node: process.version,
  sample: { signed: signedHex, keccakMiB: ethers.keccak256(mib) },
  signSerializePerSec: measure((i) => signAndSerialize(i)),
  keccakMBPerSec: measure(() => ethers.keccak256(mib)),
  keccak64PerSec: measure(() => ethers.keccak256(small)),
  rlpDecodePerSec: measure(() => ethers.decodeRlp(rlpPayload)),
  txParseRecoverPerSec: measure(() => ethers.Transaction.from(signedHex).from),
};
process.stdout.write(JSON.stringify(result) + '\n');
