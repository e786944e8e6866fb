// The client's writes against the real kube-apiserver: the generated write operations, every patch
// format, dry runs, delete preconditions, and the two helpers — updateService under contention
// (client-go's RetryOnConflict) and applyService (kubectl's created / configured / unchanged).
// Each run works in a namespace of its own, so the read suites' Services never change.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  type CciClient,
  createCciClientFromKubeconfig,
  isCciError,
  type Service,
  type ServiceManifest,
} from '@cci-openapi/client/node';
import { sendJson, type Target } from '../src/http.js';
import { writeAdminKubeconfig } from '../src/real-server.js';

// Writes go to the second server of the run (global-setup.ts), never to the read suite's.
const server = inject('writeServer');
const namespace = `client-writes-${process.pid}`;

const service = (name: string, extra: Partial<ServiceManifest> = {}): ServiceManifest => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace, labels: { app: name } },
  spec: { selector: { app: name }, ports: [{ name: 'http', port: 80, protocol: 'TCP' }] },
  ...extra,
});

describe.skipIf(!server)('the client writes to a real kube-apiserver', () => {
  let dir: string;
  let api: CciClient;
  let target: Target;
  const admin = () => ({ authorization: `Bearer ${server!.adminToken}` });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cci-contract-writes-'));
    const kubeconfig = writeAdminKubeconfig(server!, join(dir, 'kubeconfig'));
    api = createCciClientFromKubeconfig({ kubeconfig, retry: false });
    target = { url: server!.url, ca: readFileSync(server!.servingCa) };
    await sendJson(
      target,
      {
        method: 'POST',
        path: '/api/v1/namespaces',
        headers: admin(),
        body: JSON.stringify({ metadata: { name: namespace } }),
      },
      [201],
    );
  });
  afterAll(async () => {
    if (!server) return;
    await api?.close();
    await sendJson(
      target,
      { method: 'DELETE', path: `/api/v1/namespaces/${namespace}`, headers: admin() },
      [200, 202],
    ).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });

  it('create answers the stored Service with the server-set fields; a second create is 409 AlreadyExists', async () => {
    const created = await api.createCoreV1NamespacedService({ namespace, body: service('create-1') });
    expect(created.metadata).toMatchObject({
      name: 'create-1',
      namespace,
      uid: expect.any(String),
      resourceVersion: expect.any(String),
    });
    expect(created.spec).toMatchObject({
      type: 'ClusterIP',
      sessionAffinity: 'None',
      clusterIP: expect.stringMatching(/^10\.247\./),
    });
    expect(created.spec?.ports?.[0]).toEqual({ name: 'http', port: 80, protocol: 'TCP', targetPort: 80 });
    const again = await api
      .createCoreV1NamespacedService({ namespace, body: service('create-1') })
      .catch((e: unknown) => e);
    expect(isCciError(again, 'api') && again.status).toBe(409);
    expect(isCciError(again, 'api') && again.reason).toBe('AlreadyExists');
  });

  it('dryRun=All answers as if created and stores nothing', async () => {
    const answer = await api.createCoreV1NamespacedService({ namespace, body: service('dry-1'), dryRun: 'All' });
    expect(answer.metadata?.name).toBe('dry-1');
    const read = await api.readCoreV1NamespacedService({ namespace, name: 'dry-1' }).catch((e: unknown) => e);
    expect(isCciError(read, 'api') && read.status).toBe(404);
  });

  it('the four patch formats change what they say', async () => {
    await api.createCoreV1NamespacedService({ namespace, body: service('patch-1') });
    const target = { namespace, name: 'patch-1' };
    const merged = await api.patchCoreV1NamespacedService({
      ...target,
      contentType: 'application/merge-patch+json',
      body: { metadata: { labels: { tier: 'web' } } },
    });
    expect(merged.metadata?.labels).toEqual({ app: 'patch-1', tier: 'web' });
    const strategic = await api.patchCoreV1NamespacedService({
      ...target,
      contentType: 'application/strategic-merge-patch+json',
      body: { spec: { ports: [{ name: 'metrics', port: 9090 }] } },
    });
    expect(strategic.spec?.ports?.map((p) => p.port)).toEqual([9090, 80]);
    const patched = await api.patchCoreV1NamespacedService({
      ...target,
      contentType: 'application/json-patch+json',
      body: [
        { op: 'test', path: '/spec/ports/1/port', value: 80 },
        { op: 'replace', path: '/spec/ports/1/port', value: 8080 },
      ],
    });
    expect(patched.spec?.ports?.map((p) => p.port)).toEqual([9090, 8080]);
    const applied = await api.patchCoreV1NamespacedService({
      ...target,
      contentType: 'application/apply-patch+yaml',
      fieldManager: 'contract',
      force: true,
      body: `apiVersion: v1\nkind: Service\nmetadata:\n  name: patch-1\n  annotations:\n    owner: contract\n`,
    });
    expect(applied.metadata?.annotations).toEqual({ owner: 'contract' });
    expect(
      applied.metadata?.managedFields?.some((entry) => entry.manager === 'contract' && entry.operation === 'Apply'),
    ).toBe(true);
  });

  it('updateService retries a conflict: two concurrent updates both land', async () => {
    await api.createCoreV1NamespacedService({ namespace, body: service('update-1') });
    const label = (key: string) => (s: Service) => {
      s.metadata!.labels = { ...s.metadata!.labels, [key]: 'yes' };
    };
    const results = await Promise.all(
      ['a', 'b', 'c', 'd'].map((key) => api.updateService(namespace, 'update-1', label(key))),
    );
    expect(results).toHaveLength(4);
    const final = await api.readCoreV1NamespacedService({ namespace, name: 'update-1' });
    expect(final.metadata?.labels).toEqual({ app: 'update-1', a: 'yes', b: 'yes', c: 'yes', d: 'yes' });
  });

  it('updateService gives up after its attempts with the 409, and writes nothing for a no-op', async () => {
    const created = await api.createCoreV1NamespacedService({ namespace, body: service('update-2') });
    expect(await api.updateService(namespace, 'update-2', () => undefined)).toEqual(created);
    let rounds = 0;
    const error = await api
      .updateService(
        namespace,
        'update-2',
        async (s) => {
          rounds++;
          // Someone else writes between this read and the replace, every time.
          await api.patchCoreV1NamespacedService({
            namespace,
            name: 'update-2',
            contentType: 'application/merge-patch+json',
            body: { metadata: { annotations: { round: String(rounds) } } },
          });
          s.metadata!.labels = { mine: 'yes' };
        },
        { attempts: 3 },
      )
      .catch((e: unknown) => e);
    expect(isCciError(error, 'api') && error.status).toBe(409);
    expect(rounds).toBe(3);
  });

  it('applyService: created, then unchanged, then configured (a port without a protocol sent as TCP)', async () => {
    const bare = service('apply-1');
    bare.spec = { ...bare.spec, ports: [{ name: 'http', port: 80 }] };
    const first = await api.applyService(bare, { fieldManager: 'deployer' });
    expect(first.outcome).toBe('created');
    expect((await api.applyService(service('apply-1'), { fieldManager: 'deployer' })).outcome).toBe('unchanged');
    const changed = service('apply-1');
    changed.metadata!.labels = { app: 'apply-1', tier: 'web' };
    // A dry run tells the same apart too, though it never moves the resourceVersion.
    expect((await api.applyService(service('apply-1'), { fieldManager: 'deployer', dryRun: 'All' })).outcome).toBe(
      'unchanged',
    );
    expect((await api.applyService(changed, { fieldManager: 'deployer', dryRun: 'All' })).outcome).toBe('configured');
    const third = await api.applyService(changed, { fieldManager: 'deployer' });
    expect(third.outcome).toBe('configured');
    expect(third.service.metadata?.labels).toEqual({ app: 'apply-1', tier: 'web' });
  });

  it('delete: a stale precondition is 409 and deletes nothing; then the Status of the deletion', async () => {
    const created = await api.createCoreV1NamespacedService({ namespace, body: service('delete-1') });
    const stale = await api
      .deleteCoreV1NamespacedService({ namespace, name: 'delete-1', body: { preconditions: { resourceVersion: '1' } } })
      .catch((e: unknown) => e);
    expect(isCciError(stale, 'api') && stale.status).toBe(409);
    const status = await api.deleteCoreV1NamespacedService({
      namespace,
      name: 'delete-1',
      body: { preconditions: { uid: created.metadata!.uid! } },
    });
    expect(status).toMatchObject({
      kind: 'Status',
      status: 'Success',
      details: { name: 'delete-1', kind: 'services', uid: created.metadata!.uid },
    });
  });
});
