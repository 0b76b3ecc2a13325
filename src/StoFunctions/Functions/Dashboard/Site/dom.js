// Building the page from data without innerHTML: every value from the API becomes a text node, so nothing an
// API answer contains (a token name, a CSV cell) can become markup or script.

/** createElement with attributes (`on*` = listeners, `class`, `dataset`) and children (nodes or text). */
export function h(tag, props = {}, ...children) {
  const element = document.createElement(tag);
  setProps(element, props);
  append(element, children);
  return element;
}

const svgNs = 'http://www.w3.org/2000/svg';

/** The same for SVG elements. */
export function s(tag, props = {}, ...children) {
  const element = document.createElementNS(svgNs, tag);
  setProps(element, props);
  append(element, children);
  return element;
}

function setProps(element, props) {
  for (const [name, value] of Object.entries(props ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') element.addEventListener(name.slice(2), value);
    else if (name === 'dataset') Object.assign(element.dataset, value);
    else if (value === true) element.setAttribute(name, '');
    else element.setAttribute(name, String(value));
  }
}

export function append(element, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

/** replaceChildren that skips null and false (replaceChildren itself would print them as text). */
export function replace(element, ...children) {
  element.replaceChildren();
  return append(element, children);
}

/** A table inside a horizontally scrollable region (wide tables never widen the page on a phone). */
export function table(caption, headers, rows, { id } = {}) {
  const head = h('thead', {}, h('tr', {}, headers.map(x => (x instanceof Node ? x : h('th', { scope: 'col' }, x)))));
  const body = h('tbody', {}, rows);
  const element = h('table', { id }, h('caption', {}, caption), head, body);
  return h('div', { class: 'table-wrap', role: 'region', 'aria-label': caption, tabindex: 0 }, element);
}

/** The problem details of an error as an alert: the detail, then each error key with its messages. */
export function problemView(error, lead) {
  const items = (error.errors ?? []).map(([key, messages]) => h('li', {}, h('strong', {}, key), ': ', messages.join(' ')));
  return h('div', { class: 'alert', role: 'alert' },
    lead ? h('p', {}, lead) : null,
    h('p', {}, error.message),
    items.length ? h('ul', {}, items) : null);
}

export function loading(text = 'Loading…') {
  return h('p', { class: 'muted', role: 'status' }, text);
}

/** A link to the chain explorer for a transaction or an address, or the value as code when none is configured. */
export function chainLink(config, kind, value, label) {
  if (!value) return '—';
  const text = label ?? value;
  if (!config.explorerUrl) return h('code', { class: 'hash' }, text);
  return h('a', { href: `${config.explorerUrl}/${kind}/${value}`, class: 'hash', rel: 'noopener noreferrer', target: '_blank' }, h('code', {}, text));
}

export function shortHex(value) {
  return value && value.length > 14 ? `${value.slice(0, 8)}…${value.slice(-6)}` : value;
}

export function formatTime(value) {
  if (!value) return '—';
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? String(value) : date.toLocaleString();
}

/** A <progress> with its text: confirmed of total transactions of a command's customStatus. */
export function progressView(customStatus, label) {
  const total = customStatus?.transactions ?? 0;
  const confirmed = customStatus?.confirmed ?? 0;
  const failed = customStatus?.failed ?? 0;
  const bar = h('progress', { max: Math.max(total, 1), value: total ? confirmed : 0, 'aria-label': label });
  const text = total ? `${confirmed} of ${total} confirmed${failed ? `, ${failed} failed` : ''}` : 'no transactions yet';
  return h('span', { class: 'progress' }, bar, h('span', { class: 'progress-text' }, text));
}
