import type * as Url from 'node:url';

/** Where node:http sends a request: what `http.request(url)` would take from the URL string. */
export interface RequestTarget {
  protocol: string;
  hostname: string;
  /** Undefined for the scheme's default port. */
  port: number | undefined;
  /** The path and query, as sent on the request line. */
  path: string;
}

/** Origins remembered per wire: a client talks to one or two (its base URL, IAM's endpoint). */
const MAX_ORIGINS = 16;

/** An authority with no user info (`@`) and nothing the URL parser would read another way (`\`). */
const PLAIN_AUTHORITY = /^https?:\/\/[A-Za-z0-9\-._~%:[\]]+$/;

/**
 * A path and query the URL parser leaves exactly as they are: RFC 3986 characters that no
 * percent-encode set of the WHATWG URL standard touches (no quote, space, `<>`, `{}`, `|`, `\`,
 * `^`, backtick), and no fragment.
 */
const PLAIN_PATH_AND_QUERY = /^\/[A-Za-z0-9\-._~!$&()*+,;=:@%/]*(?:\?[A-Za-z0-9\-._~!$&()*+,;=:@%/?]*)?$/;

/** A `.` or `..` segment (also percent-encoded), which the URL parser would resolve away. */
const DOT_SEGMENT = /\/(?:\.|%2e){1,2}(?:\/|$)/i;

/**
 * Splits request URLs for node:http. Given a URL string, `http.request` parses it with `new URL`
 * and copies the dozen fields it yields through options objects that Node spreads twice per
 * request, slowly (objects without a prototype): measured with callgrind, 45,000 instructions
 * per request, a fifth of a whole keep-alive GET (docs/benchmarks.md §1). An options object
 * with the host and the path alone skips both.
 *
 * The origin is parsed once with the real URL parser (host case, default ports, IPv6 brackets);
 * the path is taken as it is only when the parser would leave it unchanged. Undefined otherwise:
 * the caller then hands node:http the URL string, as before.
 */
export function createTargetParser(url: typeof Url): (href: string) => RequestTarget | undefined {
  const origins = new Map<string, Omit<RequestTarget, 'path'> | null>();

  function originOf(origin: string): Omit<RequestTarget, 'path'> | null {
    let parts = origins.get(origin);
    if (parts !== undefined) return parts;
    parts = PLAIN_AUTHORITY.test(origin) ? parseOrigin(url, origin) : null;
    if (origins.size >= MAX_ORIGINS) origins.clear();
    origins.set(origin, parts);
    return parts;
  }

  return (href) => {
    const start = href.startsWith('https://') ? 8 : href.startsWith('http://') ? 7 : -1;
    if (start === -1) return undefined;
    const slash = href.indexOf('/', start);
    if (slash === -1) return undefined;
    const path = href.slice(slash);
    if (!PLAIN_PATH_AND_QUERY.test(path)) return undefined;
    const query = path.indexOf('?');
    if (DOT_SEGMENT.test(query === -1 ? path : path.slice(0, query))) return undefined;
    const origin = originOf(href.slice(0, slash));
    return origin === null
      ? undefined
      : { protocol: origin.protocol, hostname: origin.hostname, port: origin.port, path };
  };
}

/** What node:http would take from `origin` (null when the URL parser refuses it, e.g. a port over 65535). */
function parseOrigin(url: typeof Url, origin: string): Omit<RequestTarget, 'path'> | null {
  try {
    const options = url.urlToHttpOptions(new URL(origin));
    const port = options.port === undefined || options.port === '' ? undefined : Number(options.port);
    return { protocol: options.protocol!, hostname: options.hostname!, port };
  } catch {
    return null;
  }
}
