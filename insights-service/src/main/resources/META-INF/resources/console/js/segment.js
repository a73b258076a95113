// One segment: definition, size over time, entries and exits, conversion, revenue, holdout lift, a sample of
// members with the explanation of one, overlap with chosen segments, and the journey between its group's stages.
import { allPages, api } from './api.js';
import { heatmap, sankey, timeSeries } from './charts.js';
import { clear, daysAgo, download, errorBox, fmt, h, table, toast } from './ui.js';

export async function segmentPage(main, session, id) {
  const [segment, size, all] = await Promise.all([
    api('segment', `/v1/segments/${id}`), api('segment', `/v1/segments/${id}/size`), api('segment', '/v1/segments')]);
  const names = new Map(all.map(s => [s.id, s.name]));
  const backfill = h('div', { 'aria-live': 'polite' });
  clear(main,
    h('p', {}, h('a', { href: '#/segments' }, '← Segments')),
    h('div', { class: 'actions' },
      h('h1', {}, segment.name),
      segment.exclusionGroup ? h('span', { class: 'badge' }, `${segment.exclusionGroup} #${segment.groupPriority}`) : null,
      segment.holdoutPercent ? h('span', { class: 'badge' }, `holdout ${segment.holdoutPercent} %`) : null),
    segment.description ? h('p', { class: 'muted' }, segment.description) : null,
    h('div', { class: 'actions' },
      session.can.edit ? h('a', { class: 'button', href: `#/segments/${encodeURIComponent(id)}/edit` }, 'Edit') : null,
      h('button', { type: 'button', 'data-testid': 'export', onclick: () => exportMembers(segment) }, 'Export members (CSV)')),
    backfill,
    h('div', { class: 'kpis' },
      kpi('Size now', fmt.int(size.size), 'size-now'),
      kpi('Version', segment.version, 'version')));
  watchBackfill(backfill, id);
  if (session.can.analyse) {
    main.append(metricsSection(segment));
    if (segment.holdoutPercent) main.append(liftSection(segment));
  }
  main.append(definitionSection(segment, names), membersSection(segment, session));
  if (session.can.analyse) {
    main.append(overlapSection(segment, all));
    if (segment.exclusionGroup) main.append(journeySection(segment, all));
  }
}

function kpi(label, value, testid) {
  return h('div', { class: 'kpi' }, h('div', { class: 'value', 'data-testid': testid }, value),
    h('div', { class: 'label' }, label));
}

/** Shows the latest backfill; while it runs, its progress every second. */
async function watchBackfill(el, id) {
  let job;
  try {
    job = await api('segment', `/v1/segments/${id}/backfill`);
  } catch (e) {
    return; // a segment without backfill (404) shows nothing
  }
  const summary = `${fmt.int(job.done)} of ${fmt.int(job.total)} profiles evaluated, ${fmt.int(job.changed)} changed`;
  if (job.status === 'RUNNING') {
    clear(el, h('div', { class: 'card', 'data-testid': 'backfill', 'data-status': job.status },
      h('h2', {}, 'Backfill running: every profile is being evaluated'),
      h('progress', { max: Math.max(job.total, 1), value: job.done, 'aria-label': 'profiles evaluated' }),
      h('p', {}, `${summary}, ${fmt.dec(job.ratePerSecond)}/s`
        + (job.etaSeconds != null ? `, about ${job.etaSeconds} s left` : ''))));
    if (el.isConnected) setTimeout(() => watchBackfill(el, id), 1000);
  } else {
    clear(el, h('p', { class: 'muted', 'data-testid': 'backfill', 'data-status': job.status },
      `Backfill of version ${job.segmentVersion} ${job.status.toLowerCase()} ${fmt.instant(job.finishedAt)}: ${summary}.`));
  }
}

async function exportMembers(segment) {
  toast('Exporting members…');
  const ids = await allPages('segment', `/v1/segments/${segment.id}/members`, 'profileIds');
  download(`${segment.name.replace(/[^\w-]+/g, '_')}-members.csv`, `profile_id\n${ids.join('\n')}\n`);
  toast(`Exported ${fmt.int(ids.length)} members`);
}

