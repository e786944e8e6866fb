import type { LoadBalancerIngress, paths, Service } from '@cce-openapi/types';
import createClient, { type Client } from 'openapi-fetch';
import { createTokenSource } from './auth.js';
import { resolveBaseUrl } from './base-url.js';
import { CceInputError } from './errors.js';
import { assertHeaders } from './header-value.js';
import { createLimiter } from './limiter.js';
import { encodePathParam } from './path-params.js';
import { resolveRetryPolicy, type RetryOptions } from './retry-policy.js';
import { serviceFrom } from './service-body.js';
import { serviceStatusUrl } from './service-path.js';
import { createTransport, type Transport } from './transport.js';
import { waitForLoadBalancerIngress, type WaitForIngressParams } from './wait-for-ingress.js';

export interface CceClientOptions {
  /** Explicit base URL (e.g. a mock server's url, or https://{apiserver}:5443) … */
  baseUrl?: string;
  /** … or the API-gateway form https://{clusterId}.cce.{region}.myhuaweicloud.com */
  clusterId?: string;
  region?: string;
  /** CCE API gateway: an IAM token, sent as `X-Auth-Token`. */
  token?: string;
  /** CCE API gateway: called before every request (IAM tokens expire after 24 h); its result is sent as `X-Auth-Token`. */
  getToken?: () => string | Promise<string>;
  /** Kubernetes API server (kube-apiserver): a bearer token, sent as `Authorization: Bearer …`. */
  bearerToken?: string;
  /** Kubernetes API server: called before every request (rotating service-account tokens); sent as `Authorization: Bearer …`. */
  getBearerToken?: () => string | Promise<string>;
  /** Extra headers on every request. */
  headers?: Record<string, string>;
  /** The fetch to use; default globalThis.fetch (looked up when the client is created). */
  fetch?: typeof globalThis.fetch;
  /** Retries of GET/HEAD/OPTIONS on 429, 503, 504 and connection resets; false turns them off. */
  retry?: false | RetryOptions;
  /** Time limit of one HTTP attempt, headers and body, in ms. Default 30 000. */
  timeoutMs?: number;
  /** Most requests in flight from this client at once; more wait their turn. Default 64. */
  concurrency?: number;
  /** Largest response body accepted, in bytes. Default 16 MiB. */
  maxResponseBytes?: number;
  /** An undici dispatcher (set by the node entry for mTLS), passed to fetch as `dispatcher`. */
  dispatcher?: unknown;
}

export interface ReadServiceStatusParams {
  namespace: string;
  name: string;
  /** If 'true', the server pretty-prints the output. */
  pretty?: string | boolean;
  signal?: AbortSignal;
}

export interface CceClientExtras {
  /** Reads a Service (its status subresource), or throws CceApiError / CceTimeoutError / CceInputError / CceNetworkError. */
  readServiceStatus(params: ReadServiceStatusParams): Promise<Service>;
  /** Polls until status.loadBalancer.ingress is non-empty and returns it; CceTimeoutError when it stays empty. */
  waitForLoadBalancerIngress(params: WaitForIngressParams): Promise<LoadBalancerIngress[]>;
  /** Releases what the client holds (the node entry's connection pool). Safe to call more than once. */
  close(): Promise<void>;
}

/** The openapi-fetch client (`client.GET(path, …)`, typed by the spec) plus the CCE helpers. */
export type CceClient = Client<paths> & CceClientExtras;

export const CLIENT_DEFAULTS = Object.freeze({ timeoutMs: 30_000, concurrency: 64, maxResponseBytes: 16 * 1024 * 1024 });

function positive(name: string, value: number | undefined, fallback: number, allowInfinity = false): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !(value > 0) || (!allowInfinity && !Number.isFinite(value))) {
    throw new CceInputError(`${name} must be a positive number, got ${String(value)}.`);
  }
  return value;
}

function lowerCaseKeys(headers: Record<string, string> | undefined): Record<string, string> {
  if (headers === undefined) return { accept: 'application/json' };
  if (typeof headers !== 'object' || headers === null) throw new CceInputError('headers must be an object of name → value.');
  assertHeaders(headers);
  return { accept: 'application/json', ...Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v])) };
}

/**
 * A client for the CCE Kubernetes API. Validates every option at once (CceInputError), so a
 * mistake surfaces here and not at the first request.
 */
export function createCceClient(options: CceClientOptions): CceClient {
  return buildCceClient(options, async () => {});
}

/** createCceClient with what close() must release (the node entry's undici Agent). */
export function buildCceClient(options: CceClientOptions, onClose: () => Promise<void>): CceClient {
  if (typeof options !== 'object' || options === null) throw new CceInputError('createCceClient needs an options object.');
  const baseUrl = resolveBaseUrl(options);
  const fetchImpl = options.fetch ?? globalThis.fetch;
  if (typeof fetchImpl !== 'function') throw new CceInputError('No fetch: pass options.fetch (Node ≥ 18 and browsers have one).');
  const transport: Transport = createTransport({
    fetch: fetchImpl,
    tokenSource: createTokenSource(options),
    headers: lowerCaseKeys(options.headers),
    retry: resolveRetryPolicy(options.retry),
    timeoutMs: positive('timeoutMs', options.timeoutMs, CLIENT_DEFAULTS.timeoutMs),
    maxResponseBytes: positive('maxResponseBytes', options.maxResponseBytes, CLIENT_DEFAULTS.maxResponseBytes),
    limiter: createLimiter(positive('concurrency', options.concurrency, CLIENT_DEFAULTS.concurrency, true)),
    ...(options.dispatcher !== undefined && { dispatcher: options.dispatcher }),
  });

  // client.GET keeps openapi-fetch's API and middleware (client.use); its fetch is our transport,
  // so raw calls get the same auth, retries, timeout, limits and redirect rule as the helpers.
  const client = createClient<paths>({
    baseUrl,
    fetch: async (request: Request) => {
      const received = await transport.send({
        method: request.method,
        url: request.url,
        headers: request.headers,
        ...(request.body !== null && { body: await request.arrayBuffer() }),
        // Request always has a signal; passing it lets a caller's `signal` option abort.
        signal: request.signal,
      });
      const nullBody = received.status === 204 || received.status === 205 || received.status === 304;
      return new Response(nullBody ? null : received.text, { status: received.status, statusText: received.statusText, headers: received.headers });
    },
    // openapi-fetch's default serializer would let `..` through (the URL parser then removes a
    // segment); this one applies the same checks and encoding as readServiceStatus.
    pathSerializer: (template, params) => template.replace(/\{([^{}]+)\}/g, (whole, key: string) => (key in params ? encodePathParam(key, params[key]) : whole)),
  });

  const readServiceStatus = async ({ namespace, name, pretty, signal }: ReadServiceStatusParams): Promise<Service> => {
    const url = serviceStatusUrl(baseUrl, namespace, name, pretty);
    return serviceFrom(await transport.send({ method: 'GET', url, signal: signal ?? null }));
  };

  let closed: Promise<void> | undefined;
  const extras: CceClientExtras = {
    readServiceStatus,
    waitForLoadBalancerIngress: (params) =>
      waitForLoadBalancerIngress(params, async (deadline, signal) =>
        serviceFrom(await transport.send({ method: 'GET', url: serviceStatusUrl(baseUrl, params.namespace, params.name), signal: signal ?? null, deadline })),
      ),
    close: () => (closed ??= onClose()),
  };
  return Object.assign(client, extras);
}
