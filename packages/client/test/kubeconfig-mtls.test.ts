import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { CciInputError, CciNetworkError, createCciClientFromKubeconfig, type CciClient } from '../src/node.js';
import { sendJson, startServer, type TestServer } from './helpers/server.js';
import { exampleService } from './helpers/spec.js';
import { createPki, kubeconfigFor, type Pki } from './helpers/tls.js';

let pki: Pki;
let server: TestServer;
let dir: string;
const clients: CciClient[] = [];
const peers: Array<string | undefined> = [];

beforeAll(async () => {
  pki = await createPki();
  dir = mkdtempSync(join(tmpdir(), 'cci-kubeconfig-'));
  // The cluster's kube-apiserver: HTTPS, and a client certificate from the cluster CA is required.
  server = await startServer(
    (req, res) => {
      peers.push((req.socket as TLSSocket).getPeerCertificate().subject?.CN as string | undefined);
      sendJson(res, 200, exampleService());
    },
    { key: pki.server.key, cert: pki.server.cert, ca: [pki.ca], requestCert: true, rejectUnauthorized: true },
  );
});
afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(clients.splice(0).map((client) => client.close()));
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

function fromKubeconfig(options: Parameters<typeof createCciClientFromKubeconfig>[0]): CciClient {
  const client = createCciClientFromKubeconfig({ retry: false, ...options });
  clients.push(client);
  return client;
}
const read = (client: CciClient) => client.readServiceStatus({ namespace: 'default', name: 'redis' });

describe('createCciClientFromKubeconfig: mutual TLS', () => {
  it('reads a kubeconfig object, JSON text or file path and authenticates with its client certificate', async () => {
    const kubeconfig = kubeconfigFor(server.url, pki.ca, pki.client);
    const path = join(dir, 'kubeconfig.json');
    writeFileSync(path, JSON.stringify(kubeconfig));
    for (const source of [kubeconfig, JSON.stringify(kubeconfig), path]) {
      await expect(read(fromKubeconfig({ kubeconfig: source }))).resolves.toEqual(exampleService());
    }
    expect(peers.slice(-3)).toEqual(['system:admin', 'system:admin', 'system:admin']);
    expect(server.requests.at(-1)!.headers).not.toHaveProperty('x-auth-token');
  });

  it('a fetch of the caller is used, with the same TLS (CA and client certificate) as undici dispatcher', async () => {
    const { fetch: undiciFetch } = await import('undici');
    const fetchSpy = vi.fn(undiciFetch as unknown as typeof globalThis.fetch);
    const client = fromKubeconfig({ kubeconfig: kubeconfigFor(server.url, pki.ca, pki.client), fetch: fetchSpy });
    await expect(read(client)).resolves.toEqual(exampleService());
    expect(fetchSpy).toHaveBeenCalledTimes(1);
    expect(fetchSpy.mock.calls[0]![1]).toHaveProperty('dispatcher');
    expect(peers.at(-1)).toBe('system:admin');
  });

  it('reads certificate files named relative to the kubeconfig', async () => {
    writeFileSync(join(dir, 'ca.crt'), pki.ca);
    writeFileSync(join(dir, 'client.crt'), pki.client.cert);
    writeFileSync(join(dir, 'client.key'), pki.client.key);
    const path = join(dir, 'files.json');
    writeFileSync(
      path,
      JSON.stringify({
        clusters: [{ name: 'c', cluster: { server: server.url, 'certificate-authority': 'ca.crt' } }],
        users: [{ name: 'u', user: { 'client-certificate': 'client.crt', 'client-key': 'client.key' } }],
        contexts: [{ name: 'only', context: { cluster: 'c', user: 'u' } }],
      }),
    );
    await expect(read(fromKubeconfig({ kubeconfig: path }))).resolves.toEqual(exampleService());
  });

  it('a client certificate from another CA is refused by the server', async () => {
    const before = server.requests.length;
    const error = await read(
      fromKubeconfig({ kubeconfig: kubeconfigFor(server.url, pki.ca, pki.strangerClient) }),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CciNetworkError);
    expect(server.requests).toHaveLength(before);
    // Neither the error nor what it wraps holds the private key.
    const keyLine = pki.strangerClient.key.split('\n')[1]!;
    for (const part of [error, (error as Error).cause]) {
      expect(`${(part as Error).message}\n${JSON.stringify(part)}\n${(part as Error).stack}`).not.toContain(keyLine);
    }
  });

  it('no client certificate at all is refused', async () => {
    const kubeconfig = kubeconfigFor(server.url, pki.ca, pki.client);
    kubeconfig.users[0]!.user = {} as never;
    await expect(read(fromKubeconfig({ kubeconfig }))).rejects.toBeInstanceOf(CciNetworkError);
  });

  it('verifies the server against the kubeconfig CA: a server the CA did not sign is refused', async () => {
    const before = server.requests.length;
    const error = (await read(fromKubeconfig({ kubeconfig: kubeconfigFor(server.url, pki.otherCa, pki.client) })).catch(
      (e: unknown) => e,
    )) as CciNetworkError;
    expect(error).toBeInstanceOf(CciNetworkError);
    expect(error.message).toMatch(/certificate|CERT|signature/i);
    expect(server.requests).toHaveLength(before);
  });

  it('ignores the file’s own insecure-skip-tls-verify: verification stays on unless the caller asks', async () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const client = fromKubeconfig({ kubeconfig: kubeconfigFor(server.url, pki.ca, pki.client), context: 'external' });
    await expect(read(client)).rejects.toBeInstanceOf(CciNetworkError);
    expect(stderr).not.toHaveBeenCalled();
  });

  it('insecureSkipTlsVerify: true connects without verifying, and says so on stderr', async () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const client = fromKubeconfig({
      kubeconfig: kubeconfigFor(server.url, pki.otherCa, pki.client),
      insecureSkipTlsVerify: true,
    });
    expect(stderr).toHaveBeenCalledTimes(1);
    expect(String(stderr.mock.calls[0]![0])).toMatch(
      /^warning: .*TLS certificate verification is OFF for https:\/\/127\.0\.0\.1:\d+/,
    );
    await expect(read(client)).resolves.toEqual(exampleService());
  });

  it('sends the kubeconfig user token as Authorization: Bearer; an explicit credential replaces it, in its own header', async () => {
    const kubeconfig = kubeconfigFor(server.url, pki.ca, pki.client);
    (kubeconfig.users[0]!.user as Record<string, string>).token = 'kubeconfig-token';
    await read(fromKubeconfig({ kubeconfig }));
    expect(server.requests.at(-1)!.headers.authorization).toBe('Bearer kubeconfig-token');
    expect(server.requests.at(-1)!.headers).not.toHaveProperty('x-auth-token');
    await read(fromKubeconfig({ kubeconfig, bearerToken: 'explicit-bearer' }));
    expect(server.requests.at(-1)!.headers.authorization).toBe('Bearer explicit-bearer');
    await read(fromKubeconfig({ kubeconfig, token: 'explicit-gateway-token' }));
    expect(server.requests.at(-1)!.headers['x-auth-token']).toBe('explicit-gateway-token');
    expect(server.requests.at(-1)!.headers).not.toHaveProperty('authorization');
  });
});

