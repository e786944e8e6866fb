import { createCciClient, type CciClientOptions } from '../../src/index.js';
import type { TestServer } from './server.js';

export const TOKEN = 'test-token-MIIZ1yJq0bXk';

/** The wire these tests run on: node:http (the default on Node), or fetch in the suite's fetch-wire project. */
export const WIRE = process.env.CCI_TEST_WIRE === 'fetch' ? 'fetch' : 'node:http';

/** A client for a test server, with quick retries so retry tests do not wait for real backoff. */
export function clientFor(server: TestServer, options: Partial<CciClientOptions> = {}) {
  return createCciClient({
    baseUrl: server.url,
    ...(options.getToken === undefined && { token: TOKEN }),
    retry: { baseDelayMs: 5, maxDelayMs: 20 },
    ...(WIRE === 'fetch' && { fetch: globalThis.fetch }),
    ...options,
  });
}
