// The common call — a generated operation with a fixed credential, no middleware, a free slot and
// one attempt — is one promise from the call to its checked body: the attempt follows its exchange
// through the wire's callbacks (src/transport/attempt.ts), and the body check runs before the call
// settles (src/transport/retry-loop.ts). Each promise a layer adds cost the call several µs of CPU
// (docs/benchmarks.md §1), so the count is held here, on the real node:http wire and a real server.
import { createHook } from 'node:async_hooks';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCciClient, readCoreV1NamespacedServiceStatus } from '../src/index.js';

// A bare node:http server in this process: it must create no promise of its own while a call is counted.
let server: Server;
let baseUrl: string;
beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url?.includes('/redirected/'))
      return res.writeHead(302, { location: req.url.replace('/redirected/', '/') }).end();
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ kind: 'Service', apiVersion: 'v1', metadata: { name: 'web' } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

/** How many promises are created from `call()` until what it returns settles, the observer's own included. */
function promisesDuring(call: () => Promise<unknown>): Promise<number> {
  return new Promise((resolve, reject) => {
    let created = 0;
    const hook = createHook({
      init(_id, type) {
        if (type === 'PROMISE') created++;
      },
    });
    hook.enable();
    call().then(
      () => {
        hook.disable();
        resolve(created);
      },
      (error: unknown) => {
        hook.disable();
        reject(error);
      },
    );
  });
}

/**
 * The fewest promises any of five runs of `call()` creates. The hook sees the whole process, and the
 * test runner's own reporting (a throttled update every 100 ms) can land inside one run and add its
 * promises to it; it cannot land in all five, and nothing the client does makes a run cheaper.
 */
async function fewestPromises(call: () => Promise<unknown>): Promise<number> {
  let fewest = Number.POSITIVE_INFINITY;
  for (let run = 0; run < 5; run++) fewest = Math.min(fewest, await promisesDuring(call));
  return fewest;
}

/** A call that is exactly one promise, settled on a later turn: what the client's call is measured against. */
const onePromise = () => new Promise((resolve) => setImmediate(resolve));

describe('the common call', () => {
  it('is one promise from the call to its checked body, on the node:http wire', async () => {
    const cci = createCciClient({ baseUrl, token: 'test-token' });
    const call = () => readCoreV1NamespacedServiceStatus(cci, { namespace: 'default', name: 'web' });
    for (let i = 0; i < 3; i++) await call(); // a warm connection, as in steady use
    expect(await fewestPromises(call)).toBe(await fewestPromises(onePromise));
    await cci.close();
  });

  it('stays one promise through a same-origin redirect (a second hop of the same attempt)', async () => {
    const cci = createCciClient({ baseUrl: `${baseUrl}/redirected`, token: 'test-token' });
    const call = () => readCoreV1NamespacedServiceStatus(cci, { namespace: 'default', name: 'web' });
    await expect(call()).resolves.toMatchObject({ kind: 'Service' });
    expect(await fewestPromises(call)).toBe(await fewestPromises(onePromise));
    await cci.close();
  });
});
