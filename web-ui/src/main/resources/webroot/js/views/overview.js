// The fleet overview: every job with its live figures, counts by state, sorting and filtering. Built to
// stay smooth with thousands of rows: each job's row is made once and only the cells whose text changed
// are touched, at most once per animation frame; rows are re-ordered only when the order can change.

import {session} from '../api.js';
import {fleet, perf} from '../store.js';
import {h, replace, setText, fmtCount, fmtRate, fmtDuration} from '../dom.js';

const STATES = ['RUNNING', 'SNAPSHOT', 'STARTING', 'PAUSED', 'ERROR', 'STOPPED', 'CREATED'];
const LIVE_RESORT_MS = 1_000;

const COLUMNS = [
  {key: 'name', label: 'Job', value: j => (j.name || j.id).toLowerCase()},
  {key: 'tenant', label: 'Tenant', value: j => j.tenant || '', adminOnly: true},
  {key: 'state', label: 'State', value: j => j.state || ''},
  {key: 'lag', label: 'Lag', value: j => j.lagSeconds, numeric: true, live: true},
  {key: 'rate', label: 'Rows/s', value: j => j.rowsPerSecond, numeric: true, live: true},
  {key: 'rows', label: 'Rows applied', value: j => j.rowsApplied, numeric: true, live: true,
    title: 'Rows applied since the job last started on its worker'},
  {key: 'worker', label: 'Worker', value: j => j.worker || ''},
  {key: 'error', label: 'Last error', value: j => (j.error && j.error.code) || ''},
];

