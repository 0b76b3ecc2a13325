// A labelled <select> of the tokens this deployment issued (GET /api/tokens), for the pages that act on one.
import { api } from '../api.js';
import { h } from '../dom.js';

export async function tokenPicker(selected, signal, id = 'token') {
  const { tokens } = await api('tokens', { signal });
  const select = h('select', { id, name: 'token', required: true },
    h('option', { value: '' }, tokens.length ? 'Choose a token' : 'No token issued yet'),
    tokens.map(t => h('option', { value: t.address, selected: t.address.toLowerCase() === (selected ?? '').toLowerCase() }, `${t.symbol} · ${t.name} · ${t.address}`)));
  return { select, field: h('div', { class: 'field' }, h('label', { for: id }, 'Token'), select), tokens };
}
