// The workspace's predictive models (BG/NBD and Gamma-Gamma): the fit in use, the history of fits, and a fit on demand.
import { api } from './api.js';
import { clear, errorBox, fmt, h, isoDay, table } from './ui.js';

export async function modelsPage(main, session) {
  const body = h('div', {});
  const end = h('input', { type: 'date', id: 'fit-end', value: isoDay(new Date()) });
  const status = h('p', { 'aria-live': 'polite', 'data-testid': 'fit-status' });
  const fit = async () => {
    try {
      const requested = await api('insights', '/v1/models/fits', { method: 'POST', body: { calibrationEnd: end.value } });
      status.textContent = `Fit version ${requested.version} requested…`;
      let current = requested;
      while (current.status === 'PENDING' || current.status === 'FITTING') {
        await new Promise(resolve => setTimeout(resolve, 1000));
        current = await api('insights', `/v1/models/fits/${requested.id}`);
        status.textContent = `Fit version ${current.version}: ${current.status.toLowerCase()}…`;
      }
      clear(status, `Fit version ${current.version}: ${current.status}`, current.reason ? ` — ${current.reason}` : '');
      await load();
    } catch (e) {
      clear(status, errorBox(e));
    }
  };
  const load = async () => {
    const models = await api('insights', '/v1/models');
    renderModels(body, models);
  };
  clear(main,
    h('h1', {}, 'Predictive models'),
    h('p', { class: 'muted' }, 'BG/NBD (how often customers buy, and whether they are still active) and Gamma-Gamma '
      + '(what a purchase is worth), fitted on this workspace\'s orders, time in weeks.'),
    h('form', { class: 'row card', onsubmit: (e) => { e.preventDefault(); fit(); } },
      h('div', { class: 'field' }, h('label', { for: 'fit-end' }, 'Orders up to and including'), end),
      h('button', { type: 'submit', class: 'primary', 'data-testid': 'fit' }, 'Fit now')),
    status, body);
  await load();
}

function renderModels(body, models) {
  const c = models.current;
  clear(body,
    h('section', { class: 'card', 'aria-labelledby': 'current-h' },
      h('h2', { id: 'current-h' }, c ? `In use: version ${c.version}, orders to ${c.calibrationEnd}` : 'No fit in use yet'),
      c ? table(null, [{ label: 'Model' }, { label: 'Parameters' }, { label: 'Log-likelihood', num: true },
        { label: 'Customers', num: true }], [
        ['BG/NBD', `r = ${c.bgnbd.r.toFixed(4)}, α = ${c.bgnbd.alpha.toFixed(4)}, a = ${c.bgnbd.a.toFixed(4)}, b = ${c.bgnbd.b.toFixed(4)}`,
          fmt.dec(c.bgnbd.logLikelihood), fmt.int(c.bgnbd.customers)],
        ['Gamma-Gamma', `p = ${c.gammaGamma.p.toFixed(4)}, q = ${c.gammaGamma.q.toFixed(4)}, γ = ${c.gammaGamma.gamma.toFixed(4)}`,
          fmt.dec(c.gammaGamma.logLikelihood), fmt.int(c.gammaGamma.customers)]], { 'data-testid': 'current-model' })
        : h('p', { class: 'muted' }, 'Fit the models once the workspace has orders of at least 100 customers, 20 of whom bought again.')),
    h('section', { class: 'card', 'aria-labelledby': 'history-h' },
      h('h2', { id: 'history-h' }, 'Fits'),
      models.fits.length ? table(null, [{ label: 'Version', num: true }, { label: 'Status' }, { label: 'Orders to' },
        { label: 'Customers', num: true }, { label: 'Fit time', num: true }, { label: 'Requested' }, { label: 'Why' }],
      models.fits.map(f => [fmt.int(f.version), f.status, f.calibrationEnd, fmt.int(f.customers),
        f.fitMillis == null ? '—' : `${fmt.int(f.fitMillis)} ms`, fmt.instant(f.requestedAt), f.reason || '']),
      { 'data-testid': 'fits' }) : h('p', { class: 'muted' }, 'None yet.')));
}
