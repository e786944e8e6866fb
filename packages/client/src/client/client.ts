import type { LoadBalancerIngress, paths, Service } from '@cci-openapi/types';
import type { Client, MergedOptions } from 'openapi-fetch';
import { ALIASES, type OperationAliases } from '../operation/aliases.js';
import { type AkSkCredentials, createSigner } from '../auth/aksk-signer.js';
import { createIamTokenProvider, type IamPasswordOptions } from '../auth/iam-token.js';
import {
  BEARER,
  CREDENTIAL_OPTIONS,
  createTokenSource,
  GATEWAY,
  type RefreshableToken,
  refreshableSource,
  type TokenSource,
} from '../auth/token-source.js';
import { resolveBaseUrl } from './base-url.js';
import { createFetchApi, serializeQuery } from './fetch-api.js';
import { clockOption, lowerCaseKeys, positive } from './options.js';
import { CciInputError } from '../errors/classes.js';
import {
  OPERATIONS,
  type GeneratedOperations,
  type ReadCoreV1NamespacedServiceStatusParams,
} from '../generated/operations.js';
import { createLimiter, createRateLimiter, type RateLimitOptions } from '../transport/limiter.js';
import { createNodeWire, type NodeHttpsAgent, type NodeTlsOptions } from '../wire/node-wire.js';
import { createListWatch, type ListWatchMethods } from '../streaming/methods.js';
import { createOperation, type OperationCall } from '../operation/operation.js';
import { serializePath } from '../operation/path-template.js';
import { createPipeline } from '../pipeline/pipeline.js';
import { resolveRetryPolicy, type RetryOptions } from '../transport/retry-policy.js';
import type { Clock } from '../transport/sleep.js';
import { createTransport } from '../transport/transport.js';
import { createFetchWire, type Wire } from '../wire/fetch-wire.js';
import { waitForLoadBalancerIngress, type WaitForIngressParams } from '../services/wait-for-ingress.js';
import {
  type AppliedService,
  applyService,
  type ApplyServiceOptions,
  type ServiceManifest,
  type ServiceMutation,
  updateService,
  type UpdateServiceOptions,
} from '../services/writes.js';

export interface CciClientOptions {
  /** CCI's region, e.g. cn-north-4: requests go to https://cci.{region}.myhuaweicloud.com … */
  region?: string;
  /** … or an explicit base URL: a CCE cluster's kube-apiserver (https://{apiserver}:5443), a mock server. */
  baseUrl?: string;
  /**
   * CCI: sign in as an IAM user with a password. The client gets a project-scoped token from IAM
   * (POST /v3/auth/tokens), keeps it until shortly before it expires, asks IAM once however many
   * calls wait, and renews it once when CCI answers 401. Sent as `X-Auth-Token`.
   */
  iam?: IamPasswordOptions;
  /**
   * CCI: sign every request with an access key pair (AK/SK, `SDK-HMAC-SHA256`), as Huawei Cloud's
   * SDKs do. `securityToken` for a temporary key, `projectId` sent as `X-Project-Id`. The SK never
   * leaves this process. `credentialsFromEnv()` reads them from HUAWEICLOUD_SDK_AK / _SK / …
   */
  credentials?: AkSkCredentials;
  /** CCI: an IAM token, sent as `X-Auth-Token`. */
  token?: string;
  /** CCI API gateway: called before every request (IAM tokens expire after 24 h); its result is sent as `X-Auth-Token`. */
  getToken?: () => string | Promise<string>;
  /** Kubernetes API server (kube-apiserver): a bearer token, sent as `Authorization: Bearer …`. */
  bearerToken?: string;
  /** Kubernetes API server: called before every request (rotating service-account tokens); sent as `Authorization: Bearer …`. */
  getBearerToken?: () => string | Promise<string>;
  /** Extra headers on every request. */
  headers?: Record<string, string>;
  /**
   * The fetch to use. Default: on Node, no fetch but node:http with a keep-alive pool (about half
   * the CPU and memory of Node's fetch per request); elsewhere globalThis.fetch, looked up when the
   * client is created. Pass one to watch or shape requests at the fetch level.
   */
  fetch?: typeof globalThis.fetch;
  /** Retries of GET/HEAD/OPTIONS on 429, 503, 504 and connection resets; false turns them off. */
  retry?: false | RetryOptions;
  /** Time limit of one HTTP attempt, headers and body, in ms (and of one call of getToken/getBearerToken). Default 30 000. */
  timeoutMs?: number;
  /**
   * Time limit of one whole call, in ms: every attempt, the token source, the wait for a
   * concurrency slot and the pauses between retries (a server's Retry-After included). Default: none
   * (retries stop starting after `retry.maxElapsedMs`).
   */
  deadlineMs?: number;
  /** Most requests in flight from this client at once; more wait their turn. Default 64. */
  concurrency?: number;
  /**
   * A client-side request rate limit, client-go's token bucket: at most `qps` requests a second
   * sustained, `burst` at once after a quiet spell. Taken by every attempt (retries and watch
   * reconnects included), before the wait for a concurrency slot, and bounded by the call's
   * deadline and signal. Off by default.
   */
  rateLimit?: RateLimitOptions;
  /** Largest response body accepted, in bytes. Default 16 MiB. */
  maxResponseBytes?: number;
  /** An undici dispatcher, passed to fetch as `dispatcher` (so the client uses fetch, on Node too). */
  dispatcher?: unknown;
  /**
   * What the waits are measured on: pauses between retries (Retry-After included), `deadlineMs`,
   * and waitForLoadBalancerIngress's polls and deadline. Default: real time. Tests pass a virtual
   * clock; per-attempt timeouts (`timeoutMs`) always run on real timers.
   */
  clock?: Clock;
}

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
export type CciClient = Client<paths> & GeneratedOperations & OperationAliases & CciClientExtras & ListWatchMethods;

