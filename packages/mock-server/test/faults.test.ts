// Fault modes: rate limit, transient 5xx, connection resets, slow responses, provisioning LoadBalancer.
import { describe, expect, it } from 'vitest';
import { startMockServer, type FaultOptions, type MockServer } from '../src/index.js';
import { createFaultInjector } from '../src/faults.js';
import { request, statusPath, type Answer } from './helpers/http.js';
import { declaredCodes, serviceProblems, statusProblems } from './helpers/spec.js';

const REDIS = statusPath('namespace-test', 'redis');

async function withServer(faults: FaultOptions, run: (server: MockServer) => Promise<void>) {
  const server = await startMockServer({ port: 0, faults });
  try {
    await run(server);
  } finally {
    await server.close();
  }
}

/** Sequential GETs; a reset connection yields the error instead of an answer. */
async function sequence(server: MockServer, count: number): Promise<Array<Answer | Error>> {
  const results: Array<Answer | Error> = [];
  for (let i = 0; i < count; i += 1) results.push(await request(server.url + REDIS).catch((error: Error) => error));
  return results;
}
const codes = (results: Array<Answer | Error>) => results.map((r) => (r instanceof Error ? 'reset' : r.status));

describe('rate limit', () => {
  // A rate of 1 request per 100 s makes the refill negligible: exactly `burst` requests pass.
  it('answers 429 with Retry-After and a TooManyRequests Status past the burst', async () => {
    await withServer({ rateLimit: { requestsPerSecond: 0.01, burst: 3 } }, async (server) => {
      const results = await sequence(server, 6);
      expect(codes(results)).toEqual([200, 200, 200, 429, 429, 429]);
      const throttled = results[3] as Answer;
      expect(statusProblems(throttled.json)).toEqual([]);
      expect(throttled.json).toMatchObject({ kind: 'Status', reason: 'TooManyRequests', code: 429 });
      const retryAfter = Number(throttled.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThanOrEqual(99);
      expect(retryAfter).toBeLessThanOrEqual(100);
      expect(throttled.json.details).toEqual({ retryAfterSeconds: retryAfter });
      expect(server.stats().responses).toEqual({ 200: 3, 429: 3 });
    });
  });

  it('sends the configured Retry-After (0 allowed)', async () => {
    await withServer({ rateLimit: { requestsPerSecond: 0.01, burst: 1, retryAfterSeconds: 0 } }, async (server) => {
      const [, second] = (await sequence(server, 2)) as Answer[];
      expect(second?.status).toBe(429);
      expect(second?.headers.get('retry-after')).toBe('0');
    });
  });

  it('refills over time (token bucket), measured with an injected clock', () => {
    let now = 0;
    const faults = createFaultInjector({ rateLimit: { requestsPerSecond: 10, burst: 2 } }, () => now);
    expect([faults.decide(), faults.decide(), faults.decide()].map((d) => d.kind)).toEqual([
      'pass',
      'pass',
      'throttle',
    ]);
    now += 100; // one token back
    expect([faults.decide(), faults.decide()].map((d) => d.kind)).toEqual(['pass', 'throttle']);
    now += 10_000; // full again, capped at the burst
    expect([faults.decide(), faults.decide(), faults.decide()].map((d) => d.kind)).toEqual([
      'pass',
      'pass',
      'throttle',
    ]);
  });
});

describe('transient errors', () => {
  it('every Nth request gets 503 then 504 in turn, as Status bodies the spec declares', async () => {
    await withServer({ transient: { every: 3 } }, async (server) => {
      const results = (await sequence(server, 9)) as Answer[];
      expect(codes(results)).toEqual([200, 200, 503, 200, 200, 504, 200, 200, 503]);
      expect(results[2]?.json).toMatchObject({ reason: 'ServiceUnavailable', code: 503 });
      expect(results[5]?.json).toMatchObject({ reason: 'Timeout', code: 504 });
      for (const r of results) expect(r.status === 200 ? serviceProblems(r.json) : statusProblems(r.json)).toEqual([]);
      expect(declaredCodes()).toEqual(expect.arrayContaining([503, 504]));
    });
  });

  it('is deterministic for a seed and differs between seeds', async () => {
    const run = async (seed: number) => {
      let seen: unknown[] = [];
      await withServer({ seed, transient: { probability: 0.5, statuses: [503] } }, async (server) => {
        seen = codes(await sequence(server, 24));
      });
      return seen;
    };
    const first = await run(42);
    expect(await run(42)).toEqual(first);
    expect(first).toContain(503);
    expect(first).toContain(200);
    expect(await run(43)).not.toEqual(first);
  });

  it('sends Retry-After with 503 when configured', async () => {
    await withServer({ transient: { probability: 1, statuses: [503], retryAfterSeconds: 2 } }, async (server) => {
      const [answer] = (await sequence(server, 1)) as Answer[];
      expect(answer?.status).toBe(503);
      expect(answer?.headers.get('retry-after')).toBe('2');
    });
  });

  it('probability 0 never fires, probability 1 always does', async () => {
    await withServer({ transient: { probability: 0 } }, async (server) =>
      expect(codes(await sequence(server, 5))).toEqual([200, 200, 200, 200, 200]),
    );
    await withServer({ transient: { probability: 1, statuses: [500] } }, async (server) =>
      expect(codes(await sequence(server, 3))).toEqual([500, 500, 500]),
    );
  });
});

describe('connection resets', () => {
  it('resets every Nth connection (the client sees a network error) and serves the rest', async () => {
    await withServer({ reset: { every: 2 } }, async (server) => {
      const results = await sequence(server, 6);
      expect(codes(results)).toEqual([200, 'reset', 200, 'reset', 200, 'reset']);
      const error = results[1] as Error & { cause?: { code?: string } };
      expect(error).toBeInstanceOf(TypeError);
      expect(['ECONNRESET', 'UND_ERR_SOCKET']).toContain(error.cause?.code);
      expect(server.stats().resets).toBe(3);
    });
  });
});

describe('slow responses', () => {
  it('holds every answer back by the configured delay', async () => {
    await withServer({ delay: { ms: 300 } }, async (server) => {
      const started = performance.now();
      const answer = await request(server.url + REDIS);
      expect(answer.status).toBe(200);
      // A lower bound only: timers never fire early; how much later depends on the machine.
      expect(performance.now() - started).toBeGreaterThanOrEqual(295);
    });
  });

  it('drops a delayed answer whose client went away, and closes cleanly with answers pending', async () => {
    const server = await startMockServer({ port: 0, faults: { delay: { ms: 60_000 } } });
    const aborted = new AbortController();
    const pending = fetch(server.url + REDIS, {
      headers: { 'X-Auth-Token': 'mock-token' },
      signal: aborted.signal,
    }).catch((e: Error) => e);
    await new Promise((resolve) => setTimeout(resolve, 50));
    aborted.abort();
    expect(await pending).toBeInstanceOf(Error);
    const stillPending = fetch(server.url + REDIS, { headers: { 'X-Auth-Token': 'mock-token' } }).catch(
      (e: Error) => e,
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    await server.close();
    expect(await stillPending).toBeInstanceOf(Error);
  });
});

describe('provisioning LoadBalancer', () => {
  it('shows no ingress until the delay has passed, then the fixture’s ingress', async () => {
    const started = Date.now();
    await withServer({ provisioning: { delayMs: 500 } }, async (server) => {
      const first = await request(server.url + statusPath('namespace-test', 'web-elb'));
      expect(first.json.status.loadBalancer).toEqual({});
      expect(serviceProblems(first.json)).toEqual([]);
      // Poll like a client would, with a bound on attempts rather than on time.
      let ingress: unknown;
      for (let attempt = 0; attempt < 200 && !ingress; attempt += 1) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        ingress = (await request(server.url + statusPath('namespace-test', 'web-elb'))).json.status.loadBalancer
          .ingress;
      }
      expect(Date.now() - started).toBeGreaterThanOrEqual(500);
      expect(ingress).toEqual([{ ip: '192.0.2.10' }, { hostname: 'web-elb.namespace-test.elb.example.com' }]);
    });
  });

  it('applies only to the named Services and gives a default ingress to one that has none', async () => {
    const elb = (await import('../src/index.js')).loadFixtures().find((s) => s.metadata.name === 'web-elb')!;
    const bare = {
      ...structuredClone(elb),
      metadata: { ...elb.metadata, name: 'bare-elb' },
      status: { loadBalancer: {} },
    };
    const server = await startMockServer({
      port: 0,
      fixtures: [elb, bare],
      faults: { provisioning: { delayMs: 0, services: ['namespace-test/bare-elb'] } },
    });
    try {
      expect((await request(server.url + statusPath('namespace-test', 'bare-elb'))).json.status.loadBalancer).toEqual({
        ingress: [{ ip: '192.0.2.100' }],
      });
      expect(
        (await request(server.url + statusPath('namespace-test', 'web-elb'))).json.status.loadBalancer.ingress,
      ).toHaveLength(2);
    } finally {
      await server.close();
    }
  });

  it('refuses to provision a Service that is not a LoadBalancer or not a fixture', async () => {
    await expect(
      startMockServer({ port: 0, faults: { provisioning: { delayMs: 1, services: ['namespace-test/redis'] } } }),
    ).rejects.toThrow(/namespace-test\/redis, which is of type ClusterIP, not LoadBalancer/);
    await expect(
      startMockServer({ port: 0, faults: { provisioning: { delayMs: 1, services: ['x/y'] } } }),
    ).rejects.toThrow(/x\/y, which is not among the fixtures/);
  });
});

describe('fault options are checked', () => {
  it.each<[string, FaultOptions, RegExp]>([
    ['a zero rate', { rateLimit: { requestsPerSecond: 0 } }, /requestsPerSecond must be > 0/],
    ['a probability above 1', { transient: { probability: 1.5 } }, /transient\.probability must be between 0 and 1/],
    ['a fractional every', { reset: { every: 2.5 } }, /reset\.every must be an integer/],
    ['neither probability nor every', { reset: {} }, /reset needs probability or every/],
    [
      'an undeclared status',
      { transient: { every: 1, statuses: [502 as 503] } },
      /transient\.statuses must be among 500, 503, 504/,
    ],
    ['a negative delay', { delay: { ms: -1 } }, /delay\.ms/],
  ])('%s', async (_what, faults, message) => {
    await expect(startMockServer({ port: 0, faults })).rejects.toThrow(message);
  });
});