describe('createCciClientFromKubeconfig: bad kubeconfigs', () => {
  const good = () => kubeconfigFor('https://192.0.2.1:5443', pki.ca, pki.client);

  it.each([
    [
      'not JSON',
      () => `{ "users": [ { "client-key-data": "${Buffer.from(pki.client.key).toString('base64')}" ] `,
      /kubeconfig text is not valid YAML or JSON \(line 1\)/,
    ],
    [
      'broken YAML',
      () =>
        `apiVersion: v1\nusers:\n- user:\n    client-key-data: ${Buffer.from(pki.client.key).toString('base64')}\n  bad: [\n`,
      /not valid YAML or JSON \(line \d\)/,
    ],
    [
      'YAML without contexts',
      () => `apiVersion: v1\nusers:\n- user:\n    client-key-data: ${Buffer.from(pki.client.key).toString('base64')}\n`,
      /no current-context; pass context \(one of: none\)/,
    ],
    ['a missing file', () => join(dir, 'nope.json'), /cannot read the kubeconfig .*ENOENT/],
    [
      'an unknown context',
      () => ({ ...good(), 'current-context': 'nope' }),
      /no context named "nope" \(have: internal, external\)/,
    ],
    [
      'no server',
      () => ({ ...good(), clusters: [{ name: 'internalCluster', cluster: {} }] }),
      /clusters\[internalCluster\]\.cluster\.server is missing/,
    ],
    [
      'a certificate without its key',
      () => ({
        ...good(),
        users: [{ name: 'user', user: { 'client-certificate-data': Buffer.from(pki.client.cert).toString('base64') } }],
      }),
      /not both/,
    ],
    [
      'key data that is not PEM',
      () => ({
        ...good(),
        users: [
          {
            name: 'user',
            user: {
              'client-certificate-data': Buffer.from(pki.client.cert).toString('base64'),
              'client-key-data': 'bm90IGEga2V5',
            },
          },
        ],
      }),
      /client-key-data is not a PEM block/,
    ],
  ])('%s → CciInputError that quotes no key material', (_label, source, message) => {
    const error = (() => {
      try {
        createCciClientFromKubeconfig({ kubeconfig: source() });
      } catch (e) {
        return e as Error;
      }
      throw new Error('expected a CciInputError');
    })();
    expect(error).toBeInstanceOf(CciInputError);
    expect(error.message).toMatch(message);
    const keyBody = pki.client.key.split('\n')[1]!;
    expect(error.message).not.toContain(keyBody.slice(0, 16));
    expect(error.message).not.toContain(Buffer.from(pki.client.key).toString('base64').slice(0, 16));
  });
});
