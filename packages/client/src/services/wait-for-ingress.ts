import type { LoadBalancerIngress, Service } from '@cci-openapi/types';
import { CciApiError, CciInputError, CciTimeoutError, isCciError } from '../errors/classes.js';
import { type CciContext, coreOf } from '../client/context.js';
import { readCoreV1NamespacedServiceStatus } from '../generated/operations.js';
import { createOperation } from '../operation/operation.js';
import type { ListSource } from '../streaming/source.js';
import { waitForSource } from '../streaming/wait.js';
import { type Clock, REAL_CLOCK } from '../transport/sleep.js';
import { serviceSource } from './list-watch.js';

/** What the wait is doing, for progress output. */
export type WaitProgress =
  /** The first read of the Service (through the status operation). */
  | { type: 'read'; service: Service }
  /** A watch event for the Service (ADDED, MODIFIED, or the Service as found by a relist). */
  | { type: 'event'; event: 'ADDED' | 'MODIFIED' | 'RELISTED'; service: Service }
  /** The server refused the watch (403/405): the wait polls the status operation from now on. */
  | { type: 'fallback'; error: CciApiError }
  /** A poll of the status operation (after a fallback, or when no watch is possible). */
  | { type: 'poll'; service: Service; poll: number };

export interface WaitForIngressParams {
  namespace: string;
  name: string;
  /** Give up after this long, in ms. Default 300 000 (5 min; a cloud ELB takes one or two). */
  timeoutMs?: number;
  /** When polling: first pause between polls, in ms; each pause grows 1.5× up to 15 s. Default 2 000. */
  intervalMs?: number;
  signal?: AbortSignal;
  /** Called after every read of the status operation (the first read is poll 1; polls follow only after a fallback). */
  onPoll?: (service: Service, poll: number) => void;
  /** Called on every step: the first read, each watch event, a fallback to polling, each poll. */
  onProgress?: (progress: WaitProgress) => void;
}

export const WAIT_DEFAULTS = Object.freeze({
  timeoutMs: 300_000,
  intervalMs: 2_000,
  growth: 1.5,
  maxIntervalMs: 15_000,
});

type ReadWithin = (deadline: number, signal: AbortSignal | undefined) => Promise<Service>;

/** Watch refusals that polling can work around: the token may read but not watch (403), or the gateway has no watch (405). */
const REFUSED = new Set([403, 405]);

const ingressOf = (service: Service | undefined) => {
  const ingress = service?.status?.loadBalancer?.ingress;
  return ingress && ingress.length > 0 ? ingress : undefined;
};

/**
 * Waits until a Service's load balancer has at least one ingress point and returns it: the wait
 * below on a context's status operation and Service watch (what `client.waitForLoadBalancerIngress` is).
 */
export async function waitForLoadBalancerIngress(
  context: CciContext,
  params: WaitForIngressParams,
): Promise<LoadBalancerIngress[]> {
  const core = coreOf(context);
  const read = createOperation(readCoreV1NamespacedServiceStatus.descriptor, core.baseUrl, core.send);
  const source = serviceSource(context, params.namespace);
  return waitForIngress(
    params,
    (deadline, signal) =>
      read({ namespace: params.namespace, name: params.name, ...(signal && { signal }) }, deadline) as Promise<Service>,
    source,
    core.clock,
  );
}

/** timeoutMs and intervalMs, their defaults filled in; CciInputError unless positive numbers. */
function checkTimes(params: WaitForIngressParams): { timeoutMs: number; intervalMs: number } {
  const times = {
    timeoutMs: params.timeoutMs ?? WAIT_DEFAULTS.timeoutMs,
    intervalMs: params.intervalMs ?? WAIT_DEFAULTS.intervalMs,
  };
  for (const [key, value] of Object.entries(times)) {
    if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value))
      throw new CciInputError(`${key} must be a positive number of ms, got ${String(value)}.`);
  }
  return times;
}

/**
 * Waits until a Service's load balancer has at least one ingress point and returns it.
 *
 * One read of the status operation first: it answers at once when the ingress is already there,
 * and ends the wait at once on an error that waiting cannot fix (404, 401…). Then it watches that
 * one Service (`fieldSelector=metadata.name=…`, from the version read) and returns on the event
 * that brings the ingress — typically 2 requests in all, however long the load balancer takes.
 * When the watch is refused (403/405) it says so through onProgress and polls the status operation
 * instead. Every request and pause ends by the overall deadline.
 */
