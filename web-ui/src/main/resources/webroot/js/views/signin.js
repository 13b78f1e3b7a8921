// Sign in with a name and password (a 12-hour session) or with an API token.

import {api, get, session} from '../api.js';
import {h, replace, field, errorBox} from '../dom.js';

export function render(main, {onSignedIn}) {
  let mode = 'password';
  const problem = h('div', {id: 'signin-error'});
  const name = h('input', {id: 'signin-name', name: 'username', autocomplete: 'username', required: true});
  const password = h('input', {id: 'signin-password', type: 'password', autocomplete: 'current-password', required: true});
  const token = h('input', {id: 'signin-token', type: 'password', autocomplete: 'off', spellcheck: 'false',
    placeholder: 'fy_…'});
  const passwordFields = h('div', {}, field('Name', name), field('Password', password));
  const tokenFields = h('div', {hidden: true}, field('API token', token,
    'Kept in this tab only, sent to this server only; closing the tab forgets it.'));
  const submit = h('button', {type: 'submit', id: 'signin-submit', text: 'Sign in'});
  const tabs = h('div', {class: 'tabs', role: 'tablist'},
    tab('password', 'Name and password'), tab('token', 'API token'));

  function tab(value, label) {
    return h('button', {type: 'button', role: 'tab', id: `signin-tab-${value}`, 'aria-selected': String(value === mode),
      text: label, on: {click: () => choose(value)}});
  }

  function choose(value) {
    mode = value;
    passwordFields.hidden = value !== 'password';
    tokenFields.hidden = value !== 'token';
    // hidden fields must not block the form's validation
    name.required = password.required = value === 'password';
    token.required = value === 'token';
    tabs.querySelectorAll('[role=tab]').forEach(t => t.setAttribute('aria-selected', String(t.id.endsWith(value))));
    (value === 'password' ? name : token).focus();
  }

  async function signIn(event) {
    event.preventDefault();
    replace(problem);
    submit.disabled = true;
    try {
      if (mode === 'password') {
        const answer = await api('POST', '/api/v1/sessions', {name: name.value.trim(), password: password.value}, {token: ''});
        session.set({token: answer.token, kind: 'session', role: answer.role, tenant: answer.tenant, user: answer.user});
      } else {
        const value = token.value.trim();
        const who = await get('/api/v1/sessions/current', {token: value});
        session.set({token: value, ...who});
      }
      password.value = '';
      token.value = '';
      onSignedIn();
    } catch (e) {
      replace(problem, errorBox(e.status === 401
        ? {code: 'Not signed in', message: mode === 'password' ? 'The name or the password is wrong, or the account is disabled.'
          : 'The token is unknown, revoked or expired.'} : e));
    } finally {
      submit.disabled = false;
    }
  }

  replace(main, h('section', {class: 'signin card'},
    h('h1', {text: 'Sign in to Ferry'}),
    tabs,
    h('form', {id: 'signin-form', on: {submit: signIn}}, passwordFields, tokenFields, problem,
      h('div', {class: 'actions'}, submit))));
  name.focus();
}
