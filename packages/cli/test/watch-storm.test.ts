// cci-svc list --watch and status --wait-for-ingress against a server that answers every watch with
// 410 Gone (issue 17, "relist storm"): the CLI has no relist loop of its own — it uses the client's
// watchServices / waitForLoadBalancerIngress, whose relists back off as client-go's reflector does
// (about 800 ms, growing to 30 s, with jitter) — and the client's request rate limit is on by
// default. Over 3 seconds that is a handful of requests, not thousands. Real sockets on 127.0.0.1.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, runCli } from './helpers/run.js';

const TOKEN = 'storm-token-7c1e0d';
/** Requests in 3 s with the back-off: LIST + WATCH, then at most a relist per step (0.8 s, 1.6 s, …). Generous. */
const HANDFUL = 16;

beforeAll(() => assertBuilt());

interface Counting {
  url: string;
  lists: number;
  watches: number;
  reads: number;
  close(): Promise<void>;
}

const GONE = {
  kind: 'Status',
  apiVersion: 'v1',
  status: 'Failure',
  reason: 'Expired',
  message: 'too old resource version: 1 (2)',
  code: 410,
};

function service(withIngress = false) {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: 'x', resourceVersion: '2', creationTimestamp: '2020-01-01T00:00:00Z' },
    spec: { type: 'LoadBalancer', clusterIP: '10.247.0.9', ports: [{ port: 80, protocol: 'TCP' }] },
    status: { loadBalancer: withIngress ? { ingress: [{ ip: '192.0.2.1' }] } : {} },
  };
}

/**
 * A server whose lists and reads work and whose every watch is refused with 410: as an HTTP 410
 * answer (`http`), or as a 200 stream whose only event is an ERROR with code 410 (`event`).
 */
async function goneServer(how: 'http' | 'event'): Promise<Counting> {
  const counts = { lists: 0, watches: 0, reads: 0 };
  const json = (res: ServerResponse, status: number, body: unknown) =>
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.searchParams.get('watch') === 'true' || url.searchParams.get('watch') === '1') {
      counts.watches += 1;
      if (how === 'http') json(res, 410, GONE);
      else
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(`${JSON.stringify({ type: 'ERROR', object: GONE })}\n`);
    } else if (url.pathname.endsWith('/services')) {
      counts.lists += 1;
      json(res, 200, { kind: 'ServiceList', apiVersion: 'v1', metadata: { resourceVersion: '2' }, items: [service()] });
    } else {
      counts.reads += 1;
      json(res, 200, service());
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get lists() {
      return counts.lists;
    },
    get watches() {
      return counts.watches;
    },
    get reads() {
      return counts.reads;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('a server that answers every watch with 410', () => {
  it.each(['http', 'event'] as const)(
    'cci-svc list -n x -w --timeout 3s makes a handful of requests, not thousands (410 as %s)',
    async (how) => {
      const server = await goneServer(how);
      try {
        const result = await runCli(['list', '-n', 'x', '-w', '--timeout', '3s', '--server', server.url], {
          CCI_TOKEN: TOKEN,
        });
        const total = server.lists + server.watches;
        expect({ code: result.code, total }).toEqual({ code: 0, total: expect.any(Number) });
        expect(result.stdout).toContain('web');
        // Before the client's back-off: about 2 × 4,000 requests in these 3 s.
        expect(total, `${server.lists} lists and ${server.watches} watches in 3 s`).toBeLessThanOrEqual(HANDFUL);
      } finally {
        await server.close();
      }
    },
  );

  it.each(['http', 'event'] as const)(
    'cci-svc status --wait-for-ingress --timeout 3s makes a handful of requests, not thousands (410 as %s)',
    async (how) => {
      const server = await goneServer(how);
      try {
        const result = await runCli(
          ['status', 'x/web', '--wait-for-ingress', '--timeout', '3s', '--server', server.url],
          { CCI_TOKEN: TOKEN },
        );
        // No ingress ever comes: the wait ends at --timeout (exit 5).
        expect(result.code).toBe(5);
        const total = server.lists + server.watches + server.reads;
        expect(
          total,
          `${server.reads} reads, ${server.lists} lists and ${server.watches} watches in 3 s`,
        ).toBeLessThanOrEqual(HANDFUL);
      } finally {
        await server.close();
      }
    },
  );
});

describe("the client's request rate limit, on by default (QPS 50, burst 300, as kubectl)", () => {
  it('cci-svc list --chunk-size 1 over 400 pages: the first 300 requests at once, then no more than 50 a second', async () => {
    const PAGES = 400;
    const times: number[] = [];
    const server: Server = createServer((req, res) => {
      times.push(performance.now());
      const url = new URL(req.url ?? '/', 'http://x');
      const page = Number(url.searchParams.get('continue') ?? '0');
      const item = { ...service(), metadata: { ...service().metadata, name: `web-${String(page).padStart(3, '0')}` } };
      const metadata = { resourceVersion: '2', ...(page + 1 < PAGES && { continue: String(page + 1) }) };
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ kind: 'ServiceList', apiVersion: 'v1', metadata, items: [item] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const result = await runCli(
        ['list', '-n', 'x', '--chunk-size', '1', '-o', 'json', '--timeout', '30s', '--server', url],
        { CCI_TOKEN: TOKEN },
      );
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout).items).toHaveLength(PAGES);
      expect(times).toHaveLength(PAGES);
      // 300 at once, then 100 more at 50 a second: about 2 s from the first request to the last
      // (unlimited, the 400 requests take a fraction of a second on 127.0.0.1).
      const span = times.at(-1)! - times[0]!;
      expect(span).toBeGreaterThanOrEqual(1_500);
      expect(span).toBeLessThan(10_000);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
