import type { ListQuery, ServiceListPage } from '../../src/list.js';
import type { WatchOperations } from '../../src/watch.js';
import { CceApiError } from '../../src/errors.js';

// Provisional: the list operations and the stream opener over plain fetch, until the client's
// generated list operations and its streaming send land; then this returns the client itself.
export function watchOpsFor(baseUrl: string): WatchOperations {
  const list = async (path: string, query: ListQuery): Promise<ServiceListPage> => {
    const { signal, ...rest } = query;
    const qs = new URLSearchParams(Object.entries(rest).map(([k, v]) => [k, String(v)]));
    const response = await fetch(`${baseUrl}${path}?${qs}`, signal ? { signal } : {});
    const body = await response.json();
    if (!response.ok) throw new CceApiError(`HTTP ${response.status}`, { status: response.status, reason: body.reason, body });
    return body as ServiceListPage;
  };
  return {
    listCoreV1NamespacedService: ({ namespace, ...query }) => list(`/api/v1/namespaces/${encodeURIComponent(namespace)}/services`, query),
    listCoreV1ServiceForAllNamespaces: (query) => list('/api/v1/services', query),
    async openStream({ path, signal }) {
      const response = await fetch(`${baseUrl}${path}`, { signal });
      if (!response.ok) {
        const body = await response.json();
        throw new CceApiError(`HTTP ${response.status}`, { status: response.status, reason: body.reason, body });
      }
      return { body: response.body! };
    },
  };
}
