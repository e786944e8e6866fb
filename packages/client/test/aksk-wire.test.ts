import type { IncomingMessage } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { CciGatewayError, CciInputError, createCciClient, type Middleware } from '../src/index.js';
import { clientFor } from './helpers/client.js';
import { failureOf } from './helpers/failure.js';
import { officialAuthorization } from './helpers/official-signer.js';
import { startServer, type TestServer } from './helpers/server.js';
import { exampleService } from './helpers/spec.js';

const KEY = { ak: 'QTWAOYTTINDUT2QVKYUC', sk: 'MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc' };
const SECURITY_TOKEN = 'temporary-security-token-gQ8vZ3xK1m';

interface Verdict {
  target: string;
  ok: boolean;
  signedHeaders: string;
}

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

function bodyOf(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (text += chunk));
    req.on('end', () => resolve(text));
  });
}

function serviceWithIngress() {
  return { ...exampleService(), status: { loadBalancer: { ingress: [{ ip: '192.0.2.10' }] } } };
}

/**
 * A gateway that checks every request's signature against Huawei's official signer, recomputed
 * from the request exactly as it arrived, and answers a Service, a list or a one-event watch.
 */
async function startGateway() {
  const verdicts: Verdict[] = [];
  const server = await startServer(async (req, res) => {
    const body = await bodyOf(req);
    const target = req.url ?? '';
    const expected = officialAuthorization({ method: req.method ?? '', target, headers: req.headers, body }, KEY);
    const ok = req.headers.authorization === expected;
    verdicts.push({
      target,
      ok,
      signedHeaders: /SignedHeaders=([^,]+)/.exec(String(req.headers.authorization))?.[1] ?? '',
    });
    if (!ok) {
      res.writeHead(401, { 'content-type': 'application/json' });
      return res.end(
        JSON.stringify({
          error_code: 'APIGW.0301',
          error_msg: 'Incorrect IAM authentication information: verify aksk signature fail',
        }),
      );
    }
    const url = new URL(target, 'http://x');
    res.writeHead(200, { 'content-type': 'application/json' });
    if (url.searchParams.get('watch') === 'true') {
      return res.end(
        `${JSON.stringify({ type: 'ADDED', object: { ...exampleService(), metadata: { ...exampleService().metadata, resourceVersion: '6' } } })}\n`,
      );
    }
    if (url.pathname.endsWith('/services')) {
      return res.end(
        JSON.stringify({
          kind: 'ServiceList',
          apiVersion: 'v1',
          metadata: { resourceVersion: '5' },
          items: [exampleService()],
        }),
      );
    }
    res.end(JSON.stringify(serviceWithIngress()));
  });
  servers.push(server);
  return { server, verdicts };
}

