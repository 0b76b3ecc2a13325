// Reference for floor A in the `api` benchmark suite: the minimal Node client of issue 20 (plain fetch, JSON-RPC
// batches of 100 sent one after another, the sender's nonce polled every 50 ms). Its transactions are signed
// beforehand by the suite, so only sending and mining are timed, as for floor A. Prints one JSON object.
// Usage: node minimal-floor.js <rpcUrl> <sender> <firstNonce> <raw-transactions.json>
'use strict';
const fs = require('fs');

async function rpc(url, body) {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return response.json();
}

async function main() {
  const [url, sender, firstText, file] = process.argv.slice(2);
  const raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  const target = Number(firstText) + raw.length;
  const start = process.hrtime.bigint();
  for (let i = 0; i < raw.length; i += 100) {
    const answers = await rpc(url, raw.slice(i, i + 100).map((tx, j) => ({ jsonrpc: '2.0', id: i + j, method: 'eth_sendRawTransaction', params: [tx] })));
    const failed = answers.find((a) => a.error);
    if (failed) throw new Error(`refused: ${JSON.stringify(failed.error)}`);
  }
  let polls = 0;
  for (;;) {
    const { result } = await rpc(url, { jsonrpc: '2.0', id: 1, method: 'eth_getTransactionCount', params: [sender, 'latest'] });
    if (Number(result) >= target) break;
    if (++polls > 600) throw new Error(`not mined after 30 s: ${Number(result)} of ${target}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  console.log(JSON.stringify({ node: process.version, count: raw.length, seconds: Number(process.hrtime.bigint() - start) / 1e9 }));
}

main().catch((e) => { console.error(e); process.exit(1); });
