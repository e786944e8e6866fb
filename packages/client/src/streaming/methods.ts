import type { Service } from '@cci-openapi/types';
import { type CciContext, coreOf } from '../client/context.js';
import {
  createServiceInformer,
  type ListServicesParams,
  listServicePages,
  listServices,
  type ServiceInformer,
  type ServiceInformerOptions,
  type ServiceListPage,
  type ServiceWatchEvent,
  type WatchServicesParams,
  watchServices,
} from '../services/list-watch.js';
import { type OpenedStream, openStream, type StreamRequest } from './source.js';

/** The list, watch and informer methods of the client (the Service shortcuts, bound to it). */
export interface ListWatchMethods {
  /** Every Service (of a namespace, or all), one page (`pageSize`, default 500) in memory at a time. */
  listServices(params?: ListServicesParams): AsyncGenerator<Service, void, undefined>;
  /** The pages themselves (ServiceList, with `metadata.resourceVersion`). */
  listServicePages(params?: ListServicesParams): AsyncGenerator<ServiceListPage, void, undefined>;
  /** Typed watch events; resumes after a stream ends, relists on 410 (a RELISTED event). */
  watchServices(params: WatchServicesParams): AsyncGenerator<ServiceWatchEvent, void, undefined>;
  /** List-then-watch into a local cache, with typed add/update/delete events. */
  createServiceInformer(options?: ServiceInformerOptions): ServiceInformer;
  /** GET a path under the base URL as a live stream (a watch), through the client's pipeline. Low level. */
  openStream(request: StreamRequest): Promise<OpenedStream>;
}

/** The client's list and watch methods, on its own context. */
export function listWatchMethods(context: CciContext): ListWatchMethods {
  return {
    listServices: (params = {}) => listServices(context, params),
    listServicePages: (params = {}) => listServicePages(context, params),
    watchServices: (params) => watchServices(context, params),
    createServiceInformer: (options = {}) => createServiceInformer(context, options),
    openStream: (request) => openStream(coreOf(context), request),
  };
}