export function render(main) {
  const admin = session.isAdmin();
  const columns = COLUMNS.filter(c => !c.adminOnly || admin);
  const state = {sort: 'name', descending: false, status: null, text: ''};
  const rows = new Map();
  let order = [];
  let lastLiveSort = 0;

  const counts = h('div', {class: 'counts', role: 'group', 'aria-label': 'Jobs by state'});
  const search = h('input', {type: 'search', id: 'job-filter', placeholder: 'Filter by name, worker, error…',
    'aria-label': 'Filter jobs', on: {input: () => {
      state.text = search.value.trim().toLowerCase();
      arrange(true);
    }}});
  const body = h('tbody', {id: 'jobs-body'});
  const header = h('tr', {}, columns.map(c => h('th', {scope: 'col', dataset: {col: c.key}, class: c.numeric ? 'num' : ''},
    h('button', {type: 'button', class: 'sort', text: c.label, title: c.title, on: {click: () => sortBy(c.key)}}))));
  const empty = h('p', {class: 'empty', hidden: true});
  const shown = h('p', {class: 'shown', id: 'jobs-shown', 'aria-live': 'polite'});

  replace(main, h('section', {class: 'overview'},
    h('div', {class: 'heading'}, h('h1', {text: 'Jobs'}),
      session.canWrite() ? h('a', {class: 'button', href: '#/new-job', text: 'New job'}) : null),
    counts,
    h('div', {class: 'toolbar'}, search, shown),
    h('table', {class: 'jobs', id: 'jobs-table'}, h('thead', {}, header), body),
    empty));

  function sortBy(key) {
    state.descending = state.sort === key ? !state.descending : COLUMNS.find(c => c.key === key).numeric;
    state.sort = key;
    arrange(true);
  }

  function rowFor(job) {
    let row = rows.get(job.id);
    if (row) return row;
    const cells = {};
    const link = h('a', {href: `#/jobs/${encodeURIComponent(job.id)}`});
    const badge = h('span', {class: 'badge'});
    const tr = h('tr', {dataset: {jobId: job.id}}, columns.map(c => {
      const td = h('td', {dataset: {col: c.key}, class: c.numeric ? 'num' : ''});
      if (c.key === 'name') td.append(link);
      if (c.key === 'state') td.append(badge);
      cells[c.key] = td;
      return td;
    }));
    row = {tr, cells, link, badge, stateClass: ''};
    rows.set(job.id, row);
    return row;
  }

  function paint(job) {
    const row = rowFor(job);
    setText(row.link, job.name || job.id);
    const stateName = job.state || 'UNKNOWN';
    if (row.stateClass !== stateName) {
      row.badge.className = `badge state-${stateName.toLowerCase()}`;
      row.badge.textContent = stateName;
      row.stateClass = stateName;
    }
    if (row.cells.tenant) setText(row.cells.tenant, job.tenant);
    setText(row.cells.lag, job.lagSeconds === null || job.lagSeconds === undefined ? '–' : fmtDuration(job.lagSeconds));
    setText(row.cells.rate, fmtRate(job.rowsPerSecond));
    setText(row.cells.rows, fmtCount(job.rowsApplied));
    setText(row.cells.worker, job.worker || '–');
    const error = job.error ? `${job.error.code}: ${job.error.message}` : '';
    setText(row.cells.error, error);
    if (row.cells.error.title !== error) row.cells.error.title = error;
    row.tr.classList.toggle('failed', !!job.error);
  }

  function matches(job) {
    if (state.status && job.state !== state.status) return false;
    if (!state.text) return true;
    const hay = `${job.name} ${job.id} ${job.worker || ''} ${job.tenant || ''} ${job.error ? job.error.code + ' ' + job.error.message : ''}`;
    return hay.toLowerCase().includes(state.text);
  }

  /** Filters and sorts; moves rows only when the order differs from what is shown. */
  function arrange(force) {
    const column = COLUMNS.find(c => c.key === state.sort);
    const list = [...fleet.jobs.values()].filter(matches);
    const sign = state.descending ? -1 : 1;
    list.sort((a, b) => {
      const x = column.value(a);
      const y = column.value(b);
      if (x === y) return (a.name || '').localeCompare(b.name || '');
      if (x === null || x === undefined) return 1;
      if (y === null || y === undefined) return -1;
      return (x < y ? -1 : 1) * sign;
    });
    const ids = list.map(j => j.id);
    if (force || ids.length !== order.length || ids.some((id, i) => id !== order[i])) {
      const fragment = document.createDocumentFragment();
      for (const id of ids) fragment.append(rows.get(id).tr);
      body.replaceChildren(fragment);
      order = ids;
    }
    header.querySelectorAll('th').forEach(th => {
      const sorted = th.dataset.col === state.sort;
      th.setAttribute('aria-sort', sorted ? (state.descending ? 'descending' : 'ascending') : 'none');
    });
    setText(shown, `${ids.length} of ${fleet.jobs.size} jobs shown`);
    empty.hidden = fleet.jobs.size > 0 || !fleet.loaded;
    replace(empty, 'No jobs yet. ', session.canWrite() ? h('a', {href: '#/new-job', text: 'Create the first one.'}) : null);
    lastLiveSort = performance.now();
  }

  function countStates() {
    const byState = new Map(STATES.map(s => [s, 0]));
    for (const job of fleet.jobs.values()) byState.set(job.state, (byState.get(job.state) || 0) + 1);
    const buttons = [h('button', {type: 'button', dataset: {state: ''}, 'aria-pressed': String(!state.status),
      on: {click: () => filterState(null)}}, h('span', {class: 'count', text: fleet.jobs.size}), ' all')];
    for (const [name, n] of byState) {
      buttons.push(h('button', {type: 'button', class: `state-${name.toLowerCase()}`, dataset: {state: name},
        'aria-pressed': String(state.status === name), on: {click: () => filterState(name)}},
        h('span', {class: 'count', text: n}), ` ${name.toLowerCase()}`));
    }
    const key = buttons.map(b => b.textContent + b.getAttribute('aria-pressed')).join('|');
    if (counts.dataset.key !== key) {
      counts.dataset.key = key;
      counts.replaceChildren(...buttons);
    }
  }

  function filterState(name) {
    state.status = state.status === name ? null : name;
    countStates();
    arrange(true);
  }

  function everything() {
    const known = new Set(fleet.jobs.keys());
    for (const id of rows.keys()) if (!known.has(id)) rows.delete(id);
    for (const job of fleet.jobs.values()) paint(job);
    countStates();
    arrange(true);
    if (fleet.loaded && perf.firstPaintMs === null) {
      perf.loadedRows = fleet.jobs.size;
      requestAnimationFrame(() => {
        perf.firstPaintMs = performance.now();
      });
    }
  }

  function changed(batch) {
    if (batch.reload) {
      everything();
      return;
    }
    if (batch.jobs.size === 0) return;
    let membership = false;
    for (const id of batch.jobs) {
      const job = fleet.jobs.get(id);
      if (!job) {
        rows.delete(id);
        membership = true;
        continue;
      }
      membership = membership || !rows.has(id);
      paint(job);
    }
    countStates();
    const column = COLUMNS.find(c => c.key === state.sort);
    const due = column.live && performance.now() - lastLiveSort >= LIVE_RESORT_MS;
    if (membership || due || state.status || state.sort === 'state' || state.sort === 'error' || state.sort === 'worker') {
      arrange(false);
    }
  }

  const unsubscribe = fleet.subscribe(changed);
  everything();
  search.focus({preventScroll: true});
  return unsubscribe;
}
