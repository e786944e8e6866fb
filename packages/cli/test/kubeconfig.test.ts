// cci-svc --kubeconfig: the client's loader reads the file (the CLI has no parser of its own), so
// YAML kubeconfigs with relative paths, Bearer tokens, exec users and hostile paths behave as the
// client documents. Against the mock in API-server mode on 127.0.0.1.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import YAML from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockServer, type MockServer } from '@cci-openapi/mock-server';
import { createTestPki, type TestPki } from './helpers/certs.js';
import { assertBuilt, runCli } from './helpers/run.js';

const TOKEN = 'kube-bearer-0123456789';
const scratch = mkdtempSync(join(tmpdir(), 'cci-svc-kubeconfig-'));
let pki: TestPki;
let server: MockServer;

beforeAll(async () => {
  assertBuilt();
  pki = await createTestPki();
  // kube: client certificates authenticate only in the kube profile (API-server mode).
  server = await startMockServer({
    profile: 'kube',
    port: 0,
    tokens: [TOKEN],
    tls: { cert: pki.server.cert, key: pki.server.key, ca: pki.ca },
  });
});
afterAll(async () => {
  await server?.close();
  rmSync(scratch, { recursive: true, force: true });
});

/** A kubectl-style YAML kubeconfig in its own folder, with the CA (and client pair) in pki/ next to it. */
function yamlKubeconfig(
  user: Record<string, unknown>,
  contexts: Array<{ name: string; namespace?: string }> = [{ name: 'mock' }],
): string {
  const folder = mkdtempSync(join(scratch, 'cfg-'));
  mkdirSync(join(folder, 'pki'));
  writeFileSync(join(folder, 'pki/ca.crt'), pki.ca);
  writeFileSync(join(folder, 'pki/client.crt'), pki.client.cert);
  writeFileSync(join(folder, 'pki/client.key'), pki.client.key);
  const path = join(folder, 'config');
  writeFileSync(
    path,
    YAML.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'mock', cluster: { server: server.url, 'certificate-authority': 'pki/ca.crt' } }],
      users: [{ name: 'me', user }],
      contexts: contexts.map(({ name, namespace }) => ({
        name,
        context: { cluster: 'mock', user: 'me', ...(namespace !== undefined && { namespace }) },
      })),
      'current-context': contexts[0]!.name,
    }),
  );
  return path;
}

const status = (path: string, ...extra: string[]) =>
  runCli(['status', 'namespace-test/redis', '--kubeconfig', path, '-o', 'json', ...extra]);

