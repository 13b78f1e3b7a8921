// Administration (admin role): tenants, people, API tokens (a new token is shown once) and the audit trail.

import {get, post, del, session, enc} from '../api.js';
import {h, replace, field, errorBox, confirmAction, toast, fmtTime} from '../dom.js';

const TABS = [['users', 'People'], ['tokens', 'API tokens'], ['tenants', 'Tenants'], ['audit', 'Audit trail']];
const ROLES = ['viewer', 'operator', 'admin'];

export function render(main, tab = 'users') {
  if (!session.isAdmin()) {
    replace(main, h('h1', {text: 'Administration'}), h('p', {text: 'Only an admin may see this page.'}));
    return null;
  }
  const body = h('div', {id: `admin-${tab}`});
  replace(main, h('section', {},
    h('h1', {text: 'Administration'}),
    h('nav', {class: 'tabs', 'aria-label': 'Administration'}, TABS.map(([key, label]) => h('a', {href: `#/admin/${key}`,
      'aria-current': key === tab ? 'page' : null, text: label}))),
    body));
  ({users, tokens, tenants, audit})[tab](body);
  return null;
}

function roleAndTenant(tenants) {
  const role = h('select', {name: 'role'}, ROLES.map(r => h('option', {value: r, text: r})));
  const tenant = h('select', {name: 'tenant'}, tenants.map(t => h('option', {value: t.id, text: t.name})));
  const tenantField = field('Tenant', tenant, 'Operators and viewers belong to one tenant; an admin spans all.');
  role.addEventListener('change', () => { tenantField.hidden = role.value === 'admin'; });
  return {role, tenant, tenantField, value: () => role.value === 'admin' ? {role: role.value} : {role: role.value, tenant: tenant.value}};
}

function table(headings, rows) {
  return h('table', {}, h('thead', {}, h('tr', {}, headings.map(t => h('th', {scope: 'col', text: t})))), h('tbody', {}, rows));
}

async function users(body) {
  const [list, tenantList] = await Promise.all([get('/api/v1/users'), get('/api/v1/tenants')]);
  const name = h('input', {name: 'name', id: 'user-name', required: true, autocomplete: 'off'});
  const password = h('input', {name: 'password', id: 'user-password', type: 'password', required: true, minlength: '8',
    autocomplete: 'new-password'});
  const scope = roleAndTenant(tenantList);
  scope.role.id = 'user-role';
  scope.tenant.id = 'user-tenant';
  const problem = h('div');
  async function create(event) {
    event.preventDefault();
    try {
      await post('/api/v1/users', {name: name.value.trim(), password: password.value, ...scope.value()});
      toast(`${name.value.trim()} may now sign in.`);
      users(body);
    } catch (e) {
      replace(problem, errorBox(e));
    }
  }
  replace(body, table(['Name', 'Role', 'Tenant', 'Created', 'State', ''], list.map(u => h('tr', {dataset: {userId: u.id}},
    h('th', {scope: 'row', text: u.name}), h('td', {text: u.role}), h('td', {text: u.tenant || 'all'}),
    h('td', {text: fmtTime(u.createdAt)}), h('td', {text: u.disabledAt ? 'disabled' : 'active'}),
    h('td', {}, u.disabledAt ? null : h('button', {type: 'button', class: 'quiet', text: 'Disable', on: {click: async () => {
      if (!await confirmAction({title: `Disable ${u.name}?`, message: 'They can no longer sign in, and their sessions end now.',
        confirmLabel: 'Disable', danger: true})) return;
      await del(`/api/v1/users/${enc(u.id)}`).then(() => users(body), e => toast(e.message, 'error'));
    }}}))))),
  h('form', {class: 'card', id: 'user-form', on: {submit: create}}, h('h2', {text: 'Add a person'}),
    h('div', {class: 'row'}, field('Name', name), field('Password', password, 'At least 8 characters.')),
    h('div', {class: 'row'}, field('Role', scope.role), scope.tenantField), problem,
    h('div', {class: 'actions'}, h('button', {type: 'submit', text: 'Add'}))));
}

