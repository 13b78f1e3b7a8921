// Workers: state, the jobs on each (a non-admin sees only its own tenant's), heartbeat age, drain.

import {post, session, enc} from '../api.js';
import {fleet} from '../store.js';
import {h, replace, setText, fmtDuration, stateBadge, confirmAction, toast, fmtTime} from '../dom.js';

export function render(main) {
  const body = h('tbody', {id: 'workers-body'});
  const empty = h('p', {class: 'empty', text: 'No worker has registered yet.', hidden: true});
  replace(main, h('section', {},
    h('h1', {text: 'Workers'}),
    h('table', {class: 'workers'}, h('thead', {}, h('tr', {},
      ['Worker', 'Host', 'State', 'Jobs', 'Capacity', 'Heartbeat', 'Started', ''].map(t => h('th', {scope: 'col', text: t})))),
    body), empty));

  const rows = new Map();

  function rowFor(w) {
    let row = rows.get(w.id);
    if (!row) {
      const cells = {host: h('td'), state: h('td'), jobs: h('td', {dataset: {col: 'jobs'}}),
        capacity: h('td', {class: 'num'}), age: h('td', {class: 'num', dataset: {col: 'heartbeat'}}),
        started: h('td'), action: h('td')};
      row = {tr: h('tr', {dataset: {workerId: w.id}}, h('th', {scope: 'row', text: w.id}), Object.values(cells)), cells, key: ''};
      rows.set(w.id, row);
    }
    return row;
  }

  function paint(w) {
    const row = rowFor(w);
    row.worker = w;
    const jobs = w.jobs || [];
    const key = `${w.state}|${jobs.join(',')}`;
    setText(row.cells.host, w.host);
    setText(row.cells.capacity, w.capacity);
    setText(row.cells.started, fmtTime(w.startedAt));
    if (row.key === key) return; // keeps an opened job list open
    row.key = key;
    replace(row.cells.state, stateBadge(w.state));
    replace(row.cells.jobs, jobs.length === 0 ? '–' : h('details', {},
      h('summary', {text: `${jobs.length} job${jobs.length === 1 ? '' : 's'}`}),
      h('ul', {class: 'plain'}, jobs.map(id => h('li', {}, h('a', {href: `#/jobs/${enc(id)}`,
        text: fleet.jobs.get(id)?.name || id}))))));
    replace(row.cells.action, session.isAdmin() && w.state === 'UP'
      ? h('button', {type: 'button', class: 'quiet', text: 'Drain', on: {click: () => drain(w)}}) : null);
  }

  function draw() {
    const list = [...fleet.workers.values()].sort((a, b) => a.id.localeCompare(b.id));
    for (const id of rows.keys()) if (!fleet.workers.has(id)) rows.delete(id);
    list.forEach(paint);
    const trs = list.map(w => rows.get(w.id).tr);
    if (trs.length !== body.children.length || trs.some((tr, i) => body.children[i] !== tr)) body.replaceChildren(...trs);
    empty.hidden = list.length > 0;
    tick();
  }

  function tick() {
    const now = fleet.serverNow();
    for (const {cells, worker} of rows.values()) {
      const at = worker.lastHeartbeat;
      setText(cells.age, at ? `${fmtDuration((now - Date.parse(at)) / 1000)} ago` : 'never');
    }
  }

  async function drain(w) {
    const ok = await confirmAction({title: `Drain ${w.id}?`, confirmLabel: 'Drain', danger: true,
      message: `Its ${w.jobs.length} job(s) move to other workers without loss, and it takes no new ones.`});
    if (!ok) return;
    try {
      await post(`/api/v1/workers/${enc(w.id)}/drain`);
      toast(`Worker ${w.id} is draining.`);
    } catch (e) {
      toast(e.message, 'error');
    }
  }

  const unsubscribe = fleet.subscribe(batch => {
    if (batch.workers || batch.reload) draw();
  });
  const timer = setInterval(tick, 1000);
  draw();
  return () => {
    unsubscribe();
    clearInterval(timer);
  };
}
