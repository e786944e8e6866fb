// The `cci` profile's IAM: tokens from POST /v3/auth/tokens, used as X-Auth-Token or Bearer until
// they expire on the mock's clock, and the gateway's refusals for missing, unknown and expired tokens.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_IAM_USER, GATEWAY_REFUSALS, startMockServer, type MockServer } from '../src/index.js';
import { READ_PATH, send, signIn, signInBody } from './helpers/gateway.js';

const START = Date.UTC(2020, 0, 3, 9, 5, 22, 701);
const HOUR = 3_600_000;

/** A mock whose clock the test moves. */
async function clockedMock(options: Parameters<typeof startMockServer>[0] = {}) {
  let now = START;
  const server = await startMockServer({ port: 0, now: () => now, ...options });
  return { server, advance: (ms: number) => (now += ms) };
}

const expectRefusal = (
  answer: { status: number; json: any; headers: Record<string, unknown> },
  name: keyof typeof GATEWAY_REFUSALS,
) => {
  const { status, code, message } = GATEWAY_REFUSALS[name];
  expect(answer.status).toBe(status);
  expect(answer.json).toEqual({
    error_msg: message,
    error_code: code,
    request_id: expect.stringMatching(/^[0-9a-f]{32}$/),
  });
  expect(answer.headers['x-request-id']).toBe(answer.json.request_id);
};