export const CLIENT_DEFAULTS = Object.freeze({
  timeoutMs: 30_000,
  concurrency: 64,
  maxResponseBytes: 16 * 1024 * 1024,
});

/** The message of the closed client's error (`close()`): new calls, queued ones and those in flight. */
const CLIENT_CLOSED_MESSAGE = 'The client is closed (close() was called): create a new one to send requests.';

/** Every option that names a credential: at most one may be given. */
const ALL_CREDENTIAL_OPTIONS = ['iam', 'credentials', ...CREDENTIAL_OPTIONS] as const;

/** IAM's answer to a sign-in is small (no catalog); a larger one is refused. */
const IAM_MAX_RESPONSE_BYTES = 1024 * 1024;

/** How requests prove who sends them, from the one credential option given (or the node entry's exec plugin). */
function credentialOf(
  options: CciClientOptions,
  internals: ClientInternals,
  context: { wire: Wire; timeoutMs: number; clock: Clock },
): TokenSource {
  const given = ALL_CREDENTIAL_OPTIONS.filter((key) => options[key] !== undefined);
  if (given.length > 1) {
    throw new CciInputError(
      `Give one credential, not ${given.join(' and ')}: iam, credentials, token or getToken for CCI; bearerToken or getBearerToken for a Kubernetes API server.`,
    );
  }
  if (options.credentials !== undefined) {
    const signer = createSigner(options.credentials);
    return {
      kind: 'signed',
      sign: signer,
      secrets: options.credentials.securityToken ? [options.credentials.securityToken] : [],
    };
  }
  if (options.iam !== undefined) {
    // IAM gets its own transport on the same wire: no credential, no retries (a sign-in is a POST,
    // and one IAM request at a time is the rule), bounded like every call.
    const iamTransport = createTransport({
      wire: context.wire,
      tokenSource: { kind: 'none' },
      headers: {},
      retry: resolveRetryPolicy(false),
      timeoutMs: context.timeoutMs,
      maxResponseBytes: IAM_MAX_RESPONSE_BYTES,
      limiter: createLimiter(1),
      clock: context.clock,
    });
    const provider = createIamTokenProvider(options.iam, {
      region: options.region,
      send: iamTransport.send,
      clock: context.clock,
    });
    return refreshableSource('IAM sign-in', provider, GATEWAY);
  }
  if (given.length === 0 && internals.bearer)
    return refreshableSource('the kubeconfig exec plugin', internals.bearer, BEARER);
  return createTokenSource(options);
}

/**
 * A client for the CCI Kubernetes API. Validates every option at once (CciInputError), so a
 * mistake surfaces here and not at the first request.
 */
export function createCciClient(options: CciClientOptions): CciClient {
  return buildCciClient(options);
}

/** What the node entry adds to a client: TLS settings of the node:http wire, or what close() must release. */
export interface ClientInternals {
  tls?: NodeTlsOptions;
  /** The https pool of the node:http wire instead of one built from `tls` (an exec plugin's client certificate); destroyed at close(). */
  httpsAgent?: NodeHttpsAgent;
  /** A renewable bearer token (a kubeconfig's exec plugin), used when no credential option is given. */
  bearer?: RefreshableToken;
  onClose?: () => Promise<void>;
}

