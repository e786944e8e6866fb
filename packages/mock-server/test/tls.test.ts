// API-server mode: HTTPS that requests a client certificate signed by the configured CA, as
// kube-apiserver does: a missing one is the anonymous user, a foreign one is 401 (see kube-auth.test.ts).
// The `kube` profile: the cci profile's gateway asks for no client certificate (profiles.test.ts).
import { request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockServer, type MockServer } from '../src/index.js';
import { createTestPki, type TestPki } from './helpers/certs.js';
import { statusPath } from './helpers/http.js';
import { serviceProblems } from './helpers/spec.js';

let pki: TestPki;
let server: MockServer;
beforeAll(async () => {
  pki = await createTestPki();
  server = await startMockServer({
    profile: 'kube',
    port: 0,
    tls: { cert: pki.server.cert, key: pki.server.key, ca: pki.ca },
  });
});
afterAll(() => server?.close());

/** GET over HTTPS trusting the test CA, presenting the given client certificate (if any). */
function get(clientCertificate: { cert?: string; key?: string }): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      server.url + statusPath('namespace-test', 'redis'),
      { ca: pki.ca, ...clientCertificate, agent: false },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('API-server mode (TLS, client certificates)', () => {
  it('serves HTTPS on an https:// URL', () => {
    expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  });

  it('answers a client presenting a certificate signed by the CA, without any token', async () => {
    const response = await get(pki.client);
    expect(response.status).toBe(200);
    expect(serviceProblems(JSON.parse(response.body))).toEqual([]);
  });

  it('completes the handshake without a client certificate (requested, not required) and answers 403 for system:anonymous', async () => {
    const before = server.stats().tlsRejections;
    const response = await get({});
    expect(response.status).toBe(403);
    expect(JSON.parse(response.body)).toMatchObject({ kind: 'Status', reason: 'Forbidden', code: 403 });
    expect(server.stats().tlsRejections).toBe(before);
  });

  it('answers 401 to a client whose certificate another CA signed, after the handshake', async () => {
    const before = server.stats().tlsRejections;
    const response = await get(pki.strangerClient);
    expect(response.status).toBe(401);
    expect(JSON.parse(response.body)).toMatchObject({ kind: 'Status', reason: 'Unauthorized', code: 401 });
    expect(server.stats().tlsRejections).toBe(before);
  });

  it('keeps serving trusted clients after refusing others', async () => {
    expect((await get(pki.client)).status).toBe(200);
  });
});
