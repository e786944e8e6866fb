// API-server mode: HTTPS that requires a client certificate signed by the configured CA.
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
  server = await startMockServer({ port: 0, tls: { cert: pki.server.cert, key: pki.server.key, ca: pki.ca } });
});
afterAll(() => server?.close());

/** GET over HTTPS trusting the test CA, presenting the given client certificate (if any). */
function get(clientCertificate: { cert?: string; key?: string }): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(server.url + statusPath('namespace-test', 'redis'), { ca: pki.ca, ...clientCertificate, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('API-server mode (mutual TLS)', () => {
  it('serves HTTPS on an https:// URL', () => {
    expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  });

  it('answers a client presenting a certificate signed by the CA, without any token', async () => {
    const response = await get(pki.client);
    expect(response.status).toBe(200);
    expect(serviceProblems(JSON.parse(response.body))).toEqual([]);
  });

  it('refuses a client without a certificate during the handshake', async () => {
    const before = server.stats().tlsRejections;
    const error = await get({}).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect(server.stats().tlsRejections).toBe(before + 1);
    expect(server.stats().requests).toBe(1);
  });

  it('refuses a client whose certificate another CA signed', async () => {
    const before = server.stats().tlsRejections;
    const error = await get(pki.strangerClient).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect(server.stats().tlsRejections).toBe(before + 1);
    expect(server.stats().requests).toBe(1);
  });

  it('keeps serving trusted clients after refusing others', async () => {
    expect((await get(pki.client)).status).toBe(200);
  });
});