/** createCciClient with the node entry's internals. */
export function buildCciClient(options: CciClientOptions, internals: ClientInternals = {}): CciClient {
  if (typeof options !== 'object' || options === null)
    throw new CciInputError('createCciClient needs an options object.');
  const baseUrl = resolveBaseUrl(options);
  const fetchImpl = options.fetch ?? globalThis.fetch;
  // node:http unless the caller chose fetch (a fetch of their own, or an undici dispatcher for it).
  const nodeWire =
    options.fetch === undefined && options.dispatcher === undefined
      ? createNodeWire(internals.tls, internals.httpsAgent)
      : undefined;
  if (nodeWire === undefined && typeof fetchImpl !== 'function')
    throw new CciInputError('No fetch: pass options.fetch (Node ≥ 18 and browsers have one).');
  const headers = lowerCaseKeys(options.headers);
  const maxResponseBytes = positive('maxResponseBytes', options.maxResponseBytes, CLIENT_DEFAULTS.maxResponseBytes);
  const clock = clockOption(options.clock);
  const wire = nodeWire?.wire ?? createFetchWire(fetchImpl, options.dispatcher);
  const timeoutMs = positive('timeoutMs', options.timeoutMs, CLIENT_DEFAULTS.timeoutMs);
  const transport = createTransport({
    wire,
    tokenSource: credentialOf(options, internals, { wire, timeoutMs, clock }),
    headers,
    retry: resolveRetryPolicy(options.retry),
    timeoutMs,
    maxResponseBytes,
    limiter: createLimiter(positive('concurrency', options.concurrency, CLIENT_DEFAULTS.concurrency, true)),
    ...(options.rateLimit !== undefined && { rateLimiter: createRateLimiter(options.rateLimit, clock.now()) }),
    ...(options.deadlineMs !== undefined && { deadlineMs: positive('deadlineMs', options.deadlineMs, Infinity, true) }),
    clock,
  });
  const middlewareOptions: MergedOptions = Object.freeze({
    baseUrl,
    parseAs: 'json',
    querySerializer: serializeQuery,
    bodySerializer: (body: unknown) => JSON.stringify(body),
    pathSerializer: serializePath,
    fetch: fetchImpl,
  });
  const pipeline = createPipeline({ transport, headers, maxResponseBytes, options: middlewareOptions });

  const fetchApi = createFetchApi({ baseUrl, headers, pipeline });

  const calls = {} as Record<string, OperationCall>;
  for (const [id, descriptor] of Object.entries(OPERATIONS))
    calls[id] = createOperation(descriptor, baseUrl, pipeline.send);
  const methods: Record<string, (params?: object) => Promise<unknown>> = {};
  for (const [id, call] of Object.entries(calls)) methods[id] = (params) => call(params);
  for (const [alias, id] of Object.entries(ALIASES)) methods[alias] = methods[id]!;

  // Lists, watches and the informer: on the generated list operations, with watch streams opened
  // through the same pipeline (middleware, auth, limiter, retries of the opening, typed errors).
  const listWatch = createListWatch(baseUrl, pipeline.send, methods as unknown as GeneratedOperations, clock);
  const readStatusWithin = calls.readCoreV1NamespacedServiceStatus!;
  const writeCalls = {
    read: calls.readCoreV1NamespacedService!,
    replace: calls.replaceCoreV1NamespacedService!,
    patch: calls.patchCoreV1NamespacedService!,
  };
  let closed: Promise<void> | undefined;
  const extras: CciClientExtras = {
    waitForLoadBalancerIngress: (params) =>
      waitForLoadBalancerIngress(
        params,
        (deadline, signal) =>
          readStatusWithin(
            { namespace: params.namespace, name: params.name, ...(signal && { signal }) },
            deadline,
          ) as Promise<Service>,
        listWatch.ops,
        clock,
      ),
    updateService: (namespace, name, mutate, options) =>
      updateService(writeCalls, namespace, name, mutate, options, clock),
    applyService: (service, options) => applyService(writeCalls, service, options),
    close: () =>
      (closed ??= (() => {
        // New calls, calls waiting for a slot and calls in flight all end with this one error.
        transport.close(new CciInputError(CLIENT_CLOSED_MESSAGE));
        nodeWire?.close();
        return internals.onClose?.() ?? Promise.resolve();
      })()),
  };
  return Object.assign(fetchApi, methods, extras, listWatch.methods) as unknown as CciClient;
}
