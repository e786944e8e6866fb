// The contract cases, derived from the GET operations of the bundled spec: a new operation or a
// new query parameter in the spec brings its cases without an edit here.
import type { Service } from '@cci-openapi/types';
import { operationsOf } from '@cci-openapi/spec-kit';

export type Auth = 'admin' | 'reader' | 'none' | 'bad-token';

export interface ContractCase {
  /** "<operationId> <what>", unique; differences.yaml refers to it. */
  id: string;
  operationId: string;
  method: string;
  /** Raw path and query, sent as written. */
  path: string;
  auth: Auth;
  headers: Record<string, string>;
  /** Follow metadata.continue until the last page (pagination). */
  followContinue?: boolean;
  /** A watch: the answer is a stream of events. */
  watch?: boolean;
  /** A list served from kube-apiserver's watch cache (resourceVersion=0): its order is not defined. */
  unordered?: boolean;
}

export interface SpecOperation {
  operationId: string;
  template: string;
  pathParams: string[];
  queryParams: Set<string>;
}

export function getOperations(spec: any): SpecOperation[] {
  return operationsOf(spec)
    .filter((op) => op.method === 'get' && op.operationId)
    .map(({ operationId, path, parameters }) => ({
      operationId,
      template: path,
      pathParams: parameters.filter((p: any) => p.in === 'path').map((p: any) => p.name),
      queryParams: new Set(parameters.filter((p: any) => p.in === 'query').map((p: any) => p.name)),
    }))
    .sort((a, b) => a.template.localeCompare(b.template));
}

const JSON_ACCEPT = 'application/json';
const AGENT = 'cci-openapi-contract/1';
const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io';

/** Which methods kube-apiserver refuses with 405 on a path of this shape (never one that writes). */
function refusedMethods(op: SpecOperation): string[] {
  if (op.template.endsWith('/status')) return ['POST', 'DELETE'];
  if (op.pathParams.includes('name')) return ['POST'];
  if (op.pathParams.includes('namespace')) return ['PUT'];
  return ['POST', 'PUT'];
}

