// The segments of the workspace: size now and a 30-day sparkline of the size at the end of each day.
import { api } from './api.js';
import { sparkline } from './charts.js';
import { clear, daysAgo, fmt, h } from './ui.js';

export async function segmentsPage(main, session) {
  const segments = (await api('segment', '/v1/segments')).sort((a, b) =>
    (a.exclusionGroup || '~').localeCompare(b.exclusionGroup || '~') || (a.groupPriority || 0) - (b.groupPriority || 0)
    || a.name.localeCompare(b.name));
  const from = daysAgo(29);
  const to = daysAgo(0);
  const rows = segments.map(segment => {
    const size = h('td', { class: 'num', 'data-testid': 'size' }, '…');
    const spark = h('div', { class: 'spark' });
    const trend = h('td', {}, spark);
    const row = h('tr', { 'data-segment-id': segment.id },
      h('th', { scope: 'row' }, h('a', { href: `#/segments/${encodeURIComponent(segment.id)}` }, segment.name)),
      h('td', {}, segment.exclusionGroup ? `${segment.exclusionGroup} #${segment.groupPriority}` : ''),
      h('td', { class: 'num' }, segment.holdoutPercent ? `${segment.holdoutPercent} %` : ''),
      size, trend);
    api('segment', `/v1/segments/${segment.id}/size`)
      .then(r => { size.textContent = fmt.int(r.size); })
      .catch(() => { size.textContent = '?'; });
    if (session.can.analyse) {
      api('insights', `/v1/segments/${segment.id}/daily?from=${from}&to=${to}`).then(r => {
        const values = r.days.map(d => d.size);
        sparkline(spark, `${segment.name}: size at the end of each of the last 30 days, from ${fmt.int(values[0])} `
          + `on ${from} to ${fmt.int(values[values.length - 1])} on ${to}`, values);
      }).catch(() => { trend.textContent = 'no data'; });
    } else {
      trend.textContent = '';
    }
    return row;
  });
  clear(main,
    h('div', { class: 'actions' }, h('h1', {}, 'Segments'),
      session.can.edit ? h('a', { class: 'button primary', href: '#/segments/new' }, 'New segment') : null),
    h('p', { class: 'muted' }, `${segments.length} segments in workspace ${session.workspace}.`),
    h('div', { class: 'card table-scroll' }, h('table', { 'data-testid': 'segments' },
      h('caption', {}, 'Segments, their size now and over the last 30 days'),
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col' }, 'Name'), h('th', { scope: 'col' }, 'Exclusion group'),
        h('th', { scope: 'col', class: 'num' }, 'Holdout'), h('th', { scope: 'col', class: 'num' }, 'Size now'),
        h('th', { scope: 'col' }, 'Last 30 days'))),
      h('tbody', {}, rows))));
}
