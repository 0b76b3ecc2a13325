// Health: the app's dependencies (GET /api/health, anonymous), the chain and the signer (GET /api/diagnose:
// balance, head, nonce drift) and the lane backlog (GET /api/accounts/{signer}/nonce: nonces the ledger has
// handed out that the chain has not mined yet). Refreshed every 5 s.
import { api, ApiError, functionKey } from '../api.js';
import { h, table, problemView, loading, chainLink } from '../dom.js';

export const title = 'Health';
export const needsKey = false;

export async function render(section, context) {
  const result = h('div', { id: 'health-result' }, loading());
  section.append(result);
  await context.poll(async () => {
    const [health, diagnose] = await Promise.allSettled([
      api('health', { signal: context.signal }),
      functionKey() ? api('diagnose', { signal: context.signal }) : Promise.resolve(null),
    ]);
    const parts = [];
    if (health.status === 'fulfilled') {
      const deps = Object.entries(health.value.dependencies ?? {});
      parts.push(h('p', { id: 'app-status', class: `status status-${health.value.status}` }, `App: ${health.value.status}, version ${health.value.version}`),
        table('Dependencies', ['Dependency', 'Status', 'Checked in'], deps.map(([name, d]) => h('tr', { dataset: { dependency: name } },
          h('th', { scope: 'row' }, name === 'storage' ? 'Storage' : name === 'chain' ? 'Chain (JSON-RPC node)' : name),
          h('td', { class: `status status-${d.status}` }, d.status),
          h('td', { class: 'num' }, `${d.durationMs} ms`))), { id: 'dependencies' }));
    } else if (health.reason instanceof ApiError) {
      parts.push(problemView(health.reason, 'The app reports a problem.'));
    } else throw health.reason;

    if (diagnose.status === 'fulfilled' && diagnose.value === null) {
      parts.push(h('p', { class: 'muted' }, 'Enter the function key above to see the chain, the signer and the lane.'));
    } else if (diagnose.status === 'fulfilled') {
      const d = diagnose.value;
      let backlog = '—';
      try {
        const nonce = await api(`accounts/${d.signer}/nonce`, { signal: context.signal });
        backlog = String(Math.max(0, nonce.nextNonce - nonce.chainLatest));
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        backlog = 'unavailable';
      }
      if (d.nonceDrift !== null && d.nonceDrift !== undefined && d.nonceDrift !== 0) {
        parts.push(h('p', { class: 'alert', role: 'alert', id: 'drift-alert' },
          `Nonce drift ${d.nonceDrift}: the ledger's next nonce is ${d.ledgerNextNonce}, the chain's pending nonce ${d.chainPendingNonce}. ` +
          'A negative drift means another wallet used the signer; restart the nonce (sto tx-restart-nonce) after checking.'));
      }
      parts.push(h('h2', {}, 'Chain and signer'), h('dl', { class: 'facts', id: 'diagnose' },
        h('dt', {}, 'Node'), h('dd', {}, d.nodeReachable ? 'reachable' : `not reachable: ${d.error ?? ''}`),
        h('dt', {}, 'Chain id'), h('dd', {}, d.chainId === undefined ? '—' : `${d.chainId}${d.chainIdMatches ? '' : ' (does not match the configured chain id!)'}`),
        h('dt', {}, 'Head block'), h('dd', {}, d.headBlock === undefined ? '—' : `${d.headBlock} (${Math.round(d.headAgeSeconds ?? 0)} s ago)`),
        h('dt', {}, 'Signer'), h('dd', { class: 'addr' }, chainLink(context.config, 'address', d.signer)),
        h('dt', {}, 'Signer balance'), h('dd', { id: 'signer-balance' }, d.ethBalance === undefined ? '—' : `${d.ethBalance} ETH`),
        h('dt', {}, 'Nonce drift'), h('dd', { id: 'nonce-drift' }, d.nonceDrift === null || d.nonceDrift === undefined ? '—' : String(d.nonceDrift)),
        h('dt', {}, 'Lane backlog (sent, not yet mined)'), h('dd', { id: 'lane-backlog' }, backlog)));
    } else if (diagnose.reason instanceof ApiError) {
      parts.push(problemView(diagnose.reason, 'The chain and signer could not be diagnosed.'));
    } else throw diagnose.reason;
    result.replaceChildren(...parts);
    return true;
  }, 5000);
}
