// The dashboard's shell: sign-in state, navigation by URL fragment (#/jobs/<id>), the live stream.

import {session, del} from './api.js';
import {openStream} from './stream.js';
import {fleet} from './store.js';
import {replace, toast} from './dom.js';
import * as signin from './views/signin.js';
import * as overview from './views/overview.js';
import * as job from './views/job.js';
import * as workers from './views/workers.js';
import * as connections from './views/connections.js';
import * as wizard from './views/wizard.js';
import * as admin from './views/admin.js';

const routes = [
  {pattern: /^\/?$/, view: overview, nav: 'overview'},
  {pattern: /^\/jobs\/([^/]+)$/, view: job, nav: 'overview'},
  {pattern: /^\/workers$/, view: workers, nav: 'workers'},
  {pattern: /^\/connections(?:\/(new|[^/]+))?$/, view: connections, nav: 'connections'},
  {pattern: /^\/new-job$/, view: wizard, nav: 'new-job'},
  {pattern: /^\/admin(?:\/(tenants|users|tokens|audit))?$/, view: admin, nav: 'admin'},
];

const main = document.getElementById('main');
let cleanup = null;
let stopStream = null;
let lastPath = null;

function path() {
  return decodeURIComponent(location.hash.replace(/^#/, '')) || '/';
}

function render() {
  const current = path();
  if (cleanup) cleanup();
  cleanup = null;
  const who = session.get();
  chrome(who);
  if (!who) {
    cleanup = signin.render(main, {onSignedIn: signedIn});
    return;
  }
  const route = routes.find(r => r.pattern.test(current));
  document.querySelectorAll('#nav a').forEach(a => a.toggleAttribute('aria-current', a.dataset.nav === route?.nav));
  if (!route) {
    replace(main, notFound(current));
    return;
  }
  const params = current.match(route.pattern).slice(1);
  cleanup = route.view.render(main, ...params) || null;
  if (lastPath !== null && lastPath !== current) main.focus({preventScroll: true});
  lastPath = current;
}

function notFound(current) {
  const p = document.createElement('p');
  p.textContent = `Nothing here: ${current}`;
  return p;
}

/** The header for who is signed in: the links and buttons of their role only. */
function chrome(who) {
  document.getElementById('nav').hidden = !who;
  document.getElementById('who').hidden = !who;
  if (!who) return;
  document.querySelectorAll('#nav [data-role]').forEach(el => {
    el.hidden = el.dataset.role === 'admin' ? who.role !== 'admin' : !session.canWrite();
  });
  const name = who.user || who.tokenName || 'token';
  document.getElementById('identity').textContent =
    `${name} · ${who.role}${who.tenant ? ` · ${who.tenant}` : ' · all tenants'}`;
}

function signedIn() {
  startLive();
  if (path() === '/signin') location.hash = '#/';
  else render();
}

function startLive() {
  if (stopStream) stopStream();
  const live = document.getElementById('live');
  stopStream = openStream({
    onEvent: (type, data) => fleet.apply(type, data),
    onStatus: (status, reconnected) => {
      live.textContent = status === 'live' ? 'live' : status === 'connecting' ? 'connecting…' : 'reconnecting…';
      live.className = `live ${status}`;
      // events may have been missed while the stream was down: load the whole picture again
      if (status === 'live' && reconnected) fleet.load().catch(() => {});
    },
    onUnauthorized: () => signOutLocally('Your session ended; sign in again.'),
  });
  fleet.load().catch(e => toast(`Could not load the fleet: ${e.message}`, 'error'));
}

function signOutLocally(message) {
  if (stopStream) stopStream();
  stopStream = null;
  session.clear();
  fleet.clear();
  if (message) toast(message, 'error');
  render();
}

async function signOut() {
  const who = session.get();
  // only a sign-in's own session token is revoked: a pasted API token stays valid for its other users
  if (who && who.kind === 'session') {
    try {
      await del('/api/v1/sessions/current');
    } catch {
      // already expired or revoked: signing out locally is all that is left
    }
  }
  signOutLocally(null);
  location.hash = '#/';
  toast('Signed out.');
}

session.onExpired(message => signOutLocally(message));
document.getElementById('sign-out').addEventListener('click', signOut);
window.addEventListener('hashchange', render);
if (session.get()) startLive();
render();
showVersion();

/** The control plane's version (from the public /health) beside the name, so users can tell which build they use. */
async function showVersion() {
  try {
    const health = await (await fetch('/health', {cache: 'no-store'})).json();
    if (health.version) document.getElementById('version').textContent = `v${health.version}`;
  } catch {
    // no version shown while the node cannot answer; nothing else depends on it
  }
}