describe('cci-svc --kubeconfig', () => {
  it('reads a YAML kubeconfig whose certificate paths are relative to the file, from another directory', async () => {
    const result = await status(
      yamlKubeconfig({ 'client-certificate': 'pki/client.crt', 'client-key': 'pki/client.key' }),
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).metadata.name).toBe('redis');
  });

  it('sends the kubeconfig user token as Authorization: Bearer, and never shows it', async () => {
    const result = await status(yamlKubeconfig({ token: TOKEN }), '--verbose');
    expect(result.code).toBe(0);
    expect(result.stdout + result.stderr).not.toContain(TOKEN);
  });

  it('CCI_TOKEN, the gateway token, is not sent to the API server a kubeconfig names', async () => {
    const path = yamlKubeconfig({ token: 'stale-token-000000' });
    const ignored = await runCli(['status', 'namespace-test/redis', '--kubeconfig', path], { CCI_TOKEN: TOKEN });
    expect(ignored.code).toBe(4);
    expect(ignored.stderr).toMatch(/401/);
  });

  it('runs an exec credential plugin (as cci-iam-authenticator is run) and sends its token as Bearer', async () => {
    const plugin = join(scratch, 'credential-plugin.mjs');
    const credential = {
      apiVersion: 'client.authentication.k8s.io/v1beta1',
      kind: 'ExecCredential',
      status: { token: TOKEN },
    };
    writeFileSync(plugin, `process.stdout.write(${JSON.stringify(JSON.stringify(credential))});\n`);
    const result = await status(
      yamlKubeconfig({
        exec: { apiVersion: 'client.authentication.k8s.io/v1beta1', command: process.execPath, args: [plugin] },
      }),
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).metadata.name).toBe('redis');
    expect(result.stdout).not.toContain(TOKEN);
  });

  it('a missing exec plugin is an auth failure (4) that names it and its install hint', async () => {
    const user = {
      exec: {
        apiVersion: 'client.authentication.k8s.io/v1',
        command: 'cci-credential-helper',
        interactiveMode: 'Never',
        installHint: 'Install it from the CCI console.',
      },
    };
    const result = await status(yamlKubeconfig(user));
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(/cci-credential-helper is not installed/);
    expect(result.stderr).toContain('Install it from the CCI console.');
    expect(result.stdout).toBe('');
  });

  it('/dev/zero and a FIFO as the kubeconfig are refused at once (no 8 GB read, no hang)', async () => {
    const zero = await status('/dev/zero');
    expect(zero.code).toBe(2);
    expect(zero.stderr).toContain('cannot read the kubeconfig /dev/zero: not a regular file (a character device)');
    const fifo = join(scratch, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const piped = await runCli(['status', 'namespace-test/redis', '--kubeconfig', fifo], {}, { timeoutMs: 20_000 });
    expect(piped.code).toBe(2);
    expect(piped.stderr).toContain('not a regular file (a FIFO)');
  });

  it('an unknown --context lists the ones there are', async () => {
    const result = await status(yamlKubeconfig({ token: TOKEN }), '--context', 'prod');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/no context named "prod" \(have: mock\)/);
  });

  describe("the context's namespace (as kubectl: the default namespace when -n is not given)", () => {
    /** The names in the NAME column (the first column of a table without NAMESPACE). */
    const names = (stdout: string) =>
      stdout
        .trimEnd()
        .split('\n')
        .slice(1)
        .map((line) => line.split(' ')[0]);
    const servedNames = (namespace: string) =>
      server.store.list({ namespace }).map((s) => (s as { metadata: { name: string } }).metadata.name);
    const twoContexts = () =>
      yamlKubeconfig({ token: TOKEN }, [
        { name: 'mock', namespace: 'namespace-test' },
        { name: 'plain' },
        { name: 'other', namespace: 'nothing-here' },
      ]);

    it('list without -n lists the current context namespace', async () => {
      const result = await runCli(['list', '--kubeconfig', twoContexts()]);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(servedNames('namespace-test').length).toBeGreaterThan(0);
      expect(names(result.stdout)).toEqual(servedNames('namespace-test'));
    });

    it('--context picks that context namespace; a context without one lists "default"', async () => {
      const other = await runCli(['list', '--kubeconfig', twoContexts(), '--context', 'other']);
      expect(other.code).toBe(0);
      expect(other.stderr).toBe('No resources found in nothing-here namespace.\n');
      const plain = await runCli(['list', '--kubeconfig', twoContexts(), '--context', 'plain', '-o', 'json']);
      expect(plain.code).toBe(0);
      expect(
        JSON.parse(plain.stdout).items.map((s: { metadata: { namespace: string } }) => s.metadata.namespace),
      ).toEqual(servedNames('default').map(() => 'default'));
    });

    it('-n and -A win over the context namespace', async () => {
      const path = twoContexts();
      const named = await runCli(['list', '--kubeconfig', path, '-n', 'nothing-here']);
      expect(named.code).toBe(0);
      expect(named.stderr).toBe('No resources found in nothing-here namespace.\n');
      const all = await runCli(['list', '--kubeconfig', path, '-A', '-o', 'json']);
      expect(all.code).toBe(0);
      expect(JSON.parse(all.stdout).items).toHaveLength(server.store.list({}).length);
    });

    it('--watch watches the context namespace too', async () => {
      const result = await runCli(['list', '--kubeconfig', twoContexts(), '--watch', '--timeout', '1s', '-o', 'json']);
      expect(result.code).toBe(0);
      const namespaces = new Set(
        result.stdout
          .trim()
          .split('\n')
          .map((line) => JSON.parse(line).object.metadata.namespace),
      );
      expect([...namespaces]).toEqual(['namespace-test']);
    });

    it('a 404 names the namespace the context gave', async () => {
      const result = await runCli(['get', 'namespace-test/nope', '--kubeconfig', twoContexts()]);
      expect(result.code).toBe(3);
      // status and get name their Service in full (<namespace>/<name>): the context namespace does not apply.
      expect(result.stderr).toContain('Service namespace-test/nope not found');
    });
  });
});
