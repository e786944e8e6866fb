// The Kubernetes clients people already use, against `cci-mock --write-kubeconfig FILE` and nothing
// else: Debian's kubectl (1.20), @kubernetes/client-node, Debian's python3-kubernetes, and this
// repository's own client through its kubeconfig loader. Each reads and lists Services with the
// Bearer-token kubeconfig the mock wrote, over HTTPS with the mock's throw-away CA.
// A tool that is not installed is skipped with a line saying so, except in CI, where it must be.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Service } from '@cci-openapi/client';
import { serviceTableRow } from '@cci-openapi/internals/service-table';
import { createCciClientFromKubeconfig, type CciClient } from '@cci-openapi/client/node';
import { runProcess } from '@cci-openapi/test-support';
import YAML from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const bin = join(import.meta.dirname, '..', 'dist', 'bin.js');
const scratch = mkdtempSync(join(tmpdir(), 'cci-mock-kube-clients-'));
const kubeconfig = join(scratch, 'kubeconfig');
const NAMESPACE = 'namespace-test';
const inCi = Boolean(process.env.CI);

let mock: ChildProcess | undefined;
let client: CciClient;
/** The Services as the mock serves them, read through this repository's client. */
let services: Service[];

beforeAll(async () => {
  if (!existsSync(bin)) throw new Error('dist/bin.js is missing: run `npx tsup` (or `npm run build`) before the tests');
  mock = spawn(process.execPath, [bin, '--port', '0', '--write-kubeconfig', kubeconfig], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  mock.stdout!.setEncoding('utf8').on('data', (d: string) => (output += d));
  mock.stderr!.setEncoding('utf8').on('data', (d: string) => (output += d));
  await new Promise<void>((resolve, reject) => {
    mock!.once('exit', (code) => reject(new Error(`cci-mock exited with ${code}: ${output}`)));
    mock!.stdout!.on('data', () => output.includes('kubeconfig written to') && resolve());
  });
  client = createCciClientFromKubeconfig({ kubeconfig, retry: false });
  services = (await client.listCoreV1NamespacedService({ namespace: NAMESPACE })).items as Service[];
}, 60_000);

afterAll(async () => {
  await client?.close();
  if (mock && mock.exitCode === null) {
    const exited = new Promise((resolve) => mock!.once('exit', resolve));
    mock.kill('SIGTERM');
    await exited;
  }
  rmSync(scratch, { recursive: true, force: true });
});

/** A tool's path, or undefined with a line saying it is skipped (a failure in CI, which installs it). */
function tool(name: string, candidates: string[], probe: string[], how: string): string | undefined {
  for (const candidate of candidates) {
    if (spawnSync(candidate, probe, { stdio: 'ignore' }).status === 0) return candidate;
  }
  if (inCi) throw new Error(`${name} is missing in CI: ${how}`);
  console.log(`kube-clients: ${name} tests skipped: ${name} is not installed (${how})`);
  return undefined;
}

function run(command: string, args: string[], env: Record<string, string> = {}) {
  return runProcess(command, args, {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: scratch, ...env },
    timeoutMs: 60_000,
  });
}

describe('the kubeconfig cci-mock writes', () => {
  it('is YAML, readable by its owner only, with the https server, the CA and a token', () => {
    const doc = YAML.parse(readFileSync(kubeconfig, 'utf8'));
    expect(statSync(kubeconfig).mode & 0o777).toBe(0o600);
    expect(doc.clusters[0].cluster.server).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(Buffer.from(doc.clusters[0].cluster['certificate-authority-data'], 'base64').toString()).toContain(
      '-----BEGIN CERTIFICATE-----',
    );
    expect(doc.users[0].user).toEqual({ token: 'mock-token' });
    expect(doc.contexts[0].context.namespace).toBe(NAMESPACE);
    expect(doc['current-context']).toBe(doc.contexts[0].name);
  });

  it('works with this repository’s client (Bearer token from the kubeconfig)', async () => {
    expect(services.map((s) => s.metadata.name)).toEqual([
      'external-db',
      'redis',
      'redis-headless',
      'web-elb',
      'web-nodeport',
    ]);
    const redis = await client.readServiceStatus({ namespace: NAMESPACE, name: 'redis' });
    expect(redis.spec.clusterIP).toBe('10.247.212.210');
  });
});