function metricsSection(segment) {
  const from = h('input', { type: 'date', id: 'm-from', value: daysAgo(29) });
  const to = h('input', { type: 'date', id: 'm-to', value: daysAgo(0) });
  const bucket = h('select', { id: 'm-bucket' }, ['day', 'week', 'month'].map(b => h('option', { value: b }, b)));
  const days = h('input', { type: 'number', id: 'm-days', min: 1, max: 365, value: 7, style: 'width:6rem' });
  const body = h('div', {});
  const load = async () => {
    clear(body, h('p', { class: 'muted' }, 'Loading…'));
    try {
      const m = await api('insights', `/v1/segments/${segment.id}/metrics?from=${from.value}&to=${to.value}`
        + `&bucket=${bucket.value}&conversionDays=${days.value}`);
      renderMetrics(body, segment, m);
    } catch (e) {
      clear(body, errorBox(e));
    }
  };
  const section = h('section', { class: 'card', 'aria-labelledby': 'metrics-h' },
    h('h2', { id: 'metrics-h' }, 'Size, entries, conversion and revenue'),
    h('form', { class: 'row', onsubmit: (e) => { e.preventDefault(); load(); } },
      field('From', from), field('To', to), field('Per', bucket), field('Converted within (days)', days),
      h('button', { type: 'submit' }, 'Show')),
    body);
  load();
  return section;
}

function field(label, input) {
  return h('div', { class: 'field' }, h('label', { for: input.id }, label), input);
}

function renderMetrics(body, segment, m) {
  const b = m.buckets;
  const labels = b.map(x => x.start);
  const sum = key => b.reduce((acc, x) => acc + Number(x[key] || 0), 0);
  const entrants = sum('entrants');
  const sizeChart = h('div', { class: 'chart' });
  const flowChart = h('div', { class: 'chart' });
  const valueChart = h('div', { class: 'chart' });
  clear(body,
    h('div', { class: 'kpis' },
      kpi('Entries', fmt.int(sum('entries')), 'entries'), kpi('Exits', fmt.int(sum('exits')), 'exits'),
      kpi(`Converted within ${m.conversionDays} days`, entrants ? fmt.pct(sum('converted') / entrants) : '—', 'conversion'),
      kpi('Net revenue while a member', fmt.money(sum('netRevenue')), 'net-revenue'),
      kpi('Orders while a member', fmt.int(sum('orders')), 'orders')),
    h('div', { class: 'grid' },
      h('div', {}, h('h3', {}, 'Size'), sizeChart),
      h('div', {}, h('h3', {}, 'Entries and exits'), flowChart),
      h('div', {}, h('h3', {}, 'Conversion and net revenue'), valueChart)),
    h('details', {}, h('summary', {}, `Figures per ${m.bucket} (table)`),
      table(`${segment.name} per ${m.bucket}, ${m.from} to ${m.to}`, [
        { label: m.bucket === 'day' ? 'Day' : 'From' }, { label: 'Size', num: true }, { label: 'Entries', num: true },
        { label: 'Exits', num: true }, { label: 'Entrants', num: true }, { label: 'Converted', num: true },
        { label: 'Conversion', num: true }, { label: 'Median days to order', num: true }, { label: 'Orders', num: true },
        { label: 'Net revenue', num: true }, { label: 'Revenue / member', num: true }, { label: 'AOV', num: true },
        { label: 'Opens / member', num: true }, { label: 'Clicks / member', num: true }],
      b.map(x => [x.start, fmt.int(x.size), fmt.int(x.entries), fmt.int(x.exits), fmt.int(x.entrants),
        fmt.int(x.converted), fmt.pct(x.conversionRate), fmt.dec(x.medianDaysToFirstOrder), fmt.int(x.orders),
        fmt.money(x.netRevenue), fmt.money(x.revenuePerMember), fmt.money(x.averageOrderValue),
        fmt.dec(x.opensPerMember), fmt.dec(x.clicksPerMember)]), { 'data-testid': 'metrics' })));
  timeSeries(sizeChart, `Size of ${segment.name} at the end of each ${m.bucket}`, labels,
    [{ name: 'size', data: b.map(x => x.size), areaStyle: { opacity: 0.1 } }]);
  timeSeries(flowChart, `Entries and exits of ${segment.name} per ${m.bucket}`, labels,
    [{ name: 'entries', type: 'bar', data: b.map(x => x.entries) },
      { name: 'exits', type: 'bar', data: b.map(x => -x.exits) }]);
  timeSeries(valueChart, `Conversion rate and net revenue of ${segment.name} per ${m.bucket}`, labels,
    [{ name: 'net revenue', type: 'bar', data: b.map(x => Number(x.netRevenue)) },
      { name: 'conversion %', yAxisIndex: 1, data: b.map(x => (x.conversionRate == null ? null : +(x.conversionRate * 100).toFixed(2))) }],
    { yAxes: [{ name: 'revenue' }, { name: '%', max: 100 }] });
}

