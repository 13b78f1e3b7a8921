// Connections: the list, a form to create or edit one (the password is write-only: never shown, left
// empty on edit to keep it), a live check that lists every problem with its remedy, and delete.

import {get, post, put, del, session, enc} from '../api.js';
import {h, replace, field, errorBox, confirmAction, toast} from '../dom.js';

const TLS = [['preferred', 'preferred (encrypt when the server can)'], ['required', 'required (certificate not checked)'],
  ['verify-ca', 'verify-ca (check the certificate against a CA)'], ['disabled', 'disabled']];

export function render(main, which) {
  if (which) {
    form(main, which === 'new' ? null : which);
    return null;
  }
  list(main);
  return null;
}

async function list(main) {
  const writer = session.canWrite();
  const body = h('tbody', {id: 'connections-body'});
  replace(main, h('section', {},
    h('div', {class: 'heading'}, h('h1', {text: 'Connections'}),
      writer ? h('a', {class: 'button', href: '#/connections/new', id: 'new-connection', text: 'New connection'}) : null),
    h('table', {class: 'connections'}, h('thead', {}, h('tr', {},
      ['Name', 'Server', 'User', 'TLS', session.isAdmin() ? 'Tenant' : null, ''].filter(t => t !== null)
        .map(t => h('th', {scope: 'col', text: t})))), body)));
  try {
    const connections = await get('/api/v1/connections');
    body.replaceChildren(...connections.map(c => h('tr', {dataset: {connectionId: c.id}},
      h('th', {scope: 'row'}, writer ? h('a', {href: `#/connections/${enc(c.id)}`, text: c.name}) : c.name),
      h('td', {text: `${c.host}:${c.port}`}), h('td', {text: c.user}), h('td', {text: c.tls}),
      session.isAdmin() ? h('td', {text: c.tenant}) : null,
      h('td', {}, writer ? h('button', {type: 'button', class: 'quiet', text: 'Delete', on: {click: () => remove(main, c)}}) : null))));
    if (!connections.length) {
      body.append(h('tr', {}, h('td', {colspan: '6', class: 'empty', text: 'No connections yet.'})));
    }
  } catch (e) {
    main.append(errorBox(e));
  }
}

async function remove(main, c) {
  if (!await confirmAction({title: `Delete connection ${c.name}?`, confirmLabel: 'Delete', danger: true,
    message: 'Jobs that use it must be deleted first. The servers themselves are not touched.'})) return;
  try {
    await del(`/api/v1/connections/${enc(c.id)}`);
    toast(`Connection ${c.name} deleted.`);
    list(main);
  } catch (e) {
    toast(e.message, 'error');
  }
}

