// Serving an operation: one generic path for every operation of the spec, chosen by the role
// derived from the spec (resources.ts) — there is no branch per operation.
import type { StatusDetails } from '@cci-openapi/types';
import type { Principal } from './auth.js';
import { listObjects, type ListScope } from './list.js';
import { clusterScopeRefusal } from './gateway/cluster-scope.js';
import { goBool, parseListOptions, type ListOptions, type ListProblem } from './list-options.js';
import type { OperationRole } from './resources.js';
import type { ObjectStore } from './store.js';
import { checkWatchStart } from './watch.js';

/** What the operation answers, before encoding (the handler turns it into bytes). */
export type Outcome =
  | { kind: 'object'; status: 200 | 201; body: unknown }
  /** Text about an object (pods/log), sent as text/plain; 204 with no body when there is none yet. */
  | { kind: 'text'; status: 200 | 204; body: string }
  | {
      kind: 'status';
      code: number;
      overrides?: { message?: string; reason?: string; details?: StatusDetails };
      continueToken?: string;
    }
  | { kind: 'watch'; scope: ListScope; options: ListOptions };

export interface OperationRequest {
  role: OperationRole;
  /** Decoded path parameters. */
  params: Readonly<Record<string, string>>;
  query: ReadonlyMap<string, string>;
  principal: Principal;
  /** The apiVersion of the objects at this path ("v1" under /api/v1, "group/version" under /apis). */
  apiVersion: string;
  /** CCI's shared cluster: lists and watches across all namespaces are refused (gateway/cluster-scope.ts). */
  namespacedOnly?: boolean;
}

const fromProblem = (problem: ListProblem): Outcome => ({
  kind: 'status',
  code: problem.code,
  overrides: {
    message: problem.message,
    ...(problem.reason !== undefined ? { reason: problem.reason } : {}),
    ...(problem.details ? { details: problem.details } : {}),
  },
  ...(problem.continueToken ? { continueToken: problem.continueToken } : {}),
});

/**
 * kube-apiserver's RBAC refusal, checked before any lookup (a forbidden request learns nothing).
 * `resource` may carry a subresource ("services/status"); details name the resource alone.
 */
export function forbiddenStatus(
  principal: Principal,
  verb: string,
  resource: string,
  namespace: string | undefined,
  name?: string,
): { message: string; details: StatusDetails } | undefined {
  if (!principal.namespaces || (namespace !== undefined && principal.namespaces.has(namespace))) return undefined;
  const where = namespace === undefined ? 'at the cluster scope' : `in the namespace ${JSON.stringify(namespace)}`;
  const plural = resource.split('/')[0] as string;
  const subject = name === undefined ? plural : `${plural} ${JSON.stringify(name)}`;
  return {
    message: `${subject} is forbidden: User ${JSON.stringify(principal.user)} cannot ${verb} resource ${JSON.stringify(resource)} in API group "" ${where}`,
    details: name === undefined ? { kind: plural } : { name, kind: plural },
  };
}

function forbidden(
  principal: Principal,
  verb: string,
  resource: string,
  namespace: string | undefined,
  name?: string,
): Outcome | undefined {
  const refusal = forbiddenStatus(principal, verb, resource, namespace, name);
  return refusal && { kind: 'status', code: 403, overrides: refusal };
}

export function serveOperation(store: ObjectStore, request: OperationRequest): Outcome {
  const { role, params, principal } = request;
  if (role.role !== 'read' && role.role !== 'list') {
    const why = role.role === 'unsupported' ? role.why : `a ${role.role} is served elsewhere (request/act.ts)`;
    return { kind: 'status', code: 500, overrides: { message: `the mock cannot serve this operation: ${why}` } };
  }
  const namespace = role.namespaced ? (params.namespace ?? '') : undefined;

  if (role.role === 'read') {
    const name = params.name ?? '';
    const resource = role.subresource ? `${role.resource}/${role.subresource}` : role.resource;
    const refused = forbidden(principal, 'get', resource, namespace, name);
    if (refused) return refused;
    const object = store.get(namespace ?? '', name, role.kind);
    if (object) return { kind: 'object', status: 200, body: object };
    return {
      kind: 'status',
      code: 404,
      overrides: {
        message: `${role.resource} ${JSON.stringify(name)} not found`,
        details: { name, kind: role.resource },
      },
    };
  }

  if (request.namespacedOnly && namespace === undefined) {
    const verb = goBool(request.query.get('watch')) ? 'watch' : 'list';
    return {
      kind: 'status',
      code: 403,
      overrides: { reason: 'Forbidden', ...clusterScopeRefusal(principal.user, verb, role.resource) },
    };
  }
  const options = parseListOptions(request.query);
  if ('problem' in options) return fromProblem(options.problem);
  const refused = forbidden(principal, options.watch ? 'watch' : 'list', role.resource, namespace);
  if (refused) return refused;
  const scope: ListScope = {
    kind: role.kind,
    listKind: role.listKind,
    apiVersion: request.apiVersion,
    namespace: storageNamespace(namespace),
  };
  if (options.watch) {
    if (!role.watchable)
      return { kind: 'status', code: 405, overrides: { message: `the spec declares no watch for ${role.resource}` } };
    const problem = checkWatchStart(options);
    return problem ? fromProblem(problem) : { kind: 'watch', scope, options };
  }
  const list = listObjects(store, scope, options);
  return 'problem' in list ? fromProblem(list.problem) : { kind: 'object', status: 200, body: list };
}

/**
 * The namespace a list reads from. kube-apiserver does not check a namespace's path-segment rule on
 * a list: its storage key "<prefix>/<namespace>" goes through Go's path.Join, so ".." (and ".")
 * leave the namespace and the list covers every namespace (checked against kube-apiserver v1.20:
 * /api/v1/namespaces/%2e%2e/services lists them all). Authorisation still sees the namespace as sent.
 */
function storageNamespace(namespace: string | undefined): string | undefined {
  return namespace === '..' || namespace === '.' ? undefined : namespace;
}
