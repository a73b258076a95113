// The console's entry: loads its settings, signs the person in, and shows the page the address names.
import { completeSignIn, session as currentSession, signIn, signOut } from './auth.js';
import { configure } from './api.js';
import { disposeAll } from './charts.js';
import { clear, errorBox, h } from './ui.js';
import { segmentsPage } from './segments.js';
import { segmentPage } from './segment.js';
import { editorPage } from './editor.js';
import { syncsPage } from './syncs.js';
import { modelsPage } from './models.js';

const main = document.getElementById('main');

const routes = [
  { pattern: /^#\/segments\/new$/, nav: 'new', page: (s) => editorPage(main, s, null), needs: 'edit' },
  { pattern: /^#\/segments\/([^/]+)\/edit$/, nav: 'segments', page: (s, id) => editorPage(main, s, id), needs: 'edit' },
  { pattern: /^#\/segments\/([^/]+)$/, nav: 'segments', page: (s, id) => segmentPage(main, s, id), needs: 'read' },
  { pattern: /^#\/syncs$/, nav: 'syncs', page: (s) => syncsPage(main, s), needs: 'read' },
  { pattern: /^#\/models$/, nav: 'models', page: (s) => modelsPage(main, s), needs: 'analyse' },
  { pattern: /^#\/segments$/, nav: 'segments', page: (s) => segmentsPage(main, s), needs: 'read' },
];

async function render(session) {
  const hash = location.hash || '#/segments';
  const route = routes.find(r => r.pattern.test(hash)) || routes[routes.length - 1];
  const args = hash.match(route.pattern)?.slice(1).map(decodeURIComponent) || [];
  document.querySelectorAll('[data-nav]').forEach(a => {
    if (a.dataset.nav === route.nav) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  });
  disposeAll();
  if (!session.can[route.needs]) {
    clear(main, h('h1', {}, 'Not allowed'), h('p', {}, `Your roles (${session.roles.join(', ') || 'none'}) do not allow this page.`));
    return;
  }
  clear(main, h('p', { class: 'muted' }, 'Loading…'));
  try {
    await route.page(session, ...args);
  } catch (e) {
    clear(main, h('h1', {}, 'Something went wrong'), errorBox(e));
  }
  const heading = main.querySelector('h1');
  if (heading) {
    heading.setAttribute('tabindex', '-1');
    heading.focus({ preventScroll: true });
    document.title = `${heading.textContent} · Satsuma console`;
  }
}

async function start() {
  const config = await (await fetch('config.json')).json();
  try {
    await completeSignIn(config);
  } catch (e) {
    clear(main, h('h1', {}, 'Sign-in failed'), errorBox(e),
      h('button', { class: 'primary', onclick: () => signIn(config) }, 'Sign in again'));
    return;
  }
  const session = currentSession(config);
  if (!session) {
    await signIn(config);
    return;
  }
  configure(config, session, () => signIn(config));
  clear(document.getElementById('who'),
    h('span', { 'data-testid': 'who' }, `${session.user} · workspace ${session.workspace} · ${session.roles.join(', ')}`),
    h('button', { type: 'button', onclick: () => signOut(config) }, 'Sign out'));
  document.querySelectorAll('[data-role="editor"]').forEach(el => { el.hidden = !session.can.edit; });
  document.querySelectorAll('[data-role="analyst"]').forEach(el => { el.hidden = !session.can.analyse; });
  if (!session.can.read) {
    clear(main, h('h1', {}, 'No access to the console'),
      h('p', {}, `Your roles (${session.roles.join(', ') || 'none'}) are for the APIs only: the console needs analyst, `
        + 'segment-editor or admin.'));
    return;
  }
  window.addEventListener('hashchange', () => render(session));
  await render(session);
}

start();
