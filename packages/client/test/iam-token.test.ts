import type { IncomingMessage, ServerResponse } from 'node:http';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { CciAuthError, CciGatewayError, CciInputError, CciTimeoutError, isCciError } from '../src/index.js';
import { clientFor } from './helpers/client.js';
import { failureOf } from './helpers/failure.js';
import { startServer, type TestServer, readRequestBody } from './helpers/server.js';
import { exampleService } from './helpers/spec.js';
import { virtualClock } from './helpers/virtual-clock.js';

const USER = { username: 'alice', password: 'Pa55-word-Zq81!', domainName: 'acme', projectName: 'cn-north-4' };
const HOUR = 3_600_000;

interface FakeCloud {
  server: TestServer;
  /** Sign-in bodies IAM received, parsed. */
  signIns: Array<{ url: string; contentType: string | undefined; body: unknown }>;
  /** Tokens CCI takes; a test may empty it to make CCI refuse every token so far. */
  valid: Set<string>;
}

const clouds: TestServer[] = [];
afterEach(async () => {
  await Promise.all(clouds.splice(0).map((server) => server.close()));
});

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

/**
 * IAM and CCI on one real server: IAM issues `token-N` (N counts sign-ins) living `lifetimeMs` on
 * its own clock; CCI answers tokens in `valid`, else the gateway's APIGW.0307. `iam` may answer
 * otherwise (refuse, stall) when a test says so.
 */
