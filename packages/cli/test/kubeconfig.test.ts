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
  server = await startMockServer({ profile: 'kube', port: 0, tokens: [TOKEN], tls: { cert: pki.server.cert, key: pki.server.key, ca: pki.ca } });
});
afterAll(async () => {
  await server?.close();
  rmSync(scratch, { recursive: true, force: true });
});

/** A kubectl-style YAML kubeconfig in its own folder, with the CA (and client pair) in pki/ next to it. */
function yamlKubeconfig(user: Record<string, unknown>): string {
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
      contexts: [{ name: 'mock', context: { cluster: 'mock', user: 'me' } }],
      'current-context': 'mock',
    }),
  );
  return path;
}

const status = (path: string, ...extra: string[]) => runCli(['status', 'namespace-test/redis', '--kubeconfig', path, '-o', 'json', ...extra]);

describe('cci-svc --kubeconfig', () => {
  it('reads a YAML kubeconfig whose certificate paths are relative to the file, from another directory', async () => {
    const result = await status(yamlKubeconfig({ 'client-certificate': 'pki/client.crt', 'client-key': 'pki/client.key' }));
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
    const credential = { apiVersion: 'client.authentication.k8s.io/v1beta1', kind: 'ExecCredential', status: { token: TOKEN } };
    writeFileSync(plugin, `process.stdout.write(${JSON.stringify(JSON.stringify(credential))});\n`);
    const result = await status(yamlKubeconfig({ exec: { apiVersion: 'client.authentication.k8s.io/v1beta1', command: process.execPath, args: [plugin] } }));
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
});
