// The two profiles side by side: `cci` (the default) refuses lists and watches across all
// namespaces and answers sign-in failures as the gateway; `kube` is kube-apiserver as before —
// Status bodies for 401/403, anonymous access, client certificates, no IAM, no AK/SK.
import { request as httpsRequest } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCESS_KEY, DEMO_IAM_USER, startMockServer, type MockServer } from '../src/index.js';
import { createThrowawayPki, type ThrowawayPki } from '../src/pki.js';
import { READ_PATH, officialSigned, send, signIn } from './helpers/gateway.js';

const ALL = '/api/v1/services';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('cci profile (the default)', () => {
  let server: MockServer;
  let token: string;
  beforeAll(async () => {
    server = await startMockServer({ port: 0 });
    token = (await signIn(server.url)).token as string;
  });
  afterAll(() => server?.close());
  const get = (path: string, headers: Record<string, string> = { 'x-auth-token': token }) =>
    send(server.url, { path, headers });

  it.each([
    ['a list', ALL, 'list'],
    ['a list with selectors and a limit', `${ALL}?labelSelector=app%3Dweb&limit=2`, 'list'],
    ['a watch', `${ALL}?watch=true`, 'watch'],
    ['a watch (watch=1)', `${ALL}?watch=1&resourceVersion=0`, 'watch'],
  ])(
    '%s across all namespaces is a Kubernetes 403 Forbidden saying CCI serves them only in a namespace',
    async (_what, path, verb) => {
      const answer = await get(path);
      expect(answer.status).toBe(403);
      expect(answer.json).toMatchObject({
        kind: 'Status',
        status: 'Failure',
        reason: 'Forbidden',
        code: 403,
        details: { kind: 'services' },
        message: `services is forbidden: User "${DEMO_IAM_USER.username}" cannot ${verb} resource "services" in API group "" at the cluster scope: CCI's shared cluster serves lists and watches only inside a namespace`,
      });
    },
  );

  it('with a static token the refusal names the static user', async () => {
    expect((await get(ALL, { 'x-auth-token': 'mock-token' })).json.message).toMatch(
      /^services is forbidden: User "mock-user" cannot list/,
    );
  });

  it('lists and watches inside a namespace are served', async () => {
    const listed = await get('/api/v1/namespaces/namespace-test/services');
    expect(listed.status).toBe(200);
    expect(listed.json.items.length).toBeGreaterThan(0);
    const controller = new AbortController();
    const watch = await fetch(`${server.url}/api/v1/namespaces/namespace-test/services?watch=true`, {
      headers: { 'x-auth-token': token },
      signal: controller.signal,
    });
    expect(watch.status).toBe(200);
    const reader = (watch.body as ReadableStream<Uint8Array>).getReader();
    const { value } = await reader.read();
    expect(JSON.parse(new TextDecoder().decode(value).split('\n')[0] as string).type).toBe('ADDED');
    controller.abort();
  });

  it('discovery and /version are served to an authenticated caller as in kube', async () => {
    for (const path of ['/api', '/api/v1', '/apis', '/version']) expect((await get(path)).status, path).toBe(200);
    expect((await get('/api/v1')).json.resources.map((r: { name: string }) => r.name)).toContain('services');
  });

  it('a signed read (AK/SK, the real clock) is served', async () => {
    const signed = officialSigned(server.url, DEMO_ACCESS_KEY, { path: READ_PATH, date: Date.now() });
    expect((await send(server.url, signed)).status).toBe(200);
  });

  it('X-Request-Id is the gateway’s (32 hex digits), Audit-Id kube-apiserver’s (a UUID)', async () => {
    const answer = await get(READ_PATH);
    expect(answer.headers['x-request-id']).toMatch(/^[0-9a-f]{32}$/);
    expect(answer.headers['audit-id']).toMatch(UUID);
  });

  it('faults still act before authentication (a 429 is not turned into a gateway refusal)', async () => {
    const limited = await startMockServer({ port: 0, faults: { rateLimit: { requestsPerSecond: 0.001, burst: 1 } } });
    try {
      expect((await send(limited.url, { path: READ_PATH, headers: { 'x-auth-token': 'mock-token' } })).status).toBe(
        200,
      );
      const throttled = await send(limited.url, { path: READ_PATH, headers: { 'x-auth-token': 'mock-token' } });
      expect(throttled.status).toBe(429);
      // IAM is another service: the mock's faults do not reach it.
      expect((await signIn(limited.url)).status).toBe(201);
    } finally {
      await limited.close();
    }
  });
});