async function startCloud(
  options: {
    lifetimeMs?: number;
    accept?: (token: string) => boolean;
    iam?: (req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>;
  } = {},
) {
  const cloud: Partial<FakeCloud> = { signIns: [], valid: new Set() };
  cloud.server = await startServer(async (req, res) => {
    if (req.method === 'POST' && req.url?.startsWith('/v3/auth/tokens')) {
      const text = await readRequestBody(req);
      cloud.signIns!.push({ url: req.url, contentType: req.headers['content-type'], body: JSON.parse(text) });
      if (options.iam && (await options.iam(req, res))) return;
      const token = `token-${cloud.signIns!.length}-${'x'.repeat(24)}`;
      cloud.valid!.add(token);
      const issued = Date.parse('2026-03-01T00:00:00Z');
      const expires = new Date(issued + (options.lifetimeMs ?? 24 * HOUR)).toISOString().replace('Z', '000Z');
      return json(
        res,
        201,
        { token: { issued_at: new Date(issued).toISOString(), expires_at: expires, methods: ['password'] } },
        { 'x-subject-token': token },
      );
    }
    const token = req.headers['x-auth-token'];
    if (typeof token === 'string' && (options.accept ?? ((t: string) => cloud.valid!.has(t)))(token))
      return json(res, 200, exampleService());
    return json(res, 401, { error_msg: 'The token must be updated.', error_code: 'APIGW.0307', request_id: 'c0ffee' });
  });
  clouds.push(cloud.server);
  return cloud as FakeCloud;
}

const read = (client: ReturnType<typeof clientFor>) =>
  client.readServiceStatus({ namespace: 'default', name: 'redis' });

function iamClient(cloud: FakeCloud, extra: Parameters<typeof clientFor>[1] = {}) {
  return clientFor(cloud.server, { token: undefined, iam: { ...USER, endpoint: cloud.server.url }, ...extra });
}

describe('IAM password sign-in (iam option)', () => {
  it('asks IAM for a project-scoped token (POST /v3/auth/tokens?nocatalog=true) and sends it as X-Auth-Token', async () => {
    const cloud = await startCloud();
    const service = await read(iamClient(cloud));
    expect(service.metadata?.name).toBe(exampleService().metadata?.name);
    expect(cloud.signIns).toHaveLength(1);
    expect(cloud.signIns[0]!.url).toBe('/v3/auth/tokens?nocatalog=true');
    expect(cloud.signIns[0]!.contentType).toBe('application/json;charset=utf8');
    expect(cloud.signIns[0]!.body).toEqual({
      auth: {
        identity: {
          methods: ['password'],
          password: { user: { name: 'alice', password: USER.password, domain: { name: 'acme' } } },
        },
        scope: { project: { name: 'cn-north-4' } },
      },
    });
    expect(cloud.server.requests[1]!.headers['x-auth-token']).toBe('token-1-' + 'x'.repeat(24));
  });

  it('scopes to a project id when given one', async () => {
    const cloud = await startCloud();
    const { projectName: _, ...user } = USER;
    await read(
      clientFor(cloud.server, {
        token: undefined,
        iam: { ...user, projectId: '0f1e2d3c4b5a', endpoint: cloud.server.url },
      }),
    );
    expect((cloud.signIns[0]!.body as { auth: { scope: unknown } }).auth.scope).toEqual({
      project: { id: '0f1e2d3c4b5a' },
    });
  });

  it("asks IAM once for 2,000 calls within the token's life", async () => {
    const cloud = await startCloud();
    const client = iamClient(cloud);
    for (let i = 0; i < 2_000; i++) await read(client);
    expect(cloud.signIns).toHaveLength(1);
  });

  it('asks IAM once for 100 calls that arrive together while no token is held', async () => {
    const cloud = await startCloud();
    const client = iamClient(cloud);
    await Promise.all(Array.from({ length: 100 }, () => read(client)));
    expect(cloud.signIns).toHaveLength(1);
  });

  it("renews the token shortly before it expires (on IAM's lifetime, not this machine's clock)", async () => {
    const cloud = await startCloud({ lifetimeMs: 24 * HOUR });
    const clock = virtualClock();
    const client = iamClient(cloud, { clock });
    await read(client);
    await clock.sleep(23.5 * HOUR);
    await read(client);
    expect(cloud.signIns).toHaveLength(1);
    await clock.sleep(0.5 * HOUR - 4 * 60_000); // 4 minutes before expiry: inside the safety margin
    await read(client);
    expect(cloud.signIns).toHaveLength(2);
  });

  it('renews once when CCI answers 401 for the token, then succeeds', async () => {
    const cloud = await startCloud();
    const client = iamClient(cloud);
    await read(client);
    cloud.valid.clear(); // the password changed: every token so far is refused
    await read(client);
    expect(cloud.signIns).toHaveLength(2);
  });

  it('renews only once per call: a fresh token refused again fails with the typed gateway error', async () => {
    const cloud = await startCloud({ accept: () => false });
    const error = await failureOf(read(iamClient(cloud)));
    expect(error).toBeInstanceOf(CciGatewayError);
    expect(error).toMatchObject({ kind: 'gateway', status: 401, code: 'APIGW.0307', requestId: 'c0ffee' });
    expect(cloud.signIns).toHaveLength(2);
  });

  it("a token call's 401 also renews for non-idempotent requests, once", async () => {
    const cloud = await startCloud();
    const client = iamClient(cloud);
    await read(client);
    cloud.valid.clear();
    const { response } = await client.POST(
      '/api/v1/namespaces/{namespace}/services/{name}/status' as never,
      {
        params: { path: { namespace: 'default', name: 'redis' } },
      } as never,
    );
    expect((response as Response).status).toBe(200);
    expect(cloud.signIns).toHaveLength(2);
  });

  it.each([
    [
      400,
      { error: { code: 400, message: 'The request you have made requires a project.', title: 'Bad Request' } },
      /check iam.domainName and the project/,
    ],
    [
      401,
      { error: { code: 401, message: 'The username or password is wrong.', title: 'Unauthorized' } },
      /check iam.username, iam.password and iam.domainName/,
    ],
    [403, { error_code: 'IAM.0011', error_msg: 'Access denied.' }, /programmatic access/],
  ])("IAM's %i becomes a CciAuthError saying what to check, without the password", async (status, body, check) => {
    const cloud = await startCloud({
      iam: (_req, res) => {
        json(res, status, body);
        return true;
      },
    });
    const error = await failureOf(read(iamClient(cloud)));
    expect(error).toBeInstanceOf(CciAuthError);
    expect(error).toMatchObject({ kind: 'auth', source: 'iam', status });
    expect((error as Error).message).toMatch(check);
    expect((error as Error).message).not.toContain(USER.password);
    expect(cloud.server.requests).toHaveLength(1); // nothing reached CCI
  });

  it("IAM that never answers: bounded by the call's deadline, one IAM request however many calls wait", async () => {
    const cloud = await startCloud({ iam: () => new Promise<boolean>(() => {}) });
    const client = iamClient(cloud, { deadlineMs: 300, timeoutMs: 10_000 });
    const errors = await Promise.all(Array.from({ length: 20 }, () => failureOf(read(client))));
    for (const error of errors) expect(error).toBeInstanceOf(CciTimeoutError);
    expect(cloud.signIns).toHaveLength(1);
    await client.close();
  });

  it('an IAM refusal echoing any password never shows it (property over random passwords)', async () => {
    let password = '';
    const cloud = await startCloud({
      iam: (_req, res) => {
        json(res, 401, {
          error: { code: 401, message: `The password ${password} is wrong for ${encodeURIComponent(password)}` },
        });
        return true;
      },
    });
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 8, maxLength: 40, unit: 'grapheme' }), async (candidate) => {
        password = candidate;
        const error = await failureOf(
          read(clientFor(cloud.server, { token: undefined, iam: { ...USER, password, endpoint: cloud.server.url } })),
        );
        expect(isCciError(error, 'auth')).toBe(true);
        const text = `${(error as Error).message} ${JSON.stringify(error)} ${String(error)}`;
        expect(text).not.toContain(password);
      }),
      { numRuns: 60 },
    );
  });

  it.each([
    [{ iam: { ...USER, domainName: undefined } }, /iam.domainName is missing/],
    [{ iam: { ...USER, password: '' } }, /iam.password is missing/],
    [{ iam: { ...USER, projectId: 'p' } }, /projectName or iam.projectId, not both/],
    [{ iam: { username: 'a', password: 'b', domainName: 'c' } }, /needs a project/],
    [{ iam: { ...USER, endpoint: 'ftp://iam.example' } }, /iam.endpoint must be http: or https:/],
    [{ iam: USER, token: 't0ken-abcdefgh' }, /Give one credential, not iam and token/],
  ])('refuses %j before any request (CciInputError)', async (options, message) => {
    const cloud = await startCloud();
    const make = () => clientFor(cloud.server, { token: undefined, ...(options as object) });
    expect(make).toThrow(CciInputError);
    expect(make).toThrow(message);
    expect(cloud.server.requests).toHaveLength(0);
  });

  it('derives IAM in the region from `region` (https://iam.{region}.myhuaweicloud.com), with the region as project', async () => {
    const urls: string[] = [];
    const bodies: string[] = [];
    const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
      urls.push(String(input));
      bodies.push(new TextDecoder().decode(init?.body as ArrayBuffer));
      return new Response('{}', { status: 401 });
    }) as typeof globalThis.fetch;
    const { projectName: _, ...user } = USER;
    const error = await failureOf(
      read(
        clientFor({ url: 'unused' } as TestServer, {
          baseUrl: undefined,
          region: 'ap-southeast-1',
          token: undefined,
          iam: user,
          fetch,
        }),
      ),
    );
    expect(error).toBeInstanceOf(CciAuthError);
    expect(urls).toEqual(['https://iam.ap-southeast-1.myhuaweicloud.com/v3/auth/tokens?nocatalog=true']);
    expect(JSON.parse(bodies[0]!).auth.scope).toEqual({ project: { name: 'ap-southeast-1' } });
  });
});