async function form(main, id) {
  let existing = null;
  if (id) {
    try {
      existing = await get(`/api/v1/connections/${enc(id)}`);
    } catch (e) {
      replace(main, h('h1', {text: 'Connection not found'}), errorBox(e));
      return;
    }
  }
  const input = (name, attrs = {}) => h('input', {id: `conn-${name}`, name, ...attrs});
  const f = {
    name: input('name', {required: true, maxlength: '200', value: existing?.name ?? ''}),
    host: input('host', {required: true, maxlength: '255', value: existing?.host ?? '', autocomplete: 'off'}),
    port: input('port', {type: 'number', min: '1', max: '65535', required: true, value: String(existing?.port ?? 3306)}),
    user: input('user', {required: true, maxlength: '80', value: existing?.user ?? '', autocomplete: 'off'}),
    // write-only: the server never returns a password, so an edit starts empty and empty keeps it
    password: input('password', {type: 'password', autocomplete: 'new-password', required: !existing,
      placeholder: existing ? 'unchanged' : ''}),
    tls: h('select', {id: 'conn-tls', name: 'tls'}, TLS.map(([v, label]) => h('option', {value: v, text: label}))),
    ca: h('textarea', {id: 'conn-ca', name: 'ca', rows: '4', placeholder: '-----BEGIN CERTIFICATE-----'}),
  };
  f.tls.value = existing?.tls ?? 'preferred';
  f.ca.value = existing?.ca ?? '';
  const caField = field('CA certificate (PEM)', f.ca, 'Only for verify-ca: the CA that signed the server\'s certificate.');
  const showCa = () => { caField.hidden = f.tls.value !== 'verify-ca'; };
  f.tls.addEventListener('change', showCa);
  showCa();
  const problem = h('div', {id: 'conn-error'});
  const checkRole = h('select', {id: 'check-role', 'aria-label': 'Check as'},
    h('option', {value: 'source', text: 'as a source'}), h('option', {value: 'destination', text: 'as a destination'}));
  const checkResult = h('div', {id: 'check-result', 'aria-live': 'polite'});
  const checkButton = h('button', {type: 'button', id: 'check', class: 'quiet', text: 'Check', disabled: !existing,
    title: existing ? '' : 'Save first', on: {click: () => check()}});
  let savedId = existing?.id ?? null;

  function body() {
    const b = {name: f.name.value.trim(), host: f.host.value.trim(), port: Number(f.port.value), user: f.user.value,
      tls: f.tls.value};
    if (f.password.value) b.password = f.password.value;
    if (f.tls.value === 'verify-ca' && f.ca.value.trim()) b.ca = f.ca.value;
    return b;
  }

  async function save(event) {
    event.preventDefault();
    replace(problem);
    try {
      const saved = savedId ? await put(`/api/v1/connections/${enc(savedId)}`, body())
        : await post('/api/v1/connections', body());
      f.password.value = '';
      f.password.required = false;
      f.password.placeholder = 'unchanged';
      const created = !savedId;
      savedId = saved.id;
      checkButton.disabled = false;
      checkButton.title = '';
      toast(`Connection ${saved.name} saved.`);
      if (created) history.replaceState(null, '', `#/connections/${enc(saved.id)}`);
    } catch (e) {
      replace(problem, errorBox(e));
      if (e.field && f[e.field]) f[e.field].focus();
    }
  }

  async function check() {
    replace(checkResult, h('p', {class: 'muted', text: 'Checking…'}));
    checkButton.disabled = true;
    try {
      const r = await post(`/api/v1/connections/${enc(savedId)}/check?role=${checkRole.value}`);
      replace(checkResult, r.ok
        ? h('div', {class: 'callout ok', id: 'check-ok'}, h('strong', {text: 'All checks passed'}), ` as a ${r.role}.`)
        : h('div', {class: 'callout error', id: 'check-problems'}, h('strong', {text: `${r.problems.length} problem(s) as a ${r.role}`}),
          h('ul', {}, r.problems.map(p => h('li', {dataset: {code: p.code}}, h('code', {text: p.code}), ' ', p.message,
            h('p', {class: 'remedy'}, h('strong', {text: 'What to do: '}), p.remedy))))));
    } catch (e) {
      replace(checkResult, errorBox(e));
    } finally {
      checkButton.disabled = false;
    }
  }

  replace(main, h('section', {class: 'narrow'},
    h('p', {class: 'crumbs'}, h('a', {href: '#/connections', text: 'Connections'}), ' / '),
    h('h1', {text: existing ? `Edit ${existing.name}` : 'New connection'}),
    h('form', {id: 'connection-form', class: 'card', on: {submit: save}},
      field('Name', f.name),
      h('div', {class: 'row'}, field('Host', f.host), field('Port', f.port)),
      field('User', f.user),
      field('Password', f.password, existing ? 'Leave empty to keep the stored password; it is never shown.'
        : 'Stored encrypted; never shown again.'),
      field('TLS', f.tls), caField, problem,
      h('div', {class: 'actions'}, h('button', {type: 'submit', id: 'save-connection', text: 'Save'}))),
    h('section', {class: 'card'}, h('h2', {text: 'Live check'}),
      h('p', {class: 'muted', text: 'Connects from the control plane and reports everything that would stop a job.'}),
      h('div', {class: 'actions'}, checkRole, checkButton), checkResult)));
  f.name.focus();
}
