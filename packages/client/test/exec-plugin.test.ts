// A kubeconfig whose user runs an exec credential plugin (CCI's cci-iam-authenticator), end to end:
// createCciClientFromKubeconfig against a real HTTPS server on 127.0.0.1, the plugin a small Node
// program (test/fixtures/exec-plugin.mjs). What kubectl gives the plugin, what the client sends,
// how long the token is kept, and the failures.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import YAML from 'yaml';
import {
  type CciApiError,
  CciAuthError,
  CciInputError,
  CciTimeoutError,
  createCciClientFromKubeconfig,
  isCciError,
  type CciClient,
} from '../src/node.js';
import { execUser, freshLog, PLUGIN, runs, V1 } from './fixtures/exec-fixture.js';
import { failureOf } from './helpers/failure.js';
import { sendJson, startServer, type TestServer } from './helpers/server.js';
import { exampleService } from './helpers/spec.js';
import { createPki, type Pki } from './helpers/tls.js';
import { virtualClock } from './helpers/virtual-clock.js';

let pki: Pki;
let server: TestServer;
let dir: string;
const clients: CciClient[] = [];
/** How the server answers: by default 200 to every request. */
let answer: (req: IncomingMessage, res: ServerResponse) => void;
const ok = (_req: IncomingMessage, res: ServerResponse) => sendJson(res, 200, exampleService());

beforeAll(async () => {
  pki = await createPki();
  dir = mkdtempSync(join(tmpdir(), 'cci-exec-client-'));
  server = await startServer((req, res) => answer(req, res), { key: pki.server.key, cert: pki.server.cert });
});
afterEach(async () => {
  answer = ok;
  vi.unstubAllEnvs();
  await Promise.all(clients.splice(0).map((client) => client.close()));
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});
answer = ok;

/** Writes a kubeconfig for the test server with this user into a fresh folder; returns its path. */
function kubeconfigWith(user: Record<string, unknown>, cluster: Record<string, unknown> = {}): string {
  const folder = mkdtempSync(join(dir, 'cfg-'));
  const path = join(folder, 'config');
  const doc = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: 'cci',
        cluster: {
          server: server.url,
          'certificate-authority-data': Buffer.from(pki.ca).toString('base64'),
          ...cluster,
        },
      },
    ],
    users: [{ name: 'iam', user }],
    contexts: [{ name: 'cci', context: { cluster: 'cci', user: 'iam' } }],
    'current-context': 'cci',
  };
  writeFileSync(path, YAML.stringify(doc));
  return path;
}

function client(options: Parameters<typeof createCciClientFromKubeconfig>[0]): CciClient {
  const made = createCciClientFromKubeconfig({ retry: false, ...options });
  clients.push(made);
  return made;
}
const read = (c: CciClient) => c.readServiceStatus({ namespace: 'default', name: 'redis' });
const lastAuthorization = () => server.requests.at(-1)!.headers.authorization;

