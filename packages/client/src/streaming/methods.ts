import type { Service } from '@cci-openapi/types';
import { createApiError, createResponseError } from '../errors/from-response.js';
import { createServiceInformer, type ServiceInformer, type ServiceInformerOptions } from './informer.js';
import {
  listServicePages,
  listServices,
  type ListServicesParams,
  type ServiceListOperations,
  type ServiceListPage,
} from './list-pages.js';
import { CciInputError } from '../errors/classes.js';
import type { Send } from '../operation/operation.js';
import type { Clock } from '../transport/sleep.js';
import type { CallContext } from '../pipeline/pipeline.js';
import {
  watchServices,
  type OpenedStream,
  type ServiceWatchEvent,
  type StreamRequest,
  type WatchOperations,
  type WatchServicesParams,
} from './watch.js';

/** The list, watch and informer methods of the client. */
export interface ListWatchMethods {
  /** Every Service (of a namespace, or all), one page (`pageSize`, default 500) in memory at a time. */
  listServices(params?: ListServicesParams): AsyncGenerator<Service, void, undefined>;
  /** The pages themselves (ServiceList, with `metadata.resourceVersion`). */
  listServicePages(params?: ListServicesParams): AsyncGenerator<ServiceListPage, void, undefined>;
  /** Typed watch events; resumes after a stream ends, relists on 410 (a RELISTED event). */
  watchServices(params: WatchServicesParams): AsyncGenerator<ServiceWatchEvent, void, undefined>;
  /** List-then-watch into a local cache, with typed add/update/delete events. */
  createServiceInformer(options?: ServiceInformerOptions): ServiceInformer;
  /**
   * GET a path under the base URL as a live stream (a watch), through the client's pipeline. Low
   * level: it is what makes the client itself a WatchOperations, so `watchServices(client, …)`
   * works as well as `client.watchServices(…)`.
   */
  openStream(request: StreamRequest): Promise<OpenedStream>;
}

/**
 * The client side of lists and watches: the generated list operations, and a stream opener that
 * sends a watch through the same pipeline as every other call (middleware, auth, limiter, retries
 * of the opening, typed errors), asking the transport for the live body instead of its text.
 */
export function createListWatch(
  baseUrl: string,
  send: Send,
  lists: ServiceListOperations,
  clock?: Clock,
): { ops: WatchOperations; methods: ListWatchMethods } {
  const origin = new URL(baseUrl).origin;
  const ops: WatchOperations = {
    ...(clock && { clock }),
    listCoreV1NamespacedService: (params) => lists.listCoreV1NamespacedService(params),
    listCoreV1ServiceForAllNamespaces: (params) => lists.listCoreV1ServiceForAllNamespaces(params),
    async openStream({ path, signal }) {
      const url = streamUrl(baseUrl, origin, path);
      const [pathname = '', search = ''] = path.split('?');
      const namespaced = /^\/api\/v1\/namespaces\/([^/]+)\/services$/.exec(pathname);
      const context = (): CallContext => ({
        schemaPath: namespaced ? '/api/v1/namespaces/{namespace}/services' : '/api/v1/services',
        params: {
          path: namespaced ? { namespace: decodeURIComponent(namespaced[1]!) } : {},
          query: Object.fromEntries(new URLSearchParams(search)),
        },
      });
      const received = await send({ method: 'GET', url, signal, stream: true }, context);
      if (received.status < 200 || received.status > 299) throw createApiError(received, received.secrets);
      if (!received.body)
        throw createResponseError(received, 'InvalidResponse', 'the watch answer has no body.', received.secrets);
      return { body: received.body, secrets: received.secrets };
    },
  };
  return {
    ops,
    methods: {
      listServices: (params = {}) => listServices(ops, params),
      listServicePages: (params = {}) => listServicePages(ops, params),
      watchServices: (params) => watchServices(ops, params),
      createServiceInformer: (options = {}) => createServiceInformer(ops, options),
      openStream: (request) => ops.openStream(request),
    },
  };
}

/**
 * The URL of a stream path: it must start with `/` (not `//`) and stay on the base URL's origin, so
 * that no path (`@host:port/x`, `//host/x`, `/\\host`) can carry the client's credentials elsewhere.
 */
function streamUrl(baseUrl: string, origin: string, path: unknown): string {
  // The base URL is absolute and the path starts with one slash, so the URL always parses.
  if (typeof path !== 'string' || !/^\/(?![/\\])/.test(path) || new URL(baseUrl + path).origin !== origin) {
    throw new CciInputError("openStream: path must start with one / and stay on the base URL's origin.");
  }
  return baseUrl + path;
}
