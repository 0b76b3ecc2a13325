// Tokens: every token this deployment issued (GET /api/tokens) with its on-chain status (GET /api/tokens/{t})
// and attached modules (GET /api/tokens/{t}/modules), filled in as each answer arrives.
import { api, ApiError } from '../api.js';
import { h, table, problemView, loading, chainLink } from '../dom.js';

export const title = 'Tokens';
export const needsKey = true;

export async function render(section, context) {
  const status = loading();
  section.append(status);
  let list;
  try {
    list = await api('tokens', { signal: context.signal });
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    status.replaceWith(problemView(error, 'The token list could not be read.'));
    return;
  }
  status.remove();
  if (list.tokens.length === 0) {
    section.append(h('p', {}, 'No token has been issued by this deployment yet (POST /api/tokens, or sto issue).'));
    return;
  }

  const rows = list.tokens.map(token => {
    const cells = {
      supply: h('td', { class: 'num' }, '…'),
      paused: h('td', {}, '…'),
      policy: h('td', {}, '…'),
      modules: h('td', {}, '…'),
    };
    const address = encodeURIComponent(token.address);
    const row = h('tr', { dataset: { token: token.address } },
      h('th', { scope: 'row' }, token.symbol, h('br'), h('span', { class: 'muted' }, token.name)),
      h('td', { class: 'addr' }, chainLink(context.config, 'address', token.address)),
      cells.supply, cells.paused, cells.policy, cells.modules,
      h('td', {}, h('a', { href: `#/commands?id=${encodeURIComponent(token.commandId)}` }, token.runtimeStatus)),
      h('td', { class: 'actions' },
        h('a', { href: `#/captable?token=${address}` }, 'Cap table'), ' ',
        h('a', { href: `#/distribute?token=${address}` }, 'Distribute')));
    if (token.runtimeStatus === 'Completed') fill(token, cells, context);
    else for (const cell of Object.values(cells)) cell.textContent = '—';
    return row;
  });
  section.append(table('Tokens issued by this deployment',
    ['Token', 'Address', 'Total supply', 'Paused', 'Restriction policy', 'Modules', 'Issue command', 'Pages'], rows, { id: 'tokens' }));
}

async function fill(token, cells, context) {
  const path = `tokens/${token.address}`;
  const [state, modules] = await Promise.allSettled([
    api(path, { signal: context.signal }),
    api(`${path}/modules`, { signal: context.signal }),
  ]);
  if (state.status === 'fulfilled') {
    const value = state.value;
    cells.supply.textContent = `${value.totalSupply} ${value.symbol}`;
    cells.paused.textContent = value.paused === null ? 'unknown' : value.paused ? 'Paused' : 'No';
    const rules = value.policy?.rules ?? [];
    cells.policy.textContent = value.policy ? `${value.policy.restriction}${rules.length ? ` (${rules.length} rule${rules.length > 1 ? 's' : ''}: ${rules.map(r => `key ${r.key} ${r.type} ${r.value}`).join(', ')})` : ''}` : 'unknown';
  } else if (state.reason.name !== 'AbortError') {
    for (const cell of [cells.supply, cells.paused, cells.policy]) cell.textContent = 'unavailable';
    cells.supply.title = state.reason.message;
  }
  if (modules.status === 'fulfilled') {
    const attached = modules.value.modules ?? [];
    cells.modules.replaceChildren(attached.length === 0 ? 'none' : h('ul', { class: 'plain' }, attached.map(m => h('li', {}, chainLink(context.config, 'address', m.address)))));
  } else if (modules.reason.name !== 'AbortError') {
    cells.modules.textContent = 'unavailable';
    cells.modules.title = modules.reason.message;
  }
}
