// The job wizard: source and destination, the source's databases and tables to include or exclude, the
// rename map, how to start and what to do with DDL, a review, then create.

import {get, post, enc} from '../api.js';
import {fleet} from '../store.js';
import {h, replace, field, errorBox, fmtCount, toast} from '../dom.js';
import {selection} from './tables.js';
import {startText} from './jobparts.js';

const STEPS = ['Connections', 'Tables', 'Rename', 'Start', 'Review'];

export function render(main) {
  const state = {step: 0, connections: [], schemas: null, schemasOf: null, picked: selection()};
  const el = {steps: h('ol', {class: 'steps'}), body: h('div', {class: 'card', id: 'wizard-step'}), problem: h('div'),
    back: h('button', {type: 'button', class: 'quiet', id: 'wizard-back', text: 'Back', on: {click: () => go(-1)}}),
    next: h('button', {type: 'button', id: 'wizard-next', text: 'Next', on: {click: () => go(1)}})};
  const f = {
    name: h('input', {id: 'job-name-input', maxlength: '200', required: true}),
    source: h('select', {id: 'job-source'}),
    destination: h('select', {id: 'job-destination'}),
    start: h('select', {id: 'job-start'}, [['snapshot', 'copy the tables first, then follow changes (snapshot)'],
      ['current', 'only changes from now on (current)'], ['position', 'from a binlog file and position'],
      ['gtid', 'from a GTID set']].map(([v, t]) => h('option', {value: v, text: t}))),
    file: h('input', {id: 'job-start-file', placeholder: 'mysql-bin.000003'}),
    position: h('input', {id: 'job-start-position', type: 'number', min: '4', placeholder: '4'}),
    gtid: h('input', {id: 'job-start-gtid', placeholder: '0-1-100'}),
    ddl: h('select', {id: 'job-ddl'}, [['exec', 'run it on the destination (exec)'], ['ignore', 'ignore it'],
      ['stop', 'pause the job before it (stop)']].map(([v, t]) => h('option', {value: v, text: t}))),
    keyless: h('select', {id: 'job-keyless'}, [['refuse', 'leave them out of the copy: the job stops and names them (refuse)'],
      ['copy', 'copy each whole, in one consistent read and one destination transaction (copy)']]
      .map(([v, t]) => h('option', {value: v, text: t}))),
    overwrite: h('input', {type: 'checkbox', id: 'job-overwrite'}),
    autoStart: h('input', {type: 'checkbox', id: 'job-autostart', checked: true}),
    renames: new Map(),
  };

  replace(main, h('section', {class: 'narrow wizard'}, h('h1', {text: 'New job'}), el.steps, el.body, el.problem,
    h('div', {class: 'actions'}, el.back, el.next)));

  async function start() {
    try {
      state.connections = await get('/api/v1/connections');
    } catch (e) {
      replace(el.problem, errorBox(e));
      return;
    }
    const options = () => [h('option', {value: '', text: 'choose…'}),
      ...state.connections.map(c => h('option', {value: c.id, text: `${c.name} (${c.user}@${c.host}:${c.port})`}))];
    f.source.replaceChildren(...options());
    f.destination.replaceChildren(...options());
    show();
  }

  function show() {
    el.steps.replaceChildren(...STEPS.map((s, i) => h('li', {class: i === state.step ? 'current' : i < state.step ? 'done' : '',
      'aria-current': i === state.step ? 'step' : null, text: s})));
    replace(el.problem);
    el.back.disabled = state.step === 0;
    el.next.textContent = state.step === STEPS.length - 1 ? 'Create job' : 'Next';
    el.next.id = state.step === STEPS.length - 1 ? 'wizard-create' : 'wizard-next';
    [connectionsStep, tablesStep, renameStep, startStep, reviewStep][state.step]();
    const first = el.body.querySelector('input, select, button, textarea');
    if (first) first.focus();
  }

  function connectionsStep() {
    replace(el.body, h('h2', {text: 'Where from, where to'}), field('Job name', f.name),
      field('Source', f.source, 'The server whose binary log is read.'),
      field('Destination', f.destination, 'The server the rows are written to.'),
      state.connections.length ? null : h('p', {}, 'No connections yet: ', h('a', {href: '#/connections/new', text: 'create one'}), '.'));
  }

  async function tablesStep() {
    replace(el.body, h('h2', {text: 'Tables'}), h('p', {class: 'muted', text: 'Reading the source\'s databases…'}));
    if (state.schemasOf !== f.source.value) {
      try {
        state.schemas = await get(`/api/v1/connections/${enc(f.source.value)}/schemas`);
        state.schemasOf = f.source.value;
        state.picked = selection();
      } catch (e) {
        replace(el.body, h('h2', {text: 'Tables'}), errorBox(e));
        return;
      }
    }
    if (!state.schemas.ok) {
      replace(el.body, h('h2', {text: 'Tables'}), h('div', {class: 'callout error'}, h('strong', {text: 'The source cannot be read'}),
        h('ul', {}, state.schemas.problems.map(p => h('li', {}, h('code', {text: p.code}), ' ', p.message,
          h('p', {class: 'remedy', text: p.remedy}))))));
      return;
    }
    replace(el.body, h('h2', {text: 'Tables'}),
      h('p', {class: 'muted', text: 'Tick a database to take all its tables (also those created later), then untick the ones to leave out; or tick single tables.'}),
      state.schemas.truncated ? h('p', {class: 'callout', text: 'The source has more than 10,000 tables; only the first are listed.'}) : null,
      state.picked.tree(state.schemas.databases));
  }

  function renameStep() {
    const dbs = state.picked.databases();
    replace(el.body, h('h2', {text: 'Destination databases'}),
      h('p', {class: 'muted', text: 'Each source database is written to the destination database named here.'}),
      dbs.map(db => {
        if (!f.renames.has(db)) f.renames.set(db, h('input', {id: `rename-${db}`, value: db, dataset: {db}}));
        return field(db, f.renames.get(db));
      }));
  }

  function startStep() {
    const position = h('div', {class: 'row'}, field('Binlog file', f.file), field('Position', f.position));
    const gtid = field('GTID set', f.gtid);
    const keyless = state.picked.keyless(state.schemas.databases);
    const snapshot = h('div', {id: 'snapshot-options'},
      keyless.length ? h('div', {class: 'callout', id: 'keyless-warning'},
        h('p', {}, `Without a primary key or a unique key of NOT NULL columns: ${keyless.join(', ')}. `
          + 'The initial copy cannot take such a table in key ranges.'),
        field('Tables without a key', f.keyless, 'A whole copy holds the source\'s snapshot open while the table is written: '
          + 'keep such tables small.')) : null,
      h('label', {class: 'check'}, f.overwrite, ' Empty destination tables that already hold rows (otherwise the job stops naming them)'));
    const sync = () => {
      position.hidden = f.start.value !== 'position';
      gtid.hidden = f.start.value !== 'gtid';
      snapshot.hidden = f.start.value !== 'snapshot';
    };
    f.start.onchange = sync;
    sync();
    replace(el.body, h('h2', {text: 'Start and DDL'}), field('Start', f.start), position, gtid, snapshot,
      field('When the source changes a table\'s definition (DDL)', f.ddl),
      h('label', {class: 'check'}, f.autoStart, ' Start the job as soon as it is created'));
  }

  /** 'snapshot', or {snapshot: {...}} with the options chosen. */
  function snapshotStart() {
    const options = {};
    if (f.keyless.value === 'copy' && state.picked.keyless(state.schemas.databases).length) options.keyless = 'copy';
    if (f.overwrite.checked) options.overwrite = true;
    return Object.keys(options).length ? {snapshot: options} : 'snapshot';
  }

  function spec() {
    const {include, exclude} = state.picked.rules();
    const databaseMap = {};
    for (const db of state.picked.databases()) {
      const to = f.renames.get(db)?.value.trim();
      if (to && to !== db) databaseMap[db] = to;
    }
    const start = f.start.value === 'position' ? {file: f.file.value.trim(), position: Number(f.position.value)}
      : f.start.value === 'gtid' ? {gtid: f.gtid.value.trim()} : f.start.value === 'snapshot' ? snapshotStart() : f.start.value;
    return {name: f.name.value.trim(), source: f.source.value, destination: f.destination.value,
      tables: {include, exclude}, databaseMap, start, ddl: f.ddl.value, autoStart: f.autoStart.checked};
  }

  function reviewStep() {
    const s = spec();
    const name = id => state.connections.find(c => c.id === id)?.name || id;
    replace(el.body, h('h2', {text: 'Review'}), h('dl', {class: 'facts', id: 'wizard-review'},
      h('dt', {text: 'Name'}), h('dd', {text: s.name}),
      h('dt', {text: 'From → to'}), h('dd', {text: `${name(s.source)} → ${name(s.destination)}`}),
      h('dt', {text: 'Include'}), h('dd', {}, s.tables.include.map(t => h('code', {text: t})), ' '),
      h('dt', {text: 'Exclude'}), h('dd', {}, s.tables.exclude.length ? s.tables.exclude.map(t => h('code', {text: t})) : '–'),
      h('dt', {text: 'Rename'}), h('dd', {text: Object.entries(s.databaseMap).map(([a, b]) => `${a} → ${b}`).join(', ') || 'none'}),
      h('dt', {text: 'Start'}), h('dd', {text: startText(s.start)}),
      h('dt', {text: 'DDL'}), h('dd', {text: s.ddl}),
      h('dt', {text: 'Starts now'}), h('dd', {text: s.autoStart ? 'yes' : 'no'}),
      h('dt', {text: 'Tables now'}), h('dd', {text: fmtCount(state.picked.count(state.schemas.databases))})));
  }

  function problem(message) {
    replace(el.problem, errorBox({code: 'Not yet', message}));
    return false;
  }

  function valid() {
    if (state.step === 0) {
      if (!f.name.value.trim()) return problem('Give the job a name.');
      if (!f.source.value || !f.destination.value) return problem('Choose a source and a destination.');
    }
    if (state.step === 1 && !state.picked.rules().include.length) return problem('Choose at least one table or database.');
    if (state.step === 1 && !state.schemas?.ok) return problem('The source\'s tables could not be read.');
    return true;
  }

  async function go(delta) {
    if (delta > 0 && !valid()) return;
    if (delta > 0 && state.step === STEPS.length - 1) {
      create();
      return;
    }
    state.step = Math.max(0, Math.min(STEPS.length - 1, state.step + delta));
    show();
  }

  async function create() {
    el.next.disabled = true;
    try {
      const job = await post('/api/v1/jobs', spec());
      fleet.upsertJob(job);
      toast(`Job ${job.name} created.`);
      location.hash = `#/jobs/${enc(job.id)}`;
    } catch (e) {
      replace(el.problem, errorBox(e));
    } finally {
      el.next.disabled = false;
    }
  }

  start();
  return null;
}
