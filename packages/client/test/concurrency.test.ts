import { describe, expect, it } from 'vitest';
import { createCciClient } from '../src/index.js';
import { exampleService } from './helpers/spec.js';

/** A fetch whose answers the test releases one by one, counting calls in flight. */
function heldFetch() {
  const held: Array<() => void> = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const fetch = (() => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    return new Promise<Response>((resolve) =>
      held.push(() => {
        inFlight--;
        resolve(new Response(JSON.stringify(exampleService()), { status: 200 }));
      }),
    );
  }) as unknown as typeof globalThis.fetch;
  return { fetch, held, stats: () => ({ inFlight, maxInFlight }) };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('concurrency limit', () => {
  it('keeps at most `concurrency` requests in flight; the others wait their turn', async () => {
    const { fetch, held, stats } = heldFetch();
    const client = createCciClient({ baseUrl: 'http://127.0.0.1:1', concurrency: 2, fetch });
    const calls = Array.from({ length: 6 }, (_, i) =>
      client.readServiceStatus({ namespace: 'default', name: `svc-${i}` }),
    );
    await settle();
    expect(stats()).toEqual({ inFlight: 2, maxInFlight: 2 });
    while (held.length > 0) {
      held.shift()!();
      await settle();
    }
    await expect(Promise.all(calls)).resolves.toHaveLength(6);
    expect(stats().maxInFlight).toBe(2);
  });

  it('defaults to 64', async () => {
    const { fetch, held, stats } = heldFetch();
    const client = createCciClient({ baseUrl: 'http://127.0.0.1:1', fetch });
    const calls = Array.from({ length: 100 }, () => client.readServiceStatus({ namespace: 'default', name: 'redis' }));
    await settle();
    expect(stats().inFlight).toBe(64);
    while (held.length > 0) {
      for (const release of held.splice(0)) release();
      await settle();
    }
    await Promise.all(calls);
  });

  it('a waiting request can be aborted and frees nothing it did not hold', async () => {
    const { fetch, held, stats } = heldFetch();
    const client = createCciClient({ baseUrl: 'http://127.0.0.1:1', concurrency: 1, fetch });
    const first = client.readServiceStatus({ namespace: 'default', name: 'a' });
    const controller = new AbortController();
    const second = client.readServiceStatus({ namespace: 'default', name: 'b', signal: controller.signal });
    await settle();
    controller.abort();
    await expect(second).rejects.toMatchObject({ name: 'AbortError' });
    held.shift()!();
    await first;
    const third = client.readServiceStatus({ namespace: 'default', name: 'c' });
    await settle();
    expect(stats().inFlight).toBe(1);
    held.shift()!();
    await third;
  });

  it('accepts Infinity and rejects nonsense', () => {
    expect(() => createCciClient({ baseUrl: 'http://127.0.0.1:1', concurrency: Infinity })).not.toThrow();
    for (const concurrency of [0, 1.5, -2])
      expect(() => createCciClient({ baseUrl: 'http://127.0.0.1:1', concurrency })).toThrow(/concurrency/);
  });
});
