// The token and the client key never appear in anything cci-svc writes, on success or failure,
// with or without --verbose.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockServer, type MockServer } from '@cci-openapi/mock-server';
import { createTestPki, type TestPki } from './helpers/certs.js';
import { assertBuilt, runCli, type CliResult } from './helpers/run.js';

const TOKEN = 'tok-9f8e7d6c5b4a-SECRET';
const scratch = mkdtempSync(join(tmpdir(), 'cci-svc-secrets-'));
let server: MockServer;
let pki: TestPki;
let tlsServer: MockServer;

beforeAll(async () => {
  assertBuilt();
  server = await startMockServer({ port: 0, tokens: [TOKEN] });
  pki = await createTestPki();
  // kube: client certificates are requested only in the kube profile (API-server mode).
  tlsServer = await startMockServer({
    profile: 'kube',
    port: 0,
    tls: { cert: pki.server.cert, key: pki.server.key, ca: pki.ca },
  });
});
afterAll(async () => {
  await server?.close();
  await tlsServer?.close();
  rmSync(scratch, { recursive: true, force: true });
});

function expectNoSecret(result: CliResult, ...secrets: string[]) {
  for (const secret of secrets) {
    expect(result.stdout).not.toContain(secret);
    expect(result.stderr).not.toContain(secret);
  }
}

describe('the token', () => {
  it.each([
    ['success', ['namespace-test/redis'], 0],
    ['success, JSON output', ['namespace-test/redis', '-o', 'json'], 0],
    ['not found', ['namespace-test/nope'], 3],
    ['usage error after the token', ['namespace-test/redis', '-o', 'xml'], 2],
  ])('stays out of the output with --verbose: %s', async (_what, args, code) => {
    const result = await runCli(['status', ...args, '--server', server.url, '--verbose'], { CCI_TOKEN: TOKEN });
    expect(result.code).toBe(code);
    expectNoSecret(result, TOKEN);
  });

  it('--verbose logs each request without headers', async () => {
    const result = await runCli(['status', 'namespace-test/redis', '--server', server.url, '--verbose'], {
      CCI_TOKEN: TOKEN,
    });
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(
      /^GET http:\/\/127\.0\.0\.1:\d+\/api\/v1\/namespaces\/namespace-test\/services\/redis\/status -> 200 \(\d+ ms\)\n$/,
    );
  });

  it('a wrong token is not echoed either (env, and a --token flag, which does not exist)', async () => {
    const wrong = 'wrong-WRONG-token-123';
    for (const args of [['--token', wrong], [`--token=${wrong}`], []]) {
      const result = await runCli(
        ['status', 'namespace-test/redis', '--server', server.url, '--verbose', ...args],
        args.length ? {} : { CCI_TOKEN: wrong },
      );
      if (args.length) {
        expect(result.code).toBe(2);
        expect(result.stderr).not.toContain(wrong);
        continue;
      }
      expect(result.code).toBe(4);
      expectNoSecret(result, wrong);
    }
  });

  it('stays out of network errors', async () => {
    const gone = await startMockServer({ port: 0 });
    await gone.close();
    const result = await runCli(['status', 'namespace-test/redis', '--server', gone.url, '--verbose'], {
      CCI_TOKEN: TOKEN,
    });
    expect(result.code).toBe(1);
    expectNoSecret(result, TOKEN);
  });

  it('a token with CR/LF is refused before any request, without echoing it', async () => {
    const before = server.stats().requests;
    const result = await runCli(['status', 'namespace-test/redis', '--server', server.url], {
      CCI_TOKEN: `${TOKEN}\r\nX-Evil: 1`,
    });
    expect(result.code).toBe(2);
    expectNoSecret(result, TOKEN);
    expect(server.stats().requests).toBe(before);
  });
});

describe('the kubeconfig client key', () => {
  const keyBody = (pem: string) => pem.split('\n').slice(1, -2).join('\n');
  function kubeconfig(server: string, client: { cert: string; key: string }, extra: Record<string, string> = {}) {
    const b64 = (text: string) => Buffer.from(text).toString('base64');
    const config = {
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'mock', cluster: { server, 'certificate-authority-data': b64(pki.ca) } }],
      users: [
        {
          name: 'user',
          user: { 'client-certificate-data': b64(client.cert), 'client-key-data': b64(client.key), ...extra },
        },
      ],
      contexts: [{ name: 'mock', context: { cluster: 'mock', user: 'user' } }],
      'current-context': 'mock',
    };
    const path = join(scratch, `kubeconfig-${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(path, JSON.stringify(config));
    return path;
  }

  it('reads the status over mutual TLS and shows no key material', async () => {
    const path = kubeconfig(tlsServer.url, pki.client);
    const result = await runCli(['status', 'namespace-test/redis', '--kubeconfig', path, '--verbose', '-o', 'json']);
    expect(result.stderr).not.toMatch(/cci-svc:/);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).spec.clusterIP).toBe('10.247.212.210');
    expectNoSecret(result, keyBody(pki.client.key), Buffer.from(pki.client.key).toString('base64'));
  });

  it('a refused client certificate fails (401, exit 4: the API server requests certificates, it does not require them) and shows no key material', async () => {
    const path = kubeconfig(tlsServer.url, pki.strangerClient, { token: TOKEN });
    const result = await runCli(['status', 'namespace-test/redis', '--kubeconfig', path, '--verbose']);
    expect(result.code).toBe(4);
    expectNoSecret(
      result,
      keyBody(pki.strangerClient.key),
      Buffer.from(pki.strangerClient.key).toString('base64'),
      TOKEN,
    );
  });

  it('an unreadable kubeconfig is a usage error', async () => {
    const result = await runCli(['status', 'namespace-test/redis', '--kubeconfig', join(scratch, 'missing.json')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('cannot read the kubeconfig');
  });
});
