// The fleet as the dashboard knows it: jobs and workers loaded once from the API, then kept current by
// the event stream. Views subscribe and are told, at most once per animation frame, which jobs changed.

import {get, enc} from './api.js';

const RATE_WINDOW_MS = 5_000;

const jobs = new Map();
const workers = new Map();
const listeners = new Set();
const fetching = new Set();
/** Stream frames received per job id. */
const frames = new Map();
let changed = new Set();
let workersChanged = false;
let reloaded = false;
let scheduled = false;
let firstEventAt = 0;
let clockOffsetMs = 0; // the server's clock minus this browser's, estimated from worker heartbeats

/** Measurements for the performance test (window.ferryPerf): live update batches and their cost. */
export const perf = {batches: [], events: 0, firstPaintMs: null, loadedRows: 0};
window.ferryPerf = perf;

export const fleet = {
  jobs,
  workers,
  loaded: false,
  /** The server's idea of now, in ms since the epoch. */
  serverNow: () => Date.now() + clockOffsetMs,

  /** Calls fn({jobs: Set<id>, workers: bool, reload: bool}) after changes; returns an unsubscribe function. */
  subscribe(fn) {
    listeners.add(fn);
    return () => listeners.delete(fn);
  },

  /** Loads every visible job and worker, replacing what was known. */
  async load() {
    const [jobList, workerList] = await Promise.all([get('/api/v1/jobs'), get('/api/v1/workers')]);
    const previous = new Map(jobs);
    jobs.clear();
    for (const j of jobList) {
      const before = previous.get(j.id);
      jobs.set(j.id, before ? Object.assign(before, j) : track(j));
    }
    workers.clear();
    for (const w of workerList) workers.set(w.id, w);
    fleet.loaded = true;
    reloaded = true;
    schedule();
  },

  /** Merges one job answer of the API (e.g. after an action) into the model. */
  upsertJob(job) {
    const known = jobs.get(job.id);
    jobs.set(job.id, known ? Object.assign(known, job) : track(job));
    note(job.id);
  },

  /** How many stream frames this page has had for the job: an answer fetched meanwhile may be older. */
  framesOf(id) {
    return frames.get(id) || 0;
  },

  forgetJob(id) {
    if (jobs.delete(id)) {
      changed.add(id);
      schedule();
    }
  },

  /** One frame of the event stream. */
  apply(type, data) {
    perf.events++;
    if (!firstEventAt) firstEventAt = performance.now();
    if (type === 'job') applyJob(data);
    else if (type === 'job-removed') fleet.forgetJob(data.id);
    else if (type === 'worker') applyWorker(data);
  },

  clear() {
    jobs.clear();
    workers.clear();
    fleet.loaded = false;
  },
};

function track(job) {
  Object.defineProperty(job, 'samples', {value: [], writable: true, enumerable: false});
  job.rowsPerSecond = null;
  return job;
}

function applyJob(data) {
  frames.set(data.id, (frames.get(data.id) || 0) + 1);
  const job = jobs.get(data.id);
  if (!job) {
    fetchUnknown(data.id);
    return;
  }
  Object.assign(job, data);
  if (data.at) rate(job, data);
  note(data.id);
}

/** Rows applied per second over the last few heartbeats of the same owner (epoch). */
function rate(job, data) {
  const at = Date.parse(data.at);
  const last = job.samples[job.samples.length - 1];
  if (last && (last.epoch !== data.epoch || data.rowsApplied < last.rows)) job.samples = [];
  job.samples.push({at, rows: data.rowsApplied, epoch: data.epoch});
  while (job.samples.length > 2 && at - job.samples[0].at > RATE_WINDOW_MS) job.samples.shift();
  const first = job.samples[0];
  job.rowsPerSecond = at - first.at >= 500 ? (data.rowsApplied - first.rows) * 1000 / (at - first.at) : job.rowsPerSecond;
}

function applyWorker(data) {
  workers.set(data.id, data);
  if (data.lastHeartbeat) {
    // a worker frame follows its heartbeat at once, so the server's "now" is at least its heartbeat time
    clockOffsetMs = Math.max(clockOffsetMs, Date.parse(data.lastHeartbeat) - Date.now());
  }
  workersChanged = true;
  schedule();
}

/** A job the stream mentions that this page has not loaded yet (just created elsewhere): fetched once. */
async function fetchUnknown(id) {
  if (fetching.has(id) || !fleet.loaded) return;
  fetching.add(id);
  try {
    fleet.upsertJob(await get(`/api/v1/jobs/${enc(id)}`));
  } catch {
    // not ours or gone: nothing to show
  } finally {
    setTimeout(() => fetching.delete(id), 5_000);
  }
}

function note(id) {
  changed.add(id);
  schedule();
}

function schedule() {
  if (scheduled) return;
  scheduled = true;
  requestAnimationFrame(flush);
}

function flush() {
  scheduled = false;
  const start = performance.now();
  const batch = {jobs: changed, workers: workersChanged, reload: reloaded};
  const queuedAt = firstEventAt;
  changed = new Set();
  workersChanged = false;
  reloaded = false;
  firstEventAt = 0;
  for (const fn of listeners) fn(batch);
  const end = performance.now();
  if (batch.jobs.size > 0 && !batch.reload) {
    perf.batches.push({jobs: batch.jobs.size, renderMs: end - start, latencyMs: queuedAt ? end - queuedAt : null});
    if (perf.batches.length > 5_000) perf.batches.splice(0, 1_000);
  }
}
