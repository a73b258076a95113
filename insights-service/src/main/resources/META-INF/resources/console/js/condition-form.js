// The condition language as a form. Every node of the JSON tree becomes a block whose inputs carry the JSON
// pointer of what they edit (data-pointer), so the API's errors land at their field. Nodes the form has no
// block for (sequences, reorder, everyone…) stay editable as JSON in place: any condition can be opened here.
import { h } from './ui.js';

export const TRAIT_OPS = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'between', 'in', 'not_in', 'contains', 'starts_with',
  'ends_with', 'matches', 'exists', 'missing', 'older_than', 'within_last'];
export const AGGREGATES = ['count', 'sum', 'avg', 'min', 'max', 'distinct', 'first', 'last'];
const NUMBER_OPS = ['gte', 'gt', 'eq', 'ne', 'lt', 'lte', 'between'];
const TIME_OPS = ['older_than', 'within_last', 'exists', 'missing', 'gt', 'gte', 'lt', 'lte', 'between'];
const NO_VALUE = ['exists', 'missing'];
/** Suggested in the trait field: the profile's predicted traits (segment-service README, "Predicted traits"). */
export const PREDICTED_TRAITS = ['$predicted.pAlive', '$predicted.churnRisk', '$predicted.expectedOrders.P90D',
  '$predicted.orderProbability.P30D', '$predicted.expectedOrderValue', '$predicted.value.P365D',
  '$predicted.affinity.', '$predicted.topCategories'];

/** What kind of block a node gets. */
export function kindOf(node) {
  if (node && typeof node === 'object' && !Array.isArray(node)) {
    if (Array.isArray(node.all)) return 'all';
    if (Array.isArray(node.any)) return 'any';
    if ('not' in node && Object.keys(node).length === 1) return 'not';
    if (typeof node.trait === 'string' && !('event' in node)) return 'trait';
    if (typeof node.event === 'string' && !('sequence' in node)) return 'event';
    if (typeof node.segment === 'string' && Object.keys(node).length === 1) return 'segment';
  }
  return 'json';
}

/** Text typed in a value field, read as the operator expects: lists split at commas, numbers and booleans typed. */
export function parseValue(text, op) {
  if (NO_VALUE.includes(op)) return undefined;
  if (['in', 'not_in', 'between'].includes(op)) return text.split(',').map(t => scalar(t.trim())).filter(v => v !== '');
  if (['older_than', 'within_last'].includes(op)) return text.trim();
  return scalar(text.trim());
}

function scalar(text) {
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  return text;
}

export function formatValue(value) {
  if (value === undefined || value === null) return '';
  return Array.isArray(value) ? value.join(', ') : String(value);
}

export function newNode(kind, segments) {
  switch (kind) {
    case 'trait': return { trait: '', op: 'eq', value: '' };
    case 'event': return { event: 'Order Completed', within: 'P30D', op: 'gte', value: 1 };
    case 'segment': return { segment: segments[0]?.id || '' };
    case 'all': return { all: [] };
    case 'not': return { not: { trait: '', op: 'exists' } };
    default: return { everyone: true };
  }
}

/**
 * Renders the tree into container. get() reads the root, set(root) replaces it; changed() is called after every
 * edit. Re-renders itself when the shape changes (a node added, removed or its kind changed).
 */