export function contractCases(spec: any, seeds: Service[]): ContractCase[] {
  const cases: ContractCase[] = [];
  const namespace = seeds[0]?.metadata?.namespace ?? 'default';
  const names = seeds
    .filter((s) => (s.metadata?.namespace ?? 'default') === namespace)
    .map((s) => s.metadata?.name ?? '');
  const first = names[0] ?? 'redis';
  for (const op of getOperations(spec)) {
    const hasName = op.pathParams.includes('name');
    const hasNamespace = op.pathParams.includes('namespace');
    const path = (params: { namespace?: string; name?: string } = {}, query = '') =>
      op.template.replace('{namespace}', params.namespace ?? namespace).replace('{name}', params.name ?? first) +
      (query ? `?${query}` : '');
    const add = (what: string, c: Partial<ContractCase> & { path: string }) =>
      cases.push({
        id: `${op.operationId} ${what}`,
        operationId: op.operationId,
        method: 'GET',
        auth: 'admin',
        headers: { accept: JSON_ACCEPT, 'user-agent': AGENT },
        ...c,
      });
    const withHeaders = (extra: Record<string, string>) => ({ accept: JSON_ACCEPT, 'user-agent': AGENT, ...extra });

    // 200: every seed Service (or the list).
    if (hasName) for (const name of names) add(`get ${name}`, { path: path({ name }) });
    else add('list', { path: path() });

    // 404 and the name rules (kube-apiserver's path-segment rule: 400 for ".", "..", "/" and "%").
    if (hasName) {
      add('name nope (404)', { path: path({ name: 'nope' }) });
      add('name upper-case (404)', { path: path({ name: 'Redis' }) });
      add('name 64 characters (404)', { path: path({ name: 'a'.repeat(64) }) });
      add('name a%25b (400)', { path: path({ name: 'a%25b' }) });
      add('name .. (400)', { path: path({ name: '..' }) });
      add('name . (400)', { path: path({ name: '.' }) });
      add('name %2e%2e (400)', { path: path({ name: '%2e%2e' }) });
      add('name a%2Fb (404)', { path: path({ name: 'a%2Fb' }) });
      add('name a%zzb, bad escape (400)', { path: path({ name: 'a%zzb' }) });
    }
    if (hasNamespace) {
      // A read in a missing namespace is 404; a list there is empty.
      add(hasName ? 'namespace missing (404)' : 'namespace missing', {
        path: path({ namespace: 'no-such-namespace' }),
      });
      add(hasName ? 'namespace %2e%2e (404)' : 'namespace %2e%2e', { path: path({ namespace: '%2e%2e' }) });
      add('namespace a%2Fb (404)', { path: path({ namespace: 'a%2Fb' }) });
    }

    // Authentication and authorisation.
    add('no credentials', { path: path(), auth: 'none' });
    add('unknown bearer token (401)', { path: path(), auth: 'bad-token' });
    add('user without rights (403)', { path: path(), auth: 'reader' });
    if (hasName) add('user without rights, missing name (403)', { path: path({ name: 'nope' }), auth: 'reader' });

    // Content negotiation.
    add('accept yaml', { path: path(), headers: withHeaders({ accept: 'application/yaml' }) });
    if (hasName)
      add('accept yaml, 404', { path: path({ name: 'nope' }), headers: withHeaders({ accept: 'application/yaml' }) });
    add('accept */*', { path: path(), headers: withHeaders({ accept: '*/*' }) });
    add('accept application/*', { path: path(), headers: withHeaders({ accept: 'application/*' }) });
    add('accept none', { path: path(), headers: { 'user-agent': AGENT } });
    add('accept bogus (406)', { path: path(), headers: withHeaders({ accept: 'application/bogus' }) });
    add('accept protobuf', { path: path(), headers: withHeaders({ accept: 'application/vnd.kubernetes.protobuf' }) });
    add('accept Table only', { path: path(), headers: withHeaders({ accept: TABLE }) });
    add('accept Table, json', { path: path(), headers: withHeaders({ accept: `${TABLE},${JSON_ACCEPT}` }) });

    // Methods the server refuses on this path.
    for (const method of refusedMethods(op)) {
      add(`method ${method} (405)`, {
        path: path(),
        method,
        headers: withHeaders({ 'content-type': 'application/json' }),
      });
    }

    // The pretty rules: indented for curl/wget/browsers unless pretty=false, and with pretty=true.
    if (op.queryParams.has('pretty')) {
      add('pretty default, curl', { path: path(), headers: withHeaders({ 'user-agent': 'curl/7.88.1' }) });
      add('pretty default, browser', {
        path: path(),
        headers: withHeaders({ 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64)' }),
      });
      add('pretty default, other agent', { path: path() });
      add('pretty=true', { path: path({}, 'pretty=true') });
      add('pretty=1', { path: path({}, 'pretty=1') });
      add('pretty=false, curl', {
        path: path({}, 'pretty=false'),
        headers: withHeaders({ 'user-agent': 'curl/7.88.1' }),
      });
      add('pretty=bogus', { path: path({}, 'pretty=bogus') });
      if (hasName) add('pretty=true, 404', { path: path({ name: 'nope' }, 'pretty=true') });
    }

    // Lists: selectors and pagination.
    if (op.queryParams.has('labelSelector')) {
      add('labelSelector app=web', { path: path({}, 'labelSelector=app%3Dweb') });
      add('labelSelector app!=web', { path: path({}, 'labelSelector=app%21%3Dweb') });
      add('labelSelector app in (redis)', { path: path({}, `labelSelector=${encodeURIComponent('app in (redis)')}`) });
      add('labelSelector no match', { path: path({}, 'labelSelector=app%3Dnone') });
      add('labelSelector malformed (400)', { path: path({}, `labelSelector=${encodeURIComponent('app in redis')}`) });
    }
    if (op.queryParams.has('fieldSelector')) {
      add(`fieldSelector metadata.name=${first}`, { path: path({}, `fieldSelector=metadata.name%3D${first}`) });
      add('fieldSelector unsupported field (400)', { path: path({}, 'fieldSelector=spec.type%3DClusterIP') });
    }
    if (op.queryParams.has('limit')) {
      add('limit=2, every page', { path: path({}, 'limit=2'), followContinue: op.queryParams.has('continue') });
      add('limit=100', { path: path({}, 'limit=100') });
    }
    if (op.queryParams.has('continue')) add('continue malformed (400)', { path: path({}, 'continue=not-a-token') });
    if (op.queryParams.has('resourceVersion')) {
      add('resourceVersion=0 (any version)', { path: path({}, 'resourceVersion=0'), unordered: true });
      if (op.queryParams.has('limit'))
        add('resourceVersion=0, limit=2', { path: path({}, 'resourceVersion=0&limit=2'), unordered: true });
      add('resourceVersion not a number', { path: path({}, 'resourceVersion=abc') });
    }
    if (op.queryParams.has('resourceVersionMatch')) {
      add('resourceVersionMatch without resourceVersion', { path: path({}, 'resourceVersionMatch=NotOlderThan') });
      add('resourceVersionMatch=Exact, resourceVersion=0', {
        path: path({}, 'resourceVersionMatch=Exact&resourceVersion=0'),
      });
    }
    if (op.queryParams.has('watch')) {
      add('watch, initial events', { path: path({}, 'watch=true&timeoutSeconds=1'), watch: true });
      if (op.queryParams.has('resourceVersion'))
        add('watch, resourceVersion=0', {
          path: path({}, 'watch=true&timeoutSeconds=1&resourceVersion=0'),
          watch: true,
        });
      if (op.queryParams.has('labelSelector'))
        add('watch, labelSelector app=web', {
          path: path({}, 'watch=1&timeoutSeconds=1&labelSelector=app%3Dweb'),
          watch: true,
        });
    }
  }
  const ids = cases.map((c) => c.id);
  const duplicate = ids.find((id, i) => ids.indexOf(id) !== i);
  if (duplicate) throw new Error(`duplicate contract case id: ${duplicate}`);
  return cases;
}
