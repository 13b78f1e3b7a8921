// Pieces of the job page that only draw what they are given.

import {h, fmtCount, fmtRate, fmtDuration, fmtTime, stateBadge} from '../dom.js';

/** A definition list from [label, value] pairs; null values show as a dash. */
export function facts(pairs, id) {
  return h('dl', {class: 'facts', id}, pairs.map(([label, value]) => [h('dt', {text: label}),
    h('dd', {dataset: {fact: label}}, value === null || value === undefined || value === '' ? '–' : value)]));
}

/** The initial copy's options as the API fills them in when not given (see the OpenAPI's Start). */
const SNAPSHOT_DEFAULTS = {overwrite: false, chunkRows: 10000, parallel: 4, bufferMb: 256, keyless: 'refuse'};

/**
 * How a job starts, in words: "snapshot", "snapshot (keyless copy, parallel 8)" (only the options that
 * differ from the defaults), "mysql-bin.000003 : 4", "GTID 0-1-100".
 */
export function startText(start) {
  if (!start || typeof start === 'string') return start || 'snapshot';
  if (start.gtid) return `GTID ${start.gtid}`;
  if (start.file) return `${start.file} : ${start.position}`;
  if (start.snapshot) {
    const options = Object.entries(start.snapshot).filter(([k, v]) => SNAPSHOT_DEFAULTS[k] !== v)
      .map(([k, v]) => (v === true ? k : `${k} ${v}`));
    return options.length ? `snapshot (${options.join(', ')})` : 'snapshot';
  }
  return JSON.stringify(start);
}

/** What the job copies: table rules, rename map, start and DDL policy. */
export function definition(job) {
  const tables = job.tables || {};
  const map = Object.entries(job.databaseMap || {});
  return facts([
    ['Include', list(tables.include)],
    ['Exclude', list(tables.exclude)],
    ['Rename', map.length ? h('ul', {class: 'plain'}, map.map(([from, to]) => h('li', {}, h('code', {text: from}), ' → ',
      h('code', {text: to})))) : 'databases keep their names'],
    ['Start', startText(job.start)],
    ['DDL', job.ddl],
  ], 'job-definition');
}

function list(items) {
  return items && items.length ? h('ul', {class: 'plain'}, items.map(t => h('li', {}, h('code', {text: t})))) : null;
}

export function position(job) {
  const p = job.position;
  return facts([['Binlog file', p && p.file], ['Offset', p && fmtCount(p.position)], ['GTID set', p && p.gtid ? h('code', {text: p.gtid}) : null]],
    'job-position');
}

export function figures(job) {
  return facts([
    ['Lag', job.lagSeconds === null || job.lagSeconds === undefined ? null : fmtDuration(job.lagSeconds)],
    ['Rows applied', fmtCount(job.rowsApplied)],
    ['Rows/s', fmtRate(job.rowsPerSecond)],
    ['Events/s', fmtRate(job.eventsPerSecond)],
    ['Worker', job.worker],
    ['Epoch', job.epoch],
  ], 'job-figures');
}

/**
 * The initial copy: tables done of all, rows copied, speed, the table being copied, with a progress bar;
 * then one bar per table (rows copied of the source's estimate; the worker lists up to 100, those not
 * done first).
 */
export function snapshot(job) {
  const s = job.snapshot;
  if (!s) return null;
  const done = s.tablesTotal ? s.tablesDone / s.tablesTotal : 0;
  return h('section', {class: 'card', id: 'job-snapshot'},
    h('h2', {text: 'Initial copy'}),
    h('div', {class: 'progress-row'},
      h('progress', {max: String(s.tablesTotal || 1), value: String(s.tablesDone), 'aria-label': 'Tables copied'}),
      h('span', {text: `${s.tablesDone} of ${s.tablesTotal} tables (${Math.round(done * 100)} %)`})),
    facts([
      ['Copying', s.currentTable ? h('code', {text: s.currentTable}) : (s.tablesDone === s.tablesTotal ? 'done' : null)],
      ['Rows copied', fmtCount(s.rowsCopied)],
      ['Speed', `${fmtRate(s.rowsPerSecond)} rows/s`],
      ['Time left', s.etaSeconds === null || s.etaSeconds === undefined ? null : fmtDuration(s.etaSeconds)],
    ]),
    snapshotTables(s.tables || []));
}

