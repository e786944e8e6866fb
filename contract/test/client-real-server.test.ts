// The client's own calls against the real kube-apiserver: every generated operation, the alias,
// CciApiError bodies, and the kubeconfig entry with a Bearer token, a tokenFile and a client
// certificate (YAML kubeconfigs with paths relative to the file, as kubectl writes them).
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { stringify } from 'yaml';
import { CciApiError, createCciClientFromKubeconfig, type CciClient } from '@cci-openapi/client/node';
import { getOperations } from '../src/cases.js';
import { sendJson, type Target } from '../src/http.js';
import { bundledSpec, mockFixtureServices } from '../src/seed.js';

const server = inject('realServer');
const seeds = mockFixtureServices();
const operations = getOperations(bundledSpec());

type User = { token: string } | { tokenFile: string } | { 'client-certificate': string; 'client-key': string };

describe.skipIf(!server)('the client against a real kube-apiserver', () => {
  let dir: string;
  let target: Target;
  const clients: CciClient[] = [];

  /** A YAML kubeconfig in its own folder, every file named relative to it. */
  function kubeconfigFor(name: string, user: User): string {
    const file = join(dir, `${name}.kubeconfig`);
    writeFileSync(
      file,
      stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: 'real', cluster: { server: server!.url, 'certificate-authority': 'ca.crt' } }],
        users: [{ name, user }],
        contexts: [{ name, context: { cluster: 'real', user: name } }],
        'current-context': name,
      }),
    );
    return file;
  }
  function client(name: string, user: User): CciClient {
    const made = createCciClientFromKubeconfig({ kubeconfig: kubeconfigFor(name, user), retry: false });
    clients.push(made);
    return made;
  }

  beforeAll(() => {
    if (!server) return;
    dir = mkdtempSync(join(tmpdir(), 'cci-contract-client-'));
    copyFileSync(server.servingCa, join(dir, 'ca.crt'));
    copyFileSync(server.clientCert, join(dir, 'client.crt'));
    copyFileSync(server.clientKey, join(dir, 'client.key'));
    writeFileSync(join(dir, 'token'), `${server.adminToken}\n`);
    target = { url: server.url, ca: readFileSync(server.servingCa) };
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const raw = (path: string) =>
    sendJson(target, { path, headers: { authorization: `Bearer ${server!.adminToken}` } }, [200]);

  it.each(seeds.map((s) => [s.metadata?.name ?? '', s] as const))(
    'readServiceStatus %s: the Service the server holds',
    async (name, seed) => {
      const api = client('bearer', { token: server!.adminToken });
      const namespace = seed.metadata?.namespace ?? 'default';
      const service = await api.readServiceStatus({ namespace, name });
      expect(service).toEqual(await raw(`/api/v1/namespaces/${namespace}/services/${name}/status`));
      expect(service.status).toEqual(seed.status);
    },
  );

  it.each(operations.map((op) => [op.operationId, op] as const))(
    "%s: the generated operation returns the server's answer",
    async (operationId, op) => {
      const api = client('bearer', { token: server!.adminToken }) as unknown as Record<
        string,
        (params: object) => Promise<unknown>
      >;
      const params: Record<string, string> = {};
      if (op.pathParams.includes('namespace')) params.namespace = 'namespace-test';
      if (op.pathParams.includes('name')) params.name = 'redis';
      const path = op.template.replace('{namespace}', params.namespace ?? '').replace('{name}', params.name ?? '');
      expect(typeof api[operationId]).toBe('function');
      expect(await api[operationId]!(params)).toEqual(await raw(path));
    },
  );

  it('a missing Service is a CciApiError carrying the 404 Status', async () => {
    const api = client('bearer', { token: server!.adminToken });
    const error = await api.readServiceStatus({ namespace: 'namespace-test', name: 'nope' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CciApiError);
    expect(error).toMatchObject({
      status: 404,
      reason: 'NotFound',
      body: {
        kind: 'Status',
        apiVersion: 'v1',
        status: 'Failure',
        reason: 'NotFound',
        code: 404,
        message: 'services "nope" not found',
        details: { name: 'nope', kind: 'services' },
      },
    });
    // kube-apiserver names each request in Audit-Id only with auditing on; the message says what failed either way.
    expect((error as CciApiError).message).toContain('services "nope" not found');
  });

  it('a user without rights gets a CciApiError with the 403 Status', async () => {
    const api = client('reader', { token: server!.readerToken });
    const error = await api.readServiceStatus({ namespace: 'namespace-test', name: 'redis' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CciApiError);
    expect(error).toMatchObject({
      status: 403,
      reason: 'Forbidden',
      body: {
        reason: 'Forbidden',
        code: 403,
        details: { name: 'redis', kind: 'services' },
        message:
          'services "redis" is forbidden: User "reader" cannot get resource "services/status" in API group "" in the namespace "namespace-test"',
      },
    });
  });

  it('an unknown token gets a CciApiError with the 401 Status', async () => {
    const api = client('stranger', { token: 'not-a-token-anyone-was-given' });
    const error = await api.readServiceStatus({ namespace: 'namespace-test', name: 'redis' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CciApiError);
    expect(error).toMatchObject({
      status: 401,
      reason: 'Unauthorized',
      body: { kind: 'Status', code: 401, reason: 'Unauthorized', message: 'Unauthorized' },
    });
  });

  it('kubeconfig with a tokenFile (read from the file, sent as Bearer)', async () => {
    const api = client('token-file', { tokenFile: 'token' });
    expect(
      (await api.readServiceStatus({ namespace: 'namespace-test', name: 'web-elb' })).status?.loadBalancer?.ingress,
    ).toEqual(seeds.find((s) => s.metadata?.name === 'web-elb')?.status?.loadBalancer?.ingress);
  });

  it('kubeconfig with a client certificate (no token)', async () => {
    const api = client('certificate', { 'client-certificate': 'client.crt', 'client-key': 'client.key' });
    const service = await api.readServiceStatus({ namespace: 'namespace-test', name: 'redis' });
    expect(service.metadata?.name).toBe('redis');
  });

  it("the server's certificate is checked against the kubeconfig CA", async () => {
    const file = kubeconfigFor('wrong-ca', { token: server!.adminToken });
    writeFileSync(join(dir, 'other-ca.crt'), readFileSync(server!.clientCert)); // a CA that did not sign the server
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace('certificate-authority: ca.crt', 'certificate-authority: other-ca.crt'),
    );
    const api = createCciClientFromKubeconfig({ kubeconfig: file, retry: false });
    clients.push(api);
    await expect(api.readServiceStatus({ namespace: 'namespace-test', name: 'redis' })).rejects.toThrow();
  });
});