describe('kube profile: kube-apiserver as before', () => {
  let server: MockServer;
  beforeAll(async () => {
    server = await startMockServer({ port: 0, profile: 'kube' });
  });
  afterAll(() => server?.close());

  it('lists and watches across all namespaces are served', async () => {
    const answer = await send(server.url, { path: ALL, headers: { 'x-auth-token': 'mock-token' } });
    expect(answer.status).toBe(200);
    expect(answer.json.kind).toBe('ServiceList');
  });

  it('a missing or wrong credential is a 401 Status; X-Request-Id equals Audit-Id (a UUID)', async () => {
    for (const headers of [{}, { 'x-auth-token': 'wrong' }, { authorization: 'Bearer wrong' }] as Array<
      Record<string, string>
    >) {
      const answer = await send(server.url, { path: READ_PATH, headers });
      expect(answer.status).toBe(401);
      expect(answer.json).toMatchObject({ kind: 'Status', reason: 'Unauthorized', code: 401 });
      expect(answer.headers['x-request-id']).toMatch(UUID);
      expect(answer.headers['x-request-id']).toBe(answer.headers['audit-id']);
    }
  });

  it('there is no IAM and no AK/SK: both are a 401 Status', async () => {
    const iam = await signIn(server.url);
    expect(iam.status).toBe(401);
    expect(iam.json).toMatchObject({ kind: 'Status', reason: 'Unauthorized' });
    const signed = officialSigned(server.url, DEMO_ACCESS_KEY, { path: READ_PATH, date: Date.now() });
    expect((await send(server.url, signed)).json).toMatchObject({ kind: 'Status', code: 401 });
  });
});

describe('TLS in each profile', () => {
  let pki: ThrowawayPki;
  beforeAll(async () => {
    pki = await createThrowawayPki();
  });

  function httpsGet(
    server: MockServer,
    options: { headers?: Record<string, string>; cert?: string; key?: string },
  ): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const req = httpsRequest(new URL(READ_PATH, server.url), { ca: pki.ca, agent: false, ...options }, (res) => {
        let body = '';
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.end();
    });
  }

  it('cci: HTTPS with a token; a client certificate proves nothing to the gateway', async () => {
    const server = await startMockServer({ port: 0, tls: { cert: pki.server.cert, key: pki.server.key, ca: pki.ca } });
    try {
      expect((await httpsGet(server, { headers: { authorization: 'Bearer mock-token' } })).status).toBe(200);
      for (const answer of [await httpsGet(server, pki.client), await httpsGet(server, {})]) {
        expect(answer.status).toBe(401);
        expect(JSON.parse(answer.body).error_msg).toBe(
          'Incorrect IAM authentication information: x-auth-token not found',
        );
      }
    } finally {
      await server.close();
    }
  });

  it('kube: a client certificate authenticates, anonymous is 403', async () => {
    const server = await startMockServer({
      port: 0,
      profile: 'kube',
      tls: { cert: pki.server.cert, key: pki.server.key, ca: pki.ca },
    });
    try {
      expect((await httpsGet(server, pki.client)).status).toBe(200);
      expect((await httpsGet(server, {})).status).toBe(403);
    } finally {
      await server.close();
    }
  });
});

describe('options', () => {
  it.each([
    [{ profile: 'openshift' as never }, /profile must be 'cci', 'kube' or 'cce'/],
    [{ profile: 'kube' as const, accessKeys: [DEMO_ACCESS_KEY] }, /accessKeys: only the 'cci' profile/],
    [
      { profile: 'kube' as const, iamUser: DEMO_IAM_USER, tokenLifetimeMs: 1 },
      /iamUser, tokenLifetimeMs: only the 'cci' profile/,
    ],
    [{ anonymousAuth: true }, /the 'cci' profile has no anonymous user/],
    [{ tokenLifetimeMs: 0 }, /tokenLifetimeMs must be a number > 0/],
    [{ iamUser: { ...DEMO_IAM_USER, projectId: 'not-hex' } }, /iamUser.projectId must be 32 lowercase hex digits/],
    [{ iamUser: { ...DEMO_IAM_USER, password: '' } }, /iamUser.password must be a non-empty string/],
    [{ accessKeys: [DEMO_ACCESS_KEY, DEMO_ACCESS_KEY] }, /accessKeys\[1\].ak is given twice/],
    [{ accessKeys: [{ ak: 'AK', sk: '' }] }, /accessKeys\[0\].sk must be a non-empty string/],
    [{ limits: { maxBodyBytes: -1 } }, /maxBodyBytes must be a whole number/],
  ])('refuses %j', async (options, message) => {
    await expect(startMockServer({ port: 0, ...options })).rejects.toThrow(message);
  });

  it('error messages name the field, never a secret', async () => {
    const errors = await Promise.all([
      startMockServer({ port: 0, accessKeys: [{ ak: 'not an ak!', sk: 'SECRET-SK-VALUE' }] }).catch((e: Error) => e),
      startMockServer({
        port: 0,
        accessKeys: [{ ak: 'AK', sk: 'SECRET-SK-VALUE', securityToken: 'SECRET TOKEN' }],
      }).catch((e: Error) => e),
      startMockServer({ port: 0, iamUser: { ...DEMO_IAM_USER, password: 'SECRET-PASSWORD', projectId: 'x' } }).catch(
        (e: Error) => e,
      ),
    ]);
    for (const error of errors) {
      expect(error).toBeInstanceOf(RangeError);
      expect(String(error)).not.toMatch(/SECRET/);
    }
  });
});