describe('the plugin is run as kubectl runs it', () => {
  it('sends the token it prints as Authorization: Bearer, running it only when a request needs it', async () => {
    const log = freshLog();
    const c = client({ kubeconfig: kubeconfigWith(execUser(log)) });
    expect(runs(log)).toHaveLength(0);
    await expect(read(c)).resolves.toEqual(exampleService());
    expect(lastAuthorization()).toBe('Bearer fixture-token-1');
    expect(server.requests.at(-1)!.headers).not.toHaveProperty('x-auth-token');
  });

  it('gives it KUBERNETES_EXEC_INFO (non-interactive), its env entries and its args unchanged, with no shell and no terminal', async () => {
    const log = freshLog();
    const args = [PLUGIN, '--iam-endpoint', 'https://iam.example:443', '$(touch /tmp/cci-exec-shell)', 'a b;c|d', '*'];
    const user = execUser(
      log,
      { EXEC_FIXTURE_ECHO: 'CCI_PROJECT,HOME', CCI_PROJECT: 'cn-north-4' },
      { args, apiVersion: V1, interactiveMode: 'Never' },
    );
    await read(client({ kubeconfig: kubeconfigWith(user) }));
    const [record] = runs(log);
    expect(record!.info).toEqual({ apiVersion: V1, kind: 'ExecCredential', spec: { interactive: false } });
    expect(record!.argv).toEqual(args.slice(1));
    // The env entries are added to this process's environment, not instead of it.
    expect(record!.echo).toEqual({ CCI_PROJECT: 'cn-north-4', HOME: process.env.HOME ?? null });
    expect(record!.stdinIsTTY).toBe(false);
    expect(lastAuthorization()).toBe('Bearer fixture-token-1');
  });

  it('provideClusterInfo passes the server, its CA and the cluster extension in spec.cluster', async () => {
    const log = freshLog();
    const extensions = [{ name: 'client.authentication.k8s.io/exec', extension: { region: 'cn-north-4' } }];
    await read(client({ kubeconfig: kubeconfigWith(execUser(log, {}, { provideClusterInfo: true }), { extensions }) }));
    expect(runs(log)[0]!.info!.spec).toEqual({
      interactive: false,
      cluster: {
        server: server.url,
        'certificate-authority-data': Buffer.from(pki.ca).toString('base64'),
        config: { region: 'cn-north-4' },
      },
    });
  });

  it('a relative command with a "/" is found next to the kubeconfig; a bare name on PATH', async () => {
    const log = freshLog();
    const path = kubeconfigWith({});
    mkdirSync(join(dirname(path), 'bin'));
    copyFileSync(PLUGIN, join(dirname(path), 'bin', 'cci-iam-authenticator'));
    const { exec } = execUser(log);
    writeFileSync(
      path,
      YAML.stringify({
        ...YAML.parse(readFileSync(path, 'utf8')),
        users: [{ name: 'iam', user: { exec: { ...exec, command: './bin/cci-iam-authenticator', args: [] } } }],
      }),
    );
    await read(client({ kubeconfig: path }));
    expect(lastAuthorization()).toBe('Bearer fixture-token-1');

    vi.stubEnv('PATH', `${join(dirname(path), 'bin')}:${process.env.PATH}`);
    await read(
      client({ kubeconfig: kubeconfigWith({ exec: { ...exec, command: 'cci-iam-authenticator', args: [] } }) }),
    );
    expect(lastAuthorization()).toBe('Bearer fixture-token-2');
  });

  it('with a fetch of the caller (undici), the same token goes through it', async () => {
    const { fetch: undiciFetch } = await import('undici');
    const log = freshLog();
    const fetch = vi.fn(undiciFetch as unknown as typeof globalThis.fetch);
    await read(client({ kubeconfig: kubeconfigWith(execUser(log)), fetch }));
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(lastAuthorization()).toBe('Bearer fixture-token-1');
  });

  it('a token, tokenFile or client certificate in the kubeconfig, or a credential passed, wins: the plugin is not run (as client-go)', async () => {
    const log = freshLog();
    await read(client({ kubeconfig: kubeconfigWith({ ...execUser(log), token: 'file-token-123' }) }));
    expect(lastAuthorization()).toBe('Bearer file-token-123');
    await read(client({ kubeconfig: kubeconfigWith(execUser(log)), bearerToken: 'explicit-token' }));
    expect(lastAuthorization()).toBe('Bearer explicit-token');
    expect(runs(log)).toHaveLength(0);
  });
});