describe('AK/SK signing on the wire (credentials option), checked by the official signer', () => {
  it('signs generated operations, client.GET, paged lists, watches and helpers', async () => {
    const { server, verdicts } = await startGateway();
    const client = clientFor(server, { token: undefined, credentials: KEY });
    await client.readServiceStatus({ namespace: 'default', name: 'redis', pretty: 'true' });
    const { data } = await client.GET('/api/v1/namespaces/{namespace}/services/{name}', {
      params: { path: { namespace: 'default', name: 'redis' }, query: { pretty: 'a b&c=d/é' } },
    });
    expect(data?.metadata?.name).toBe(exampleService().metadata?.name);
    const listed = [];
    for await (const service of client.listServices({
      namespace: 'default',
      labelSelector: 'app in (web,redis),tier!=db',
      pageSize: 2,
    }))
      listed.push(service);
    expect(listed).toHaveLength(1);
    for await (const event of client.watchServices({ namespace: 'default', resourceVersion: '5' })) {
      expect(event.type).toBe('ADDED');
      break;
    }
    await client.waitForLoadBalancerIngress({ namespace: 'default', name: 'redis' });
    expect(verdicts.length).toBeGreaterThanOrEqual(5);
    expect(verdicts.filter((verdict) => !verdict.ok)).toEqual([]);
    for (const verdict of verdicts)
      expect(verdict.signedHeaders.split(';')).toEqual(expect.arrayContaining(['host', 'x-sdk-date']));
    await client.close();
  });

  it('signs the request a middleware changed (a header and a query parameter added), and a JSON body', async () => {
    const { server, verdicts } = await startGateway();
    const client = clientFor(server, { token: undefined, credentials: KEY });
    const middleware: Middleware = {
      onRequest({ request }) {
        const url = new URL(request.url);
        url.searchParams.append('pretty', 'true');
        const changed = new Request(url, request);
        changed.headers.set('x-trace', 'mw-1');
        return changed;
      },
    };
    client.use(middleware);
    await client.readServiceStatus({ namespace: 'default', name: 'redis' });
    const { response } = await client.POST(
      '/api/v1/namespaces/{namespace}/services' as never,
      {
        params: { path: { namespace: 'default' } },
        body: { kind: 'Service', metadata: { name: 'ünïcode-body' } },
      } as never,
    );
    expect((response as Response).status).toBe(200);
    expect(verdicts.map((verdict) => verdict.ok)).toEqual([true, true]);
    expect(verdicts[0]!.target).toMatch(/\?pretty=true$/);
    expect(verdicts[0]!.signedHeaders).toContain('x-trace');
    expect(verdicts[1]!.signedHeaders).toContain('content-type');
  });

  it("signs with WebCrypto where there is no node:crypto (a browser's path: the signer is asynchronous)", async () => {
    const { server, verdicts } = await startGateway();
    const lookup = process.getBuiltinModule;
    const withoutCrypto = ((id: string) =>
      id === 'node:crypto' ? undefined : lookup(id)) as typeof process.getBuiltinModule;
    process.getBuiltinModule = withoutCrypto;
    let client: ReturnType<typeof clientFor>;
    try {
      client = clientFor(server, { token: undefined, credentials: KEY });
    } finally {
      process.getBuiltinModule = lookup;
    }
    await client.readServiceStatus({ namespace: 'default', name: 'redis', pretty: 'true' });
    const { response } = await client.POST(
      '/api/v1/namespaces/{namespace}/services' as never,
      {
        params: { path: { namespace: 'default' } },
        body: { kind: 'Service', metadata: { name: 'web-crypto' } },
      } as never,
    );
    expect((response as Response).status).toBe(200);
    expect(verdicts.map((verdict) => verdict.ok)).toEqual([true, true]);
  });

  it('sends and signs X-Security-Token for a temporary key and X-Project-Id for a project', async () => {
    const { server, verdicts } = await startGateway();
    const client = clientFor(server, {
      token: undefined,
      credentials: { ...KEY, securityToken: SECURITY_TOKEN, projectId: '0b1c2d3e4f' },
    });
    await client.readServiceStatus({ namespace: 'default', name: 'redis' });
    expect(verdicts[0]).toMatchObject({ ok: true });
    expect(verdicts[0]!.signedHeaders.split(';')).toEqual(expect.arrayContaining(['x-security-token', 'x-project-id']));
    expect(server.requests[0]!.headers['x-security-token']).toBe(SECURITY_TOKEN);
    expect(server.requests[0]!.headers['x-project-id']).toBe('0b1c2d3e4f');
  });

  it("a refused signature is the gateway's typed error, with the security token cut out of it", async () => {
    const server = await startServer((req, res) => {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          error_code: 'APIGW.0301',
          error_msg: `verify aksk signature fail|x-security-token:${req.headers['x-security-token']}`,
        }),
      );
    });
    servers.push(server);
    const client = clientFor(server, { token: undefined, credentials: { ...KEY, securityToken: SECURITY_TOKEN } });
    const error = await failureOf(client.readServiceStatus({ namespace: 'default', name: 'redis' }));
    expect(error).toBeInstanceOf(CciGatewayError);
    expect(`${(error as Error).message} ${JSON.stringify(error)}`).not.toContain(SECURITY_TOKEN);
    expect(`${(error as Error).message} ${JSON.stringify(error)}`).not.toContain(KEY.sk);
  });

  it.each([
    [{ ak: 'QTWAOYTTINDUT2QVKYUC' }, /sk/],
    [{ sk: KEY.sk }, /ak/],
    [{ ...KEY, ak: '' }, /ak/],
  ])('refuses half-given keys %j before any request', (credentials, field) => {
    const make = () => createCciClient({ baseUrl: 'http://127.0.0.1:9', credentials: credentials as typeof KEY });
    expect(make).toThrow(CciInputError);
    expect(make).toThrow(field);
    try {
      make();
    } catch (error) {
      expect((error as Error).message).not.toContain(KEY.sk);
    }
  });
});