describe('IAM: POST /v3/auth/tokens', () => {
  let server: MockServer;
  beforeAll(async () => {
    ({ server } = await clockedMock());
  });
  afterAll(() => server?.close());

  it('issues a project-scoped token: 201, X-Subject-Token, the token body with 24 h of life', async () => {
    const answer = await signIn(server.url, signInBody(), '');
    expect(answer.status).toBe(201);
    expect(answer.token).toMatch(/^MII[\w.-]+$/);
    expect(answer.headers['content-type']).toMatch(/^application\/json/);
    const domain = { id: DEMO_IAM_USER.domainId, name: DEMO_IAM_USER.domainName };
    expect(answer.json).toEqual({
      token: {
        expires_at: '2020-01-04T09:05:22.701000Z',
        issued_at: '2020-01-03T09:05:22.701000Z',
        methods: ['password'],
        project: { id: DEMO_IAM_USER.projectId, name: 'cn-north-4', domain },
        user: { id: DEMO_IAM_USER.userId, name: DEMO_IAM_USER.username, domain, password_expires_at: '' },
        roles: [{ id: '0', name: 'te_admin' }],
        catalog: [],
      },
    });
    expect(answer.text).not.toContain(DEMO_IAM_USER.password);
  });

  it('nocatalog (any non-empty value) leaves the catalog out; a scope by project id works too', async () => {
    const answer = await signIn(
      server.url,
      signInBody({ project: { id: DEMO_IAM_USER.projectId } }),
      '?nocatalog=true',
    );
    expect(answer.status).toBe(201);
    expect(answer.json.token).not.toHaveProperty('catalog');
    expect(answer.json.token.project.name).toBe('cn-north-4');
  });

  it.each([
    ['password', { password: 'wrong' }],
    ['user name', { name: 'someone-else' }],
    ['account (domain)', { domain: 'other-account' }],
  ])('a wrong %s is 401 with IAM’s body', async (_what, override) => {
    const answer = await signIn(server.url, signInBody(override));
    expect(answer.status).toBe(401);
    expect(answer.json).toEqual({
      error: { code: 401, message: 'The username or password is wrong.', title: 'Unauthorized' },
    });
    expect(answer.token).toBeUndefined();
  });

  it('a wrong password is 401 even for a project that does not exist (nothing is revealed before sign-in)', async () => {
    expect(
      (await signIn(server.url, signInBody({ password: 'wrong', project: { name: 'xx-nowhere-1' } }))).status,
    ).toBe(401);
  });

  it('a project this user does not have is 400, after a correct sign-in', async () => {
    const answer = await signIn(server.url, signInBody({ project: { name: 'cn-south-1' } }));
    expect(answer.status).toBe(400);
    expect(answer.json.error).toMatchObject({
      code: 400,
      title: 'Bad Request',
      message: expect.stringContaining('cn-south-1'),
    });
  });

  it.each([
    ['not JSON', '{"auth":'],
    ['JSON but not an object', '[1,2]'],
    [
      'another method',
      JSON.stringify({
        auth: { identity: { methods: ['token'], token: { id: 'x' } }, scope: { project: { name: 'cn-north-4' } } },
      }),
    ],
    ['no domain', signInBody().replace(/"domain":\{"name":"[^"]*"\}/, '"domain":{}')],
    ['no scope', JSON.stringify({ auth: { ...JSON.parse(signInBody()).auth, scope: undefined } })],
    [
      'a domain scope',
      JSON.stringify({ auth: { ...JSON.parse(signInBody()).auth, scope: { domain: { name: 'demo-account' } } } }),
    ],
  ])('a malformed body (%s) is 400', async (_what, body) => {
    const answer = await signIn(server.url, body);
    expect(answer.status).toBe(400);
    expect(answer.json.error).toMatchObject({ code: 400, title: 'Bad Request' });
    expect(answer.text).not.toContain(DEMO_IAM_USER.password);
  });

  it('another method on the token path is 405 (Allow: POST)', async () => {
    const answer = await send(server.url, { path: '/v3/auth/tokens' });
    expect(answer.status).toBe(405);
    expect(answer.headers.allow).toBe('POST');
  });

  it('a sign-in body over 64 KiB is 413 and the connection is closed', async () => {
    const body = signInBody().replace('"password"]', `"password"],"padding":"${'x'.repeat(70 * 1024)}"`);
    const answer = await signIn(server.url, body);
    expectRefusal(answer, 'bodyTooLarge');
    expect(answer.headers.connection).toBe('close');
  });
});

describe('the gateway: issued tokens as X-Auth-Token and Bearer, until they expire', () => {
  let mock: Awaited<ReturnType<typeof clockedMock>>;
  afterEach(() => mock?.server.close());

  it('accepts the issued token in X-Auth-Token and as Authorization: Bearer (kubectl with cci-iam-authenticator)', async () => {
    mock = await clockedMock();
    const { token } = await signIn(mock.server.url);
    const viaHeader = await send(mock.server.url, { path: READ_PATH, headers: { 'x-auth-token': token as string } });
    expect(viaHeader.status).toBe(200);
    expect(viaHeader.json.metadata.name).toBe('redis');
    expect(
      (await send(mock.server.url, { path: READ_PATH, headers: { authorization: `Bearer ${token}` } })).status,
    ).toBe(200);
  });

  it('after its lifetime the token is APIGW.0307 "The token must be updated."; a fresh one works again', async () => {
    mock = await clockedMock({ tokenLifetimeMs: HOUR });
    const { token, json } = await signIn(mock.server.url);
    expect(Date.parse(json.token.expires_at) - Date.parse(json.token.issued_at)).toBe(HOUR);
    mock.advance(HOUR - 1);
    expect(
      (await send(mock.server.url, { path: READ_PATH, headers: { 'x-auth-token': token as string } })).status,
    ).toBe(200);
    mock.advance(1);
    expectRefusal(
      await send(mock.server.url, { path: READ_PATH, headers: { 'x-auth-token': token as string } }),
      'expiredToken',
    );
    expectRefusal(
      await send(mock.server.url, { path: READ_PATH, headers: { authorization: `Bearer ${token}` } }),
      'expiredToken',
    );
    const fresh = await signIn(mock.server.url);
    expect(
      (await send(mock.server.url, { path: READ_PATH, headers: { 'x-auth-token': fresh.token as string } })).status,
    ).toBe(200);
  });

  it('the default lifetime is 24 hours', async () => {
    mock = await clockedMock();
    const { token } = await signIn(mock.server.url);
    mock.advance(24 * HOUR - 1);
    expect(
      (await send(mock.server.url, { path: READ_PATH, headers: { 'x-auth-token': token as string } })).status,
    ).toBe(200);
    mock.advance(1);
    expect(
      (await send(mock.server.url, { path: READ_PATH, headers: { 'x-auth-token': token as string } })).json.error_code,
    ).toBe('APIGW.0307');
  });

  it('no credential, an unknown token and an altered token are APIGW.0301 with the gateway’s words', async () => {
    mock = await clockedMock();
    const { token } = await signIn(mock.server.url);
    expectRefusal(await send(mock.server.url, { path: READ_PATH }), 'noCredential');
    expectRefusal(await send(mock.server.url, { path: '/version' }), 'noCredential');
    expectRefusal(
      await send(mock.server.url, { path: READ_PATH, headers: { authorization: 'Basic YWRtaW46YWRtaW4=' } }),
      'noCredential',
    );
    expectRefusal(
      await send(mock.server.url, { path: READ_PATH, headers: { 'x-auth-token': 'not-a-token' } }),
      'unknownToken',
    );
    expectRefusal(
      await send(mock.server.url, { path: READ_PATH, headers: { authorization: 'Bearer not-a-token' } }),
      'unknownToken',
    );
    const altered = `${(token as string).slice(0, 10)}${(token as string)[10] === 'A' ? 'B' : 'A'}${(token as string).slice(11)}`;
    expectRefusal(
      await send(mock.server.url, { path: READ_PATH, headers: { 'x-auth-token': altered } }),
      'unknownToken',
    );
    // Refused before routing: an unknown path learns nothing either.
    expectRefusal(await send(mock.server.url, { path: '/no/such/path' }), 'noCredential');
  });

  it('the static tokens stay accepted and never expire', async () => {
    mock = await clockedMock({ tokens: ['mock-token', { token: 'team-token', namespaces: ['team-a'], user: 'team' }] });
    mock.advance(365 * 24 * HOUR);
    expect((await send(mock.server.url, { path: READ_PATH, headers: { 'x-auth-token': 'mock-token' } })).status).toBe(
      200,
    );
    expect(
      (await send(mock.server.url, { path: READ_PATH, headers: { authorization: 'Bearer mock-token' } })).status,
    ).toBe(200);
    const scoped = await send(mock.server.url, { path: READ_PATH, headers: { 'x-auth-token': 'team-token' } });
    expect(scoped.status).toBe(403);
    expect(scoped.json).toMatchObject({ kind: 'Status', reason: 'Forbidden' });
  });

  it('tokens survive a restart with the same user; another password voids them', async () => {
    mock = await clockedMock();
    const { token } = await signIn(mock.server.url);
    await mock.server.close();
    mock = await clockedMock();
    expect(
      (await send(mock.server.url, { path: READ_PATH, headers: { 'x-auth-token': token as string } })).status,
    ).toBe(200);
    await mock.server.close();
    mock = await clockedMock({ iamUser: { ...DEMO_IAM_USER, password: 'a-new-password' } });
    expectRefusal(
      await send(mock.server.url, { path: READ_PATH, headers: { 'x-auth-token': token as string } }),
      'unknownToken',
    );
    const answer = await signIn(mock.server.url, signInBody({ password: 'a-new-password' }));
    expect(answer.status).toBe(201);
  });

  it('an overridden IAM user signs in with its own names; the demo user no longer does', async () => {
    const iamUser = {
      username: 'alice',
      password: 'pw-alice',
      domainName: 'acme',
      projectName: 'ap-southeast-1',
      projectId: 'ab'.repeat(16),
    };
    mock = await clockedMock({ iamUser });
    expect((await signIn(mock.server.url)).status).toBe(401);
    const answer = await signIn(
      mock.server.url,
      signInBody({ name: 'alice', password: 'pw-alice', domain: 'acme', project: { name: 'ap-southeast-1' } }),
    );
    expect(answer.status).toBe(201);
    expect(answer.json.token.user).toMatchObject({
      name: 'alice',
      id: expect.stringMatching(/^[0-9a-f]{32}$/),
      domain: { name: 'acme' },
    });
  });
});
