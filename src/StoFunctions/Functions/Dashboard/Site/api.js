// The public HTTP API as the dashboard calls it: same origin, the function key from this tab's sessionStorage
// in the x-functions-key header (never in a URL), problem details turned into ApiError.

const keyName = 'sto.functionKey';

/** The API root: the dashboard lives at {api}/dashboard/, so the API is one level up. */
export const apiRoot = new URL('../', document.baseURI);

export function functionKey() {
  return sessionStorage.getItem(keyName) ?? '';
}

export function setFunctionKey(key) {
  if (key) sessionStorage.setItem(keyName, key);
  else sessionStorage.removeItem(keyName);
}

/** An error answer of the API; `problem` is its RFC 9457 body when it sent one. */
export class ApiError extends Error {
  constructor(status, problem, path) {
    super(problem?.detail ?? `The API answered ${status} for ${path}.`);
    this.status = status;
    this.problem = problem;
    this.path = path;
  }

  /** `errors` of the problem as [key, messages[]] pairs. */
  get errors() {
    return Object.entries(this.problem?.errors ?? {});
  }
}

/**
 * Calls the API. `path` is relative to the API root (`tokens`, `commands/abc`). Answers the parsed JSON, or
 * the text when `accept` is not JSON. Throws ApiError on a 4xx/5xx answer and when the API cannot be reached.
 */
export async function api(path, { method = 'GET', body, contentType, accept = 'application/json', signal } = {}) {
  const headers = { accept };
  const key = functionKey();
  if (key) headers['x-functions-key'] = key;
  if (contentType) headers['content-type'] = contentType;
  let response;
  try {
    response = await fetch(new URL(path, apiRoot), { method, headers, body, signal, cache: 'no-store' });
  } catch (error) {
    if (error.name === 'AbortError') throw error;
    throw new ApiError(0, { detail: `The API at ${apiRoot} could not be reached (${error.message}). Check the connection and reload.` }, path);
  }

  const type = response.headers.get('content-type') ?? '';
  if (!response.ok) {
    let problem = null;
    if (type.includes('json')) {
      try { problem = await response.json(); } catch { problem = null; }
    }
    if (response.status === 401 && !key) {
      problem = { ...(problem ?? {}), detail: 'This page needs the function key: enter it above (it stays in this browser tab only).' };
    }
    throw new ApiError(response.status, problem, path);
  }

  if (response.status === 204) return null;
  return type.includes('json') ? response.json() : response.text();
}

/** Waits `ms` unless `signal` aborts first (then rejects with AbortError). */
export function sleep(ms, signal) {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new DOMException('aborted', 'AbortError'));
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => { clearTimeout(timer); reject(new DOMException('aborted', 'AbortError')); }, { once: true });
  });
}
