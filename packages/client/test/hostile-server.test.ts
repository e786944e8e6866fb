import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { CciInputError, CciResponseError, CciTimeoutError } from '../src/errors/classes.js';
import { clientFor, TOKEN } from './helpers/client.js';
import { startServer, type TestServer } from './helpers/server.js';
import { virtualClock } from './helpers/virtual-clock.js';

// Issue 17, the client's findings beyond the relist storm (relist-storm.test.ts): unbounded paging,
// resync timers, what a server's text may put in a message, scoped informers, stream paths,
// header values in errors, and the optional request rate limit. Real sockets on 127.0.0.1.

const servers: TestServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

async function serve(handler: (req: IncomingMessage, res: ServerResponse, url: URL) => void): Promise<TestServer> {
  const server = await startServer((req, res) => handler(req, res, new URL(req.url ?? '/', 'http://x')));
  servers.push(server);
  return server;
}

const svc = (name: string, namespace = 'ns', extra: object = {}) => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { namespace, name, resourceVersion: '5' },
  ...extra,
});
const json = (res: ServerResponse, body: unknown) => {
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify(body));
};
const list = (items: unknown[], token?: string) => ({
  kind: 'ServiceList',
  apiVersion: 'v1',
  metadata: { resourceVersion: '5', ...(token && { continue: token }) },
  items,
});

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

async function drain(iterable: AsyncIterable<unknown>): Promise<void> {
  for await (const _ of iterable);
}

describe('paging stops on a repeated continue token, and has caps (issue 17, medium 2)', () => {
  const repeating = () =>
    serve((_req, res, url) =>
      url.searchParams.get('watch') ? res.end() : json(res, list([svc(`s${Math.random()}`)], 'same-token')),
    );

  it('listServicePages and listServices end with CciResponseError InvalidResponse when a continue token comes again', async () => {
    const server = await repeating();
    const client = clientFor(server);
    for (const run of [() => drain(client.listServicePages({ namespace: 'ns' })), () => drain(client.listServices())]) {
      const before = server.requests.length;
      const error = await failure(run());
      expect(error).toBeInstanceOf(CciResponseError);
      expect((error as CciResponseError).reason).toBe('InvalidResponse');
      expect((error as Error).message).toMatch(/repeats an earlier continue token/);
      expect(server.requests.length - before).toBeLessThanOrEqual(3);
    }
  });

  it("the watch's initial list and the informer's list stop the same way", async () => {
    const server = await repeating();
    const client = clientFor(server, { clock: virtualClock() });
    const error = await failure(drain(client.watchServices({ namespace: 'ns' })));
    expect((error as CciResponseError).reason).toBe('InvalidResponse');
    expect(server.requests.length).toBeLessThanOrEqual(3);

    const informer = client.createServiceInformer({ namespace: 'ns' });
    const seen = await new Promise<unknown>((resolve) => informer.on('error', resolve));
    await informer.stop();
    expect((seen as CciResponseError).reason).toBe('InvalidResponse');
    expect(informer.list()).toEqual([]);
  });

  it('maxPages and maxItems cap a listing whose tokens never repeat (CciResponseError ResponseTooLarge); bad caps are input errors', async () => {
    let n = 0;
    const server = await serve((_req, res) => json(res, list([svc(`s${n}`), svc(`t${n}`)], `token-${++n}`)));
    const client = clientFor(server);
    const byPages = await failure(drain(client.listServicePages({ maxPages: 5 })));
    expect((byPages as CciResponseError).reason).toBe('ResponseTooLarge');
    expect(server.requests.length).toBeLessThanOrEqual(6);
    const byItems = await failure(drain(client.listServices({ maxItems: 7 })));
    expect((byItems as CciResponseError).reason).toBe('ResponseTooLarge');
    for (const bad of [0, -1, 1.5, Number.NaN, '10']) {
      await expect(client.listServices({ maxPages: bad as number }).next()).rejects.toBeInstanceOf(CciInputError);
      expect(() => client.createServiceInformer({ maxItems: bad as number })).toThrow(CciInputError);
    }
  });
});

describe('informer timers and scope (issue 17, medium 4 and low 6)', () => {
  const quietServer = (items: unknown[]) =>
    serve((_req, res, url) => {
      if (url.searchParams.get('watch') === 'true') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.flushHeaders(); // and never ends: a quiet watch
        return;
      }
      json(res, list(items));
    });

  it('resyncMs ≥ 2^31 does not fire every 1 ms (clamped to what a timer can hold); non-finite values are refused', async () => {
    const server = await quietServer([svc('a'), svc('b')]);
    const client = clientFor(server);
    const informer = client.createServiceInformer({ namespace: 'ns', resyncMs: 2 ** 31 });
    let updates = 0;
    informer.on('update', () => updates++);
    await informer.synced();
    await new Promise((resolve) => setTimeout(resolve, 150));
    await informer.stop();
    expect(updates).toBe(0);
    for (const bad of [Number.POSITIVE_INFINITY, -1, 0, Number.NaN])
      expect(() => client.createServiceInformer({ resyncMs: bad })).toThrow(CciInputError);
  });

  it('a namespace-scoped informer drops list items of another namespace or kind, with a warning event', async () => {
    const server = await quietServer([svc('mine'), svc('theirs', 'other'), { ...svc('cm'), kind: 'ConfigMap' }]);
    const informer = clientFor(server).createServiceInformer({ namespace: 'ns' });
    const warnings: string[] = [];
    informer.on('warning', (message) => warnings.push(message));
    await informer.synced();
    await informer.stop();
    expect(informer.list().map((s) => s.metadata.name)).toEqual(['mine']);
    expect(warnings).toHaveLength(2);
    expect(warnings.join('\n')).toMatch(/ConfigMap/);
    expect(warnings.join('\n')).toMatch(/other\/theirs/);
  });
});

