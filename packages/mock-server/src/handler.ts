// The request pipeline of the mock, as a function from a request to a reply (no sockets here):
// URL sanity → faults → authentication → route (from the spec) → method → content negotiation →
// path parameters → the operation (operations.ts, the same generic code for every operation of the
// spec) → encoding. The order follows kube-apiserver: a malformed request is refused before
// anything else, authentication before routing, content negotiation before the lookup.
// In the `cci` profile a gateway (gateway/) stands in front: it serves IAM's token API and does the
// authentication, answering its refusals in its own body rather than as a Kubernetes Status.
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { deref } from './spec.js';
import type { Status, StatusDetails } from '@cci-openapi/types';
import { createAuthenticator, mayReadPath, type ClientCertificate, type Principal, type TokenSpec } from './auth.js';
import { createDiscovery } from './discovery.js';
import { encodeBody } from './encode.js';
import { NAMESPACE_PATH, readNamespace } from './namespaces.js';
import type { FaultInjector } from './faults.js';
import type { Gateway } from './gateway/index.js';
import { pathSegmentProblems } from './names.js';
import { ENCODABLE_TYPES, negotiate, negotiateRepresentation, wantsPretty, type EncodableType } from './negotiation.js';
import { serveOperation } from './operations.js';
import { isWriteRole, operationRole, WATCH_MEDIA_TYPE, type OperationRole } from './resources.js';
import { serveWrite, type WriteContext } from './writes/index.js';
import { allowHeader, apiVersionOf, matchRoute, type CompiledOperation, type CompiledRoute } from './routes.js';
import type { OpenApiDocument, ResponseObject } from './spec.js';
import type { StatusCatalog } from './status.js';
import type { ObjectStore } from './store.js';
import { toTable } from './table.js';
import { startWatch, type WatchSettings, type WatchSink } from './watch.js';

export interface MockRequest {
  method: string;
  /** "1.1" or "1.0": a Host header is required from HTTP/1.1 clients only. */
  httpVersion: string;
  /** The request target as received (origin-form "/path?query", or absolute-form). */
  url: string;
  headers: IncomingHttpHeaders;
  /** The client certificate: presented, verified, its CN (API-server mode, where it is always set). */
  clientCertificate?: ClientCertificate;
  /** The body, read when the gateway needs it (IAM, signed requests) or for a write; 'too-large' past its limit. */
  body?: Buffer | 'too-large';
}

export type MockReply =
  /** The body is text, or bytes (the protobuf of /openapi/v2). */
  | { kind: 'reply'; status: number; headers: Record<string, string>; body: string | Buffer }
  /** A streamed answer (watch): the server writes the head, then hands the connection to `start`. */
  | { kind: 'stream'; status: number; headers: Record<string, string>; start(sink: WatchSink): void }
  | { kind: 'reset' };

export interface HandlerContext {
  spec: OpenApiDocument;
  routes: CompiledRoute[];
  catalog: StatusCatalog;
  store: ObjectStore;
  faults: FaultInjector;
  /** Accepted tokens, in `Authorization: Bearer` or `X-Auth-Token` (optionally limited to namespaces). */
  tokens: readonly TokenSpec[];
  /** API-server mode: a client certificate signed by the CA authenticates too. */
  mutualTls: boolean;
  /** No credential at all is `system:anonymous` (403 except /version) rather than 401 (see auth.ts). */
  anonymous?: boolean;
  watch?: WatchSettings;
  /** The `cci` profile: the API gateway's authentication and IAM; kube-apiserver's when absent. */
  gateway?: Gateway;
  /** What the write operations need (allocation ranges, namespaces, patch engines, profile rules). */
  writes: WriteContext;
}

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

const INVALID_ESCAPE = /%(?![0-9A-Fa-f]{2})/;

