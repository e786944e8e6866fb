// An exec credential plugin that gives a client certificate (status.clientCertificateData and
// clientKeyData) instead of, or besides, a token: createCciClientFromKubeconfig presents it in the
// TLS handshake, as kubectl does, to a real HTTPS server on 127.0.0.1 that requires a client
// certificate and records which one each request came with (serial number and CN). On both
// wires: node:https (the default) and a fetch of the caller's (undici, with the TLS as dispatcher).
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { inspect } from 'node:util';
import { fetch as undiciFetch } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type CciApiError,
  CciNetworkError,
  type CciClient,
  createCciClientFromKubeconfig,
  isCciError,
} from '../src/node.js';
import { execUser, freshLog, runs } from './fixtures/exec-fixture.js';
import { failureOf } from './helpers/failure.js';
import { sendJson } from './helpers/server.js';
import { exampleService } from './helpers/spec.js';
import { createPki, type Pki } from './helpers/tls.js';
import { virtualClock } from './helpers/virtual-clock.js';

interface Seen {
  /** The serial number of the client certificate the request's connection presented. */
  serial: string;
  cn: string;
  authorization: string | undefined;
  name: string;
}

let pki: Pki;
/** Two client certificates the server trusts (from two CAs), and one it does not. */
let first: { cert: string; key: string };
let second: { cert: string; key: string };
let untrusted: { cert: string; key: string };
let serial: (certificate: { cert: string }) => string;
let server: Server;
let url: string;
const sockets = new Set<Socket>();
/** How many TLS connections the server has accepted. */
let connections = 0;
let seen: Seen[] = [];
/** How the server answers: by default 200 to every request. */
let answer: (req: IncomingMessage, res: ServerResponse, request: Seen) => void;
const ok = (_req: IncomingMessage, res: ServerResponse) => sendJson(res, 200, exampleService());
const unauthorized = (res: ServerResponse) =>
  sendJson(res, 401, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Unauthorized', code: 401 });
const clients: CciClient[] = [];

beforeAll(async () => {
  // Another PKI's CA has the same name as this one's, and is not trusted: its client certificate is refused.
  const other = await createPki();
  pki = await createPki();
  first = pki.client;
  second = pki.strangerClient;
  untrusted = other.client;
  const { X509Certificate } = await import('node:crypto');
  serial = ({ cert }) => new X509Certificate(cert).serialNumber;
  // A kube-apiserver that requires a client certificate from one of its CAs.
  server = createServer(
    {
      key: pki.server.key,
      cert: pki.server.cert,
      ca: [pki.ca, pki.otherCa],
      requestCert: true,
      rejectUnauthorized: true,
    },
    (req, res) => {
      const peer = (req.socket as TLSSocket).getPeerCertificate();
      const request: Seen = {
        serial: peer.serialNumber,
        cn: String(peer.subject?.CN),
        authorization: req.headers.authorization,
        name: new URL(req.url ?? '/', 'https://x').pathname.split('/').at(-2) ?? '',
      };
      seen.push(request);
      answer(req, res, request);
    },
  );
  server.on('secureConnection', (socket: Socket) => {
    connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterEach(async () => {
  answer = ok;
  seen = [];
  await Promise.all(clients.splice(0).map((client) => client.close()));
});
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
answer = ok;

function kubeconfigWith(user: Record<string, unknown>) {
  return {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      { name: 'cci', cluster: { server: url, 'certificate-authority-data': Buffer.from(pki.ca).toString('base64') } },
    ],
    users: [{ name: 'iam', user }],
    contexts: [{ name: 'cci', context: { cluster: 'cci', user: 'iam' } }],
    'current-context': 'cci',
  };
}

/** A plugin that prints these certificates, one per run (the last from then on … cycling). */
const certificates = (...list: Array<{ cert: string; key: string }>) => ({
  EXEC_FIXTURE_MODE: 'cert',
  EXEC_FIXTURE_CERTS: JSON.stringify(list),
});
const read = (c: CciClient, name = 'redis') => c.readServiceStatus({ namespace: 'default', name });
/** Every key line of a PEM private key (what must never be shown). */
const keyLines = (key: string) => key.split('\n').filter((line) => line.length >= 16 && !line.startsWith('-----'));
const shown = (error: unknown) =>
  `${(error as Error).message}\n${(error as Error).stack}\n${JSON.stringify(error)}\n${inspect(error, { depth: 6 })}`;

const WIRES = [
  ['node:https', {}],
  ['a fetch of the caller (undici)', { fetch: undiciFetch as unknown as typeof globalThis.fetch }],
  ["Node's own fetch", { fetch: globalThis.fetch }],
] as const;

describe.each(WIRES)('an exec plugin that gives a client certificate, over %s', (wire, wireOptions) => {
  function client(
    env: Record<string, string>,
    options: Partial<Parameters<typeof createCciClientFromKubeconfig>[0]> = {},
  ) {
    const log = freshLog();
    const made = createCciClientFromKubeconfig({
      kubeconfig: kubeconfigWith(execUser(log, env)),
      retry: false,
      ...wireOptions,
      ...options,
    });
    clients.push(made);
    return { log, client: made };
  }

  it('presents it in the TLS handshake, and sends no Authorization header; the plugin runs when the first request needs it', async () => {
    const { log, client: c } = client(certificates(first));
    const before = connections;
    expect(runs(log)).toHaveLength(0);
    await expect(read(c)).resolves.toEqual(exampleService());
    await expect(read(c)).resolves.toEqual(exampleService());
    expect(runs(log)).toHaveLength(1);
    // One connection, kept alive. (undici opens a second one for the second request here, with or
    // without an exec plugin: its pool, not this client's, so the count is checked on node:https.)
    if (wire === 'node:https') expect(connections - before).toBe(1);
    expect(seen).toEqual([
      { serial: serial(first), cn: 'system:admin', authorization: undefined, name: 'redis' },
      { serial: serial(first), cn: 'system:admin', authorization: undefined, name: 'redis' },
    ]);
  });

  it('a token and a certificate: both are sent (as kubectl does)', async () => {
    const { client: c } = client({
      ...certificates(second),
      EXEC_FIXTURE_MODE: 'both',
      EXEC_FIXTURE_TOKEN: 'both-token-0123456789',
    });
    await read(c);
    expect(seen).toEqual([
      { serial: serial(second), cn: 'intruder', authorization: 'Bearer both-token-0123456789', name: 'redis' },
    ]);
  });

  it('50 concurrent first calls run the plugin once, and all present its certificate', async () => {
    const { log, client: c } = client({ ...certificates(first, second), EXEC_FIXTURE_DELAY_MS: '300' });
    const results = await Promise.all(Array.from({ length: 50 }, () => read(c)));
    expect(results).toHaveLength(50);
    expect(runs(log)).toHaveLength(1);
    expect(seen).toHaveLength(50);
    expect(new Set(seen.map((request) => request.serial))).toEqual(new Set([serial(first)]));
  });

  it('a 401 to the certificate runs the plugin once more, and the call succeeds with the new certificate', async () => {
    answer = (req, res, request) => (request.serial === serial(first) ? unauthorized(res) : ok(req, res));
    const { log, client: c } = client(certificates(first, second));
    await expect(read(c)).resolves.toEqual(exampleService());
    expect(runs(log)).toHaveLength(2);
    expect(seen.map((request) => [request.serial, request.cn])).toEqual([
      [serial(first), 'system:admin'],
      [serial(second), 'intruder'],
    ]);
    // The connection made with the refused certificate is not used again.
    for (let i = 0; i < 5; i++) await read(c);
    expect(seen.slice(2).map((request) => request.serial)).toEqual(Array(5).fill(serial(second)));
    expect(runs(log)).toHaveLength(2);
  });

  it('a connection busy with the old certificate when a new one comes is closed after its request, not reused', async () => {
    let releaseSlow: () => void = () => {};
    const slowArrived = new Promise<void>((arrived) => {
      answer = (req, res, request) => {
        if (request.name === 'slow') {
          releaseSlow = () => ok(req, res);
          arrived();
        } else if (request.serial === serial(first)) unauthorized(res);
        else ok(req, res);
      };
    });
    const { log, client: c } = client(certificates(first, second));
    const slow = read(c, 'slow');
    await slowArrived;
    // Refused on a second connection (first certificate): the plugin runs, the call succeeds with the second.
    await expect(read(c)).resolves.toEqual(exampleService());
    releaseSlow();
    await expect(slow).resolves.toEqual(exampleService());
    for (let i = 0; i < 3; i++) await read(c);
    expect(runs(log)).toHaveLength(2);
    expect(
      seen.map((request) => [
        request.name,
        request.serial === serial(first) ? 'first' : request.serial === serial(second) ? 'second' : '?',
      ]),
    ).toEqual([
      ['slow', 'first'],
      ['redis', 'first'],
      ['redis', 'second'],
      ['redis', 'second'],
      ['redis', 'second'],
      ['redis', 'second'],
    ]);
  });

  it('is kept until its expirationTimestamp; then the plugin runs again and the new certificate is used, on a new connection', async () => {
    const clock = virtualClock();
    const expires = new Date(clock.now() + 60_000).toISOString();
    const { log, client: c } = client({ ...certificates(first, second), EXEC_FIXTURE_EXPIRES_AT: expires }, { clock });
    const before = connections;
    await read(c);
    await clock.sleep(59_000);
    await read(c);
    expect(runs(log)).toHaveLength(1);
    await clock.sleep(1_000);
    await read(c);
    await read(c);
    expect(runs(log)).toHaveLength(2);
    expect(seen.map((request) => request.serial)).toEqual([
      serial(first),
      serial(first),
      serial(second),
      serial(second),
    ]);
    // One connection per certificate: the first one's is not used once the second came.
    if (wire === 'node:https') expect(connections - before).toBe(2);
  });

  it('a server that refuses every certificate gets a 401 back, not a plugin run per request', async () => {
    answer = (_req, res) => unauthorized(res);
    const { log, client: c } = client(certificates(first, second));
    for (let i = 0; i < 5; i++) expect(((await failureOf(read(c))) as CciApiError).status).toBe(401);
    expect(runs(log)).toHaveLength(2);
  });

  it('a certificate the server does not trust: a CciNetworkError that shows no key material, and no renewal', async () => {
    const { log, client: c } = client(certificates(untrusted, first));
    const error = await failureOf(read(c));
    expect(error).toBeInstanceOf(CciNetworkError);
    expect(seen).toEqual([]);
    expect(runs(log)).toHaveLength(1);
    for (const line of keyLines(untrusted.key)) expect(shown(error)).not.toContain(line);
  });

  it('close() closes its connections', async () => {
    const before = new Set(sockets);
    const mine = () => [...sockets].filter((socket) => !before.has(socket));
    const { client: c } = client(certificates(first));
    await Promise.all([read(c), read(c), read(c)]);
    expect(mine().length).toBeGreaterThan(0);
    await c.close();
    await expect.poll(() => mine().length).toBe(0);
  });
});

describe('a plugin that gives a certificate fails', () => {
  it('with the key on stdout and echoed on stderr: its error shows no key material', async () => {
    const log = freshLog();
    const key = first.key;
    const stderr = `could not finish: ${key}\nline: ${keyLines(key)[0]}\njson: ${JSON.stringify(key)}\n`;
    const c = createCciClientFromKubeconfig({
      kubeconfig: kubeconfigWith(
        execUser(log, { ...certificates(first), EXEC_FIXTURE_MODE: 'cert-fail', EXEC_FIXTURE_STDERR: stderr }),
      ),
      retry: false,
    });
    clients.push(c);
    const error = await failureOf(read(c));
    expect(isCciError(error, 'auth')).toBe(true);
    expect((error as Error).message).toMatch(/exited with status 1\. Its stderr:\ncould not finish: \[REDACTED\]/);
    for (const line of keyLines(key)) expect(shown(error)).not.toContain(line);
    expect(seen).toEqual([]);
  });

  it('on a later run, what it says of the key it gave before is cut out too', async () => {
    const log = freshLog();
    // Run 1 gives the first certificate, which the server refuses; run 2 fails, quoting a line of its key.
    answer = (_req, res) => unauthorized(res);
    const stderr = `the old key began with ${keyLines(first.key)[0]}\n`;
    const c = createCciClientFromKubeconfig({
      kubeconfig: kubeconfigWith(
        execUser(log, { ...certificates(first), EXEC_FIXTURE_MODE: 'cert,fail', EXEC_FIXTURE_STDERR: stderr }),
      ),
      retry: false,
    });
    clients.push(c);
    const error = await failureOf(read(c));
    expect(isCciError(error, 'auth')).toBe(true);
    expect(runs(log)).toHaveLength(2);
    expect((error as Error).message).toContain('the old key began with [REDACTED]');
    for (const line of keyLines(first.key)) expect(shown(error)).not.toContain(line);
  });
});
