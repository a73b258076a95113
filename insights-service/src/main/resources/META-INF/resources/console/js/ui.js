// Small DOM and formatting helpers shared by the pages.

/** Builds an element: h('td', {class: 'num'}, '42'). Attributes starting with "on" become listeners. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') el.addEventListener(name.slice(2), value);
    else if (name === 'dataset') Object.assign(el.dataset, value);
    else el.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

export function clear(el, ...children) {
  el.replaceChildren(...children.flat().filter(c => c !== undefined && c !== null && c !== false));
  return el;
}

const integer = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 2 });
const money = new Intl.NumberFormat('en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const percent = new Intl.NumberFormat('en-GB', { style: 'percent', maximumFractionDigits: 1 });

export const fmt = {
  int: v => (v === null || v === undefined ? '—' : integer.format(v)),
  dec: v => (v === null || v === undefined ? '—' : decimal.format(v)),
  money: v => (v === null || v === undefined ? '—' : money.format(Number(v))),
  pct: v => (v === null || v === undefined ? '—' : percent.format(v)),
  pp: v => (v === null || v === undefined ? '—' : `${v >= 0 ? '+' : ''}${decimal.format(v * 100)} pp`),
  instant: v => (v ? new Date(v).toISOString().replace('T', ' ').replace(/:\d\d(\.\d+)?Z$/, ' UTC') : '—'),
};

export function isoDay(date) {
  return date.toISOString().slice(0, 10);
}

export function daysAgo(n) {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() - n);
  return isoDay(d);
}

export function toast(message) {
  const el = document.getElementById('toast');
  el.textContent = message;
  el.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { el.hidden = true; }, 4000);
}

/** A card that shows an error instead of failing the whole page. */
export function errorBox(error) {
  return h('p', { class: 'error-text', role: 'alert' }, error.message || String(error));
}

/** A table from rows of cells; numeric columns right-aligned. */
export function table(caption, columns, rows, attrs = {}) {
  return h('div', { class: 'table-scroll' }, h('table', attrs,
    caption ? h('caption', {}, caption) : null,
    h('thead', {}, h('tr', {}, columns.map(c => h('th', { scope: 'col', class: c.num ? 'num' : null }, c.label)))),
    h('tbody', {}, rows.map(row => h('tr', {}, row.map((cell, i) =>
      h('td', { class: columns[i].num ? 'num' : null }, cell)))))));
}

/** Saves text as a file the browser downloads. */
export function download(name, text, type = 'text/csv') {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = h('a', { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
