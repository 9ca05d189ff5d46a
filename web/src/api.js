// The API client: every request carries the session's bearer token, and an
// answer that is not 2xx becomes an ApiError whose kind the legend shows.

const tokenKey = 'gridwatch.token';

/** ApiError is a refused or failed request. */
export class ApiError extends Error {
  constructor(status, detail) {
    super(detail || 'HTTP ' + status);
    this.status = status;
  }

  /** kind names what the legend says: forbidden, unavailable or error. */
  get kind() {
    if (this.status === 401 || this.status === 403) return 'forbidden';
    if (this.status === 404 || this.status === 405 || this.status === 501) return 'unavailable';
    return 'error';
  }
}

/** errorKind classifies any error thrown by a request. */
export function errorKind(err) {
  if (err && err.name === 'AbortError') return 'aborted';
  if (err instanceof ApiError) return err.kind;
  return 'error';
}

/** Client talks to the API root (an absolute URL without a trailing slash). */
export class Client {
  constructor(root) {
    this.root = root;
  }

  get token() {
    try {
      return sessionStorage.getItem(tokenKey) || '';
    } catch {
      return '';
    }
  }

  set token(value) {
    try {
      if (value) sessionStorage.setItem(tokenKey, value);
      else sessionStorage.removeItem(tokenKey);
    } catch {
      // Storage may be disabled; the token then lasts until the page closes.
    }
  }

  /** url returns the absolute URL of an API path with query parameters. */
  url(path, params) {
    const u = new URL(this.root + path);
    for (const [k, v] of Object.entries(params || {})) {
      if (v !== undefined && v !== null && v !== '') u.searchParams.set(k, String(v));
    }
    return u.toString();
  }

  /** get fetches a JSON document; path may be an absolute URL. */
  async get(pathOrURL, params, signal) {
    const url = pathOrURL.startsWith('http') ? pathOrURL : this.url(pathOrURL, params);
    const headers = { Accept: 'application/geo+json, application/json' };
    const token = this.token;
    if (token) headers.Authorization = 'Bearer ' + token;
    const res = await fetch(url, { headers, signal });
    if (!res.ok) {
      let detail = '';
      try {
        const p = await res.json();
        detail = p.detail || p.title || '';
      } catch {
        // Not a problem document: the status says enough.
      }
      throw new ApiError(res.status, detail);
    }
    return res.json();
  }

  /**
   * features fetches a FeatureCollection and follows its "next" links, at
   * most maxPages pages, merging the features into one collection.
   */
  async features(path, params, signal, maxPages = 20) {
    const first = await this.get(path, params, signal);
    const out = { type: 'FeatureCollection', features: first.features || [] };
    for (const k of Object.keys(first)) {
      if (!['type', 'features', 'links'].includes(k)) out[k] = first[k];
    }
    let page = first;
    for (let i = 1; i < maxPages; i++) {
      const next = (page.links || []).find((l) => l.rel === 'next');
      if (!next) break;
      page = await this.get(next.href, null, signal);
      out.features = out.features.concat(page.features || []);
    }
    return out;
  }

  /**
   * cached is features memoised by request, for layers that several parts
   * of the page share (grids, townships, villages, beats).
   */
  cached(path, params) {
    const key = this.url(path, params);
    if (!this.memo) this.memo = new Map();
    if (!this.memo.has(key)) {
      const p = this.features(path, params);
      p.catch(() => this.memo.delete(key));
      this.memo.set(key, p);
    }
    return this.memo.get(key);
  }

  /** forget clears the memo (after the token changed). */
  forget() {
    this.memo = new Map();
  }
}
