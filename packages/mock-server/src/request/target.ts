// Step 1, the request target: split into path and query, refused when it is not a target at all,
// when the path holds an escape Go's server cannot undo, or when an HTTP/1.1 client sent no Host.
import type { Responder } from './responder.js';
import { stop, type MockRequest, type Stop } from './types.js';

export interface Target {
  rawPath: string;
  rawQuery: string;
  query: Map<string, string>;
}

const INVALID_ESCAPE = /%(?![0-9A-Fa-f]{2})/;

/** Parses a query string leniently (like Go's URL.Query(): undecodable pairs are dropped). */
function parseQuery(rawQuery: string): Map<string, string> {
  const query = new Map<string, string>();
  for (const pair of rawQuery.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const [rawKey, rawValue] = eq === -1 ? [pair, ''] : [pair.slice(0, eq), pair.slice(eq + 1)];
    try {
      const key = decodeURIComponent(rawKey.replace(/\+/g, ' '));
      if (!query.has(key)) query.set(key, decodeURIComponent(rawValue.replace(/\+/g, ' ')));
    } catch {
      // An invalid escape in the query only loses that parameter.
    }
  }
  return query;
}

/** Splits the request target into a raw path and a raw query; undefined when it is not a usable target. */
export function splitTarget(url: string): { rawPath: string; rawQuery: string } | undefined {
  let target = url;
  if (/^https?:\/\//i.test(target)) {
    try {
      const parsed = new URL(target);
      target = parsed.pathname + parsed.search;
    } catch {
      return undefined;
    }
  }
  if (!target.startsWith('/')) return undefined;
  const q = target.indexOf('?');
  return q === -1 ? { rawPath: target, rawQuery: '' } : { rawPath: target.slice(0, q), rawQuery: target.slice(q + 1) };
}

export function readTarget(request: MockRequest, respond: Responder): Target | Stop {
  const target = splitTarget(request.url);
  if (!target) return stop(respond.fail(400, { message: 'malformed request target' }));
  // Go's HTTP server refuses a path it cannot unescape before kube-apiserver sees the request.
  if (INVALID_ESCAPE.test(target.rawPath)) return stop(goBadRequest());
  if (request.headers.host === undefined && request.httpVersion !== '1.0')
    return stop(respond.fail(400, { message: 'missing required Host header' }));
  return { ...target, query: parseQuery(target.rawQuery) };
}

/** The path as Go's URL.Path holds it (percent-decoded); undefined when it does not decode to UTF-8. */
export function decodePath(rawPath: string): string | undefined {
  try {
    return decodeURIComponent(rawPath);
  } catch {
    return undefined;
  }
}

/** Go's net/http answer to a request line it cannot parse: plain text, and the connection closed. */
function goBadRequest() {
  return {
    kind: 'reply' as const,
    status: 400,
    headers: { 'content-type': 'text/plain; charset=utf-8', connection: 'close' },
    body: '400 Bad Request',
  };
}
