// Soak: thousands of reads through the real client against the mock with 429s, 503s and connection
// resets mixed in. Every call must settle with the Service or a typed error (no lost results), the
// retries must stay within the client's documented bound, and the heap must not grow past a bound.
//
// Bounds stated here:
//   - retries: at most (attempts − 1) per call: each call reads its own Service, so the server's
//     per-path request count is the number of attempts of that call;
//   - heap: after a warm-up, HEAP_GROWTH_BOUND_MIB over the measured run, both measured after
//     forced garbage collections (vitest runs this file with --expose-gc).
import { describe, expect, it } from 'vitest';
import { CciApiError, CciNetworkError, CciTimeoutError, createCciClient } from '@cci-openapi/client';
import { startMockServer } from '@cci-openapi/mock-server';
import { readSpec, typesBundlePath } from '@cci-openapi/spec-kit';

const spec = readSpec(typesBundlePath());
const redis = spec.components.examples.ServiceRedisClusterIP.value;

/** One Service per call, so every answer can be matched to its call and attempts counted per path. */
const serviceNamed = (name: string) => ({
  ...structuredClone(redis),
  metadata: { ...structuredClone(redis.metadata), name },
});
const names = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `${prefix}-${i}`);

const CALLS = 3_000;
const WARM_UP = 500;
const ATTEMPTS = 4;
const HEAP_GROWTH_BOUND_MIB = 16;

const gc = (globalThis as { gc?: () => void }).gc;

async function settledHeapMiB(): Promise<number> {
  for (let i = 0; i < 3; i += 1) {
    gc?.();
    await new Promise((resolve) => setImmediate(resolve));
  }
  return process.memoryUsage().heapUsed / 2 ** 20;
}

describe('soak under faults', () => {
  it(`${CALLS} reads with 429/503/reset faults: no lost result, retries within budget, bounded heap`, async () => {
    expect(gc, 'run with --expose-gc (see vitest.config.ts)').toBeTypeOf('function');
    const warmUpNames = names('warm', WARM_UP);
    const callNames = names('svc', CALLS);
    const attemptsByPath = new Map<string, number>();
    const server = await startMockServer({
      port: 0,
      fixtures: [...warmUpNames, ...callNames].map(serviceNamed),
      onRequest: ({ path }) => attemptsByPath.set(path, (attemptsByPath.get(path) ?? 0) + 1),
      faults: {
        seed: 2024,
        // Throttling with Retry-After: 0, so the test measures behaviour, not waiting.
        rateLimit: { requestsPerSecond: 2_500, burst: 100, retryAfterSeconds: 0 },
        transient: { probability: 0.05, statuses: [503] },
        reset: { probability: 0.02 },
      },
    });
    const client = createCciClient({
      baseUrl: server.url,
      token: 'mock-token',
      concurrency: 32,
      timeoutMs: 10_000,
      retry: { attempts: ATTEMPTS, baseDelayMs: 2, maxDelayMs: 20 },
    });
    const outcomes = { ok: 0, api: new Map<number, number>(), network: 0, timeout: 0, other: [] as unknown[] };

    const run = async (batch: string[]) => {
      const results = await Promise.allSettled(
        batch.map((name) => client.readServiceStatus({ namespace: 'namespace-test', name })),
      );
      for (const [index, result] of results.entries()) {
        if (result.status === 'fulfilled') {
          if (JSON.stringify(result.value) === JSON.stringify(serviceNamed(batch[index] as string))) outcomes.ok += 1;
          else outcomes.other.push(result.value);
        } else if (result.reason instanceof CciApiError)
          outcomes.api.set(result.reason.status, (outcomes.api.get(result.reason.status) ?? 0) + 1);
        else if (result.reason instanceof CciNetworkError) outcomes.network += 1;
        else if (result.reason instanceof CciTimeoutError) outcomes.timeout += 1;
        else outcomes.other.push(result.reason);
      }
      return results.length;
    };

    try {
      await run(warmUpNames);
      const heapBefore = await settledHeapMiB();
      const requestsBefore = server.stats().requests;
      Object.assign(outcomes, { ok: 0, api: new Map(), network: 0, timeout: 0, other: [] });

      // In batches, so the in-flight promise array itself does not dominate the heap measurement.
      let settled = 0;
      for (let start = 0; start < CALLS; start += 500) settled += await run(callNames.slice(start, start + 500));
      const heapAfter = await settledHeapMiB();
      const requests = server.stats().requests - requestsBefore;
      const failed = [...outcomes.api.values()].reduce((a, b) => a + b, 0) + outcomes.network + outcomes.timeout;

      // Figures for the record (printed, not asserted as times).
      console.info(
        `soak: ${CALLS} calls → ${outcomes.ok} Services, ${failed} typed errors (${JSON.stringify(Object.fromEntries(outcomes.api))} api, ${outcomes.network} network, ${outcomes.timeout} timeout); ` +
          `${requests} server requests (${requests - CALLS} retries, budget ${ATTEMPTS - 1} per call, most used ${Math.max(...attemptsByPath.values()) - 1}); ` +
          `server answers ${JSON.stringify(server.stats().responses)}, resets ${server.stats().resets}; heap ${heapBefore.toFixed(1)} → ${heapAfter.toFixed(1)} MiB`,
      );

      expect(settled).toBe(CALLS);
      expect(outcomes.other).toEqual([]);
      expect(outcomes.ok + failed).toBe(CALLS);
      // The faults did happen, and the client retried through most of them.
      expect(requests).toBeGreaterThan(CALLS);
      // Most calls get through (how many 429s there are depends on the machine's speed against the limit).
      expect(outcomes.ok).toBeGreaterThan(CALLS * 0.5);
      expect(requests).toBeLessThanOrEqual(CALLS * ATTEMPTS);
      const attempts = callNames.map(
        (name) => attemptsByPath.get(`/api/v1/namespaces/namespace-test/services/${name}/status`) ?? 0,
      );
      expect(Math.min(...attempts)).toBeGreaterThanOrEqual(1);
      expect(Math.max(...attempts)).toBeLessThanOrEqual(ATTEMPTS);
      // A typed error only after the retry budget: only retryable statuses or resets can be left.
      for (const status of outcomes.api.keys()) expect([429, 503]).toContain(status);
      expect(heapAfter - heapBefore).toBeLessThan(HEAP_GROWTH_BOUND_MIB);
    } finally {
      await server.close();
    }
  });
});
