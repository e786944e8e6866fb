// close() on the node entry (a connection pool of its own): calls in flight, calls queued for a
// concurrency slot and new calls all end with the client's closed error — none is retried as a
// connection reset — and the sockets are released.
import { afterEach, describe, expect, it } from 'vitest';
import { CciInputError, createCciClientFromKubeconfig } from '../src/node.js';
import { startServer, type TestServer } from './helpers/server.js';
import { failureOf } from './helpers/failure.js';

let server: TestServer;
afterEach(() => server.close());
const params = { namespace: 'default', name: 'redis' };

describe('close() on the node entry', () => {
  it('in flight, queued and new calls reject with CciInputError; nothing is retried; the server sees its sockets close', async () => {
    let open = 0;
    server = await startServer((req) => {
      open++;
      req.socket.once('close', () => open--);
    });
    const kubeconfig = {
      clusters: [{ name: 'c', cluster: { server: server.url } }],
      users: [{ name: 'u', user: { token: 'node-close-token' } }],
      contexts: [{ name: 'x', context: { cluster: 'c', user: 'u' } }],
      'current-context': 'x',
    };
    const client = createCciClientFromKubeconfig({
      kubeconfig,
      concurrency: 2,
      retry: { baseDelayMs: 1, maxDelayMs: 2 },
    });
    const calls = Array.from({ length: 5 }, () => failureOf(client.readServiceStatus(params)));
    await server.waitForRequests(2);
    await client.close();
    for (const error of await Promise.all(calls)) {
      expect(error).toBeInstanceOf(CciInputError);
      expect((error as Error).message).toMatch(/client is closed/);
    }
    expect(await failureOf(client.readServiceStatus(params))).toBeInstanceOf(CciInputError);
    expect(server.requests).toHaveLength(2);
    await expect.poll(() => open).toBe(0);
  });
});
