// The operations about one object that answer no object: a text read (pods/{name}/log, text/plain)
// and a connect (pods/{name}/exec, attach, portforward; any method the spec gives, `*\/*`). The
// mock runs no containers. Like kube-apiserver it authorises, then looks the object up: a missing
// one is the real 404 NotFound Status (checked against v1.20: `pods "x" not found`, kind "pods",
// whatever the Accept). An object that is there has no node in the mock, and kube-apiserver v1.20
// answers a pod no node runs (checked by hand against one with no kubelet): its log is 204 No
// Content with no body and no Content-Type, a connect is 400 `pod x does not have a host assigned`.
import type { Principal } from './auth.js';
import { forbiddenStatus, type Outcome } from './operations.js';
import type { OperationRole } from './resources.js';
import type { ObjectStore } from './store.js';

type StreamRole = Extract<OperationRole, { role: 'text' | 'connect' }>;

/** kube-apiserver's verbs for a connect: a GET is `get`, a POST `create` (RBAC's "pods/exec" rules). */
const CONNECT_VERB: Partial<Record<string, string>> = { GET: 'get', POST: 'create', PUT: 'update', DELETE: 'delete' };

export function serveStreamOperation(
  store: ObjectStore,
  request: { role: StreamRole; method: string; params: Readonly<Record<string, string>>; principal: Principal },
): Outcome {
  const { role, params, principal } = request;
  const namespace = role.namespaced ? (params.namespace ?? '') : undefined;
  const name = params.name ?? '';
  const verb = role.role === 'text' ? 'get' : (CONNECT_VERB[request.method] ?? 'get');
  const refusal = forbiddenStatus(principal, verb, `${role.resource}/${role.subresource}`, namespace, name);
  if (refusal) return { kind: 'status', code: 403, overrides: refusal };
  const object = role.kind === undefined ? undefined : store.get(namespace ?? '', name, role.kind);
  if (!object) {
    const message = `${role.resource} ${JSON.stringify(name)} not found`;
    return { kind: 'status', code: 404, overrides: { message, details: { name, kind: role.resource } } };
  }
  if (role.role === 'text') return { kind: 'text', status: 204, body: '' };
  const singular = (role.kind ?? role.resource).toLowerCase();
  return {
    kind: 'status',
    code: 400,
    overrides: { reason: 'BadRequest', message: `${singular} ${name} does not have a host assigned` },
  };
}
