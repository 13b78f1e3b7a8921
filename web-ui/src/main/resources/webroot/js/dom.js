// Small DOM helpers. Every value from the API reaches the page as text (textContent, attributes),
// never as markup, so nothing a server or a user stored can run as script.

/** Creates an element: h('a', {href: '#/', class: 'x', on: {click: f}}, 'text', child, [more]). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'on') {
      for (const [event, handler] of Object.entries(value)) el.addEventListener(event, handler);
    } else if (key === 'class') {
      el.className = value;
    } else if (key === 'dataset') {
      Object.assign(el.dataset, value);
    } else if (key === 'text') {
      el.textContent = value;
    } else if (key in el && typeof value !== 'string') {
      el[key] = value; // properties such as checked, disabled, value
    } else {
      el.setAttribute(key, value === true ? '' : String(value));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : String(child));
  }
}

/** Replaces an element's children. */
export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** Sets text only when it changed (cheap for cells updated many times a second). */
export function setText(el, text) {
  const value = text === null || text === undefined ? '' : String(text);
  if (el.textContent !== value) el.textContent = value;
}

const numbers = new Intl.NumberFormat(undefined, {maximumFractionDigits: 0});
const decimals = new Intl.NumberFormat(undefined, {maximumFractionDigits: 1});

export function fmtCount(n) {
  return n === null || n === undefined ? '–' : numbers.format(n);
}

export function fmtRate(n) {
  if (n === null || n === undefined || Number.isNaN(n)) return '–';
  return n >= 100 ? numbers.format(n) : decimals.format(n);
}

/** Seconds as "0 s", "42 s", "3 m 05 s", "2 h 10 m". */
export function fmtDuration(seconds) {
  if (seconds === null || seconds === undefined || Number.isNaN(seconds)) return '–';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} m ${String(s % 60).padStart(2, '0')} s`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ${String(Math.floor(s % 3600 / 60)).padStart(2, '0')} m`;
  return `${Math.floor(s / 86400)} d ${Math.floor(s % 86400 / 3600)} h`;
}

export function fmtTime(iso) {
  if (!iso) return '–';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(undefined, {hour12: false});
}

/** A state badge; the class carries the colour, the text the meaning. */
export function stateBadge(state) {
  return h('span', {class: `badge state-${String(state || 'unknown').toLowerCase()}`, text: state || 'UNKNOWN'});
}

/** Shows a short message at the corner for a few seconds. */
export function toast(message, kind = 'info') {
  const box = document.getElementById('toasts');
  const item = h('div', {class: `toast ${kind}`, text: message});
  box.append(item);
  setTimeout(() => item.remove(), kind === 'error' ? 8000 : 4000);
}

/** Asks before a destructive action; resolves true when confirmed. Esc or Cancel resolve false. */
export function confirmAction({title, message, confirmLabel = 'OK', danger = false}) {
  const dialog = document.getElementById('confirm');
  const ok = document.getElementById('confirm-ok');
  const cancel = document.getElementById('confirm-cancel');
  document.getElementById('confirm-title').textContent = title;
  document.getElementById('confirm-message').textContent = message;
  ok.textContent = confirmLabel;
  ok.className = danger ? 'danger' : '';
  return new Promise(resolve => {
    const done = answer => {
      ok.removeEventListener('click', yes);
      cancel.removeEventListener('click', no);
      dialog.removeEventListener('cancel', no);
      if (dialog.open) dialog.close();
      resolve(answer);
    };
    const yes = () => done(true);
    const no = () => done(false);
    ok.addEventListener('click', yes);
    cancel.addEventListener('click', no);
    dialog.addEventListener('cancel', no);
    dialog.showModal();
    cancel.focus();
  });
}

/** A labelled form field: h('label') around a caption and the control, with an optional hint. */
export function field(caption, control, hint) {
  return h('label', {class: 'field'}, h('span', {class: 'caption', text: caption}), control,
    hint ? h('span', {class: 'hint', text: hint}) : null);
}

/** An error box for an API error: message, and the field it names when there is one. */
export function errorBox(error) {
  if (!error) return null;
  return h('div', {class: 'callout error', role: 'alert'},
    h('strong', {text: error.code || 'Error'}), ' ', error.message || String(error),
    error.remedy ? h('p', {class: 'remedy'}, h('strong', {text: 'What to do: '}), error.remedy) : null);
}

/** Debounces a function to at most one call per animation frame. */
export function perFrame(fn) {
  let scheduled = false;
  return () => {
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(() => {
      scheduled = false;
      fn();
    });
  };
}
