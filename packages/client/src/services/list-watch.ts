import type { Service } from '@cci-openapi/types';
import type { CciContext } from '../client/context.js';
import { listCoreV1NamespacedService, listCoreV1ServiceForAllNamespaces } from '../generated/operations.js';
import {
  type Informer,
  type InformerEvent,
  type InformerEvents,
  type InformerOptions,
  informerOf,
} from '../streaming/informer.js';
import { type ListOptions, sourcePages } from '../streaming/list-pages.js';
import { type ListPage, type ListSource, listSource } from '../streaming/source.js';
import { type WatchEvent, type WatchOptions, watchSource } from '../streaming/watch.js';

// The Service shortcuts: the generic lists, watches and informer on the two Service list
// operations, the namespace choosing which (listCoreV1NamespacedService with one,
// listCoreV1ServiceForAllNamespaces without). Nothing here is particular to Services but names.

/** One page of Services (a ServiceList, `metadata.resourceVersion` saying when it was read), items completed with apiVersion and kind. */
export type ServiceListPage = ListPage<Service>;

export interface ListServicesParams extends ListOptions {
  /** One namespace; all namespaces when left out. */
  namespace?: string;
}

export interface WatchServicesParams extends WatchOptions {
  /** One namespace; all namespaces when left out. */
  namespace?: string;
}

export interface ServiceInformerOptions extends InformerOptions {
  /** One namespace; all namespaces when left out. */
  namespace?: string;
}

/** What `watchServices` yields. */
export type ServiceWatchEvent = WatchEvent<Service>;
export type ServiceWatchEventType = ServiceWatchEvent['type'];
export type ServiceInformer = Informer<Service>;
export type ServiceInformerEvents = InformerEvents<Service>;
export type ServiceInformerEvent = InformerEvent;

/** The Service list of one namespace, or of all. */
export function serviceSource(context: CciContext, namespace: string | undefined): ListSource<Service> {
  const source =
    namespace === undefined
      ? listSource(context, listCoreV1ServiceForAllNamespaces, {})
      : listSource(context, listCoreV1NamespacedService, { namespace });
  // The list items' type says what kube-apiserver sends; completed with apiVersion and kind they are Services.
  return source as unknown as ListSource<Service>;
}

/** The pages of Services (of a namespace, or all), one page (`pageSize`, default 500) in memory at a time. */
export async function* listServicePages(
  context: CciContext,
  params: ListServicesParams = {},
): AsyncGenerator<ServiceListPage, void, undefined> {
  yield* sourcePages(serviceSource(context, params.namespace), params);
}

/** listServicePages, one Service at a time. */
export async function* listServices(
  context: CciContext,
  params: ListServicesParams = {},
): AsyncGenerator<Service, void, undefined> {
  for await (const page of listServicePages(context, params)) yield* page.items;
}

/** Typed watch events of Services; resumes after a stream ends, relists on 410 (a RELISTED event). */
export async function* watchServices(
  context: CciContext,
  params: WatchServicesParams,
): AsyncGenerator<ServiceWatchEvent, void, undefined> {
  yield* watchSource(serviceSource(context, params?.namespace), params);
}

/** List-then-watch of Services into a local cache, with typed add/update/delete events. */
export function createServiceInformer(context: CciContext, options: ServiceInformerOptions = {}): ServiceInformer {
  return informerOf(serviceSource(context, options?.namespace), options);
}