describe('what a server sends goes into messages sanitised (issue 17, low 1)', () => {
  const hostile = `${TOKEN}\n\u001b[31m${'X'.repeat(5_000)}\u202e`;
  for (const [what, event] of [
    ['type', { type: hostile, object: svc('a') }],
    ['object.kind', { type: 'ADDED', object: { ...svc('a'), kind: hostile } }],
  ] as const) {
    it(`an unexpected event ${what} is cut, escaped and redacted in the InvalidResponse message`, async () => {
      const server = await serve((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(`${JSON.stringify(event)}\n`);
      });
      const error = await failure(drain(clientFor(server).watchServices({ namespace: 'ns', resourceVersion: '1' })));
      expect(error).toBeInstanceOf(CciResponseError);
      const { message } = error as Error;
      expect(message.length).toBeLessThan(600);
      expect(message).not.toContain(TOKEN);
      expect(message).not.toMatch(/[\n\u001b\u202e]/);
    });
  }
});

describe('paths and header values in input errors (issue 17, low 7 and 8)', () => {
  it('openStream refuses a path that does not start with "/" or leaves the base URL\'s origin: the token goes nowhere', async () => {
    const elsewhere = await serve((_req, res) => res.end());
    const server = await serve((_req, res) => res.end());
    const client = clientFor(server);
    const port = new URL(elsewhere.url).port;
    for (const path of [
      `@127.0.0.1:${port}/x`,
      `//127.0.0.1:${port}/x`,
      `/\\127.0.0.1:${port}/x`,
      'api/v1/services',
      '',
    ]) {
      const error = await failure(client.openStream({ path, signal: new AbortController().signal }));
      expect(error).toBeInstanceOf(CciInputError);
    }
    expect(elsewhere.requests).toHaveLength(0);
    expect(server.requests).toHaveLength(0);
  });

  it('a per-call header value with CR/LF is refused without quoting the value', async () => {
    const server = await serve((_req, res) => json(res, {}));
    const secret = 'per-call-secret-9f8e7d';
    const error = await failure(
      client(server).GET('/api/v1/namespaces/{namespace}/services', {
        params: { path: { namespace: 'ns' } },
        headers: { 'x-extra': `${secret}\r\nx: y` },
      }),
    );
    expect(error).toBeInstanceOf(CciInputError);
    expect(String((error as Error).message)).not.toContain(secret);
    expect(JSON.stringify(error)).not.toContain(secret);
    expect(server.requests).toHaveLength(0);
  });
});

const client = (server: TestServer) => clientFor(server);

describe('the optional request rate limit, rateLimit: { qps, burst } (issue 17)', () => {
  it('lets burst requests go at once, then one every 1/qps s (on the client clock), each attempt before the concurrency limiter', async () => {
    const clock = virtualClock();
    const arrivals: number[] = [];
    const server = await serve((_req, res) => {
      arrivals.push(clock.now());
      json(res, svc('a'));
    });
    const limited = clientFor(server, { clock, rateLimit: { qps: 2, burst: 3 } });
    const t0 = clock.now();
    for (let i = 0; i < 7; i++) await limited.readServiceStatus({ namespace: 'ns', name: 'a' });
    expect(arrivals.map((at) => at - t0)).toEqual([0, 0, 0, 500, 1000, 1500, 2000]);
  });

  it("a wait for a token that would pass the call's deadline fails at once with CciTimeoutError; bad options are input errors", async () => {
    const clock = virtualClock();
    const server = await serve((_req, res) => json(res, svc('a')));
    const limited = clientFor(server, { clock, rateLimit: { qps: 1, burst: 1 }, deadlineMs: 600 });
    await limited.readServiceStatus({ namespace: 'ns', name: 'a' });
    await expect(limited.readServiceStatus({ namespace: 'ns', name: 'a' })).rejects.toBeInstanceOf(CciTimeoutError);
    expect(server.requests).toHaveLength(1);
    for (const rateLimit of [
      { qps: 0, burst: 1 },
      { qps: 1, burst: 0 },
      { qps: 1, burst: 1.5 },
      { qps: Number.POSITIVE_INFINITY, burst: 1 },
      null,
    ]) {
      expect(() => clientFor(server, { rateLimit: rateLimit as never })).toThrow(CciInputError);
    }
  });
});
