// Cap table: GET /api/tokens/{t}/holders at now, a past block or a past date, sorted by the API (orderBy,
// orderDirection), with or without empty holders; the ownership chart; the same table as CSV (Accept: text/csv).
import { api, ApiError } from '../api.js';
import { h, table, problemView, loading, chainLink, formatTime } from '../dom.js';
import { ownershipChart, slices } from '../chart.js';
import { toRaw } from '../units.js';
import { tokenPicker } from './tokenpicker.js';

export const title = 'Cap table';
export const needsKey = true;

const columns = [
  { key: 'address', label: 'Address' },
  { key: 'name', label: 'Name' },
  { key: 'balance', label: 'Balance' },
  { key: null, label: 'Percent' },
  { key: 'updated', label: 'Last transfer' },
];

export async function render(section, context) {
  const p = context.params;
  const state = {
    token: p.get('token') ?? '',
    atBlock: p.get('atBlock') ?? '',
    atTime: p.get('atTime') ?? '',
    includeEmpty: p.get('includeEmpty') === 'true',
    orderBy: p.get('orderBy') ?? 'balance',
    orderDirection: p.get('orderDirection') ?? 'desc',
  };
  const picker = await tokenPicker(state.token, context.signal);
  const atBlock = h('input', { id: 'at-block', name: 'atBlock', type: 'number', min: 0, step: 1, inputmode: 'numeric', value: state.atBlock });
  const atTime = h('input', { id: 'at-time', name: 'atTime', type: 'datetime-local', step: 1, value: state.atTime });
  const includeEmpty = h('input', { id: 'include-empty', name: 'includeEmpty', type: 'checkbox', checked: state.includeEmpty });
  const result = h('div', { id: 'captable-result', 'aria-live': 'polite' });
  const notice = h('div');
  const form = h('form', { class: 'controls', id: 'captable-form' },
    picker.field,
    h('div', { class: 'field' }, h('label', { for: 'at-block' }, 'At block (empty: now)'), atBlock),
    h('div', { class: 'field' }, h('label', { for: 'at-time' }, 'Or at date and time (your time zone)'), atTime),
    h('div', { class: 'field check' }, includeEmpty, h('label', { for: 'include-empty' }, 'Include holders with a zero balance')),
    h('div', { class: 'buttons' },
      h('button', { type: 'submit' }, 'Show cap table'),
      h('button', { type: 'button', id: 'scan-now', onclick: () => scan() }, 'Scan now'),
      h('button', { type: 'button', id: 'download-csv', onclick: () => download() }, 'Download CSV')));
  form.addEventListener('submit', event => {
    event.preventDefault();
    load();
  });
  section.append(form, notice, result);

  function query() {
    state.token = picker.select.value;
    state.atBlock = atBlock.value.trim();
    state.atTime = atTime.value;
    state.includeEmpty = includeEmpty.checked;
    context.setParams({ ...state, includeEmpty: state.includeEmpty ? 'true' : '' });
    const q = new URLSearchParams({ orderBy: state.orderBy, orderDirection: state.orderDirection, includeEmpty: String(state.includeEmpty) });
    if (state.atBlock) q.set('atBlock', state.atBlock);
    else if (state.atTime) q.set('atTime', new Date(state.atTime).toISOString());
    return `tokens/${state.token}/holders?${q}`;
  }

  function needToken() {
    if (picker.select.value) return false;
    notice.replaceChildren(h('p', { class: 'alert', role: 'alert' }, 'Choose a token first.'));
    picker.select.focus();
    return true;
  }

  async function load() {
    if (needToken()) return;
    notice.replaceChildren();
    result.replaceChildren(loading());
    let capTable;
    try {
      capTable = await api(query(), { signal: context.signal });
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      // 409 is the API's answer for a token (or a block) not scanned yet: the way out is the Scan now button.
      result.replaceChildren(problemView(error, error.status === 404 || error.status === 409 ? 'No cap table yet at that point: scan the token first (Scan now).' : 'The cap table could not be read.'));
      return;
    }
    result.replaceChildren(view(capTable));
  }

  function view(capTable) {
    const totalRaw = toRaw(capTable.accountedSupply, capTable.decimals);
    const header = columns.map(column => {
      if (!column.key) return h('th', { scope: 'col' }, column.label);
      const active = state.orderBy === column.key;
      const next = active && state.orderDirection === 'desc' ? 'asc' : 'desc';
      return h('th', { scope: 'col', 'aria-sort': active ? (state.orderDirection === 'asc' ? 'ascending' : 'descending') : 'none' },
        h('button', { type: 'button', class: 'sort', dataset: { sort: column.key }, onclick: () => { state.orderBy = column.key; state.orderDirection = next; load(); } },
          column.label, h('span', { 'aria-hidden': 'true' }, active ? (state.orderDirection === 'asc' ? ' ▲' : ' ▼') : '')));
    });
    const rows = capTable.holders.map(x => h('tr', { dataset: { address: x.address, raw: x.raw } },
      h('td', { class: 'addr' }, chainLink(context.config, 'address', x.address)),
      h('td', {}, x.name || '—'),
      h('td', { class: 'num balance' }, x.balance),
      h('td', { class: 'num' }, `${x.percent}%`),
      h('td', {}, `block ${x.lastTransferBlock}`, h('br'), h('span', { class: 'muted' }, formatTime(x.lastTransferTime)))));
    return h('div', {},
      h('dl', { class: 'facts' },
        h('dt', {}, 'Token'), h('dd', {}, `${capTable.name} (${capTable.symbol})`),
        h('dt', {}, 'Total supply'), h('dd', { id: 'total-supply' }, capTable.totalSupply ?? 'unknown'),
        h('dt', {}, 'Holders'), h('dd', { id: 'holder-count' }, String(capTable.holderCount)),
        h('dt', {}, 'As of'), h('dd', { id: 'as-of' }, `block ${capTable.asOfBlock}, ${formatTime(capTable.asOfTime)}`)),
      h('h2', {}, 'Ownership'),
      ownershipChart(slices(capTable.holders, totalRaw, capTable.decimals), totalRaw, capTable.symbol),
      h('h2', {}, 'Holders'),
      table(`Holders of ${capTable.symbol} at block ${capTable.asOfBlock}`, header, rows, { id: 'holders' }));
  }

  async function scan() {
    if (needToken()) return;
    notice.replaceChildren(loading('Scanning the chain…'));
    try {
      let command = await api(`tokens/${picker.select.value}/scans`, { method: 'POST', signal: context.signal });
      let status = await api(`commands/${encodeURIComponent(command.id)}`, { signal: context.signal });
      await context.poll(async () => {
        status = await api(`commands/${encodeURIComponent(command.id)}`, { signal: context.signal });
        return status.runtimeStatus !== 'Completed' && status.runtimeStatus !== 'Failed';
      }, 1000);
      if (status.runtimeStatus === 'Failed') {
        notice.replaceChildren(h('p', { class: 'alert', role: 'alert' }, `The scan failed: ${status.error ?? 'see the command'}.`));
        return;
      }
      notice.replaceChildren(h('p', { role: 'status' }, `Scanned up to block ${status.output?.lastBlock ?? '?'}.`));
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      notice.replaceChildren(problemView(error, 'The scan could not start.'));
      return;
    }
    await load();
  }

  async function download() {
    if (needToken()) return;
    try {
      const csv = await api(query(), { accept: 'text/csv', signal: context.signal });
      const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv' }));
      const link = h('a', { href: url, download: `cap-table-${state.token}${state.atBlock ? `-block-${state.atBlock}` : ''}.csv` });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60000);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      notice.replaceChildren(problemView(error, 'The CSV could not be downloaded.'));
    }
  }

  if (state.token) await load();
}