const kubectlPath = tool('kubectl', ['kubectl'], ['version', '--client'], 'apt-get install kubernetes-client');
describe.runIf(kubectlPath)('kubectl (Debian kubernetes-client)', () => {
  const kubectl = (...args: string[]) =>
    run(kubectlPath!, [
      `--kubeconfig=${kubeconfig}`,
      `--cache-dir=${join(scratch, 'kube-cache')}`,
      '--request-timeout=20s',
      ...args,
    ]);
  const cellsOf = (table: string) =>
    table
      .trim()
      .split('\n')
      .map((line) => line.trim().split(/\s+/));
  const withoutAge = (rows: string[][], ageColumn: number) => rows.map((row) => row.filter((_, i) => i !== ageColumn));

  it('get svc -n namespace-test prints kubectl’s columns with the rows of serviceTableRow', async () => {
    const result = await kubectl('get', 'svc', '-n', NAMESPACE);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const [header, ...rows] = cellsOf(result.stdout);
    expect(header).toEqual(['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE']);
    const expected = services.map((s) => serviceTableRow(s, { now: Date.now(), wide: true }).slice(0, 6));
    expect(withoutAge(rows, 5)).toEqual(withoutAge(expected, 5));
    for (const row of rows) expect(row[5]).toMatch(/^\d+[smhdy]/);
  });

  it('get svc web-elb -o wide adds SELECTOR (the context’s namespace is used)', async () => {
    const result = await kubectl('get', 'svc', 'web-elb', '-o', 'wide');
    expect(result.code).toBe(0);
    const [header, row] = cellsOf(result.stdout);
    expect(header).toEqual(['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE', 'SELECTOR']);
    const webElb = services.find((s) => s.metadata.name === 'web-elb')!;
    expect(withoutAge([row!], 5)).toEqual(withoutAge([serviceTableRow(webElb, { now: Date.now(), wide: true })], 5));
  });

  it('get svc redis -o json prints the Service as the API serves it', async () => {
    const result = await kubectl('get', 'svc', 'redis', '-n', NAMESPACE, '-o', 'json');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual(
      await client.readCoreV1NamespacedService({ namespace: NAMESPACE, name: 'redis' }),
    );
  });

  it('get svc nope fails with kube-apiserver’s NotFound message', async () => {
    const result = await kubectl('get', 'svc', 'nope', '-n', NAMESPACE);
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe('Error from server (NotFound): services "nope" not found');
  });

  it('get --raw …/status prints the status read verbatim', async () => {
    const result = await kubectl('get', '--raw', `/api/v1/namespaces/${NAMESPACE}/services/redis/status`);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual(await client.readServiceStatus({ namespace: NAMESPACE, name: 'redis' }));
  });

  it('api-resources finds services and its short name from the mock’s discovery', async () => {
    const result = await kubectl('api-resources', '--no-headers');
    expect(result.code).toBe(0);
    expect(cellsOf(result.stdout)).toContainEqual(['services', 'svc', 'v1', 'true', 'Service']);
  });
});

describe('@kubernetes/client-node', () => {
  it('reads and lists Services with the Bearer-token kubeconfig', async () => {
    const k8s = await import('@kubernetes/client-node');
    const config = new k8s.KubeConfig();
    config.loadFromFile(kubeconfig);
    const api = config.makeApiClient(k8s.CoreV1Api);
    const redis = await api.readNamespacedService({ name: 'redis', namespace: NAMESPACE });
    expect(redis.spec?.clusterIP).toBe('10.247.212.210');
    const status = await api.readNamespacedServiceStatus({ name: 'web-elb', namespace: NAMESPACE });
    expect(status.status?.loadBalancer?.ingress?.length).toBeGreaterThan(0);
    const list = await api.listNamespacedService({ namespace: NAMESPACE });
    expect(list.items.map((s) => s.metadata?.name)).toEqual(services.map((s) => s.metadata.name));
    const missing = await api.readNamespacedService({ name: 'nope', namespace: NAMESPACE }).then(
      () => ({ code: 200 }),
      (e: unknown) => e as { code?: number },
    );
    expect(missing.code).toBe(404);
  });
});

const python = tool(
  'python3-kubernetes',
  ['/usr/bin/python3', 'python3'],
  ['-c', 'import kubernetes'],
  'apt-get install python3-kubernetes',
);
describe.runIf(python)('python3-kubernetes (Debian)', () => {
  it('reads and lists Services with the Bearer-token kubeconfig', async () => {
    const script = [
      'import json, sys',
      'from kubernetes import client, config',
      'config.load_kube_config(config_file=sys.argv[1])',
      'api = client.CoreV1Api()',
      'redis = api.read_namespaced_service("redis", sys.argv[2])',
      'status = api.read_namespaced_service_status("web-elb", sys.argv[2])',
      'names = [s.metadata.name for s in api.list_namespaced_service(sys.argv[2]).items]',
      'try:',
      '    api.read_namespaced_service("nope", sys.argv[2]); missing = None',
      'except client.exceptions.ApiException as e:',
      '    missing = e.status',
      'print(json.dumps({"clusterIP": redis.spec.cluster_ip, "ingress": len(status.status.load_balancer.ingress or []), "names": names, "missing": missing}))',
    ].join('\n');
    const result = await run(python!, ['-c', script, kubeconfig, NAMESPACE]);
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual({
      clusterIP: '10.247.212.210',
      ingress: 2,
      names: services.map((s) => s.metadata.name),
      missing: 404,
    });
  });
});