export function conditionForm(container, { get, set, changed, segments }) {
  let uid = 0;
  const suggestions = `predicted-traits-${Math.random().toString(36).slice(2, 8)}`;
  const rerender = () => {
    container.replaceChildren(block(get(), '/condition', (n) => set(n), null),
      h('datalist', { id: suggestions }, PREDICTED_TRAITS.map(t => h('option', { value: t }))));
  };
  const edited = () => changed();
  const reshaped = () => { rerender(); changed(); };

  function input(attrs, value, onValue) {
    const id = `f${++uid}`;
    const { tag = 'input', options, ...rest } = attrs;
    const el = h(tag, { id, ...rest });
    (options || []).forEach(o => el.append(h('option', { value: o.value ?? o }, o.label ?? o)));
    el.value = value ?? '';
    el.addEventListener(tag === 'select' ? 'change' : 'input', () => onValue(el.value));
    return { id, el };
  }

  function labelled(label, control) {
    return h('div', { class: 'field' }, h('label', { for: control.id }, label), control.el);
  }

  function removeButton(remove, what) {
    return remove ? h('button', { type: 'button', 'aria-label': `Remove this ${what}`, onclick: remove }, 'Remove') : null;
  }

  function block(node, pointer, replace, remove) {
    const kind = kindOf(node);
    if (kind === 'all' || kind === 'any') return groupBlock(node, kind, pointer, replace, remove);
    if (kind === 'not') {
      return h('div', { class: 'node group', 'data-pointer': pointer, role: 'group', 'aria-label': 'Not' },
        h('div', { class: 'node-head' }, h('strong', {}, 'None of this holds:'), removeButton(remove, 'negation')),
        block(node.not, `${pointer}/not`, (n) => { node.not = n; }, null));
    }
    if (kind === 'trait') return traitBlock(node, pointer, remove);
    if (kind === 'event') return eventBlock(node, pointer, remove);
    if (kind === 'segment') {
      const control = input({ tag: 'select', 'data-pointer': `${pointer}/segment`, name: 'segment',
        options: segments.map(s => ({ value: s.id, label: s.name })) }, node.segment, v => { node.segment = v; edited(); });
      return h('div', { class: 'node', 'data-pointer': pointer, role: 'group', 'aria-label': 'In another segment' },
        h('div', { class: 'row' }, labelled('Is in segment', control), removeButton(remove, 'condition')));
    }
    const control = input({ tag: 'textarea', rows: 4, 'data-pointer': pointer, name: 'json' },
      JSON.stringify(node, null, 1), v => {
        try { replace(JSON.parse(v)); control.el.removeAttribute('aria-invalid'); edited(); } catch (e) { control.el.setAttribute('aria-invalid', 'true'); }
      });
    return h('div', { class: 'node', 'data-pointer': pointer, role: 'group', 'aria-label': 'Condition as JSON' },
      h('div', { class: 'row' }, h('div', { class: 'field', style: 'flex:1' }, h('label', { for: control.id }, 'Condition (JSON)'), control.el),
        removeButton(remove, 'condition')));
  }

  function groupBlock(node, kind, pointer, replace, remove) {
    const items = node[kind];
    const mode = input({ tag: 'select', 'data-pointer': pointer, name: 'combinator',
      options: [{ value: 'all', label: 'all of these hold' }, { value: 'any', label: 'any of these holds' }] }, kind, v => {
      const children = node[kind];
      delete node[kind];
      node[v] = children;
      reshaped();
    });
    const add = (what) => h('button', { type: 'button', onclick: () => { items.push(newNode(what, segments)); reshaped(); } }, `+ ${what}`);
    return h('div', { class: 'node group', 'data-pointer': pointer, role: 'group', 'aria-label': `Group: ${kind}` },
      h('div', { class: 'node-head' }, labelled('Match when', mode), removeButton(remove, 'group')),
      items.map((child, i) => block(child, `${pointer}/${kind}/${i}`, (n) => { items[i] = n; },
        () => { items.splice(i, 1); reshaped(); })),
      h('div', { class: 'actions', 'aria-label': 'Add a condition' },
        add('trait'), add('event'), add('segment'), add('all'), add('not'), add('json')));
  }

  function traitBlock(node, pointer, remove) {
    const name = input({ 'data-pointer': `${pointer}/trait`, name: 'trait', placeholder: 'plan or $profile.orderCount', size: 22,
      list: suggestions },
      node.trait, v => { node.trait = v; edited(); });
    const value = input({ 'data-pointer': `${pointer}/value`, name: 'value', size: 18 }, formatValue(node.value), v => {
      setValue(node, parseValue(v, node.op)); edited();
    });
    const op = input({ tag: 'select', 'data-pointer': `${pointer}/op`, name: 'op', options: TRAIT_OPS }, node.op, v => {
      node.op = v;
      setValue(node, parseValue(value.el.value, v));
      value.el.disabled = NO_VALUE.includes(v);
      edited();
    });
    value.el.disabled = NO_VALUE.includes(node.op);
    return h('div', { class: 'node', 'data-pointer': pointer, role: 'group', 'aria-label': 'Trait condition' },
      h('div', { class: 'row' }, labelled('Trait', name), labelled('is', op), labelled('Value', value), removeButton(remove, 'condition')));
  }

  function eventBlock(node, pointer, remove) {
    const event = input({ 'data-pointer': `${pointer}/event`, name: 'event', size: 18 }, node.event, v => { node.event = v; edited(); });
    const property = input({ 'data-pointer': `${pointer}/property`, name: 'property', size: 12, placeholder: 'revenue' },
      node.property, v => { if (v) node.property = v; else delete node.property; edited(); });
    const window = 'from' in node || 'to' in node
      ? [labelled('From', input({ 'data-pointer': `${pointer}/from`, name: 'from', size: 22 }, node.from, v => { node.from = v; edited(); })),
        labelled('To', input({ 'data-pointer': `${pointer}/to`, name: 'to', size: 22 }, node.to, v => { node.to = v; edited(); }))]
      : [labelled('In the last', input({ 'data-pointer': `${pointer}/within`, name: 'within', size: 7, placeholder: 'P30D' },
        node.within, v => { node.within = v; edited(); }))];
    const value = input({ 'data-pointer': `${pointer}/value`, name: 'value', size: 10 }, formatValue(node.value), v => {
      setValue(node, parseValue(v, node.op)); edited();
    });
    const opsFor = agg => (['first', 'last'].includes(agg) ? TIME_OPS : NUMBER_OPS);
    const op = input({ tag: 'select', 'data-pointer': `${pointer}/op`, name: 'op', options: opsFor(node.aggregate) }, node.op, v => {
      node.op = v; setValue(node, parseValue(value.el.value, v)); value.el.disabled = NO_VALUE.includes(v); edited();
    });
    const aggregate = input({ tag: 'select', 'data-pointer': `${pointer}/aggregate`, name: 'aggregate', options: AGGREGATES },
      node.aggregate || 'count', v => {
        if (v === 'count') delete node.aggregate; else node.aggregate = v;
        if (!opsFor(v).includes(node.op)) node.op = opsFor(v)[0];
        reshaped();
      });
    property.el.disabled = !node.aggregate || ['count', 'first', 'last'].includes(node.aggregate);
    value.el.disabled = NO_VALUE.includes(node.op);
    const where = 'where' in node ? input({ tag: 'textarea', rows: 2, 'data-pointer': `${pointer}/where`, name: 'where' },
      JSON.stringify(node.where), v => { try { node.where = JSON.parse(v); where.el.removeAttribute('aria-invalid'); edited(); } catch (e) { where.el.setAttribute('aria-invalid', 'true'); } }) : null;
    return h('div', { class: 'node', 'data-pointer': pointer, role: 'group', 'aria-label': 'Event condition' },
      h('div', { class: 'row' }, labelled('Event', event), labelled('Aggregate', aggregate), labelled('of property', property),
        window, labelled('is', op), labelled('Value', value), removeButton(remove, 'condition')),
      where ? labelled('Only events where (JSON filters)', where) : null);
  }

  rerender();
  return { rerender };
}

function setValue(node, value) {
  if (value === undefined) delete node.value; else node.value = value;
}
