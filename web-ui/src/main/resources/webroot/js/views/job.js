// One job: its definition, live figures, the last hour's lag and throughput, the initial copy, its error,
// actions (destructive ones confirmed), the verify report and the job's history.

import {get, post, del, session, enc} from '../api.js';
import {fleet} from '../store.js';
import {lineChart} from '../chart.js';
import {h, replace, stateBadge, confirmAction, toast, errorBox, fmtDuration, fmtRate} from '../dom.js';
import * as parts from './jobparts.js';

const HISTORY_REFRESH_MS = 10_000;
const VERIFY_POLL_MS = 2_000;
const SHORT_SPAN_MS = 10 * 60_000;

const ACTIONS = [
  {name: 'start', label: 'Start', allowed: j => ['CREATED', 'STOPPED', 'ERROR'].includes(j.state)},
  {name: 'pause', label: 'Pause', allowed: j => j.desiredState === 'RUNNING' && !['ERROR', 'STOPPED'].includes(j.state)},
  {name: 'resume', label: 'Resume', allowed: j => j.desiredState === 'PAUSED' || j.state === 'PAUSED'},
  {name: 'verify', label: 'Verify', allowed: j => j.state === 'RUNNING'},
  {name: 'stop', label: 'Stop', danger: true, allowed: j => j.state !== 'STOPPED',
    confirm: j => `The job stops replicating; its position is kept and Start resumes from it. Stop "${j.name}"?`},
  {name: 'delete', label: 'Delete', danger: true,
    allowed: j => j.state === 'STOPPED' || (j.state === 'CREATED' && j.desiredState === 'STOPPED'),
    confirm: j => `The job "${j.name}" and its history are removed; the destination's data stays. This cannot be undone.`},
];

