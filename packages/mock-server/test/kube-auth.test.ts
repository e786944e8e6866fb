// Credentials as Kubernetes clients send them: `Authorization: Bearer` next to the gateway's
// X-Auth-Token; API-server mode requests a client certificate without requiring one; no credential
// at all is system:anonymous (403, /version readable) in API-server mode and 401 in gateway mode.
// All in the `kube` profile (the cci profile's gateway: gateway-iam.test.ts, profiles.test.ts).
import { request as httpsRequest } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockServer, type MockServer } from '../src/index.js';
import { createThrowawayPki, type ThrowawayPki } from '../src/pki.js';
import { bearerTokenOf } from '../src/auth.js';
import { createTestPki, type TestPki } from './helpers/certs.js';
import { statusPath } from './helpers/http.js';

const READ = statusPath('namespace-test', 'redis');

interface Answer {
  status: number;
  body: any;
  contentType: string | undefined;
}

/** A GET over HTTP(S) with exactly the headers and client certificate given (nothing added). */
function get(
  server: MockServer,
  path: string,
  options: { headers?: Record<string, string>; ca?: string; cert?: string; key?: string } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const url = new URL(path, server.url);
    const done = (res: import('node:http').IncomingMessage) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => {
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          // not JSON
        }
        resolve({ status: res.statusCode ?? 0, body, contentType: res.headers['content-type'] });
      });
    };
    if (url.protocol === 'https:') {
      const req = httpsRequest(
        url,
        { headers: options.headers ?? {}, ca: options.ca, cert: options.cert, key: options.key, agent: false },
        done,
      );
      req.on('error', reject);
      req.end();
    } else {
      fetch(url, { headers: options.headers ?? {} }).then(async (res) => {
        const text = await res.text();
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          // not JSON
        }
        resolve({ status: res.status, body, contentType: res.headers.get('content-type') ?? undefined });
      }, reject);
    }
  });
}

describe('gateway mode (HTTP)', () => {
  let server: MockServer;
  beforeAll(async () => {
    server = await startMockServer({
      profile: 'kube',
      port: 0,
      tokens: ['gateway-token', { token: 'reader-token', namespaces: [], user: 'reader' }],
    });
  });
  afterAll(() => server?.close());

  it('accepts the token as Authorization: Bearer and as X-Auth-Token', async () => {
    expect((await get(server, READ, { headers: { authorization: 'Bearer gateway-token' } })).status).toBe(200);
    expect((await get(server, READ, { headers: { authorization: 'bearer gateway-token' } })).status).toBe(200);
    expect((await get(server, READ, { headers: { 'x-auth-token': 'gateway-token' } })).status).toBe(200);
  });

  it('an unknown Bearer token is 401 Unauthorized with a Status', async () => {
    const answer = await get(server, READ, { headers: { authorization: 'Bearer not-a-token' } });
    expect(answer.status).toBe(401);
    expect(answer.body).toMatchObject({ kind: 'Status', reason: 'Unauthorized', code: 401 });
  });

  it('no credential at all is 401 (the CCI gateway has no anonymous user); Basic is no credential', async () => {
    expect((await get(server, READ)).status).toBe(401);
    expect((await get(server, READ, { headers: { authorization: 'Basic YWRtaW46YWRtaW4=' } })).status).toBe(401);
    expect((await get(server, '/version')).status).toBe(401);
  });

  it('a token limited to no namespace reads discovery but gets 403 on the Service', async () => {
    expect((await get(server, '/api/v1', { headers: { authorization: 'Bearer reader-token' } })).status).toBe(200);
    const answer = await get(server, READ, { headers: { authorization: 'Bearer reader-token' } });
    expect(answer.status).toBe(403);
    expect(answer.body.message).toBe(
      'services "redis" is forbidden: User "reader" cannot get resource "services/status" in API group "" in the namespace "namespace-test"',
    );
  });
});

describe('API-server mode (TLS): a client certificate is requested, not required', () => {
  let pki: ThrowawayPki;
  let stranger: TestPki;
  let server: MockServer;
  beforeAll(async () => {
    [pki, stranger] = await Promise.all([createThrowawayPki(), createTestPki()]);
    server = await startMockServer({
      profile: 'kube',
      port: 0,
      tls: { cert: pki.server.cert, key: pki.server.key, ca: pki.ca },
    });
  });
  afterAll(() => server?.close());

  it('a Bearer token over TLS works without a client certificate', async () => {
    const answer = await get(server, READ, { ca: pki.ca, headers: { authorization: 'Bearer mock-token' } });
    expect(answer.status).toBe(200);
    expect(answer.body.metadata.name).toBe('redis');
  });

  it('a client certificate the CA signed works without a token', async () => {
    expect((await get(server, READ, { ca: pki.ca, ...pki.client })).status).toBe(200);
  });

  it('no credential: a 403 Status for system:anonymous, not a TLS error', async () => {
    const answer = await get(server, READ, { ca: pki.ca });
    expect(answer.status).toBe(403);
    expect(answer.body).toMatchObject({
      kind: 'Status',
      status: 'Failure',
      reason: 'Forbidden',
      code: 403,
      message:
        'services "redis" is forbidden: User "system:anonymous" cannot get resource "services/status" in API group "" in the namespace "namespace-test"',
      details: { name: 'redis', kind: 'services' },
    });
  });

  it('anonymous may read /version (system:public-info-viewer) but not discovery', async () => {
    expect((await get(server, '/version', { ca: pki.ca })).status).toBe(200);
    const api = await get(server, '/api', { ca: pki.ca });
    expect(api.status).toBe(403);
    expect(api.body).toMatchObject({
      reason: 'Forbidden',
      message: 'forbidden: User "system:anonymous" cannot get path "/api"',
    });
  });

  it('a wrong credential is 401, never taken for anonymous: an unknown token, a certificate of another CA', async () => {
    expect((await get(server, READ, { ca: pki.ca, headers: { authorization: 'Bearer wrong-token' } })).status).toBe(
      401,
    );
    const answer = await get(server, READ, { ca: pki.ca, ...stranger.strangerClient });
    expect(answer.status).toBe(401);
    expect(answer.body).toMatchObject({ kind: 'Status', reason: 'Unauthorized' });
  });

  it('with anonymousAuth: false, no credential is 401', async () => {
    const strict = await startMockServer({
      profile: 'kube',
      port: 0,
      tls: { cert: pki.server.cert, key: pki.server.key, ca: pki.ca },
      anonymousAuth: false,
    });
    try {
      expect((await get(strict, READ, { ca: pki.ca })).status).toBe(401);
      expect((await get(strict, '/version', { ca: pki.ca })).status).toBe(401);
    } finally {
      await strict.close();
    }
  });
});

describe('bearerTokenOf (kube-apiserver bearertoken.Authenticator)', () => {
  it.each([
    ['Bearer abc', 'abc'],
    ['bEaReR abc', 'abc'],
    ['  Bearer abc  ', 'abc'],
    ['Bearer abc extra', 'abc'],
    ['Bearer', undefined],
    ['Bearer  abc', undefined],
    ['Basic abc', undefined],
    ['', undefined],
  ])('%j → %j', (header, token) => {
    expect(bearerTokenOf(header)).toBe(token);
  });
});