function liftSection(segment) {
  const from = h('input', { type: 'date', id: 'l-from', value: daysAgo(89) });
  const to = h('input', { type: 'date', id: 'l-to', value: daysAgo(0) });
  const days = h('input', { type: 'number', id: 'l-days', min: 1, max: 365, value: 7, style: 'width:6rem' });
  const body = h('div', { 'data-testid': 'lift' });
  const load = async () => {
    try {
      const lift = await api('insights', `/v1/segments/${segment.id}/lift?from=${from.value}&to=${to.value}`
        + `&conversionDays=${days.value}&holdoutPercent=${segment.holdoutPercent}`);
      renderLift(body, lift);
    } catch (e) {
      clear(body, errorBox(e));
    }
  };
  load();
  return h('section', { class: 'card', 'aria-labelledby': 'lift-h' },
    h('h2', { id: 'lift-h' }, `Holdout lift (${segment.holdoutPercent} % held out)`),
    h('form', { class: 'row', onsubmit: (e) => { e.preventDefault(); load(); } },
      field('Entered from', from), field('to', to), field('Converted within (days)', days),
      h('button', { type: 'submit' }, 'Show')),
    body);
}

function renderLift(body, lift) {
  const abs = lift.absoluteConversionLift;
  clear(body,
    table(null, [{ label: '' }, { label: 'Entrants', num: true }, { label: 'Converted', num: true },
      { label: 'Conversion', num: true }, { label: 'Net revenue / entrant', num: true }], [
      ['Treatment (reached)', fmt.int(lift.treatment.entrants), fmt.int(lift.treatment.converted),
        fmt.pct(lift.treatment.conversionRate), fmt.money(lift.treatment.revenuePerEntrant)],
      ['Control (held out)', fmt.int(lift.control.entrants), fmt.int(lift.control.converted),
        fmt.pct(lift.control.conversionRate), fmt.money(lift.control.revenuePerEntrant)]]),
    h('p', {}, h('strong', {}, 'Conversion lift: '), abs ? `${fmt.pp(abs.value)} (95 % interval ${fmt.pp(abs.interval?.lower)} to `
      + `${fmt.pp(abs.interval?.upper)}, p = ${fmt.dec(abs.pValue)})` : '—',
      lift.relativeConversionLift != null ? `; relative ${fmt.pct(lift.relativeConversionLift)}` : ''),
    abs && abs.interval ? intervalBar(abs.value, abs.interval.lower, abs.interval.upper) : null,
    h('p', {}, h('strong', {}, 'Revenue lift per entrant: '), lift.revenueLift ? `${fmt.money(lift.revenueLift.value)} `
      + `(95 % interval ${fmt.money(lift.revenueLift.interval?.lower)} to ${fmt.money(lift.revenueLift.interval?.upper)}, `
      + `p = ${fmt.dec(lift.revenueLift.pValue)})` : '—'),
    h('p', {}, h('strong', {}, 'Sample ratio: '), lift.sampleRatioMismatch
      ? h('span', { class: 'badge bad' }, `mismatch (p = ${fmt.dec(lift.sampleRatioPValue)})`)
      : h('span', { class: 'badge good' }, 'as expected')),
    h('p', { 'data-testid': 'verdict' }, lift.verdict));
}

/** The estimate and its interval on a scale that always shows zero. */
function intervalBar(estimate, low, high) {
  const lo = Math.min(low, 0);
  const hi = Math.max(high, 0);
  const span = hi - lo || 1;
  const at = v => `${((v - lo) / span) * 100}%`;
  return h('div', { class: 'interval', role: 'img',
    'aria-label': `estimate ${fmt.pp(estimate)}, interval ${fmt.pp(low)} to ${fmt.pp(high)}, zero marked` },
  h('div', { class: 'zero', style: `left:${at(0)}` }),
  h('div', { class: 'ci', style: `left:${at(low)};width:calc(${at(high)} - ${at(low)})` }),
  h('div', { class: 'point', style: `left:${at(estimate)}` }));
}

