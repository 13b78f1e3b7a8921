// A small SVG line chart over a time window: gaps where no sample was taken, a y axis from zero to a
// rounded maximum, hour:minute ticks. Drawn with attributes and CSS classes only (no inline style).

const SVG = 'http://www.w3.org/2000/svg';
const W = 640;
const H = 180;
const PAD = {left: 56, right: 12, top: 12, bottom: 26};

function s(tag, attrs = {}, text) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
}

/** 1, 2, 5 × 10^n at or above v. */
function niceMax(v) {
  if (!(v > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  return [1, 2, 5, 10].map(m => m * p).find(m => m >= v);
}

/**
 * points: [{t: ms, v: number|null}] oldest first; windowMs: the span ending at endMs; gapMs: a larger
 * distance between samples breaks the line; format(v) labels the axis. Returns an <svg>.
 */
export function lineChart({label, points, endMs, windowMs, gapMs, format}) {
  const startMs = endMs - windowMs;
  const values = points.filter(p => p.v !== null && p.v !== undefined && p.t >= startMs);
  const max = niceMax(Math.max(0, ...values.map(p => p.v)));
  const x = t => PAD.left + (t - startMs) / windowMs * (W - PAD.left - PAD.right);
  const y = v => H - PAD.bottom - v / max * (H - PAD.top - PAD.bottom);
  const last = values[values.length - 1];
  const svg = s('svg', {viewBox: `0 0 ${W} ${H}`, class: 'chart', role: 'img',
    'aria-label': `${label}: ${values.length ? `latest ${format(last.v)}, highest ${format(Math.max(...values.map(p => p.v)))}` : 'no data yet'}`});
  svg.append(s('title', {}, label));
  for (const f of [0, 0.5, 1]) {
    svg.append(s('line', {class: 'grid', x1: PAD.left, x2: W - PAD.right, y1: y(max * f), y2: y(max * f)}));
    svg.append(s('text', {class: 'axis', x: PAD.left - 6, y: y(max * f) + 4, 'text-anchor': 'end'}, format(max * f)));
  }
  const tickEvery = windowMs / (windowMs <= 15 * 60_000 ? 5 : 4);
  for (let t = startMs; t <= endMs + 1; t += tickEvery) {
    const d = new Date(t);
    svg.append(s('text', {class: 'axis', x: x(t), y: H - 8, 'text-anchor': t === startMs ? 'start' : t >= endMs ? 'end' : 'middle'},
      `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`));
  }
  let path = '';
  let previous = null;
  for (const p of values) {
    path += `${previous === null || p.t - previous > gapMs ? 'M' : 'L'}${x(p.t).toFixed(1)},${y(p.v).toFixed(1)} `;
    previous = p.t;
  }
  if (path) svg.append(s('path', {class: 'line', d: path.trim()}));
  if (values.length === 1) svg.append(s('circle', {class: 'dot', cx: x(last.t), cy: y(last.v), r: 3}));
  if (!values.length) {
    svg.append(s('text', {class: 'nodata', x: W / 2, y: H / 2, 'text-anchor': 'middle'}, 'no samples in this span'));
  }
  return svg;
}
