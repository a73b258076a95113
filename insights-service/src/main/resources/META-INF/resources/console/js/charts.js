// Apache ECharts (served by insights-service from its WebJar) with its accessibility module on: every chart's
// container gets an aria-label describing the data, and callers put the same figures in a table beside it.
const charts = new Set();
window.addEventListener('resize', () => charts.forEach(c => c.resize()));

export function disposeAll() {
  charts.forEach(c => c.dispose());
  charts.clear();
}

function mount(el, label, option) {
  el.setAttribute('role', 'img');
  el.setAttribute('aria-label', label);
  const chart = echarts.init(el, null, { renderer: 'svg' });
  chart.setOption({ aria: { enabled: true, label: { description: label } }, animation: false, ...option });
  charts.add(chart);
  return chart;
}

const palette = ['#c2410c', '#1d4ed8', '#15803d', '#7c3aed', '#b45309', '#0f766e', '#be185d'];

export function sparkline(el, label, values) {
  return mount(el, label, {
    color: palette,
    grid: { left: 2, right: 2, top: 4, bottom: 4 },
    xAxis: { type: 'category', show: false, data: values.map((_, i) => i) },
    yAxis: { type: 'value', show: false, scale: true },
    series: [{ type: 'line', data: values, showSymbol: false, lineStyle: { width: 1.6 }, areaStyle: { opacity: 0.12 } }],
  });
}

/** series: [{name, data, type?: 'line'|'bar', yAxisIndex?}] over categories. */
export function timeSeries(el, label, categories, series, { yAxes = [{}] } = {}) {
  return mount(el, label, {
    color: palette,
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 56, right: yAxes.length > 1 ? 56 : 16, top: 32, bottom: 28 },
    xAxis: { type: 'category', data: categories },
    yAxis: yAxes.map(y => ({ type: 'value', ...y })),
    series: series.map(s => ({ type: 'line', showSymbol: categories.length < 40, ...s })),
  });
}

/** A square matrix of counts: rows and columns labelled. */
export function heatmap(el, label, rowLabels, columnLabels, matrix) {
  const data = [];
  let max = 0;
  matrix.forEach((row, i) => row.forEach((v, j) => { data.push([j, i, v]); max = Math.max(max, v); }));
  return mount(el, label, {
    tooltip: { position: 'top' },
    grid: { left: 140, right: 16, top: 10, bottom: 70 },
    xAxis: { type: 'category', data: columnLabels, axisLabel: { rotate: 25, width: 110, overflow: 'truncate' } },
    yAxis: { type: 'category', data: rowLabels, inverse: true, axisLabel: { width: 130, overflow: 'truncate' } },
    visualMap: { min: 0, max: Math.max(max, 1), show: false, inRange: { color: ['#fff7ed', '#c2410c'] } },
    series: [{ type: 'heatmap', data, label: { show: true } }],
  });
}

/** Flows from stages at the start to stages at the end of a period. */
export function sankey(el, label, stages, matrix) {
  const links = [];
  matrix.forEach((row, i) => row.forEach((v, j) => {
    if (v > 0) links.push({ source: `${stages[i]} (from)`, target: `${stages[j]} (to)`, value: v });
  }));
  // Only stages someone was in: empty nodes would pile up as unlabelled slivers.
  const nodes = [...new Set(links.flatMap(l => [l.source, l.target]))].map(name => ({ name }));
  return mount(el, label, {
    color: palette,
    tooltip: { trigger: 'item' },
    series: [{ type: 'sankey', data: nodes, links, left: 8, right: 140, nodeGap: 10, emphasis: { focus: 'adjacency' },
      label: { fontSize: 11 } }],
  });
}