function definitionSection(segment, names) {
  const refs = [];
  JSON.stringify(segment.condition, (k, v) => { if (k === 'segment' && typeof v === 'string') refs.push(v); return v; });
  return h('section', { class: 'card', 'aria-labelledby': 'def-h' },
    h('h2', { id: 'def-h' }, `Definition (version ${segment.version})`),
    refs.length ? h('p', {}, 'Refers to: ', refs.map((r, i) => [i ? ', ' : '',
      h('a', { href: `#/segments/${encodeURIComponent(r)}` }, names.get(r) || r)])) : null,
    h('pre', { class: 'code', 'data-testid': 'definition' }, JSON.stringify(segment.condition, null, 2)));
}

function membersSection(segment, session) {
  const list = h('ul', { 'data-testid': 'members' });
  const explain = h('div', { class: 'explain', 'aria-live': 'polite' });
  api('segment', `/v1/segments/${segment.id}/members?limit=10`).then(page => {
    if (!page.profileIds.length) list.replaceWith(h('p', { class: 'muted' }, 'No members now.'));
    page.profileIds.forEach(pid => list.append(h('li', {},
      h('button', { type: 'button', class: 'link', onclick: () => showExplain(explain, segment, pid, session) }, pid))));
  }).catch(e => list.replaceWith(errorBox(e)));
  return h('section', { class: 'card', 'aria-labelledby': 'members-h' },
    h('h2', { id: 'members-h' }, 'Members (first 10) — choose one to see why'),
    h('div', { class: 'grid' }, list, explain));
}

async function showExplain(el, segment, profileId, session) {
  try {
    const x = await api('segment', `/v1/segments/${segment.id}/explain/${profileId}`);
    const predictions = h('div', { 'data-testid': 'predictions', 'aria-live': 'polite' });
    clear(el, h('h3', {}, `Why ${profileId} is ${x.member ? '' : 'not '}a member`),
      h('p', {}, x.nextChangeAt ? `Time alone changes this at ${fmt.instant(x.nextChangeAt)}.` : 'Only new events can change this.'),
      h('ul', { 'data-testid': 'explain' }, explainNode(x.condition)), predictions);
    if (session.can.analyse) showPredictions(predictions, profileId);
  } catch (e) {
    clear(el, errorBox(e));
  }
}

/** What the workspace's models predict for the member, or why they cannot. */
async function showPredictions(el, profileId) {
  try {
    const p = await api('insights', `/v1/profiles/${profileId}/predictions`);
    clear(el, h('h3', {}, `Predicted (models v${p.modelVersion}, as of ${p.asOf})`),
      table(null, [{ label: 'Still active' }, { label: 'Orders, next 90 days', num: true },
        { label: 'An order within 30 days' }, { label: 'Value of an order', num: true }, { label: 'Value, next year', num: true }],
      [[fmt.pct(p.pAlive), fmt.dec(p.expectedOrders90Days), fmt.pct(p.orderProbability30Days),
        fmt.money(p.expectedOrderValue), fmt.money(p.value365Days)]]));
  } catch (e) {
    clear(el, h('p', { class: 'muted' }, `No predictions: ${e.message}`));
  }
}

function explainNode(node) {
  if (!node) return null;
  const { children, result, observed, node: kind, description } = node;
  return h('li', {},
    h('span', { class: result ? 'ok' : 'no' }, result ? '✔ holds' : '✘ fails'), ' ',
    h('strong', {}, kind), description ? ` ${description}` : '',
    observed !== undefined && observed !== null ? ` — observed ${JSON.stringify(observed)}` : '',
    children && children.length ? h('ul', {}, children.map(explainNode)) : null);
}

