// The mock on operations of upstream Kubernetes it has no code for (helpers/upstream-spec.ts): every
// operation of the enlarged spec is routed and answers what kube-apiserver v1.20 answers (the
// contract suite compares the same requests with a real one, contract/test/upstream-operations), or
// the declared 405 for a write it has no rules for. Expectations are derived from the spec: the
// operation's path, its kind, and upstream's own `x-kubernetes-action`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockServer, type MockServer } from '../src/index.js';
import { request, TOKEN } from './helpers/http.js';
import {
  enlargedSpec,
  extractOperations,
  readUpstreamSwagger,
  UPSTREAM_OPERATION_IDS,
  upstreamFixture,
} from './helpers/upstream-spec.js';
import { openWatch } from './helpers/watch.js';

const spec = enlargedSpec();
const bearer = { authorization: `Bearer ${TOKEN}` };
let server: MockServer;
beforeAll(async () => {
  server = await startMockServer({ profile: 'kube', spec });
});
afterAll(() => server.close());

const get = (path: string, init: RequestInit = {}) =>
  request(`${server.url}${path}`, { token: null, ...init, headers: { ...bearer, ...(init.headers as object) } });

/** The upstream operations of the enlarged spec, with what upstream says each does. */
const upstream = Object.entries(upstreamFixture().paths).flatMap(([path, item]) =>
  Object.entries<any>(item)
    .filter(([method]) => method !== 'parameters')
    .map(([method, op]) => ({
      path,
      method: method.toUpperCase(),
      id: op.operationId as string,
      action: op['x-kubernetes-action'] as string,
      kind: op['x-kubernetes-group-version-kind']?.kind as string,
    })),
);
const concrete = (path: string) => path.replace('{namespace}', 'default').replace('{name}', 'nope');
/** kube-apiserver's resource name of a path: the segment before {name}, else the last one (pods/exec → pods). */
const resourceOf = (path: string) => {
  const segments = path.split('/');
  const at = segments.indexOf('{name}');
  return at === -1 ? segments.at(-1)! : segments[at - 1]!;
};

