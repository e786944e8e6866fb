// Step 5, which operation: the spec's route for the decoded path (kube-apiserver routes on Go's
// URL.Path, so an encoded "/" in a name adds a segment: no route, the generic 404), its method
// (405 with Allow), and go-restful's check that the Accept header names something the route produces.
import type { Principal } from '../auth.js';
import { NAMESPACE_PATH, readNamespace } from '../namespaces.js';
import { ENCODABLE_TYPES } from '../negotiation.js';
import { CONNECT_MEDIA_TYPE, okMediaTypes, operationRole, type OperationRole } from '../resources.js';
import { allowHeader, matchRoute, type CompiledOperation, type CompiledRoute } from '../routes.js';
import type { OpenApiDocument } from '../spec.js';
import type { Responder } from './responder.js';
import { decodePath, type Target } from './target.js';
import { firstHeader, stop, type HandlerContext, type MockRequest, type Stop } from './types.js';

/** What the spec says about one operation, worked out once when the handler is built. */
export interface OperationFacts {
  /** The media types of its 200 response (JSON when it declares none). */
  okTypes: string[];
  role: OperationRole;
}

export interface Routed {
  route: CompiledRoute;
  operation: CompiledOperation;
  facts: OperationFacts;
  /** Go's URL.Path; undefined when the raw path does not decode to UTF-8. */
  decodedPath: string | undefined;
  rawParams: Record<string, string>;
}

export function describeOperations(
  spec: OpenApiDocument,
  routes: readonly CompiledRoute[],
): Map<CompiledOperation, OperationFacts> {
  const facts = new Map<CompiledOperation, OperationFacts>();
  for (const route of routes) {
    for (const op of route.operations.values()) {
      const okTypes = op.operation.responses?.['200'] ? okMediaTypes(spec, op) : ['application/json'];
      facts.set(op, { okTypes, role: operationRole(spec, route, op) });
    }
  }
  return facts;
}

export function routeRequest(
  context: HandlerContext,
  facts: ReadonlyMap<CompiledOperation, OperationFacts>,
  request: MockRequest,
  target: Target,
  principal: Principal,
  respond: Responder,
): Routed | Stop {
  const decodedPath = decodePath(target.rawPath);
  const match = matchRoute(context.routes, decodedPath ?? target.rawPath);
  if (match.kind === 'none') {
    const namespace = request.method === 'GET' ? NAMESPACE_PATH.exec(target.rawPath)?.[1] : undefined;
    if (namespace !== undefined) return stop(answerNamespace(context, namespace, principal, respond));
    return stop(respond.fail(404, { message: 'the server could not find the requested resource', details: {} }));
  }
  const operation = match.route.operations.get(request.method.toLowerCase() as never);
  if (!operation) return stop(respond.fail(405, { details: {} }, { allow: allowHeader(match.route) }));
  const known = facts.get(operation) as OperationFacts;
  const accept = firstHeader(request.headers.accept);
  if (!routeProduces(accept, known.okTypes)) return stop(respond.notAcceptableByRouter(accept));
  return { route: match.route, operation, facts: known, decodedPath, rawParams: match.rawParams };
}

/**
 * GET /api/v1/namespaces/{name} when the spec has no Namespace read: kubectl reads the namespace
 * after a namespaced 404, so the mock answers it anyway (namespaces.ts).
 */
function answerNamespace(context: HandlerContext, name: string, principal: Principal, respond: Responder) {
  const extra = new Set(context.writes.namespaceExists(name) ? [name] : []);
  const answer = readNamespace(name, principal, context.store.list(), extra);
  return answer.status === 200
    ? respond.reply(200, answer.body)
    : respond.fail(answer.status, { message: answer.message, details: answer.details });
}

/**
 * go-restful's Route.matchesAccept: some entry of the Accept header, its parameters dropped, is
 * `*\/*` or one of the media types the route produces — as written, case and all. kube-apiserver's
 * routes produce JSON, YAML and protobuf (and the watch stream on lists); a connect route produces
 * `*\/*`, which matches any Accept. No Accept matches.
 */
function routeProduces(accept: string | undefined, specTypes: readonly string[]): boolean {
  if (accept === undefined || accept.trim() === '') return true;
  if (specTypes.includes(CONNECT_MEDIA_TYPE)) return true;
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
