// The mock on upstream core/v1 operations it has no code for (the bundled spec enlarged with
// operations of Kubernetes' own swagger: packages/mock-server/test/helpers/upstream-spec.ts) against
// the real kube-apiserver, answer by answer, for each kind of operation the issue names: lists of
// another kind (namespaced, across namespaces, a watch), named reads of missing objects (namespaced
// and cluster-scoped), namespaces, a text/plain read (pods/log), a connect (pods/exec by GET and
// POST, any Accept), and writes the mock has no rules for (its declared 405; the real server is
// asked with dryRun=All so nothing is stored). Differences must be declared in differences.yaml.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startMockServer, type MockServer, type OpenApiDocument } from '@cci-openapi/mock-server';
import { DifferenceLedger, loadDeclarations } from '../src/declared.js';
import { diff } from '../src/diff.js';
import { send, type Target } from '../src/http.js';
import { viewOf } from '../src/view.js';
import { enlargedSpec } from '../../packages/mock-server/test/helpers/upstream-spec.js';

const server = inject('realServer');
const declarations = loadDeclarations(new URL('../differences.yaml', import.meta.url).pathname);

interface UpstreamCase {
  id: string;
  method: string;
  path: string;
  accept?: string;
  body?: string;
  watch?: boolean;
}

const CONFIG_MAP = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'contract-probe' } });
const EXEC = '/api/v1/namespaces/default/pods/nope/exec?command=ls&stdout=true';
const LOG = '/api/v1/namespaces/default/pods/nope/log';

const cases: UpstreamCase[] = [
  { id: 'listCoreV1NamespacedConfigMap default', method: 'GET', path: '/api/v1/namespaces/default/configmaps' },
  {
    id: 'listCoreV1NamespacedConfigMap watch',
    method: 'GET',
    path: '/api/v1/namespaces/default/configmaps?watch=1&timeoutSeconds=1',
    watch: true,
  },
  { id: 'listCoreV1ConfigMapForAllNamespaces', method: 'GET', path: '/api/v1/configmaps' },
  { id: 'listCoreV1Node', method: 'GET', path: '/api/v1/nodes' },
  { id: 'listCoreV1Namespace', method: 'GET', path: '/api/v1/namespaces' },
  { id: 'readCoreV1Namespace default', method: 'GET', path: '/api/v1/namespaces/default' },
  { id: 'readCoreV1Namespace missing (404)', method: 'GET', path: '/api/v1/namespaces/nope' },
  { id: 'readCoreV1Node missing (404)', method: 'GET', path: '/api/v1/nodes/nope' },
  {
    id: 'readCoreV1NamespacedEndpoints missing (404)',
    method: 'GET',
    path: '/api/v1/namespaces/default/endpoints/nope',
  },
  { id: 'readCoreV1NamespacedPodLog missing (404)', method: 'GET', path: LOG },
  { id: 'readCoreV1NamespacedPodLog missing accept */* (404)', method: 'GET', path: LOG, accept: '*/*' },
  { id: 'readCoreV1NamespacedPodLog missing accept yaml (404)', method: 'GET', path: LOG, accept: 'application/yaml' },
  { id: 'readCoreV1NamespacedPodLog accept text/plain (406)', method: 'GET', path: LOG, accept: 'text/plain' },
  { id: 'connectCoreV1GetNamespacedPodExec missing accept */* (404)', method: 'GET', path: EXEC, accept: '*/*' },
  {
    id: 'connectCoreV1GetNamespacedPodExec missing accept text/html (404)',
    method: 'GET',
    path: EXEC,
    accept: 'text/html',
  },
  { id: 'connectCoreV1PostNamespacedPodExec missing (404)', method: 'POST', path: EXEC },
  { id: 'connectCoreV1PostNamespacedPodExec missing accept */* (404)', method: 'POST', path: EXEC, accept: '*/*' },
  {
    id: 'createCoreV1NamespacedConfigMap dry run (201)',
    method: 'POST',
    path: '/api/v1/namespaces/default/configmaps?dryRun=All',
    body: CONFIG_MAP,
  },
  {
    id: 'deleteCoreV1CollectionNamespacedConfigMap dry run (200)',
    method: 'DELETE',
    path: '/api/v1/namespaces/default/configmaps?dryRun=All',
  },
];

describe.skipIf(!server)('contract: the mock on upstream core/v1 operations vs kube-apiserver', () => {
  let mock: MockServer;
  let real: Target;
  let token: string;
  const ledger = new DifferenceLedger(
    declarations,
    cases.map((c) => c.id),
  );

  beforeAll(async () => {
    if (!server) return;
    token = server.adminToken;
    real = { url: server.url, ca: readFileSync(server.servingCa) };
    mock = await startMockServer({ profile: 'kube', spec: enlargedSpec() as OpenApiDocument, tokens: [token] });
  });
  afterAll(() => mock?.close());

  const ask = (target: Target, c: UpstreamCase) =>
    send(target, {
      method: c.method,
      path: c.path,
      headers: {
        authorization: `Bearer ${token}`,
        ...(c.accept && { accept: c.accept }),
        ...(c.body && { 'content-type': 'application/json' }),
      },
      ...(c.body && { body: c.body }),
    });

  it.each(cases.map((c) => [c.id, c] as const))('%s', async (_id, c) => {
    const [realAnswer, mockAnswer] = await Promise.all([ask(real, c), ask({ url: mock.url }, c)]);
    const [realView, mockView] = [viewOf(realAnswer, c.watch), viewOf(mockAnswer, c.watch)];
    const named = /\((\d{3})\)$/.exec(c.id)?.[1];
    if (named) expect(realView.status, `the real server's status for ${c.id}`).toBe(Number(named));
    const undeclared = ledger.record(c.id, diff(realView, mockView));
    expect(
      undeclared.map((d) => `${d.path || '(answer)'}: real ${JSON.stringify(d.real)} | mock ${JSON.stringify(d.mock)}`),
      'undeclared differences (fix the mock or declare them in contract/differences.yaml)',
    ).toEqual([]);
  });

  it('names the resources of the spec in /api/v1 with the real kind and scope', async () => {
    const discovery = async (target: Target) =>
      JSON.parse((await send(target, { path: '/api/v1', headers: { authorization: `Bearer ${token}` } })).body);
    const [realList, mockList] = await Promise.all([discovery(real), discovery({ url: mock.url })]);
    const shape = (resource: any) => ({ name: resource.name, kind: resource.kind, namespaced: resource.namespaced });
    const realByName = new Map(realList.resources.map((resource: any) => [resource.name, shape(resource)]));
    for (const resource of mockList.resources)
      expect(shape(resource), resource.name).toEqual(realByName.get(resource.name));
  });

  it('declares only differences that still occur', (ctx) => {
    if (!ledger.complete()) ctx.skip();
    expect(ledger.stale(), 'declared differences that no longer occur').toEqual([]);
  });
});
