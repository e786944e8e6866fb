// GET /api/v1/namespaces/{name}: kube-apiserver always has Namespace objects, and kubectl reads one
// when a namespaced read answers 404 (to tell "no such Service" from "no such namespace"), so the
// mock answers it even though the spec describes no Namespace operation: the namespaces that hold
// served objects exist, with the four every cluster has; any other is NotFound.
import { createHash } from 'node:crypto';
import type { Principal } from './auth.js';
import { forbiddenStatus } from './operations.js';

export const NAMESPACE_PATH = /^\/api\/v1\/namespaces\/([a-z0-9]([-a-z0-9]*[a-z0-9])?)$/;
export const BUILT_IN_NAMESPACES = ['default', 'kube-node-lease', 'kube-public', 'kube-system'];

type NamespaceAnswer =
  | { status: 200; body: unknown }
  | { status: 403 | 404; message: string; details: { name: string; kind: 'namespaces' } };

/**
 * The Namespace `name` as kube-apiserver shows it, given the served objects' metadata. Namespaces
 * are cluster-scoped: a user limited to some namespaces (or anonymous) may not read them.
 */
export function readNamespace(
  name: string,
  principal: Principal,
  objects: ReadonlyArray<{ metadata?: { namespace?: string; creationTimestamp?: string } }>,
  extra: ReadonlySet<string> = new Set(),
): NamespaceAnswer {
  const details = { name, kind: 'namespaces' as const };
  // Namespaces are cluster-scoped: any namespace limit refuses them, as RBAC does.
  const refusal = forbiddenStatus(principal, 'get', 'namespaces', undefined, name);
  if (refusal) return { status: 403, message: refusal.message, details };
  const members = objects.filter((object) => object.metadata?.namespace === name);
  if (members.length === 0 && !BUILT_IN_NAMESPACES.includes(name) && !extra.has(name))
    return { status: 404, message: `namespaces ${JSON.stringify(name)} not found`, details };
  // The oldest object's creation time stands in for the namespace's own; stable across requests.
  const created =
    members
      .map((o) => o.metadata?.creationTimestamp)
      .filter((t): t is string => typeof t === 'string')
      .sort()[0] ?? '1970-01-01T00:00:00Z';
  const hex = createHash('sha256').update(`namespace/${name}`).digest('hex');
  const uid = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
  return {
    status: 200,
    body: {
      kind: 'Namespace',
      apiVersion: 'v1',
      metadata: { name, uid, resourceVersion: '1', creationTimestamp: created },
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Active' },
    },
  };
}

/**
 * GET /api/v1/namespaces when the spec has it: every namespace that exists, as readNamespace shows
 * each (a NamespaceList at the store's revision). Cluster-scoped: a namespace-limited user is refused.
 */
export function listNamespaces(
  names: readonly string[],
  principal: Principal,
  objects: ReadonlyArray<{ metadata?: { namespace?: string; creationTimestamp?: string } }>,
  resourceVersion: string,
): NamespaceAnswer | { status: 200; body: unknown } {
  const refusal = forbiddenStatus(principal, 'list', 'namespaces', undefined);
  if (refusal) return { status: 403, message: refusal.message, details: { name: '', kind: 'namespaces' } };
  const items = [...new Set(names)]
    .filter((name) => name !== '')
    .sort()
    .map((name) => readNamespace(name, principal, objects, new Set([name])))
    // kube-apiserver leaves apiVersion and kind out of list items: they are the list's.
    .flatMap((answer) => {
      if (answer.status !== 200) return [];
      const { kind: _kind, apiVersion: _apiVersion, ...item } = answer.body as Record<string, unknown>;
      return [item];
    });
  return { status: 200, body: { kind: 'NamespaceList', apiVersion: 'v1', metadata: { resourceVersion }, items } };
}
