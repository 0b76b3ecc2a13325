// Distribute: a CSV dropped (or chosen) on the page is shown row by row, then posted as it is to the API's
// distribution route (text/csv). The API validates the whole file first and plans nothing when any row is bad:
// its problem details are shown next to the rows they name. Once accepted, a progress bar follows the command
// (customStatus: confirmed of total) until Completed or Failed. Below, the files dropped for the token into the
// storage container (GET …/distribution-files), so the outcome of a file uploaded with Storage Explorer (its
// command, or its row errors) is visible without browsing the container.
import { api, ApiError } from '../api.js';
import { h, replace, table, problemView, progressView, chainLink, shortHex, formatTime, loading } from '../dom.js';
import { parseCsv } from '../csv.js';
import { tokenPicker } from './tokenpicker.js';

export const title = 'Distribute';
export const needsKey = true;

export async function render(section, context) {
  const picker = await tokenPicker(context.params.get('token'), context.signal, 'distribute-token');
  const dropped = h('div', { id: 'dropped-files-result' });
  picker.select.addEventListener('change', () => {
    context.setParams({ token: picker.select.value });
    showDroppedFiles();
  });
  const file = h('input', { id: 'csv-file', type: 'file', accept: '.csv,text/csv', 'aria-describedby': 'csv-help' });
  const zone = h('div', { class: 'drop-zone', id: 'drop-zone' },
    h('label', { for: 'csv-file' }, 'Distribution CSV file'),
    h('p', { id: 'csv-help', class: 'muted' }, 'Drop a CSV file here, or choose one. Columns: external_id,email,name,address,amount (amounts in token units). Nothing is sent until you press Send.'),
    file);
  const preview = h('div', { id: 'preview' });
  const outcome = h('div', { id: 'outcome', 'aria-live': 'polite' });
  section.append(h('form', { class: 'controls stacked', onsubmit: e => e.preventDefault() }, picker.field, zone), preview, outcome,
    h('section', { id: 'dropped-files', 'aria-labelledby': 'dropped-files-title' },
      h('h2', { id: 'dropped-files-title' }, 'Files dropped in storage'),
      h('p', { class: 'muted' }, 'CSV files uploaded to the storage container "distributions" as {token address}/{name}.csv (e.g. with Azure Storage Explorer), newest first, with the outcome of each file\'s validation.'),
      dropped));

  // A dropped file is validated within seconds of its upload: the list follows until the page is left.
  let filesRead = 0;
  async function showDroppedFiles() {
    const token = picker.select.value;
    const read = ++filesRead;
    if (!token) {
      dropped.replaceChildren(h('p', {}, 'Choose a token to see the files dropped for it.'));
      return true;
    }
    if (!dropped.dataset.token || dropped.dataset.token !== token) dropped.replaceChildren(loading());
    let answer;
    try {
      answer = await api(`tokens/${encodeURIComponent(token)}/distribution-files?limit=20`, { signal: context.signal });
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      if (read === filesRead) dropped.replaceChildren(problemView(error, 'The dropped files could not be read.'));
      return true;
    }
    // A token changed while this read was under way: the newer read shows its own token's files.
    if (read !== filesRead) return true;
    dropped.dataset.token = token;
    dropped.replaceChildren(answer.files.length
      ? table(`Files dropped for ${shortHex(answer.token)}, newest first`, ['File', 'Uploaded', 'Bytes', 'Outcome'],
        answer.files.map(f => h('tr', { dataset: { name: f.name, result: f.result }, class: f.result === 'Rejected' ? 'invalid' : null },
          h('th', { scope: 'row' }, f.name),
          h('td', {}, formatTime(f.lastModified)),
          h('td', { class: 'num' }, f.size),
          h('td', {}, fileOutcome(f)))), { id: 'dropped-files-table' })
      : h('p', {}, `No CSV file has been dropped for this token: upload ${answer.token}/{name}.csv to the container "${answer.container}".`));
    return true;
  }
  context.poll(showDroppedFiles, 5000);

  let loaded = null;

  zone.addEventListener('dragover', event => {
    event.preventDefault();
    zone.classList.add('over');
  });
  zone.addEventListener('dragleave', () => zone.classList.remove('over'));
  zone.addEventListener('drop', event => {
    event.preventDefault();
    zone.classList.remove('over');
    const dropped = event.dataTransfer?.files?.[0];
    if (dropped) read(dropped);
  });
  file.addEventListener('change', () => {
    if (file.files[0]) read(file.files[0]);
  });

  async function read(chosen) {
    const text = await chosen.text();
    const records = parseCsv(text);
    loaded = { name: chosen.name, text, records, errorCells: new Map() };
    outcome.replaceChildren();
    const [header, ...rows] = records;
    const addressColumn = header?.cells.indexOf('address') ?? -1;
    const send = h('button', { type: 'button', id: 'send', onclick: () => submit(send) }, `Send ${rows.length} transfer${rows.length === 1 ? '' : 's'}`);
    const body = rows.map(r => {
      const error = h('td', { class: 'row-error' });
      loaded.errorCells.set(r.line, error);
      return h('tr', { dataset: { line: r.line } }, h('td', { class: 'num' }, r.line), r.cells.map((c, i) => h('td', { class: addressColumn === i ? 'addr' : null }, c)), error);
    });
    const headers = ['Line', ...(header?.cells ?? []), 'Errors'];
    preview.replaceChildren(
      h('h2', {}, `Preview of ${chosen.name}`),
      table(`Rows of ${chosen.name}`, headers, body, { id: 'preview-rows' }),
      h('p', { class: 'buttons' }, send));
  }

  async function submit(button) {
    if (!picker.select.value) {
      outcome.replaceChildren(h('p', { class: 'alert', role: 'alert' }, 'Choose a token first.'));
      picker.select.focus();
      return;
    }
    button.disabled = true;
    for (const cell of loaded.errorCells.values()) cell.replaceChildren();
    outcome.replaceChildren(h('p', { role: 'status' }, 'Sending the file to the API…'));
    let accepted;
    try {
      accepted = await api(`tokens/${picker.select.value}/distributions`, { method: 'POST', body: loaded.text, contentType: 'text/csv', signal: context.signal });
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      showRejection(error);
      button.disabled = false;
      return;
    }
    await follow(accepted.id);
  }

  function showRejection(error) {
    const other = [];
    let rowErrors = 0;
    for (const [key, messages] of error.errors) {
      const match = /^row (\d+)$/.exec(key);
      const cell = match && loaded.errorCells.get(Number(match[1]));
      if (cell) {
        cell.replaceChildren(messages.join(' '));
        cell.closest('tr').classList.add('invalid');
        rowErrors++;
      } else other.push([key, messages]);
    }
    const lead = error.status >= 500 || error.status === 0
      ? 'The API could not take the file; nothing was sent.'
      : `The file was refused and nothing was sent${rowErrors ? `: ${rowErrors} row${rowErrors === 1 ? ' has' : 's have'} errors, shown beside ${rowErrors === 1 ? 'it' : 'them'}` : ''}. Fix the file and drop it again.`;
    // The row errors are beside their rows; the alert lists only the others (the header, the file).
    const view = problemView({ message: error.message, errors: other }, lead);
    view.id = 'rejection';
    outcome.replaceChildren(view);
  }

  async function follow(id) {
    const bar = h('div', { id: 'progress' });
    outcome.replaceChildren(h('h2', {}, 'Progress'),
      h('p', {}, 'Command ', h('a', { href: `#/commands?id=${encodeURIComponent(id)}` }, h('code', {}, shortHex(id))), ' accepted.'), bar);
    await context.poll(async () => {
      const command = await api(`commands/${encodeURIComponent(id)}`, { signal: context.signal });
      replace(bar,
        progressView(command.customStatus, 'Distribution progress'),
        h('p', { id: 'distribution-status', class: `status status-${command.runtimeStatus}` }, command.runtimeStatus),
        command.runtimeStatus === 'Completed' ? h('p', {}, h('a', { href: `#/captable?token=${encodeURIComponent(picker.select.value)}` }, 'See the cap table')) : null,
        command.error ? h('p', { class: 'error' }, typeof command.error === 'string' ? command.error : JSON.stringify(command.error)) : null,
        (command.output?.transactions ?? []).length
          ? h('p', { class: 'muted' }, `${command.output.transactions.length} transactions, the last `, chainLink(context.config, 'tx', command.output.transactions.at(-1).hash, shortHex(command.output.transactions.at(-1).hash)))
          : null);
      return command.runtimeStatus !== 'Completed' && command.runtimeStatus !== 'Failed';
    }, 1000);
  }
}

function fileOutcome(file) {
  if (file.result === 'Accepted') {
    return [h('span', { class: 'status-Completed' }, 'Accepted'), ': command ',
      h('a', { href: `#/commands?id=${encodeURIComponent(file.commandId)}` }, h('code', {}, shortHex(file.commandId)))];
  }
  if (file.result === 'Rejected') {
    return [h('span', { class: 'status-Failed' }, 'Rejected'), ', nothing was started. Fix the file and upload it again.',
      h('ul', { class: 'row-errors' }, Object.entries(file.errors ?? {}).map(([key, messages]) =>
        h('li', { dataset: { key }, class: 'row-error' }, h('strong', {}, key), ': ', messages.join(' '))))];
  }
  return h('span', { class: 'muted' }, 'Waiting for validation (it follows an upload within seconds).');
}
