import type { WatchOperations } from '../../src/watch.js';
import { CceApiError } from '../../src/errors.js';
import { clientFor } from './client.js';
import type { TestServer } from './server.js';

// Provisional: the client's generated list operations, and a stream opener over plain fetch until
// the client's streaming send lands; then this returns the client itself.
export function watchOpsFor(server: TestServer): WatchOperations {
  const client = clientFor(server);
  return {
    listCoreV1NamespacedService: (params) => client.listCoreV1NamespacedService(params),
    listCoreV1ServiceForAllNamespaces: (params) => client.listCoreV1ServiceForAllNamespaces(params),
    async openStream({ path, signal }) {
      const response = await fetch(`${server.url}${path}`, { signal });
      if (!response.ok) {
        const body = await response.json();
        throw new CceApiError(`HTTP ${response.status}`, { status: response.status, reason: body.reason, body });
      }
      return { body: response.body! };
    },
  };
}
