// Syncs and their status; for admins, the destinations' names too (only admins may read destinations).
import { api } from './api.js';
import { clear, daysAgo, errorBox, fmt, h, table } from './ui.js';

export async function syncsPage(main, session) {
  const [syncs, segments, destinations] = await Promise.all([
    api('activation', '/v1/syncs'), api('segment', '/v1/segments'),
    session.can.administer ? api('activation', '/v1/destinations') : Promise.resolve([])]);
  const segmentName = new Map(segments.map(s => [s.id, s.name]));
  const destination = new Map(destinations.map(d => [d.id, `${d.name} (${d.type})`]));
  const statuses = await Promise.all(syncs.map(s => api('activation', `/v1/syncs/${s.id}/status`).catch(e => ({ error: e }))));
  const detail = h('div', {});
  clear(main,
    h('h1', {}, 'Syncs'),
    h('p', { class: 'muted' }, `${syncs.length} syncs send segments to channels. `
      + (session.can.administer ? 'Create and change them through the activation API.' : 'Only admins see destinations by name.')),
    h('div', { class: 'card' }, table('Syncs and their status', [
      { label: 'Segment' }, { label: 'Destination' }, { label: 'Mode' }, { label: 'State' },
      { label: 'In destination', num: true }, { label: 'Sent', num: true }, { label: 'Pending', num: true },
      { label: 'Failed', num: true }, { label: 'Lag', num: true }, { label: 'Last error' }, { label: '' }],
    syncs.map((s, i) => {
      const st = statuses[i];
      return [
        h('a', { href: `#/segments/${encodeURIComponent(s.segmentId)}` }, segmentName.get(s.segmentId) || s.segmentId),
        destination.get(s.destinationId) || s.destinationId, s.mode,
        h('span', { class: `badge ${s.state === 'ACTIVE' ? 'good' : 'bad'}` }, s.state + (s.pausedReason ? `: ${s.pausedReason}` : '')),
        st.error ? '?' : fmt.int(st.membersInDestination), st.error ? '?' : fmt.int(st.sent),
        st.error ? '?' : fmt.int(st.pending), st.error ? '?' : fmt.int(st.failed),
        st.error || st.lagSeconds == null ? '—' : `${fmt.int(st.lagSeconds)} s`, st.error ? st.error.message : (st.lastError || ''),
        session.can.analyse ? h('button', { type: 'button', class: 'link', onclick: () => showMetrics(detail, s, segmentName) }, 'What it earned') : '',
      ];
    }), { 'data-testid': 'syncs' })),
    detail);
}

async function showMetrics(el, sync, segmentName) {
  try {
    const m = await api('insights', `/v1/syncs/${sync.id}/metrics?from=${daysAgo(29)}&to=${daysAgo(0)}&bucket=week&windowDays=7`);
    const b = m.buckets;
    clear(el, h('section', { class: 'card', 'aria-labelledby': 'sync-h' },
      h('h2', { id: 'sync-h', tabindex: '-1' }, `What the sync of ${segmentName.get(sync.segmentId) || sync.segmentId} earned (last 30 days, per week)`),
      table(null, [{ label: 'Week of' }, { label: 'Deliveries', num: true }, { label: 'Reached', num: true },
        { label: 'Converted', num: true }, { label: 'Orders', num: true }, { label: 'Revenue', num: true },
        { label: 'Last-touch revenue', num: true }, { label: 'Linear revenue', num: true }],
      b.map(x => [x.start, fmt.int(x.deliveries), fmt.int(x.profilesReached), fmt.int(x.converted), fmt.int(x.orders),
        fmt.money(x.revenue), fmt.money(x.lastTouchRevenue), fmt.money(x.linearRevenue)]))));
    el.querySelector('h2').focus();
  } catch (e) {
    clear(el, errorBox(e));
  }
}