describe('the credential is kept, and renewed when it must be', () => {
  it('is kept until its expirationTimestamp, then the plugin runs again', async () => {
    const log = freshLog();
    const clock = virtualClock();
    const expires = new Date(clock.now() + 60_000).toISOString();
    const c = client({ kubeconfig: kubeconfigWith(execUser(log, { EXEC_FIXTURE_EXPIRES_AT: expires })), clock });
    await read(c);
    await clock.sleep(59_000);
    await read(c);
    expect(runs(log)).toHaveLength(1);
    await clock.sleep(1_000);
    await read(c);
    expect(runs(log)).toHaveLength(2);
    expect(server.requests.slice(-3).map((r) => r.headers.authorization)).toEqual([
      'Bearer fixture-token-1',
      'Bearer fixture-token-1',
      'Bearer fixture-token-2',
    ]);
  });

  it('without an expirationTimestamp it is kept until the server refuses it', async () => {
    const log = freshLog();
    const clock = virtualClock();
    const c = client({ kubeconfig: kubeconfigWith(execUser(log)), clock });
    await read(c);
    await clock.sleep(48 * 3600_000);
    await read(c);
    expect(runs(log)).toHaveLength(1);
  });

  it('100 concurrent calls run the plugin once', async () => {
    const log = freshLog();
    const c = client({ kubeconfig: kubeconfigWith(execUser(log, { EXEC_FIXTURE_DELAY_MS: '300' })) });
    const results = await Promise.all(Array.from({ length: 100 }, () => read(c)));
    expect(results).toHaveLength(100);
    expect(runs(log)).toHaveLength(1);
    expect(new Set(server.requests.slice(-100).map((r) => r.headers.authorization))).toEqual(
      new Set(['Bearer fixture-token-1']),
    );
  });

  it('a 401 runs the plugin again, once, and the call succeeds with the new token', async () => {
    const log = freshLog();
    answer = (req, res) =>
      req.headers.authorization === 'Bearer fixture-token-1'
        ? sendJson(res, 401, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Unauthorized', code: 401 })
        : ok(req, res);
    const c = client({ kubeconfig: kubeconfigWith(execUser(log)) });
    await expect(read(c)).resolves.toEqual(exampleService());
    expect(runs(log)).toHaveLength(2);
    expect(server.requests.slice(-2).map((r) => r.headers.authorization)).toEqual([
      'Bearer fixture-token-1',
      'Bearer fixture-token-2',
    ]);
  });

  it('a server that refuses every token gets a 401 back, not a plugin run per request', async () => {
    const log = freshLog();
    answer = (_req, res) =>
      sendJson(res, 401, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Unauthorized', code: 401 });
    const c = client({ kubeconfig: kubeconfigWith(execUser(log)) });
    for (let i = 0; i < 10; i++) expect(((await failureOf(read(c))) as CciApiError).status).toBe(401);
    // The first token, and one renewal; the renewed one refused as well is not renewed again at once.
    expect(runs(log)).toHaveLength(2);
  });
});

describe('failures are typed errors that say what to do', () => {
  it('a plugin that hangs is killed at execTimeoutMs, with its children', async () => {
    const log = freshLog();
    // Long enough for Node to start the plugin and its child on a busy machine.
    const c = client({
      kubeconfig: kubeconfigWith(execUser(log, { EXEC_FIXTURE_MODE: 'hang-with-child' })),
      execTimeoutMs: 2_000,
    });
    const sent = server.requests.length;
    const started = Date.now();
    const error = await failureOf(read(c));
    expect(error).toBeInstanceOf(CciTimeoutError);
    expect((error as Error).message).toMatch(/exec plugin .*node did not finish within 2000 ms and was killed/);
    expect(Date.now() - started).toBeLessThan(8_000);
    const { pid, grandchild } = runs(log)[0]!;
    await vi.waitFor(() => {
      expect(alive(pid)).toBe(false);
      expect(alive(grandchild!)).toBe(false);
    });
    expect(server.requests.length).toBe(sent);
  });

  it('a plugin that fails: its exit status and stderr, never the token it printed', async () => {
    const log = freshLog();
    const stderr = 'error: IAM refused the AK/SK (APIGW.0301)\n';
    const user = execUser(log, {
      EXEC_FIXTURE_MODE: 'fail',
      EXEC_FIXTURE_EXIT: '3',
      EXEC_FIXTURE_STDERR: stderr,
      EXEC_FIXTURE_TOKEN: 'printed-token-0123456789',
    });
    const error = (await failureOf(read(client({ kubeconfig: kubeconfigWith(user) })))) as CciAuthError;
    expect(error).toBeInstanceOf(CciAuthError);
    expect(isCciError(error, 'auth')).toBe(true);
    expect(error.source).toBe('exec-plugin');
    expect(error.exitCode).toBe(3);
    expect(error.message).toContain(`exec plugin ${process.execPath} exited with status 3.`);
    expect(error.message).toContain('IAM refused the AK/SK (APIGW.0301)');
    expect(JSON.stringify(error) + error.message + error.stack).not.toContain('printed-token-0123456789');
    expect(server.requests.filter((r) => r.headers.authorization?.includes('printed-token'))).toEqual([]);
  });

  it('a command that is not installed: the installHint', async () => {
    const user = {
      exec: {
        apiVersion: V1,
        command: 'cci-iam-authenticator-not-installed',
        interactiveMode: 'Never',
        installHint: 'cci-iam-authenticator: see CCI > kubectl.',
      },
    };
    const error = (await failureOf(read(client({ kubeconfig: kubeconfigWith(user) })))) as CciAuthError;
    expect(error).toBeInstanceOf(CciAuthError);
    expect(error.message).toBe(
      'exec plugin cci-iam-authenticator-not-installed is not installed (not found on PATH).\ncci-iam-authenticator: see CCI > kubectl.',
    );
  });

  it('interactiveMode Always is refused when the client is made: a library has no terminal to offer', () => {
    const user = execUser(freshLog(), {}, { apiVersion: V1, interactiveMode: 'Always' });
    expect(() => client({ kubeconfig: kubeconfigWith(user) })).toThrow(CciInputError);
    expect(() => client({ kubeconfig: kubeconfigWith(user) })).toThrow(/interactiveMode Always: it needs a terminal/);
    // With a credential of its own the plugin is not needed.
    expect(() => client({ kubeconfig: kubeconfigWith(user), bearerToken: 'explicit-token' })).not.toThrow();
  });

  it('execTimeoutMs is checked when the client is made, exec user or not', () => {
    expect(() => client({ kubeconfig: kubeconfigWith({ token: 'file-token-123' }), execTimeoutMs: -1 })).toThrow(
      /execTimeoutMs must be a positive number/,
    );
  });

  it('close() stops a plugin that is still running', async () => {
    const log = freshLog();
    const c = createCciClientFromKubeconfig({
      kubeconfig: kubeconfigWith(execUser(log, { EXEC_FIXTURE_MODE: 'hang' })),
      retry: false,
    });
    const pending = failureOf(read(c));
    await vi.waitFor(() => expect(runs(log)).toHaveLength(1));
    await c.close();
    expect(await pending).toBeInstanceOf(CciInputError); // the client's closed error
    await vi.waitFor(() => expect(alive(runs(log)[0]!.pid)).toBe(false));
  });
});

/** The process exists and is not a zombie (a killed orphan stays one until init reaps it). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/s.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}
