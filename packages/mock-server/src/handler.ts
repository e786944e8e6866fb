// The request pipeline of the mock, as a function from a request to a reply (no sockets here):
// URL sanity → faults → authentication → route (from the spec) → method → Accept → parameters →
// store lookup. The order follows kube-apiserver: a malformed request is refused before anything
// else, authentication before routing, content negotiation before the lookup.
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { Status, StatusDetails } from '@cce-openapi/types';
import { tokenAuthenticator, type Principal, type TokenSpec } from './auth.js';
import type { FaultInjector } from './faults.js';
import { isDns1035Label, isDns1123Label, pathSegmentProblems } from './names.js';
import { negotiate, wantsPretty } from './negotiation.js';
import { allowHeader, matchRoute, type CompiledOperation, type CompiledRoute } from './routes.js';
import type { OpenApiDocument, ResponseObject } from './spec.js';
import { deref } from './spec.js';
import type { StatusCatalog } from './status.js';
import type { ServiceStore } from './store.js';

export interface MockRequest {
  method: string;
  /** "1.1" or "1.0": a Host header is required from HTTP/1.1 clients only. */
  httpVersion: string;
  /** The request target as received (origin-form "/path?query", or absolute-form). */
  url: string;
  headers: IncomingHttpHeaders;
  /** True when the connection presented a client certificate the server's CA signed (API-server mode). */
  clientCertificateVerified: boolean;
}

export type MockReply =
  | { kind: 'reply'; status: number; headers: Record<string, string>; body: string }
  | { kind: 'reset' };

export interface HandlerContext {
  spec: OpenApiDocument;
  routes: CompiledRoute[];
  catalog: StatusCatalog;
  store: ServiceStore;
  faults: FaultInjector;
  /** Accepted X-Auth-Token values (optionally limited to namespaces); ignored in API-server (mTLS) mode. */
  tokens: readonly TokenSpec[];
  /** API-server mode: authentication is the client certificate. */
  mutualTls: boolean;
}

