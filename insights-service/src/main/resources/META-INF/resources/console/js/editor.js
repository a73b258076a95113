// The segment editor: the definition in a form (or as JSON), a live preview of its size, errors at the field
// their pointer names, and after saving, the backfill's progress on the segment's page.
import { api, ApiError } from './api.js';
import { conditionForm } from './condition-form.js';
import { clear, fmt, h } from './ui.js';

export async function editorPage(main, session, id) {
  const segments = await api('segment', '/v1/segments');
  const existing = id ? await api('segment', `/v1/segments/${id}`) : null;
  const draft = {
    name: existing?.name || '',
    description: existing?.description || '',
    holdoutPercent: existing?.holdoutPercent ?? '',
    exclusionGroup: existing?.exclusionGroup || '',
    groupPriority: existing?.groupPriority ?? '',
    condition: existing ? existing.condition : { all: [{ event: 'Order Completed', within: 'P30D', op: 'gte', value: 1 }] },
  };
  const others = segments.filter(s => s.id !== id);
  const preview = h('p', { class: 'preview', 'aria-live': 'polite', 'data-testid': 'preview' }, 'Preview: …');
  const summary = h('div', { role: 'alert', 'data-testid': 'errors' });
  const formArea = h('div', { id: 'condition-form' });
  const jsonArea = h('textarea', { id: 'condition-json', rows: 16, 'data-pointer': '/condition', hidden: true,
    'aria-label': 'Condition as JSON' });
  let mode = 'form';
  let form;

  const text = (label, key, attrs = {}) => {
    const el = h('input', { id: `s-${key}`, name: key, 'data-pointer': `/${key}`, ...attrs });
    el.value = draft[key];
    el.addEventListener('input', () => { draft[key] = el.value; });
    return h('div', { class: 'field' }, h('label', { for: el.id }, label), el);
  };

  let timer;
  let asked = 0;
  const schedulePreview = () => {
    clearTimeout(timer);
    timer = setTimeout(runPreview, 500);
  };
  async function runPreview() {
    const ask = ++asked;
    preview.textContent = 'Preview: counting…';
    try {
      const r = await api('segment', '/v1/segments/preview', { method: 'POST', body: { condition: draft.condition } });
      if (ask !== asked) return;
      clearErrors();
      clear(preview, 'Preview: ', h('strong', { 'data-testid': 'preview-size' }, fmt.int(r.size)),
        ` profiles match now (of ${fmt.int(r.evaluated)} evaluated${r.complete ? '' : ', stopped early'}).`);
    } catch (e) {
      if (ask !== asked) return;
      preview.textContent = 'Preview: the condition has errors.';
      showErrors(e);
    }
  }

  function clearErrors() {
    main.querySelectorAll('[aria-invalid]').forEach(el => el.removeAttribute('aria-invalid'));
    main.querySelectorAll('.error-text.at-field').forEach(el => el.remove());
    clear(summary);
  }

  /** Puts each error at the field its pointer names, or at the nearest enclosing node. */
  function showErrors(error) {
    clearErrors();
    const fieldErrors = error instanceof ApiError ? error.fieldErrors : [];
    if (!fieldErrors.length) {
      clear(summary, h('p', { class: 'error-text' }, error.message));
      return;
    }
    const items = fieldErrors.map((fe, i) => {
      const target = fieldFor(fe.pointer);
      const note = h('p', { class: 'error-text at-field', id: `err-${i}`, 'data-error-pointer': fe.pointer }, fe.message);
      if (target) {
        target.setAttribute('aria-invalid', 'true');
        target.setAttribute('aria-describedby', note.id);
        (target.closest('.field') || target).after(note);
      }
      return h('li', {}, h('a', { href: '#', onclick: (ev) => { ev.preventDefault(); target?.focus(); } },
        `${fe.pointer}: ${fe.message}`));
    });
    clear(summary, h('p', { class: 'error-text' }, error.message), h('ul', {}, items));
  }

  function fieldFor(pointer) {
    if (mode === 'json' && pointer.startsWith('/condition')) return jsonArea;
    for (let p = pointer; p; p = p.slice(0, p.lastIndexOf('/'))) {
      const el = main.querySelector(`[data-pointer="${CSS.escape(p)}"]`);
      if (el && !el.hidden) return el.matches('input,select,textarea') ? el : el.querySelector('input,select,textarea') || el;
    }
    return null;
  }

  const formTab = h('button', { type: 'button', role: 'tab', 'aria-selected': 'true', id: 'tab-form' }, 'Form');
  const jsonTab = h('button', { type: 'button', role: 'tab', 'aria-selected': 'false', id: 'tab-json' }, 'JSON');
  formTab.addEventListener('click', () => {
    if (mode === 'form') return;
    try {
      draft.condition = JSON.parse(jsonArea.value);
    } catch (e) {
      clear(summary, h('p', { class: 'error-text' }, `The JSON does not parse: ${e.message}`));
      return;
    }
    mode = 'form';
    jsonArea.hidden = true; formArea.hidden = false;
    formTab.setAttribute('aria-selected', 'true'); jsonTab.setAttribute('aria-selected', 'false');
    form.rerender();
    schedulePreview();
  });
  jsonTab.addEventListener('click', () => {
    mode = 'json';
    jsonArea.value = JSON.stringify(draft.condition, null, 2);
    jsonArea.hidden = false; formArea.hidden = true;
    jsonTab.setAttribute('aria-selected', 'true'); formTab.setAttribute('aria-selected', 'false');
  });
  jsonArea.addEventListener('input', () => {
    try {
      draft.condition = JSON.parse(jsonArea.value);
      jsonArea.removeAttribute('aria-invalid');
      schedulePreview();
    } catch (e) {
      jsonArea.setAttribute('aria-invalid', 'true');
    }
  });

  const save = h('button', { type: 'submit', class: 'primary', 'data-testid': 'save' }, existing ? 'Save changes' : 'Create segment');
  clear(main,
    h('p', {}, h('a', { href: existing ? `#/segments/${encodeURIComponent(id)}` : '#/segments' }, '← Back')),
    h('h1', {}, existing ? `Edit ${existing.name}` : 'New segment'),
    h('form', { novalidate: true, onsubmit: (ev) => { ev.preventDefault(); submit(); } },
      summary,
      h('div', { class: 'card' },
        h('div', { class: 'row' }, text('Name', 'name', { required: true, size: 40 }), text('Holdout %', 'holdoutPercent', { size: 5 }),
          text('Exclusion group', 'exclusionGroup', { size: 12 }), text('Priority in group', 'groupPriority', { size: 4 })),
        text('Description', 'description', { size: 80 })),
      h('div', { class: 'card' },
        h('h2', {}, 'Who is in it'),
        h('div', { class: 'tabs', role: 'tablist', 'aria-label': 'Edit the condition as' }, formTab, jsonTab),
        formArea, jsonArea, preview),
      h('div', { class: 'actions' }, save, h('span', { class: 'muted' }, 'Saving evaluates every profile (backfill); its progress shows on the segment\'s page.'))));
  form = conditionForm(formArea, {
    get: () => draft.condition, set: (c) => { draft.condition = c; }, changed: schedulePreview, segments: others,
  });
  runPreview();

  async function submit() {
    if (mode === 'json') {
      try { draft.condition = JSON.parse(jsonArea.value); } catch (e) {
        clear(summary, h('p', { class: 'error-text' }, `The JSON does not parse: ${e.message}`));
        return;
      }
    }
    const body = { name: draft.name.trim(), description: draft.description || null, condition: draft.condition };
    if (String(draft.holdoutPercent).trim() !== '') body.holdoutPercent = numberOrText(draft.holdoutPercent);
    if (draft.exclusionGroup.trim()) body.exclusionGroup = draft.exclusionGroup.trim();
    if (String(draft.groupPriority).trim() !== '') body.groupPriority = numberOrText(draft.groupPriority);
    save.disabled = true;
    try {
      const saved = existing
        ? await api('segment', `/v1/segments/${id}`, { method: 'PUT', body })
        : await api('segment', '/v1/segments', { method: 'POST', body });
      location.hash = `#/segments/${encodeURIComponent(saved.id)}`;
    } catch (e) {
      showErrors(e);
      save.disabled = false;
    }
  }
}

function numberOrText(value) {
  const text = String(value).trim();
  return /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text;
}