async function waitForIngress(
  params: WaitForIngressParams,
  readWithin: ReadWithin,
  services?: ListSource<Service>,
  /** The client's clock: the deadline and the pauses between polls are measured on it. */
  clock: Clock = REAL_CLOCK,
): Promise<LoadBalancerIngress[]> {
  const { timeoutMs, intervalMs } = checkTimes(params);
  const deadline = clock.now() + timeoutMs;
  const what = `Service ${params.namespace}/${params.name}`;
  let requests = 0;
  let last: Service | undefined;
  const timeout = () =>
    new CciTimeoutError(
      `${what} has no load-balancer ingress after ${timeoutMs} ms (${requests} request${requests === 1 ? '' : 's'}` +
        `${last ? `, type ${last.spec?.type ?? 'unknown'}` : ''}). Is it of type LoadBalancer, and is its load balancer being created? Check its events.`,
    );

  const read = async (poll: number) => {
    requests++;
    try {
      last = await readWithin(deadline, params.signal);
    } catch (error) {
      if (error instanceof CciTimeoutError && clock.now() >= deadline - 5) throw timeout();
      throw error;
    }
    params.onPoll?.(last, poll);
    params.onProgress?.(poll === 1 ? { type: 'read', service: last } : { type: 'poll', service: last, poll });
    return ingressOf(last);
  };

  const first = await read(1);
  if (first) return first;

  if (services) {
    const outcome = await watchForIngress(
      params,
      services,
      deadline,
      last!,
      () => requests++,
      (service) => (last = service),
    );
    if (outcome.kind === 'ingress') return outcome.ingress;
    if (outcome.kind === 'timeout') throw timeout();
    params.onProgress?.({ type: 'fallback', error: outcome.error });
  }

  for (let poll = 2; ; poll++) {
    const pause = Math.min(
      intervalMs * WAIT_DEFAULTS.growth ** (poll - 2),
      Math.max(intervalMs, WAIT_DEFAULTS.maxIntervalMs),
    );
    const left = deadline - clock.now();
    if (left <= 0) throw timeout();
    await clock.sleep(Math.min(pause, left), params.signal);
    if (clock.now() >= deadline) throw timeout();
    const ingress = await read(poll);
    if (ingress) return ingress;
  }
}

/** The Service source with each request it makes (the stream, a resume, a relist) counted, so the timeout message can say how many there were. */
function countedSource(source: ListSource<Service>, countRequest: () => void): ListSource<Service> {
  return {
    ...source,
    openStream: (request) => {
      countRequest();
      return source.openStream(request);
    },
    list: (query) => {
      countRequest();
      return source.list(query);
    },
  };
}

type WatchOutcome =
  | { kind: 'ingress'; ingress: LoadBalancerIngress[] }
  | { kind: 'timeout' }
  | { kind: 'refused'; error: CciApiError };

async function watchForIngress(
  params: WaitForIngressParams,
  source: ListSource<Service>,
  deadline: number,
  read: Service,
  countRequest: () => void,
  seen: (service: Service) => void,
): Promise<WatchOutcome> {
  const expired = new CciTimeoutError('deadline');
  const version = read.metadata.resourceVersion;
  try {
    const service = await waitForSource(countedSource(source, countRequest), {
      name: params.name,
      until: (service) => ingressOf(service) !== undefined,
      ...(version && { resourceVersion: version }),
      ...(params.signal && { signal: params.signal }),
      onChange: (service, from) => {
        seen(service);
        params.onProgress?.({ type: 'event', event: from, service });
      },
      deadline,
      timeout: () => expired,
      deleted: () => deleted(params),
    });
    return { kind: 'ingress', ingress: ingressOf(service)! };
  } catch (error) {
    if (error === expired) return { kind: 'timeout' };
    if (isCciError(error, 'api') && REFUSED.has(error.status)) return { kind: 'refused', error };
    throw error;
  }
}

function deleted(params: WaitForIngressParams): CciApiError {
  return new CciApiError(
    `Service ${params.namespace}/${params.name} was deleted while waiting for its load-balancer ingress.`,
    {
      status: 404,
      reason: 'NotFound',
    },
  );
}
