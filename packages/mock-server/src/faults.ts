// Fault injection for testing clients: a rate limit, transient 5xx answers, connection resets and
// slow responses. Random choices come from a seeded generator (one stream per fault), so a run with
// the same seed and the same request order sees the same faults.
import type { ProvisioningOptions } from './store.js';

export interface RateLimitOptions {
  /** Sustained requests per second before answering 429 (token bucket). */
  requestsPerSecond: number;
  /** Bucket size: requests allowed in a burst; default `requestsPerSecond`. */
  burst?: number;
  /** Retry-After sent with 429; default the whole seconds until a token is free (at least 1). */
  retryAfterSeconds?: number;
}

export interface TransientOptions {
  /** Chance (0–1) that a request gets a transient error. */
  probability?: number;
  /** Or: every Nth request gets one (N ≥ 1). */
  every?: number;
  /** Status codes to answer, taken in turn; default [503, 504]. */
  statuses?: Array<500 | 503 | 504>;
  /** Retry-After sent with 503 (none by default). */
  retryAfterSeconds?: number;
}

export interface ResetOptions {
  /** Chance (0–1) that a request's connection is reset instead of answered. */
  probability?: number;
  /** Or: every Nth request's connection is reset. */
  every?: number;
}

export interface DelayOptions {
  /** Milliseconds every response is held back. */
  ms: number;
  /** Extra random 0…jitterMs milliseconds. */
  jitterMs?: number;
}

export interface FaultOptions {
  /** Seed of the random choices (default 1). */
  seed?: number;
  rateLimit?: RateLimitOptions;
  transient?: TransientOptions;
  reset?: ResetOptions;
  delay?: DelayOptions;
  provisioning?: ProvisioningOptions;
}

export type FaultDecision =
  | { kind: 'pass' }
  | { kind: 'reset' }
  | { kind: 'throttle'; retryAfterSeconds: number }
  | { kind: 'transient'; status: 500 | 503 | 504; retryAfterSeconds?: number };

export interface FaultInjector {
  /** What to do with the next request (call once per request, in arrival order). */
  decide(): FaultDecision;
  /** How long to hold back the next response, in milliseconds. */
  delayMs(): number;
}

/** mulberry32: a tiny, well-distributed 32-bit generator; enough for fault sampling. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function checkChance(name: string, options: { probability?: number; every?: number }): void {
  const { probability, every } = options;
  if (probability === undefined && every === undefined) throw new RangeError(`${name} needs probability or every`);
  if (probability !== undefined && !(probability >= 0 && probability <= 1))
    throw new RangeError(`${name}.probability must be between 0 and 1, got ${probability}`);
  if (every !== undefined && !(Number.isInteger(every) && every >= 1))
    throw new RangeError(`${name}.every must be an integer ≥ 1, got ${every}`);
}

/** A sampler for "probability or every Nth": true when this request is hit. */
function sampler(options: { probability?: number; every?: number }, random: () => number): () => boolean {
  let count = 0;
  return () => {
    count += 1;
    if (options.every !== undefined && count % options.every === 0) return true;
    return options.probability !== undefined && random() < options.probability;
  };
}

// Over ~60 lines on purpose: it checks each fault's options and builds its decider (the rate limit's
// token bucket, the transient and reset schedules from one seed) as one closure over their state.
export function createFaultInjector(
  options: FaultOptions = {},
  now: () => number = () => performance.now(),
): FaultInjector {
  const seed = options.seed ?? 1;
  const { rateLimit, transient, reset, delay } = options;

  let throttle: (() => number | undefined) | undefined;
  if (rateLimit) {
    const rate = rateLimit.requestsPerSecond;
    if (!(rate > 0)) throw new RangeError(`rateLimit.requestsPerSecond must be > 0, got ${rate}`);
    const burst = rateLimit.burst ?? rate;
    if (!(burst >= 1)) throw new RangeError(`rateLimit.burst must be ≥ 1, got ${burst}`);
    if (
      rateLimit.retryAfterSeconds !== undefined &&
      !(Number.isInteger(rateLimit.retryAfterSeconds) && rateLimit.retryAfterSeconds >= 0)
    ) {
      throw new RangeError(
        `rateLimit.retryAfterSeconds must be a whole number ≥ 0, got ${rateLimit.retryAfterSeconds}`,
      );
    }
    let tokens = burst;
    let last = now();
    // Returns undefined when the request may pass, else the Retry-After in seconds.
    throttle = () => {
      const at = now();
      tokens = Math.min(burst, tokens + ((at - last) * rate) / 1000);
      last = at;
      if (tokens >= 1) {
        tokens -= 1;
        return undefined;
      }
      return rateLimit.retryAfterSeconds ?? Math.max(1, Math.ceil((1 - tokens) / rate));
    };
  }

  let transientHit: (() => boolean) | undefined;
  const statuses = transient?.statuses ?? [503, 504];
  let transientCount = 0;
  if (transient) {
    checkChance('transient', transient);
    if (statuses.length === 0 || statuses.some((s) => ![500, 503, 504].includes(s)))
      throw new RangeError(`transient.statuses must be among 500, 503, 504, got ${statuses.join(', ')}`);
    transientHit = sampler(transient, seededRandom(seed ^ 0x5bd1e995));
  }

  let resetHit: (() => boolean) | undefined;
  if (reset) {
    checkChance('reset', reset);
    resetHit = sampler(reset, seededRandom(seed ^ 0x27d4eb2d));
  }

  if (delay && !(delay.ms >= 0 && (delay.jitterMs ?? 0) >= 0))
    throw new RangeError('delay.ms and delay.jitterMs must be ≥ 0');
  const jitter = seededRandom(seed ^ 0x165667b1);

  return {
    decide() {
      // Order of a gateway: a dropped connection first, then throttling, then the backend's own failures.
      if (resetHit?.()) return { kind: 'reset' };
      const retryAfterSeconds = throttle?.();
      if (retryAfterSeconds !== undefined) return { kind: 'throttle', retryAfterSeconds };
      if (transientHit?.()) {
        const status = statuses[transientCount++ % statuses.length] as 500 | 503 | 504;
        return status === 503 && transient?.retryAfterSeconds !== undefined
          ? { kind: 'transient', status, retryAfterSeconds: transient.retryAfterSeconds }
          : { kind: 'transient', status };
      }
      return { kind: 'pass' };
    },
    delayMs() {
      if (!delay) return 0;
      return delay.ms + (delay.jitterMs ? Math.floor(jitter() * (delay.jitterMs + 1)) : 0);
    },
  };
}