export function render(main, id) {
  const view = {job: null, connections: new Map(), events: [], verify: null, history: null, lastState: null};
  let closed = false;
  let verifyTimer = null;
  const el = {
    header: h('div', {class: 'heading'}), actions: h('div', {class: 'actions', id: 'job-actions'}),
    summary: h('div'), error: h('div'), snapshot: h('div'), figures: h('div'), position: h('div'),
    definition: h('div'), charts: h('div', {class: 'charts'}), span: h('div', {class: 'span', role: 'group', 'aria-label': 'Time span'}), verify: h('div', {id: 'verify-report'}),
    events: h('div'),
  };

  replace(main, h('p', {class: 'muted', text: 'Loading…'}));

  async function load() {
    try {
      const [job, connections] = await Promise.all([get(`/api/v1/jobs/${enc(id)}`), get('/api/v1/connections')]);
      connections.forEach(c => view.connections.set(c.id, c));
      fleet.upsertJob(job);
      view.job = fleet.jobs.get(id);
    } catch (e) {
      replace(main, h('section', {}, h('h1', {text: 'Job not found'}), errorBox(e.status === 404
        ? {code: 'NOT_FOUND', message: 'There is no job with this id that you may see.'} : e),
        h('p', {}, h('a', {href: '#/', text: 'Back to all jobs'}))));
      return;
    }
    layout();
    paint();
    refreshEvents();
    refreshHistory();
    refreshVerify();
  }

  function layout() {
    if (session.canWrite()) {
      replace(el.actions, ACTIONS.map(a => h('button', {type: 'button', class: a.danger ? 'danger' : '', id: `action-${a.name}`,
        dataset: {action: a.name}, text: a.label, on: {click: () => act(a)}})));
    }
    replace(main, h('section', {class: 'job', id: 'job-page', dataset: {jobId: id}},
      h('p', {class: 'crumbs'}, h('a', {href: '#/', text: 'Jobs'}), ' / '),
      el.header, el.summary, el.error, el.actions,
      h('div', {class: 'columns'},
        h('section', {class: 'card'}, h('h2', {text: 'Now'}), el.figures),
        h('section', {class: 'card'}, h('h2', {text: 'Position'}), el.position),
        h('section', {class: 'card'}, h('h2', {text: 'Tables'}), el.definition)),
      el.snapshot,
      h('section', {class: 'card'}, h('div', {class: 'heading'}, h('h2', {text: 'Lag and throughput'}), el.span), el.charts),
      h('section', {class: 'card'}, h('h2', {text: 'Verify'}), el.verify),
      h('section', {class: 'card'}, h('h2', {text: 'History'}), el.events)));
  }

  function connectionName(cid) {
    const c = view.connections.get(cid);
    return c ? h('span', {}, h('strong', {text: c.name}), ` ${c.user}@${c.host}:${c.port}`) : h('code', {text: cid});
  }

  function paint() {
    const j = view.job;
    const stateKey = `${j.state}/${j.desiredState}`;
    if (view.lastState !== stateKey) header(j);
    replace(el.summary, h('p', {class: 'route'}, connectionName(j.source), h('span', {class: 'arrow', 'aria-label': 'to', text: ' ⟶ '}),
      connectionName(j.destination)));
    replace(el.error, parts.error(j));
    replace(el.snapshot, parts.snapshot(j));
    replace(el.figures, parts.figures(j));
    replace(el.position, parts.position(j));
    replace(el.definition, parts.definition(j));
    el.actions.querySelectorAll('button').forEach(b => {
      b.disabled = !ACTIONS.find(a => a.name === b.dataset.action).allowed(j);
    });
    if (view.lastState !== stateKey) {
      if (view.lastState !== null) refreshEvents();
      view.lastState = stateKey;
    }
  }

  function header(j) {
    replace(el.header, h('h1', {id: 'job-name', text: j.name}), stateBadge(j.state),
      j.desiredState && j.desiredState !== j.state && !(j.desiredState === 'RUNNING' && ['RUNNING', 'SNAPSHOT'].includes(j.state))
        ? h('span', {class: 'muted', id: 'job-desired', text: `→ ${j.desiredState.toLowerCase()}`}) : null,
      session.isAdmin() ? h('span', {class: 'muted', text: `tenant ${j.tenant}`}) : null);
  }

  async function act(action) {
    const j = view.job;
    if (action.confirm && !await confirmAction({title: `${action.label} job?`, message: action.confirm(j),
      confirmLabel: action.label, danger: true})) return;
    try {
      if (action.name === 'delete') {
        await del(`/api/v1/jobs/${enc(id)}`);
        fleet.forgetJob(id);
        toast(`Job ${j.name} deleted.`);
        location.hash = '#/';
        return;
      }
      if (action.name === 'verify') {
        view.verify = await post(`/api/v1/jobs/${enc(id)}/verify`);
        drawVerify();
        return;
      }
      const framesBefore = fleet.framesOf(id);
      const answer = await post(`/api/v1/jobs/${enc(id)}/${action.name}`);
      // The stream may have brought the outcome (say PAUSED) before this answer (still RUNNING): then
      // the answer is older than what is shown, and the job is read again instead.
      fleet.upsertJob(fleet.framesOf(id) === framesBefore ? answer : await get(`/api/v1/jobs/${enc(id)}`));
      toast(`${action.label}: done.`);
    } catch (e) {
      toast(`${action.label} refused: ${e.message}`, 'error');
    }
  }

  async function refreshEvents() {
    try {
      view.events = await get(`/api/v1/jobs/${enc(id)}/events?limit=50`);
      if (!closed) replace(el.events, parts.events(view.events));
    } catch {
      // shown again at the next change
    }
  }

  async function refreshHistory() {
    if (closed) return;
    if (document.visibilityState === 'visible') {
      try {
        view.history = await get(`/api/v1/jobs/${enc(id)}/history`);
        drawCharts();
      } catch {
        // keep the last charts
      }
    }
    historyTimer = setTimeout(refreshHistory, HISTORY_REFRESH_MS);
  }
  let historyTimer = null;

  function drawCharts() {
    if (closed || !view.history) return;
    const samples = view.history.samples.map(s => ({...s, t: Date.parse(s.at)}));
    const endMs = fleet.serverNow();
    // a young job is drawn over its first minutes unless the reader asked for the hour
    if (view.span === undefined) view.span = samples.length && endMs - samples[0].t > SHORT_SPAN_MS ? 'hour' : 'short';
    const windowMs = view.span === 'hour' ? view.history.windowSeconds * 1000 : SHORT_SPAN_MS;
    const common = {endMs, windowMs, gapMs: view.history.intervalSeconds * 2500};
    replace(el.span, ['short', 'hour'].map(span => h('button', {type: 'button', class: 'quiet', 'aria-pressed': String(view.span === span),
      text: span === 'hour' ? 'last hour' : 'last 10 minutes', on: {click: () => {
        view.span = span;
        drawCharts();
      }}})));
    replace(el.charts,
      h('figure', {id: 'chart-lag'}, h('figcaption', {text: 'Lag behind the source (highest per 10 s)'}),
        lineChart({...common, label: 'Lag', format: v => (v < 10 && v % 1 ? `${v.toFixed(1)} s` : fmtDuration(v)), points: samples.map(s => ({t: s.t, v: s.lagSeconds}))})),
      h('figure', {id: 'chart-rows'}, h('figcaption', {text: 'Rows applied per second'}),
        lineChart({...common, label: 'Rows per second', format: fmtRate, points: samples.map(s => ({t: s.t, v: s.rowsPerSecond}))})));
  }

  async function refreshVerify() {
    clearTimeout(verifyTimer);
    try {
      view.verify = await get(`/api/v1/jobs/${enc(id)}/verify`);
      drawVerify();
    } catch {
      // shown at the next try
    }
  }

  function drawVerify() {
    if (closed) return;
    replace(el.verify, parts.verifyReport(view.verify));
    if (view.verify && view.verify.state === 'running') verifyTimer = setTimeout(refreshVerify, VERIFY_POLL_MS);
  }

  const paintSoon = () => {
    if (view.job && !closed) paint();
  };
  const unsubscribe = fleet.subscribe(batch => {
    if (batch.reload || batch.jobs.has(id)) {
      if (!fleet.jobs.has(id) && view.job) {
        replace(main, h('section', {}, h('h1', {text: 'Job deleted'}), h('p', {}, h('a', {href: '#/', text: 'Back to all jobs'}))));
        closed = true;
        return;
      }
      paintSoon();
    }
  });
  load();
  return () => {
    closed = true;
    unsubscribe();
    clearTimeout(historyTimer);
    clearTimeout(verifyTimer);
  };
}
