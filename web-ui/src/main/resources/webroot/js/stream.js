// The live event stream (GET /api/v1/events, server-sent events) read with fetch() so that the token
// goes in the Authorization header like every other call: EventSource cannot set headers, and a token
// in a URL would end up in logs. Reconnects with backoff; the server's keep-alive comment every 15 s
// lets a dead connection be noticed.

import {authHeaders} from './api.js';

const SILENCE_MS = 40_000;
const MAX_BACKOFF_MS = 15_000;

/**
 * Starts the stream. onEvent(type, data) gets every frame; onStatus('live'|'connecting'|'offline', reconnected)
 * tells the connection's state (reconnected is true when events may have been missed, so views reload).
 * Returns a function that stops it; onUnauthorized() is called (and the stream stops) on 401.
 */
export function openStream({onEvent, onStatus, onUnauthorized}) {
  let stopped = false;
  let controller = null;
  let backoff = 1000;
  let everConnected = false;

  async function run() {
    while (!stopped) {
      controller = new AbortController();
      let watchdog = null;
      const feed = () => {
        clearTimeout(watchdog);
        watchdog = setTimeout(() => controller.abort(), SILENCE_MS);
      };
      try {
        onStatus('connecting', false);
        const response = await fetch('/api/v1/events', {headers: {...authHeaders(), Accept: 'text/event-stream'},
          signal: controller.signal, credentials: 'omit', cache: 'no-store'});
        if (response.status === 401) {
          stopped = true;
          onUnauthorized();
          return;
        }
        if (!response.ok || !response.body) throw new Error(`events answered ${response.status}`);
        onStatus('live', everConnected);
        everConnected = true;
        backoff = 1000;
        feed();
        await read(response.body, feed);
      } catch (e) {
        // aborted, network error or closed by the server: reconnect below
      } finally {
        clearTimeout(watchdog);
      }
      if (stopped) return;
      onStatus('offline', false);
      await new Promise(resolve => setTimeout(resolve, backoff));
      backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
    }
  }

  async function read(body, feed) {
    const reader = body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const {value, done} = await reader.read();
      if (done) return;
      feed();
      buffer += value;
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        dispatch(frame);
      }
    }
  }

  function dispatch(frame) {
    let type = 'message';
    const data = [];
    for (const line of frame.split('\n')) {
      if (line.startsWith(':')) continue; // a comment (keep-alive)
      const colon = line.indexOf(':');
      const name = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (name === 'event') type = value;
      else if (name === 'data') data.push(value);
    }
    if (data.length === 0) return;
    try {
      onEvent(type, JSON.parse(data.join('\n')));
    } catch (e) {
      console.warn('ferry: a malformed event was dropped', e);
    }
  }

  run();
  return () => {
    stopped = true;
    if (controller) controller.abort();
  };
}
