// The dashboard's shell: the function key form, the navigation and a hash router (#/page?query). The query holds
// only page state (a token address, a block); the key never enters a URL.
import { functionKey, setFunctionKey, sleep } from './api.js';
import { h } from './dom.js';
import * as tokens from './pages/tokens.js';
import * as captable from './pages/captable.js';
import * as commands from './pages/commands.js';
import * as distribute from './pages/distribute.js';
import * as health from './pages/health.js';

const pages = { tokens, captable, commands, distribute, health };
const main = document.getElementById('main');
let current = null;
let config = { explorerUrl: null };

// The page answers at {root}/dashboard and {root}/dashboard/; relative links need the second form.
const base = new URL(document.baseURI);
if (location.pathname !== base.pathname && `${location.pathname}/` === base.pathname) {
  history.replaceState(null, '', base.pathname + location.hash);
}

function showKeyState() {
  document.getElementById('key-state').textContent = functionKey() ? 'Key set for this tab.' : 'No key set.';
}

document.getElementById('key-form').addEventListener('submit', event => {
  event.preventDefault();
  const input = document.getElementById('function-key');
  setFunctionKey(input.value.trim());
  input.value = '';
  showKeyState();
  route(false);
});

document.getElementById('forget-key').addEventListener('click', () => {
  setFunctionKey('');
  showKeyState();
  route(false);
});

document.getElementById('skip').addEventListener('click', event => {
  // The hash belongs to the router: move focus without navigating.
  event.preventDefault();
  main.focus();
});

/** Renders the page the hash names; the previous page's polls stop (its signal aborts). */
async function route(moveFocus) {
  const hash = location.hash;
  if (!hash.startsWith('#/')) {
    history.replaceState(null, '', '#/tokens');
  }
  const [name, query] = location.hash.slice(2).split('?');
  const page = pages[name] ?? tokens;
  const pageName = pages[name] ? name : 'tokens';
  current?.abort();
  const controller = new AbortController();
  current = controller;

  for (const link of document.querySelectorAll('nav a')) {
    if (link.dataset.page === pageName) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  document.title = `${page.title} · StoFunctions`;
  const section = h('section', { 'aria-labelledby': 'page-title', class: 'page' }, h('h1', { id: 'page-title' }, page.title));
  main.replaceChildren(section);
  if (moveFocus) main.focus();

  const context = {
    params: new URLSearchParams(query ?? ''),
    config,
    signal: controller.signal,
    /** Replaces the page state in the URL without re-rendering (so the view can be bookmarked). */
    setParams(params) {
      const text = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== '' && v !== null && v !== undefined)).toString();
      history.replaceState(null, '', `#/${pageName}${text ? `?${text}` : ''}`);
    },
    /** Runs `step` now and every `ms` until it returns false or the page is left. */
    async poll(step, ms) {
      try {
        while (!controller.signal.aborted) {
          if ((await step()) === false) return;
          await sleep(ms, controller.signal);
        }
      } catch (error) {
        if (error.name !== 'AbortError') throw error;
      }
    },
  };
  if (page.needsKey && !functionKey()) {
    // Asking without a key would only earn a 401; say what is missing instead.
    section.append(h('p', { class: 'alert', role: 'alert', id: 'key-needed' },
      'This page reads the API with your function key: enter it in "Function key" above. It is kept in this browser tab only (session storage) and sent as the x-functions-key header.'));
    return;
  }
  try {
    await page.render(section, context);
  } catch (error) {
    if (error.name !== 'AbortError') {
      section.append(h('div', { class: 'alert', role: 'alert' }, h('p', {}, error.message)));
    }
  }
}

async function start() {
  showKeyState();
  try {
    const response = await fetch(new URL('config.json', document.baseURI), { cache: 'no-store' });
    if (response.ok) config = Object.assign(config, await response.json());
  } catch {
    // Without the config the page still works; hashes are shown without explorer links.
  }
  window.addEventListener('hashchange', () => route(true));
  await route(false);
}

start();
