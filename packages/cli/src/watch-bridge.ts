// The operations the client's watchServices needs, for this client. Its list operations are the
// client's own (generated). Its stream opener is a bridge: the client's request path reads every
// answer whole (retries and timeouts look at all of it) and has no streaming send yet, so each
// watch request here is a short one — `timeoutSeconds` of WATCH_SLICE_SECONDS, which the server
// honours by ending the stream — read whole through the client (auth, TLS, kubeconfig, retries,
// --verbose, typed errors), then handed to watchServices as the stream it parses. watchServices
// resumes from the last resourceVersion after each, so no change is lost or repeated; a change
// shows within a slice. Once the client opens streams itself, this file goes and the CLI passes
// the client to watchServices directly.
import { CceApiError, type CceClient, type Status, type WatchOperations } from '@cce-openapi/client';

/** Each watch request's length on the server, in seconds: the longest a change waits to be shown. */
export const WATCH_SLICE_SECONDS = 2;

type RawGet = (url: string, init: { parseAs: 'text'; signal?: AbortSignal }) => Promise<{ data?: string; error?: unknown; response: Response }>;

const isStatus = (value: unknown): value is Status => typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'Status';

export function watchOperations(client: CceClient): WatchOperations {
  const get = client.GET as unknown as RawGet;
  return {
    listCoreV1NamespacedService: (params) => client.listCoreV1NamespacedService(params),
    listCoreV1ServiceForAllNamespaces: (params) => client.listCoreV1ServiceForAllNamespaces(params),
    async openStream({ path, signal }) {
      // watchServices chose the slice length through timeoutSeconds; the server ends the answer then.
      const { data, error, response } = await get(path, { parseAs: 'text', signal });
      if (!response.ok) {
        let body: unknown = error;
        if (typeof body === 'string') {
          try {
            body = JSON.parse(body);
          } catch {
            // not a Status: reported by the status alone
          }
        }
        const status = isStatus(body) ? body : undefined;
        const reason = status?.reason ?? response.statusText;
        throw new CceApiError(
          `GET ${path.split('?')[0]} failed: ${response.status}${reason ? ` ${reason}` : ''}${status?.message ? `: ${status.message}` : ''}`,
          {
            status: response.status,
            ...(reason && { reason }),
            ...(status && { body: status }),
          } as ConstructorParameters<typeof CceApiError>[1],
        );
      }
      const bytes = new TextEncoder().encode(data ?? '');
      return {
        body: new ReadableStream<Uint8Array>({
          start(controller) {
            if (bytes.length > 0) controller.enqueue(bytes);
            controller.close();
          },
        }),
      };
    },
  };
}