function snapshotTables(tables) {
  if (!tables.length) return null;
  return h('table', {class: 'snapshot-tables', id: 'snapshot-tables'},
    h('thead', {}, h('tr', {}, ['Table', 'Progress', 'Rows copied', 'Of about'].map(t => h('th', {scope: 'col', text: t})))),
    h('tbody', {}, tables.map(t => {
      const total = Math.max(t.rowsEstimate, t.rowsCopied, 1);
      const share = t.done ? 1 : Math.min(t.rowsCopied / total, 0.99);
      return h('tr', {dataset: {table: t.table}},
        h('td', {}, h('code', {text: t.table})),
        h('td', {}, h('progress', {max: '100', value: String(Math.round(share * 100)), 'aria-label': `${t.table} copied`}),
          ' ', t.done ? h('span', {class: 'badge verify-match', text: 'done'}) : `${Math.round(share * 100)} %`),
        h('td', {class: 'num', text: fmtCount(t.rowsCopied)}),
        h('td', {class: 'num', text: t.done ? '–' : fmtCount(t.rowsEstimate)}));
    })));
}

/** The job's error with the remedy the worker or the scheduler gave. */
export function error(job) {
  const e = job.error;
  if (!e) return null;
  return h('div', {class: 'callout error', role: 'alert', id: 'job-error'},
    h('strong', {text: e.code}), ' ', e.message,
    e.remedy ? h('p', {class: 'remedy'}, h('strong', {text: 'What to do: '}), e.remedy) : null,
    e.at ? h('p', {class: 'muted', text: `since ${fmtTime(e.at)}`}) : null);
}

/** The latest verify report. */
export function verifyReport(report) {
  if (!report || report.state === 'none') return h('p', {class: 'muted', id: 'verify-state', text: 'No verify has run yet.'});
  const state = h('span', {class: `badge verify-${report.state}`, id: 'verify-state', text: report.state});
  const tables = report.tables || [];
  const p = report.progress;
  return h('div', {},
    p ? h('div', {class: 'progress-row', id: 'verify-progress'},
      h('progress', {max: String(p.tablesTotal || 1), value: String(p.tablesDone), 'aria-label': 'Tables compared'}),
      h('span', {text: `${p.tablesDone} of ${p.tablesTotal} tables, ${fmtCount(p.rowsChecked)} rows checked`
        + (p.currentTable ? `, now ${p.currentTable}` : '')})) : null,
    h('p', {}, state, ' ', report.startedAt ? `started ${fmtTime(report.startedAt)}` : '',
      report.finishedAt ? `, finished ${fmtTime(report.finishedAt)}` : ''),
    report.error ? h('div', {class: 'callout error'}, h('strong', {text: report.error.code || 'Error'}), ' ',
      report.error.message || '', report.error.remedy ? h('p', {class: 'remedy', text: report.error.remedy}) : null) : null,
    tables.length ? h('table', {class: 'verify', id: 'verify-tables'},
      h('thead', {}, h('tr', {}, ['Table', 'Result', 'Rows checked', 'Differing keys'].map(t => h('th', {scope: 'col', text: t})))),
      h('tbody', {}, tables.map(t => h('tr', {},
        h('td', {}, h('code', {text: t.table})),
        h('td', {}, h('span', {class: `badge verify-${t.match ? 'match' : 'mismatch'}`, text: t.match ? 'match' : 'differs'})),
        h('td', {class: 'num', text: fmtCount(t.rowsChecked)}),
        h('td', {}, (t.mismatches || []).length ? h('ul', {class: 'plain'}, t.mismatches.map(k => h('li', {}, h('code', {text: k}))))
          : t.error ? `${t.error.code || ''} ${t.error.message || ''}` : '–'))))) : null);
}

/** The job's history, newest first. */
export function events(list) {
  if (!list.length) return h('p', {class: 'muted', text: 'Nothing has happened to this job yet.'});
  return h('ol', {class: 'events', id: 'job-events'}, list.map(e => h('li', {},
    h('time', {datetime: e.at, text: fmtTime(e.at)}), ' ',
    e.source === 'audit' ? [h('strong', {text: e.kind}), ` by ${e.actor}`]
      : [stateBadge(e.kind), e.epoch !== null && e.epoch !== undefined ? ` epoch ${e.epoch}` : ''],
    e.source === 'scheduler' && e.detail ? h('span', {class: 'muted', text: ` — ${e.detail}`}) : null)));
}
