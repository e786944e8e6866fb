// Step 8, the operation itself, chosen by the role the spec gives it (resources.ts) — the same code
// for every operation of the spec: a read or list from the store (namespaces from the namespaces
// that exist), a text read or connect about one object (connect.ts), a write (writes/), and for
// an operation the mock has no rules for, the declared 405 (README "Answers").
import type { Principal } from '../auth.js';
import { serveStreamOperation } from '../connect.js';
import { listNamespaces, readNamespace } from '../namespaces.js';
import { serveOperation, type Outcome } from '../operations.js';
import { isWriteRole } from '../resources.js';
import { apiVersionOf } from '../routes.js';
import { noWriteRules, serveWrite } from '../writes/index.js';
import type { Routed } from './route.js';
import { firstHeader, type HandlerContext, type MockRequest } from './types.js';

export interface Action {
  request: MockRequest;
  routed: Routed;
  params: Record<string, string>;
  query: ReadonlyMap<string, string>;
  principal: Principal;
}

export function act(context: HandlerContext, action: Action): Outcome {
  const { request, routed, params, query, principal } = action;
  const { role } = routed.facts;
  const apiVersion = apiVersionOf(routed.route.template);
  if (isWriteRole(role)) {
    return serveWrite(context.writes, {
      role,
      params,
      query,
      principal,
      apiVersion,
      body: request.body,
      contentType: firstHeader(request.headers['content-type']),
      userAgent: firstHeader(request.headers['user-agent']),
    });
  }
  if (role.role === 'text' || role.role === 'connect')
    return serveStreamOperation(context.store, { role, method: request.method, params, principal });
  if (role.role === 'unsupported') return noWriteRules(`${request.method} ${routed.route.template} (${role.why})`);
  const namespaces = namespaceAnswer(context, action);
  if (namespaces) return namespaces;
  return serveOperation(context.store, {
    role,
    params,
    query,
    principal,
    apiVersion,
    namespacedOnly: Boolean(context.gateway),
  });
}

/**
 * Namespaces are not stored objects in the mock: every cluster has the four built-in ones, and a
 * namespace exists while it holds objects or was declared (namespaces.ts). A read or a list (not a
 * watch) of `namespaces` answers from them; undefined for any other resource.
 */
function namespaceAnswer(context: HandlerContext, action: Action): Outcome | undefined {
  const { role } = action.routed.facts;
  if (role.role !== 'read' && role.role !== 'list') return undefined;
  if (role.resource !== 'namespaces' || role.namespaced || (role.role === 'read' && role.subresource)) return undefined;
  if (role.role === 'list' && action.query.has('watch')) return undefined;
  const objects = context.store.list();
  const answer =
    role.role === 'read'
      ? readNamespace(action.params.name ?? '', action.principal, objects, extraNamespaces(context, action))
      : listNamespaces(context.writes.namespaceNames(), action.principal, objects, String(context.store.revision()));
  if (answer.status === 200) return { kind: 'object', status: 200, body: answer.body };
  return { kind: 'status', code: answer.status, overrides: { message: answer.message, details: answer.details } };
}

function extraNamespaces(context: HandlerContext, action: Action): Set<string> {
  const name = action.params.name ?? '';
  return new Set(context.writes.namespaceExists(name) ? [name] : []);
}