async function tokens(body) {
  const [list, tenantList] = await Promise.all([get('/api/v1/tokens'), get('/api/v1/tenants')]);
  const name = h('input', {name: 'name', id: 'token-name', required: true, autocomplete: 'off'});
  const days = h('input', {name: 'days', id: 'token-days', type: 'number', min: '1', placeholder: 'never'});
  const scope = roleAndTenant(tenantList);
  const shown = h('div', {id: 'token-shown', 'aria-live': 'polite'});
  const problem = h('div');
  async function create(event) {
    event.preventDefault();
    try {
      const b = {name: name.value.trim(), ...scope.value()};
      if (days.value) b.expiresInSeconds = Number(days.value) * 86400;
      const t = await post('/api/v1/tokens', b);
      await tokens(body);
      const value = h('input', {readonly: true, id: 'token-value', value: t.token, class: 'mono', 'aria-label': 'The new token'});
      replace(body.querySelector('#token-shown'), h('div', {class: 'callout ok'},
        h('strong', {text: `Token ${t.name} (${t.role}) — copy it now: it is shown only this once.`}), value,
        h('button', {type: 'button', class: 'quiet', text: 'Copy', on: {click: () => {
          value.select();
          navigator.clipboard?.writeText(t.token).then(() => toast('Copied.'), () => {});
        }}})));
      value.select();
    } catch (e) {
      replace(problem, errorBox(e));
    }
  }
  replace(body, shown, table(['Name', 'Kind', 'Role', 'Tenant', 'Prefix', 'Created', 'Expires', 'State', ''], list.map(t =>
    h('tr', {dataset: {tokenId: t.id}}, h('th', {scope: 'row', text: t.name}),
      h('td', {text: t.kind === 'session' ? `sign-in of ${t.user}` : 'API token'}), h('td', {text: t.role}),
      h('td', {text: t.tenant || 'all'}), h('td', {}, h('code', {text: t.prefix})), h('td', {text: fmtTime(t.createdAt)}),
      h('td', {text: t.expiresAt ? fmtTime(t.expiresAt) : 'never'}), h('td', {text: t.revokedAt ? 'revoked' : 'active'}),
      h('td', {}, t.revokedAt ? null : h('button', {type: 'button', class: 'quiet', text: 'Revoke', on: {click: async () => {
        if (!await confirmAction({title: `Revoke ${t.name}?`, message: 'Every client using it is refused from now on.',
          confirmLabel: 'Revoke', danger: true})) return;
        await del(`/api/v1/tokens/${enc(t.id)}`).then(() => tokens(body), e => toast(e.message, 'error'));
      }}}))))),
  h('form', {class: 'card', id: 'token-form', on: {submit: create}}, h('h2', {text: 'New API token'}),
    h('div', {class: 'row'}, field('Name', name), field('Expires after (days)', days)),
    h('div', {class: 'row'}, field('Role', scope.role), scope.tenantField), problem,
    h('div', {class: 'actions'}, h('button', {type: 'submit', text: 'Create token'}))));
}

async function tenants(body) {
  const list = await get('/api/v1/tenants');
  const name = h('input', {name: 'name', id: 'tenant-name', required: true, pattern: '[a-z0-9][a-z0-9\\-]*',
    autocomplete: 'off'});
  const problem = h('div');
  async function create(event) {
    event.preventDefault();
    try {
      await post('/api/v1/tenants', {name: name.value.trim()});
      tenants(body);
    } catch (e) {
      replace(problem, errorBox(e));
    }
  }
  replace(body, table(['Tenant', 'Created'], list.map(t => h('tr', {}, h('th', {scope: 'row', text: t.name}),
    h('td', {text: fmtTime(t.createdAt)})))),
  h('form', {class: 'card', on: {submit: create}}, h('h2', {text: 'New tenant'}),
    field('Name', name, 'Lower-case letters, digits and dashes.'), problem,
    h('div', {class: 'actions'}, h('button', {type: 'submit', text: 'Create tenant'}))));
}

async function audit(body, before = null, rows = []) {
  const page = await get(`/api/v1/audit?limit=100${before ? `&before=${before}` : ''}`);
  rows.push(...page);
  const more = page.length === 100
    ? h('button', {type: 'button', class: 'quiet', text: 'Older entries', on: {click: () => audit(body, rows[rows.length - 1].id, rows)}})
    : null;
  replace(body, table(['When', 'Who', 'Action', 'Object', 'Tenant', 'From', 'Detail'], rows.map(a => h('tr', {},
    h('td', {}, h('time', {datetime: a.at, text: fmtTime(a.at)})), h('td', {text: `${a.actor} (${a.actorKind})`}),
    h('td', {}, h('code', {text: a.action})), h('td', {text: a.objectId ? `${a.objectType} ${a.objectId}` : '–'}),
    h('td', {text: a.tenant || '–'}), h('td', {text: a.remoteAddr || '–'}),
    h('td', {class: 'detail'}, a.detail ? h('code', {text: JSON.stringify(a.detail)}) : '–')))), more);
}