export function createHandler(context: HandlerContext): (request: MockRequest) => MockReply {
  const { spec, routes, catalog, store, faults, mutualTls, gateway } = context;
  const authenticateRequest = createAuthenticator({ tokens: context.tokens, anonymous: context.anonymous ?? false });
  const discovery = createDiscovery(spec, routes);

  // Per operation, from the spec: the media types of its 200 response and what it does.
  const servedTypes = new Map<CompiledOperation, string[]>();
  const roles = new Map<CompiledOperation, OperationRole>();
  for (const route of routes) {
    for (const op of route.operations.values()) {
      const ok = op.operation.responses?.['200'];
      servedTypes.set(op, ok ? Object.keys(deref<ResponseObject>(spec, ok).content ?? {}) : ['application/json']);
      roles.set(op, operationRole(spec, route, op));
    }
  }

  /** Authentication: a client certificate (API-server mode), a Bearer token, X-Auth-Token, or anonymous. */
  const authenticate = (request: MockRequest): Principal | undefined =>
    authenticateRequest(
      request.headers,
      mutualTls ? (request.clientCertificate ?? { presented: false, verified: false }) : undefined,
    );

  return (request) => {
    // Behind the gateway, X-Request-Id is the gateway's (32 hex digits) and Audit-Id kube-apiserver's.
    const requestId = gateway ? gateway.requestId() : randomUUID();
    const auditId = gateway ? randomUUID() : requestId;
    // The gateway's clock is the mock's clock (`now`), so a client can measure its skew from Date.
    const dated = (): Record<string, string> => (gateway ? { date: new Date(gateway.now()).toUTCString() } : {});
    let pretty = false;
    // Errors too are written in the negotiated type (YAML for a YAML client), as kube-apiserver does.
    let mediaType: EncodableType = 'application/json';
    const headers = (extra: Record<string, string> = {}) => ({
      'content-type': mediaType,
      'cache-control': 'no-cache, private',
      'x-request-id': requestId,
      'audit-id': auditId,
      ...dated(),
      ...extra,
    });
    const gatewayAnswer = (
      answer: { status: number; headers: Record<string, string>; body: string },
      extra: Record<string, string> = {},
    ): MockReply => ({
      kind: 'reply',
      status: answer.status,
      headers: { ...answer.headers, ...dated(), ...extra },
      body: answer.body,
    });
    const reply = (status: number, body: unknown, extraHeaders: Record<string, string> = {}): MockReply => ({
      kind: 'reply',
      status,
      headers: headers(extraHeaders),
      body: encodeBody(body, mediaType, pretty),
    });
    const fail = (
      code: number,
      overrides?: { message?: string; reason?: string; details?: StatusDetails },
      extraHeaders?: Record<string, string>,
    ): MockReply => reply(code, catalog.build(code, overrides) satisfies Status, extraHeaders);
    // kube-apiserver writes a failed negotiation with WriteRawJSON: JSON, always indented.
    const notAcceptable = (served: readonly string[]): MockReply => {
      mediaType = 'application/json';
      pretty = true;
      return fail(406, { message: `only the following media types are accepted: ${served.join(', ')}` });
    };
    // An Accept that names none of the route's media types is refused by kube-apiserver's router
    // (go-restful) before the handler: its own message, and the empty details of a generic error.
    // The error is written as any other (`application/*` negotiates JSON there, by the usual pretty
    // rules), or as indented JSON when nothing can be negotiated.
    const notAcceptableByRouter = (accept: string | undefined): MockReply => {
      if (!negotiateRepresentation(accept, { served: ENCODABLE_TYPES, table: false })) {
        mediaType = 'application/json';
        pretty = true;
      }
      return fail(406, { message: '406: Not Acceptable', details: {} });
    };

    // 1. A target that is not a path, or a path with an invalid escape, is a malformed request.
    const target = splitTarget(request.url);
    if (!target) return fail(400, { message: 'malformed request target' });
    // Go's HTTP server refuses a path it cannot unescape before kube-apiserver sees the request.
    if (INVALID_ESCAPE.test(target.rawPath)) return goBadRequest();
    if (request.headers.host === undefined && request.httpVersion !== '1.0')
      return fail(400, { message: 'missing required Host header' });
    const query = parseQuery(target.rawQuery);
    pretty = wantsPretty(query.get('pretty'), request.headers['user-agent']);
    const accept = firstHeader(request.headers.accept);
    mediaType = (negotiate(accept, ENCODABLE_TYPES) as EncodableType | undefined) ?? 'application/json';

    // 1b. The gateway: a body over its limit, then IAM's token API (another service: no faults, no token).
    // A body past the gateway's own limit is its refusal; one past kube-apiserver's only (writes) is the operation's 413.
    if (gateway && request.body === 'too-large' && gateway.bodyLimit(target.rawPath, request.headers) > 0) {
      return gatewayAnswer(gateway.refusal('bodyTooLarge', requestId), { connection: 'close' });
    }
    const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const iam = gateway?.iam({ method: request.method, rawPath: target.rawPath, query, body }, requestId);
    if (iam) return gatewayAnswer(iam);

    // 2. Faults act like the gateway in front of the API server: before authentication.
    const fault = faults.decide();
    if (fault.kind === 'reset') return { kind: 'reset' };
    if (fault.kind === 'throttle') {
      return fail(
        429,
        { details: { retryAfterSeconds: fault.retryAfterSeconds } },
        { 'retry-after': String(fault.retryAfterSeconds) },
      );
    }
    if (fault.kind === 'transient') {
      return fail(
        fault.status,
        undefined,
        fault.retryAfterSeconds === undefined ? {} : { 'retry-after': String(fault.retryAfterSeconds) },
      );
    }

    // 3. Authentication: the gateway's (cci) or kube-apiserver's (kube).
    let principal: Principal | undefined;
    if (gateway) {
      const verdict = gateway.authenticate({
        method: request.method,
        rawPath: target.rawPath,
        rawQuery: target.rawQuery,
        headers: request.headers,
        body,
      });
      if ('refusal' in verdict) return gatewayAnswer(gateway.refusal(verdict.refusal, requestId));
      principal = verdict.principal;
    } else {
      principal = authenticate(request);
      if (!principal) return fail(401);
    }

    // 3a. /openapi/v2 (discovery.ts, openapi-v2/): any method, for whoever may read the path.
    const openApi = discovery.openApiV2(target.rawPath, { method: request.method, headers: request.headers });
    if (openApi) {
      if (!mayReadPath(principal, target.rawPath)) {
        return fail(403, {
          message: `forbidden: User ${JSON.stringify(principal.user)} cannot get path ${JSON.stringify(target.rawPath)}`,
          details: {},
        });
      }
      return {
        kind: 'reply',
        status: openApi.status,
        headers: { ...openApi.headers, 'audit-id': auditId, ...dated() },
        body: openApi.body,
      };
    }

    // 3b. Discovery (/api, /api/v1, /apis, /version), derived from the spec's operations.
    const discovered = discovery.document(target.rawPath, request.headers.host ?? '');
    if (discovered) {
      if (request.method !== 'GET' && request.method !== 'HEAD') return fail(405, undefined, { allow: 'GET' });
      if (!mayReadPath(principal, target.rawPath)) {
        return fail(403, {
          message: `forbidden: User ${JSON.stringify(principal.user)} cannot get path ${JSON.stringify(target.rawPath)}`,
          details: {},
        });
      }
      const chosen = negotiateRepresentation(accept, { served: ENCODABLE_TYPES, table: false });
      if (!chosen) return notAcceptable(ENCODABLE_TYPES);
      mediaType = chosen.mediaType;
      pretty ||= discovered.alwaysPretty || chosen.pretty;
      return reply(200, discovered.body);
    }

    // 4. Route and method, from the spec's paths. kube-apiserver routes on the decoded path (Go's
    // URL.Path), so an encoded "/" in a name or namespace adds a segment: no route, the generic 404.
    const decodedPath = decodePath(target.rawPath);
    const match = matchRoute(routes, decodedPath ?? target.rawPath);
    const namespacePath =
      match.kind === 'none' && request.method === 'GET' ? NAMESPACE_PATH.exec(target.rawPath) : null;
    if (namespacePath) {
      const answer = readNamespace(
        namespacePath[1]!,
        principal,
        store.list(),
        new Set(context.writes.namespaceExists(namespacePath[1]!) ? [namespacePath[1]!] : []),
      );
      return answer.status === 200
        ? reply(200, answer.body)
        : fail(answer.status, { message: answer.message, details: answer.details });
    }
    if (match.kind === 'none')
      return fail(404, { message: 'the server could not find the requested resource', details: {} });
    const operation = match.route.operations.get(request.method.toLowerCase() as never);
    if (!operation) return fail(405, { details: {} }, { allow: allowHeader(match.route) });
    if (!routeProduces(accept, servedTypes.get(operation) ?? [])) return notAcceptableByRouter(accept);

    // 5. Content negotiation: a watch streams `application/json;stream=watch` framing of JSON.
    // kube-apiserver serves YAML wherever it serves JSON, and a Table (kubectl's columns) for a
    // resource's reads and lists; a subresource such as /status has no table convertor.
    const served = (servedTypes.get(operation) ?? ['application/json']).filter((type) => type !== WATCH_MEDIA_TYPE);
    if (served.includes('application/json') && !served.includes('application/yaml')) served.push('application/yaml');
    const operationRoleOf = roles.get(operation);
    const table =
      operationRoleOf?.role === 'list' ||
      (operationRoleOf?.role === 'read' && operationRoleOf.subresource === undefined);
    const representation = negotiateRepresentation(accept, { served, table });
    if (!representation && !acceptsWatchStream(accept, servedTypes.get(operation))) return notAcceptable(served);
    if (representation) {
      mediaType = representation.mediaType;
      pretty ||= representation.pretty;
    }

    // 6. Path parameters: decode, then apply kube-apiserver's name rules (see names.ts).
    const params: Record<string, string> = {};
    for (const [key, raw] of Object.entries(match.rawParams)) {
      try {
        params[key] = decodedPath === undefined ? decodeURIComponent(raw) : raw;
      } catch {
        // Valid escapes that do not decode to UTF-8, such as %C3%28.
        return fail(400, { message: 'invalid UTF-8 in the request path' });
      }
    }
    if (params.name !== undefined) {
      const problems = pathSegmentProblems(params.name);
      if (problems.length > 0)
        return fail(400, { message: `Name parameter invalid: ${JSON.stringify(params.name)}: ${problems.join(';')}` });
    }
    const role = roles.get(operation) as OperationRole;
    for (const parameter of operation.parameters) {
      if (parameter.in !== 'path') continue;
      const value = params[parameter.name] ?? '';
      const { minLength = 0, maxLength = Infinity } = parameter.schema ?? {};
      // A value outside the spec's parameter schema cannot name an existing object: not found, as kube-apiserver answers a read.
      if (role.role === 'read' && params.name !== undefined && (value.length < minLength || value.length > maxLength)) {
        return fail(404, {
          message: `${role.resource} ${JSON.stringify(params.name)} not found`,
          details: { name: params.name, kind: role.resource },
        });
      }
    }

    // 7. The operation (authorisation, lookup, list, watch, write), the same code for every operation.
    const apiVersion = apiVersionOf(match.route.template);
    const outcome = isWriteRole(role)
      ? serveWrite(context.writes, {
          role,
          params,
          query,
          principal,
          apiVersion,
          body: request.body,
          contentType: firstHeader(request.headers['content-type']),
          userAgent: firstHeader(request.headers['user-agent']),
        })
      : serveOperation(store, { role, params, query, principal, apiVersion, namespacedOnly: Boolean(gateway) });

    // 8. Encoding.
    if (outcome.kind === 'status') {
      const status = catalog.build(outcome.code, outcome.overrides);
      if (outcome.continueToken) status.metadata = { ...status.metadata, continue: outcome.continueToken };
      return reply(outcome.code, status);
    }
    if (outcome.kind === 'object') {
      if (!representation?.convert) return reply(outcome.status, outcome.body);
      const converted = toTable(outcome.body as never, {
        conversion: representation.convert,
        includeObject: query.get('includeObject'),
        now: Date.now(),
      });
      return 'table' in converted
        ? reply(outcome.status, converted.table)
        : fail(400, { message: converted.badRequest });
    }
    return {
      kind: 'stream',
      status: 200,
      // kube-apiserver frames a JSON watch as newline-delimited JSON but labels it plain
      // application/json (";stream=watch" is added for other serializers only); checked against v1.20.
      headers: headers({ 'content-type': 'application/json' }),
      start: (sink) =>
        startWatch(store, outcome.scope, outcome.options, sink, {
          ...context.watch,
          expired: (message) => catalog.build(410, { reason: 'Expired', message }),
        }),
    };
  };
}