function overlapSection(segment, all) {
  const others = all.filter(s => s.id !== segment.id);
  const boxes = others.map(s => h('label', { style: 'font-weight:400;display:block' },
    h('input', { type: 'checkbox', value: s.id }), ' ', s.name));
  const body = h('div', {});
  const compare = async () => {
    const chosen = boxes.map(b => b.querySelector('input')).filter(i => i.checked).map(i => i.value);
    if (!chosen.length) { clear(body, h('p', { class: 'error-text', role: 'alert' }, 'Choose at least one segment to compare with.')); return; }
    if (chosen.length > 19) { clear(body, h('p', { class: 'error-text', role: 'alert' }, 'At most 19 segments to compare with.')); return; }
    try {
      const ids = [segment.id, ...chosen];
      const o = await api('insights', `/v1/overlap?segments=${ids.join(',')}`);
      const label = sid => all.find(s => s.id === sid)?.name || sid;
      const chart = h('div', { class: 'chart tall' });
      clear(body, chart,
        table('Members in both (diagonal: size)', [{ label: '' }, ...o.segmentIds.map(s => ({ label: label(s), num: true }))],
          o.pairwise.map((row, i) => [label(o.segmentIds[i]), ...row.map(fmt.int)]), { 'data-testid': 'overlap' }),
        o.combinations ? table('Exact combinations (members of exactly these segments)',
          [{ label: 'Segments' }, { label: 'Profiles', num: true }],
          o.combinations.map(c => [c.segmentIds.map(label).join(' ∩ '), fmt.int(c.profiles)])) : null);
      heatmap(chart, `Pairwise overlap of ${ids.length} segments; each cell counts profiles in both`,
        o.segmentIds.map(label), o.segmentIds.map(label), o.pairwise);
    } catch (e) {
      clear(body, errorBox(e));
    }
  };
  return h('section', { class: 'card', 'aria-labelledby': 'overlap-h' },
    h('h2', { id: 'overlap-h' }, 'Overlap with other segments'),
    h('fieldset', { style: 'max-height:12rem;overflow:auto' }, h('legend', {}, 'Compare with'), boxes),
    h('p', {}, h('button', { type: 'button', onclick: compare }, 'Compare')), body);
}

function journeySection(segment, all) {
  const stages = all.filter(s => s.exclusionGroup === segment.exclusionGroup)
    .sort((a, b) => a.groupPriority - b.groupPriority);
  const from = h('input', { type: 'date', id: 'j-from', value: daysAgo(89) });
  const to = h('input', { type: 'date', id: 'j-to', value: daysAgo(0) });
  const pointInTime = h('input', { type: 'checkbox', id: 'j-pit' });
  const body = h('div', {});
  const load = async () => {
    clear(body, h('p', { class: 'muted' }, 'Loading…'));
    try {
      const ids = stages.map(s => s.id);
      let matrix;
      if (pointInTime.checked) {
        matrix = await api('segment', '/v1/segments/journey', { method: 'POST', body: {
          segments: ids, from: `${from.value}T00:00:00Z`, to: `${to.value}T23:59:59Z` } });
      } else {
        matrix = (await api('insights', `/v1/journeys?segments=${ids.join(',')}&from=${from.value}&to=${to.value}&bucket=month`)).overall;
      }
      const names = [...stages.map(s => s.name), 'none'];
      const chart = h('div', { class: 'chart tall' });
      clear(body, chart, table(`From the stage on ${from.value} (rows) to the stage on ${to.value} (columns)`,
        [{ label: 'from \\ to' }, ...names.map(n => ({ label: n, num: true }))],
        matrix.counts.map((row, i) => [names[i], ...row.map(fmt.int)]), { 'data-testid': 'journey' }));
      sankey(chart, `How profiles moved between the ${segment.exclusionGroup} stages from ${from.value} to ${to.value}`,
        names, matrix.counts);
    } catch (e) {
      clear(body, errorBox(e));
    }
  };
  load();
  return h('section', { class: 'card', 'aria-labelledby': 'journey-h' },
    h('h2', { id: 'journey-h' }, `Journey between the ${segment.exclusionGroup} stages`),
    h('form', { class: 'row', onsubmit: (e) => { e.preventDefault(); load(); } },
      field('From', from), field('To', to),
      h('div', { class: 'field' }, h('label', { for: 'j-pit' }, pointInTime, ' evaluate at those instants (imported history)')),
      h('button', { type: 'submit' }, 'Show')),
    body);
}