const READ_SERVICE_STATUS = 'readCoreV1NamespacedServiceStatus';

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
function splitTarget(url: string): { rawPath: string; rawQuery: string } | undefined {
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

const INVALID_ESCAPE = /%(?![0-9A-Fa-f]{2})/;

export function createHandler(context: HandlerContext): (request: MockRequest) => MockReply {
  const { spec, routes, catalog, store, faults, mutualTls } = context;
  const authenticate = tokenAuthenticator(context.tokens);

  // Media types each operation can answer with: the content types of its 200 response in the spec.
  const servedTypes = new Map<CompiledOperation, string[]>();
  for (const route of routes) {
    for (const op of route.operations.values()) {
      const ok = op.operation.responses?.['200'];
      servedTypes.set(op, ok ? Object.keys(deref<ResponseObject>(spec, ok).content ?? {}) : ['application/json']);
    }
  }

  return (request) => {
    const requestId = randomUUID();
    let pretty = false;
    const reply = (status: number, body: unknown, extraHeaders: Record<string, string> = {}): MockReply => ({
      kind: 'reply',
      status,
      headers: {
        'content-type': 'application/json',
        'cache-control': 'no-cache, private',
        'x-request-id': requestId,
        'audit-id': requestId,
        ...extraHeaders,
      },
      body: pretty ? `${JSON.stringify(body, null, 2)}\n` : JSON.stringify(body),
    });
    const fail = (code: number, overrides?: { message?: string; reason?: string; details?: StatusDetails }, extraHeaders?: Record<string, string>): MockReply =>
      reply(code, catalog.build(code, overrides) satisfies Status, extraHeaders);

    // 1. A target that is not a path, or a path with an invalid escape, is a malformed request.
    const target = splitTarget(request.url);
    if (!target) return fail(400, { message: 'malformed request target' });
    if (INVALID_ESCAPE.test(target.rawPath)) return fail(400, { message: 'invalid URL escape in the request path' });
    if (request.headers.host === undefined && request.httpVersion !== '1.0') return fail(400, { message: 'missing required Host header' });
    const query = parseQuery(target.rawQuery);
    pretty = wantsPretty(query.get('pretty'), request.headers['user-agent']);

    // 2. Faults act like the gateway in front of the API server: before authentication.
    const fault = faults.decide();
    if (fault.kind === 'reset') return { kind: 'reset' };
    if (fault.kind === 'throttle') {
      return fail(429, { details: { retryAfterSeconds: fault.retryAfterSeconds } }, { 'retry-after': String(fault.retryAfterSeconds) });
    }
    if (fault.kind === 'transient') {
      return fail(fault.status, undefined, fault.retryAfterSeconds === undefined ? {} : { 'retry-after': String(fault.retryAfterSeconds) });
    }

    // 3. Authentication: the client certificate (API-server mode) or X-Auth-Token.
    let principal: Principal | undefined;
    if (mutualTls) principal = request.clientCertificateVerified ? { user: 'mock-user' } : undefined;
    else principal = authenticate(firstHeader(request.headers['x-auth-token']));
    if (!principal) return fail(401);

    // 4. Route and method, from the spec's paths.
    const match = matchRoute(routes, target.rawPath);
    if (match.kind === 'none') return fail(404, { message: 'the server could not find the requested resource', details: {} });
    const operation = match.route.operations.get(request.method.toLowerCase() as never);
    if (!operation) return fail(405, undefined, { allow: allowHeader(match.route) });

    // 5. Content negotiation.
    const served = servedTypes.get(operation) ?? ['application/json'];
    if (!negotiate(firstHeader(request.headers.accept), served)) {
      return fail(406, { message: `only the following media types are accepted: ${served.join(', ')}` });
    }

    // 6. Parameters: decode, then apply kube-apiserver's name rules (see names.ts).
    const params: Record<string, string> = {};
    for (const [key, raw] of Object.entries(match.rawParams)) {
      try {
        params[key] = decodeURIComponent(raw);
      } catch {
        // Valid escapes that do not decode to UTF-8, such as %C3%28.
        return fail(400, { message: 'invalid UTF-8 in the request path' });
      }
    }
    const resource = match.route.resource ?? 'resources';
    const name = params.name ?? '';
    const problems = pathSegmentProblems(name);
    if (problems.length > 0) return fail(400, { message: `Name parameter invalid: ${JSON.stringify(name)}: ${problems.join(';')}` });
    const notFound = () => fail(404, { message: `${resource} ${JSON.stringify(name)} not found`, details: { name, kind: resource } });
    for (const parameter of operation.parameters) {
      if (parameter.in !== 'path') continue;
      const value = params[parameter.name] ?? '';
      const { minLength = 0, maxLength = Infinity } = parameter.schema ?? {};
      // A value outside the spec's parameter schema cannot name an existing object: not found, as kube-apiserver answers a read.
      if (value.length < minLength || value.length > maxLength) return notFound();
    }

    // 7. Authorisation (kube-apiserver checks it before the lookup: a forbidden read learns nothing).
    const namespace = params.namespace ?? '';
    if (principal.namespaces && !principal.namespaces.has(namespace)) {
      const resourceName = match.route.subresource ? `${resource}/${match.route.subresource}` : resource;
      return fail(403, {
        message: `${resource} ${JSON.stringify(name)} is forbidden: User ${JSON.stringify(principal.user)} cannot ${operation.method} resource ${JSON.stringify(resourceName)} in API group "" in the namespace ${JSON.stringify(namespace)}`,
        details: { name, kind: resource },
      });
    }

    // 8. The operation itself.
    if (operation.operationId === READ_SERVICE_STATUS) {
      if (!isDns1123Label(namespace) || !isDns1035Label(name)) return notFound();
      const service = store.get(namespace, name);
      return service ? reply(200, service) : notFound();
    }
    // An operation the spec gained but the mock does not implement yet.
    return fail(500, { message: `the mock does not implement ${operation.operationId}` });
  };
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