/** Go's net/http answer to a request line it cannot parse: plain text, and the connection closed. */
function goBadRequest(): MockReply {
  return {
    kind: 'reply',
    status: 400,
    headers: { 'content-type': 'text/plain; charset=utf-8', connection: 'close' },
    body: '400 Bad Request',
  };
}

/** The path as Go's URL.Path holds it (percent-decoded); undefined when it does not decode to UTF-8. */
function decodePath(rawPath: string): string | undefined {
  try {
    return decodeURIComponent(rawPath);
  } catch {
    return undefined;
  }
}

/**
 * go-restful's Route.matchesAccept: some entry of the Accept header, its parameters dropped, is
 * `*\/*` or one of the media types the route produces — as written, case and all. kube-apiserver's
 * routes produce JSON, YAML and protobuf (and the watch stream on lists). No Accept matches.
 */
function routeProduces(accept: string | undefined, specTypes: readonly string[]): boolean {
  if (accept === undefined || accept.trim() === '') return true;
  const produces = new Set([
    ...ENCODABLE_TYPES,
    'application/vnd.kubernetes.protobuf',
    ...specTypes.map((type) => type.split(';')[0]!.trim()),
  ]);
  return accept.split(',').some((entry) => {
    const mediaType = (entry.split(';')[0] ?? '').trim();
    return mediaType === '*/*' || produces.has(mediaType);
  });
}

/** A watch may also be asked for as `application/json;stream=watch` when the spec declares it. */
function acceptsWatchStream(accept: string | undefined, served: readonly string[] | undefined): boolean {
  if (!accept || !served?.includes(WATCH_MEDIA_TYPE)) return false;
  return accept.split(',').some((range) => range.replace(/\s+/g, '').toLowerCase() === WATCH_MEDIA_TYPE);
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
