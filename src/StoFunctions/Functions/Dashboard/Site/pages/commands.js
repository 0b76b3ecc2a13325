// Commands: the newest commands (GET /api/commands) with live progress from customStatus; one command
// (GET /api/commands/{id}) with its transactions and, for a distribution or transfer, its rows and their errors
// (GET /api/commands/{id}/rows). Both views poll while something still runs.
import { api, ApiError } from '../api.js';
import { h, table, problemView, loading, chainLink, formatTime, progressView, shortHex } from '../dom.js';

export const title = 'Commands';
export const needsKey = true;

const terminal = new Set(['Completed', 'Failed']);

export async function render(section, context) {
  const id = context.params.get('id');
  if (id) return detail(section, context, id);
  return list(section, context);
}

async function list(section, context) {
  const statusFilter = h('select', { id: 'status-filter', name: 'status' },
    ['', 'Pending', 'Running', 'Completed', 'Failed'].map(x => h('option', { value: x, selected: x === (context.params.get('status') ?? '') }, x || 'Any status')));
  const result = h('div', { id: 'commands-result' }, loading());
  statusFilter.addEventListener('change', () => {
    context.setParams({ status: statusFilter.value });
    refresh();
  });
  section.append(h('div', { class: 'controls' }, h('div', { class: 'field' }, h('label', { for: 'status-filter' }, 'Status'), statusFilter)), result);

  async function refresh() {
    const q = new URLSearchParams({ limit: '50' });
    if (statusFilter.value) q.set('status', statusFilter.value);
    let answer;
    try {
      answer = await api(`commands?${q}`, { signal: context.signal });
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      result.replaceChildren(problemView(error, 'The commands could not be read.'));
      return false;
    }
    const rows = answer.commands.map(c => h('tr', { dataset: { id: c.id, status: c.runtimeStatus } },
      h('td', {}, formatTime(c.createdTime)),
      h('th', { scope: 'row' }, h('a', { href: `#/commands?id=${encodeURIComponent(c.id)}` }, c.name), h('br'), h('code', { class: 'muted' }, shortHex(c.id))),
      h('td', { class: `status status-${c.runtimeStatus}` }, c.runtimeStatus),
      h('td', {}, progressView(c.customStatus, `Progress of ${c.name} ${shortHex(c.id)}`)),
      h('td', {}, c.error ?? '')));
    result.replaceChildren(rows.length
      ? table('Newest commands first', ['Created', 'Command', 'Status', 'Progress', 'Error'], rows, { id: 'commands' })
      : h('p', {}, 'No command matches.'));
    return true;
  }

  await context.poll(refresh, 3000);
}

async function detail(section, context, id) {
  const result = h('div', { id: 'command-result' }, loading());
  section.append(h('p', {}, h('a', { href: '#/commands' }, 'All commands')), result);
  let rowsShown = false;
  await context.poll(async () => {
    let command;
    try {
      command = await api(`commands/${encodeURIComponent(id)}`, { signal: context.signal });
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      result.replaceChildren(problemView(error, `Command ${id} could not be read.`));
      return false;
    }
    const transactions = command.output?.transactions ?? [];
    const parts = [
      h('dl', { class: 'facts' },
        h('dt', {}, 'Command'), h('dd', {}, command.name),
        h('dt', {}, 'Id'), h('dd', {}, h('code', {}, command.id)),
        h('dt', {}, 'Status'), h('dd', { id: 'command-status', class: `status status-${command.runtimeStatus}` }, command.runtimeStatus),
        h('dt', {}, 'Progress'), h('dd', {}, progressView(command.customStatus, 'Command progress')),
        h('dt', {}, 'Created'), h('dd', {}, formatTime(command.createdTime)),
        h('dt', {}, 'Updated'), h('dd', {}, formatTime(command.lastUpdatedTime)),
        command.output?.tokenAddress ? [h('dt', {}, 'Token'), h('dd', {}, chainLink(context.config, 'address', command.output.tokenAddress))] : null,
        command.error ? [h('dt', {}, 'Error'), h('dd', { class: 'error' }, typeof command.error === 'string' ? command.error : JSON.stringify(command.error))] : null),
    ];
    if (transactions.length) {
      parts.push(h('h2', {}, 'Transactions'), table(`Transactions of command ${shortHex(command.id)}`, ['Nonce', 'Hash', 'Status', 'Note', 'Contract'],
        transactions.map(t => h('tr', {},
          h('td', { class: 'num' }, t.nonce ?? '—'),
          h('td', { class: 'addr' }, chainLink(context.config, 'tx', t.hash)),
          h('td', {}, t.status ?? '—'),
          h('td', {}, t.note ?? ''),
          h('td', { class: 'addr' }, chainLink(context.config, 'address', t.contractAddress)))), { id: 'command-transactions' }));
    }
    // Only distributions and transfers have rows; asking for another command's would be a 404.
    if (command.name === 'distribute' || command.name === 'transfer') {
      try {
        const rows = await api(`commands/${encodeURIComponent(id)}/rows`, { signal: context.signal });
        parts.push(h('h2', {}, 'Rows'), rowsTable(rows, context));
        rowsShown = true;
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        parts.push(problemView(error, 'The rows could not be read.'));
      }
    }
    result.replaceChildren(...parts);
    return !terminal.has(command.runtimeStatus) || (!rowsShown && (command.name === 'distribute' || command.name === 'transfer'));
  }, 2000);
}

function rowsTable(answer, context) {
  return table(`Rows of the ${answer.command}`, ['Row', 'External id', 'Name', 'Address', 'Amount', 'Status', 'Transaction', 'Error'],
    answer.rows.map(r => h('tr', { dataset: { row: r.row } },
      h('td', { class: 'num' }, r.row),
      h('td', {}, r.externalId),
      h('td', {}, r.name ?? ''),
      h('td', { class: 'addr' }, chainLink(context.config, 'address', r.address)),
      h('td', { class: 'num' }, r.amount ?? ''),
      h('td', {}, r.status),
      h('td', { class: 'addr' }, chainLink(context.config, 'tx', r.transactionHash, shortHex(r.transactionHash))),
      h('td', { class: r.error ? 'error' : '' }, r.error ?? ''))), { id: 'command-rows' });
}
