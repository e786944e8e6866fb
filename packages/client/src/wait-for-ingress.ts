import type { LoadBalancerIngress, Service } from '@cce-openapi/types';
import { CceInputError, CceTimeoutError } from './errors.js';
import { sleep } from './sleep.js';

export interface WaitForIngressParams {
  namespace: string;
  name: string;
  /** Give up after this long, in ms. Default 300 000 (5 min; a cloud ELB takes one or two). */
  timeoutMs?: number;
  /** First pause between polls, in ms; each pause grows 1.5× up to 15 s. Default 2 000. */
  intervalMs?: number;
  signal?: AbortSignal;
  /** Called after every poll with the Service read and the poll number (1, 2, …). */
  onPoll?: (service: Service, poll: number) => void;
}

export const WAIT_DEFAULTS = Object.freeze({ timeoutMs: 300_000, intervalMs: 2_000, growth: 1.5, maxIntervalMs: 15_000 });

type ReadWithin = (deadline: number, signal: AbortSignal | undefined) => Promise<Service>;

/**
 * Polls a Service's status until its load balancer has at least one ingress point. Errors other
 * than "not yet" (a 404, a 403, …) end the wait at once; throttling and unavailability are retried
 * inside each read. Every read and every pause ends by the overall deadline.
 */
export async function waitForLoadBalancerIngress(params: WaitForIngressParams, readWithin: ReadWithin): Promise<LoadBalancerIngress[]> {
  const timeoutMs = params.timeoutMs ?? WAIT_DEFAULTS.timeoutMs;
  const intervalMs = params.intervalMs ?? WAIT_DEFAULTS.intervalMs;
  for (const [key, value] of [['timeoutMs', timeoutMs], ['intervalMs', intervalMs]] as const) {
    if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value)) throw new CceInputError(`${key} must be a positive number of ms, got ${String(value)}.`);
  }
  const deadline = Date.now() + timeoutMs;
  const what = `Service ${params.namespace}/${params.name}`;
  const timeout = (polls: number, last: Service | undefined) =>
    new CceTimeoutError(
      `${what} has no load-balancer ingress after ${timeoutMs} ms (${polls} poll${polls === 1 ? '' : 's'}` +
        `${last ? `, type ${last.spec?.type ?? 'unknown'}` : ''}). Is it of type LoadBalancer, and is its load balancer being created? Check its events.`,
    );
  let last: Service | undefined;
  for (let poll = 1; ; poll++) {
    try {
      last = await readWithin(deadline, params.signal);
    } catch (error) {
      if (error instanceof CceTimeoutError && Date.now() >= deadline - 5) throw timeout(poll, last);
      throw error;
    }
    params.onPoll?.(last, poll);
    const ingress = last.status?.loadBalancer?.ingress;
    if (ingress && ingress.length > 0) return ingress;
    const pause = Math.min(intervalMs * WAIT_DEFAULTS.growth ** (poll - 1), Math.max(intervalMs, WAIT_DEFAULTS.maxIntervalMs));
    const left = deadline - Date.now();
    if (left <= 0) throw timeout(poll, last);
    await sleep(Math.min(pause, left), params.signal);
    if (Date.now() >= deadline) throw timeout(poll, last);
  }
}
