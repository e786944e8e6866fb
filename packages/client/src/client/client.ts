import type { LoadBalancerIngress, paths, Service } from '@cci-openapi/types';
import type { Client } from 'openapi-fetch';
import {
  type GeneratedOperations,
  OPERATIONS,
  type ReadCoreV1NamespacedServiceStatusParams,
} from '../generated/operations.js';
import { ALIASES, type OperationAliases } from '../operation/aliases.js';
import { createOperation, type OperationCall, type Send } from '../operation/operation.js';
import type { Clock } from '../transport/sleep.js';
import { type ListWatchMethods, listWatchMethods } from '../streaming/methods.js';
import { type WaitForIngressParams, waitForLoadBalancerIngress } from '../services/wait-for-ingress.js';
import {
  type AppliedService,
  applyService,
  type ApplyServiceOptions,
  type ServiceManifest,
  type ServiceMutation,
  updateService,
  type UpdateServiceOptions,
} from '../services/writes.js';
import {
  attachCore,
  buildContextCore,
  type CciClientOptions,
  type CciContext,
  type ClientInternals,
} from './context.js';
import { createFetchApi } from './fetch-api.js';

export type { CciClientOptions, ClientInternals } from './context.js';
export { CLIENT_DEFAULTS } from './context.js';

/** The parameters of readServiceStatus (readCoreV1NamespacedServiceStatus). */
export type ReadServiceStatusParams = ReadCoreV1NamespacedServiceStatusParams;

export interface CciClientExtras {
  /** Waits until status.loadBalancer.ingress is non-empty (one read, then a watch; polls when the watch is refused) and returns it; CciTimeoutError when it stays empty. */
  waitForLoadBalancerIngress(params: WaitForIngressParams): Promise<LoadBalancerIngress[]>;
  /**
   * Read, change, replace — and on 409 Conflict (a write in between) read again and retry, as
   * client-go's RetryOnConflict: at most `attempts` (5) rounds within `timeoutMs` (30 s). `mutate`
   * changes the copy it is given (or returns a new Service); a mutation that changes nothing writes nothing.
   */
  updateService(
    namespace: string,
    name: string,
    mutate: ServiceMutation,
    options?: UpdateServiceOptions,
  ): Promise<Service>;
  /**
   * Server-side apply: creates the Service or merges it with what other field managers own, in
   * one write (plus one read, to tell kubectl's `created` / `configured` / `unchanged` apart).
   */
  applyService(service: ServiceManifest, options: ApplyServiceOptions): Promise<AppliedService>;
  /**
   * Closes the client: new calls, calls waiting for a concurrency slot and calls in flight reject
   * with CciInputError (in-flight ones are aborted), and the node entry's connection pool is torn
   * down. Safe to call more than once.
   */
  close(): Promise<void>;
}

/**
 * The client: every operation of the spec as `client.<operationId>(params)` (generated), their
 * short aliases (`readServiceStatus` …), the helpers, and the openapi-fetch client
 * (`client.GET(path, …)`, `client.use(middleware)`). All of them take the same request path.
 */
export type CciClient = Client<paths> &
  CciContext &
  GeneratedOperations &
  OperationAliases &
  CciClientExtras &
  ListWatchMethods;

/**
 * A client for the CCI Kubernetes API. Validates every option at once (CciInputError), so a
 * mistake surfaces here and not at the first request.
 */
export function createCciClient(options: CciClientOptions): CciClient {
  return buildCciClient(options);
}

/** createCciClient with the node entry's internals. */
export function buildCciClient(options: CciClientOptions, internals: ClientInternals = {}): CciClient {
  const core = buildContextCore(options, internals);
  const { baseUrl, headers, pipeline, clock } = core;

  // client.GET & co.: openapi-fetch's API composed over the same pipeline (client/fetch-api.ts).
  const fetchApi = createFetchApi({ baseUrl, headers, pipeline });
  const context = attachCore(fetchApi, core);
  const { methods, extras } = clientMethods(context, baseUrl, pipeline.send, clock);
  // Lists, watches and the informer: the generic ones on the Service list operations, with watch
  // streams opened through the same pipeline (middleware, auth, limiter, retries of the opening, typed errors).
  return Object.assign(context, methods, extras, listWatchMethods(context)) as unknown as CciClient;
}

/**
 * Every operation as a method (`client.<operationId>`), the aliases as the very same functions, and
 * the Service helpers, all on the context's pipeline.
 */
function clientMethods(context: CciContext, baseUrl: string, send: Send, clock: Clock) {
  const calls: Record<string, OperationCall> = {};
  const methods: Record<string, (params?: object) => Promise<unknown>> = {};
  for (const [id, descriptor] of Object.entries(OPERATIONS)) {
    const call = createOperation(descriptor, baseUrl, send);
    calls[id] = call;
    methods[id] = (params) => call(params);
  }
  for (const [alias, id] of Object.entries(ALIASES)) methods[alias] = methods[id]!;
  const writeCalls = {
    read: calls.readCoreV1NamespacedService!,
    replace: calls.replaceCoreV1NamespacedService!,
    patch: calls.patchCoreV1NamespacedService!,
  };
  const extras: Omit<CciClientExtras, 'close'> = {
    waitForLoadBalancerIngress: (params) => waitForLoadBalancerIngress(context, params),
    updateService: (namespace, name, mutate, options) =>
      updateService(writeCalls, namespace, name, mutate, options, clock),
    applyService: (service, options) => applyService(writeCalls, service, options),
  };
  return { methods, extras };
}