describe('the mock on upstream core/v1 operations', () => {
  it('keeps the fixture exactly as the upstream swagger has it', () => {
    expect(upstreamFixture()).toEqual(extractOperations(readUpstreamSwagger(), UPSTREAM_OPERATION_IDS));
  });

  it('answers every list with 200 and an empty list of the kind, namespaced and across namespaces', async () => {
    const lists = upstream.filter((op) => op.action === 'list' && op.path !== '/api/v1/namespaces');
    expect(lists.map((op) => op.id)).toEqual(
      expect.arrayContaining(['listCoreV1ConfigMapForAllNamespaces', 'listCoreV1Node']),
    );
    for (const op of lists) {
      const answer = await get(concrete(op.path));
      expect(answer.status, op.id).toBe(200);
      expect(answer.json).toMatchObject({ kind: `${op.kind}List`, apiVersion: 'v1', items: [] });
    }
  });

  it('watches objects of another kind: a ConfigMap put in the store reaches a watch of its namespace', async () => {
    const watch = await openWatch(`${server.url}/api/v1/namespaces/default/configmaps?watch=1`, bearer);
    expect(watch.status).toBe(200);
    server.store.apply({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'settings', namespace: 'default' },
    } as never);
    const first = await watch.next(5_000);
    watch.close();
    expect(first).toMatchObject({ type: 'ADDED', object: { kind: 'ConfigMap', metadata: { name: 'settings' } } });
    const list = await get('/api/v1/configmaps');
    expect(list.json.items.map((item: any) => item.metadata.name)).toEqual(['settings']);
    server.store.delete('default', 'settings', 'ConfigMap');
  });

  it('answers a named read of a missing object, namespaced or cluster-scoped, with the real 404 Status', async () => {
    const reads = upstream.filter((op) => op.action === 'get' && op.path.endsWith('{name}') && op.kind !== 'Namespace');
    expect(reads.map((op) => op.id)).toEqual(['readCoreV1NamespacedEndpoints', 'readCoreV1Node']);
    for (const op of reads) {
      const answer = await get(concrete(op.path));
      expect(answer.status, op.id).toBe(404);
      expect(answer.json).toEqual({
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: `${resourceOf(op.path)} "nope" not found`,
        reason: 'NotFound',
        details: { name: 'nope', kind: resourceOf(op.path) },
        code: 404,
      });
    }
  });

  it('reads and lists namespaces as the cluster has them: the four built-in ones and those of the objects', async () => {
    expect((await get('/api/v1/namespaces/kube-system')).json).toMatchObject({
      kind: 'Namespace',
      status: { phase: 'Active' },
    });
    expect((await get('/api/v1/namespaces/nope')).json).toMatchObject({ code: 404, details: { kind: 'namespaces' } });
    const list = await get('/api/v1/namespaces');
    expect(list.json.kind).toBe('NamespaceList');
    const names = list.json.items.map((item: any) => item.metadata.name);
    const held = server.store.list().map((service) => service.metadata?.namespace);
    expect(names).toEqual([...new Set(['default', 'kube-node-lease', 'kube-public', 'kube-system', ...held])].sort());
  });

  it('answers pods/log (text/plain) for a missing pod with the 404 Status, in JSON or YAML, and 406 to text/plain only', async () => {
    const log = upstream.find((op) => op.id === 'readCoreV1NamespacedPodLog')!;
    const json = await get(concrete(log.path));
    expect([json.status, json.headers.get('content-type'), json.json.message]).toEqual([
      404,
      'application/json',
      'pods "nope" not found',
    ]);
    const yaml = await get(concrete(log.path), { headers: { accept: 'application/yaml' } });
    expect([yaml.status, yaml.headers.get('content-type')]).toEqual([404, 'application/yaml']);
    const text = await get(concrete(log.path), { headers: { accept: 'text/plain' } });
    expect([text.status, text.json.reason]).toEqual([406, 'NotAcceptable']);
  });

  it('answers a connect (*/*) by GET and POST for a missing pod with the 404 Status, never 406', async () => {
    const connects = upstream.filter((op) => op.action === 'connect');
    expect(connects.map((op) => op.method)).toEqual(['GET', 'POST']);
    for (const op of connects) {
      for (const accept of ['*/*', 'text/html', 'application/json']) {
        const answer = await get(`${concrete(op.path)}?command=ls&stdout=true`, {
          method: op.method,
          headers: { accept },
        });
        expect([answer.status, answer.json?.details], `${op.id} ${accept}`).toEqual([
          404,
          { name: 'nope', kind: 'pods' },
        ]);
        // Nothing negotiable: kube-apiserver writes the error as indented JSON.
        expect(answer.text.startsWith('{\n'), `${op.id} ${accept}`).toBe(accept === 'text/html');
      }
    }
  });

  it('answers pods/log and pods/exec for a pod that is there as kube-apiserver does for one no node runs', async () => {
    // The spec plus a read of pods (with a minimal Pod schema), so that a Pod can be held and found.
    const withPods = structuredClone(spec) as any;
    withPods.components.schemas.Pod = {
      type: 'object',
      required: ['metadata'],
      properties: {
        apiVersion: { type: 'string' },
        kind: { type: 'string' },
        metadata: { $ref: '#/components/schemas/ObjectMeta' },
      },
    };
    const log = withPods.paths['/api/v1/namespaces/{namespace}/pods/{name}/log'];
    withPods.paths['/api/v1/namespaces/{namespace}/pods/{name}'] = {
      parameters: log.parameters.filter((p: any) => p.in === 'path'),
      get: {
        operationId: 'readCoreV1NamespacedPod',
        responses: {
          '200': {
            description: 'OK',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Pod' } } },
          },
        },
      },
    };
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p1', namespace: 'default' } };
    const podServer = await startMockServer({ profile: 'kube', spec: withPods, fixtures: [pod] });
    try {
      const ask = (path: string, method = 'GET') =>
        request(`${podServer.url}${path}`, { token: null, method, headers: bearer });
      const text = await ask('/api/v1/namespaces/default/pods/p1/log');
      expect([text.status, text.text, text.headers.get('content-type')]).toEqual([204, '', null]);
      for (const method of ['GET', 'POST']) {
        const exec = await ask('/api/v1/namespaces/default/pods/p1/exec?command=ls&stdout=true', method);
        expect([exec.status, exec.json.reason, exec.json.message]).toEqual([
          400,
          'BadRequest',
          'pod p1 does not have a host assigned',
        ]);
      }
    } finally {
      await podServer.close();
    }
  });

  it('answers a write to a kind without write rules with the declared 405 MethodNotAllowed', async () => {
    const writes = upstream.filter((op) => op.action === 'post' || op.action === 'deletecollection');
    expect(writes.map((op) => op.id).sort()).toEqual([
      'createCoreV1NamespacedConfigMap',
      'deleteCoreV1CollectionNamespacedConfigMap',
    ]);
    for (const op of writes) {
      const body = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } });
      const answer = await get(concrete(op.path), {
        method: op.method,
        body,
        headers: { 'content-type': 'application/json' },
      });
      expect([answer.status, answer.json.reason], op.id).toEqual([405, 'MethodNotAllowed']);
      expect(answer.json.message, op.id).toMatch(/^the mock has no write rules for /);
    }
  });

  it('lists every resource of the spec in discovery, with the verbs of its operations', async () => {
    const verbOf = (op: (typeof upstream)[number]) =>
      op.action === 'connect' ? (op.method === 'GET' ? 'get' : 'create') : op.action === 'post' ? 'create' : op.action;
    const expected = new Map<string, Set<string>>();
    for (const op of upstream) {
      const sub = /\{name\}\/([a-z]+)$/.exec(op.path)?.[1];
      const name = sub ? `${resourceOf(op.path)}/${sub}` : resourceOf(op.path);
      expected.set(name, (expected.get(name) ?? new Set()).add(verbOf(op)));
      if (op.action === 'list') expected.get(name)!.add('watch');
    }
    const discovery = (await get('/api/v1')).json;
    for (const [name, verbs] of expected) {
      const entry = discovery.resources.find((resource: any) => resource.name === name);
      expect(entry?.verbs, name).toEqual([...verbs].sort());
    }
    expect(discovery.resources.find((r: any) => r.name === 'pods/exec')).toMatchObject({
      kind: 'PodExecOptions',
      namespaced: true,
    });
    expect(discovery.resources.find((r: any) => r.name === 'nodes')).toMatchObject({ kind: 'Node', namespaced: false });
  });
});
