// Calls the services' APIs with the signed-in person's token; errors become ApiError with the problem document.
let config;
let currentSession;
let onUnauthorized = () => {};

export function configure(consoleConfig, session, unauthorized) {
  config = consoleConfig;
  currentSession = session;
  onUnauthorized = unauthorized;
}

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }

  /** Each invalid field: {pointer, message}. */
  get fieldErrors() {
    return this.problem.errors || [];
  }
}

/** service: profile, segment, activation or insights. */
export async function api(service, path, { method = 'GET', body, accept = 'application/json' } = {}) {
  const headers = { Authorization: `Bearer ${currentSession.token}`, Accept: accept };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(config.services[service] + path,
    { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (res.status === 401) {
    onUnauthorized();
    throw new ApiError(401, { title: 'Signed out', detail: 'your session ended; signing in again' });
  }
  if (!res.ok) {
    const type = res.headers.get('Content-Type') || '';
    const problem = type.includes('json') ? await res.json() : { title: res.statusText, detail: await res.text() };
    throw new ApiError(res.status, problem);
  }
  if (res.status === 204) return null;
  return accept.includes('json') ? res.json() : res.text();
}

/** Every page of a cursor-paged list (segment members). */
export async function allPages(service, path, key, pageSize = 1000) {
  const items = [];
  let cursor = null;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const page = await api(service, `${path}${sep}limit=${pageSize}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    items.push(...page[key]);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}
