// The REST API as the dashboard calls it. The token lives in this tab's sessionStorage (gone when the
// tab closes) and goes out only in the Authorization header of same-origin requests, never in a URL.

const KEY = 'ferry.session';

/** An API answer that is not a success, with the server's code, message and field. */
export class ApiError extends Error {
  constructor(status, body) {
    const error = (body && body.error) || {};
    super(error.message || `the control plane answered ${status}`);
    this.status = status;
    this.code = error.code || `HTTP_${status}`;
    this.field = error.field || null;
    this.details = error;
  }
}

let expiredHandler = () => {};

export const session = {
  /** {token, kind: 'session'|'token', role, tenant, user, tokenName} or null. */
  get() {
    try {
      return JSON.parse(sessionStorage.getItem(KEY));
    } catch {
      return null;
    }
  },
  set(value) {
    sessionStorage.setItem(KEY, JSON.stringify(value));
  },
  clear() {
    sessionStorage.removeItem(KEY);
  },
  canWrite() {
    const s = this.get();
    return !!s && (s.role === 'admin' || s.role === 'operator');
  },
  isAdmin() {
    const s = this.get();
    return !!s && s.role === 'admin';
  },
  /** Called with a reason when the server no longer accepts the token. */
  onExpired(handler) {
    expiredHandler = handler;
  },
};

export function authHeaders(token = session.get()?.token) {
  return token ? {Authorization: `Bearer ${token}`} : {};
}

/** Calls the API; resolves the JSON body (null for 204), rejects with an ApiError. */
export async function api(method, path, body, {token, signal} = {}) {
  const headers = {Accept: 'application/json', ...authHeaders(token)};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(path, {method, headers, signal, body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'omit', cache: 'no-store'});
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, {error: {code: 'UNREACHABLE', message: 'the control plane does not answer; retry shortly'}});
  }
  const text = await response.text();
  let json = null;
  if (text) {
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
  }
  if (!response.ok) {
    if (response.status === 401 && !token && session.get()) expiredHandler('Your session ended; sign in again.');
    throw new ApiError(response.status, json);
  }
  return json;
}

export const get = (path, options) => api('GET', path, undefined, options);
export const post = (path, body, options) => api('POST', path, body, options);
export const put = (path, body) => api('PUT', path, body);
export const del = path => api('DELETE', path);

/** Path segments are ids the server gave; they are still encoded so no text can change the route. */
export const enc = encodeURIComponent;
