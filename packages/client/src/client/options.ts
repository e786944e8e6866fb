import { CciInputError } from '../errors/classes.js';
import { assertHeaders } from '../pipeline/header-value.js';
import { type Clock, REAL_CLOCK } from '../transport/sleep.js';

/** A numeric option: `fallback` when absent, else a positive number (finite unless `allowInfinity`), or CciInputError. */
export function positive(name: string, value: number | undefined, fallback: number, allowInfinity = false): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !(value > 0) || (!allowInfinity && !Number.isFinite(value))) {
    throw new CciInputError(`${name} must be a positive number, got ${String(value)}.`);
  }
  return value;
}

/** The `headers` option, checked, with lower-case names, over `accept: application/json`. */
export function lowerCaseKeys(headers: Record<string, string> | undefined): Record<string, string> {
  if (headers === undefined) return { accept: 'application/json' };
  if (typeof headers !== 'object' || headers === null)
    throw new CciInputError('headers must be an object of name → value.');
  assertHeaders(headers);
  return {
    accept: 'application/json',
    ...Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v])),
  };
}

/** The `clock` option: real time when absent, else an object with now() and sleep(). */
export function clockOption(clock: Clock | undefined): Clock {
  if (clock === undefined) return REAL_CLOCK;
  if (
    typeof clock !== 'object' ||
    clock === null ||
    typeof clock.now !== 'function' ||
    typeof clock.sleep !== 'function'
  )
    throw new CciInputError('clock must be an object with now() and sleep(ms, signal) functions.');
  return clock;
}
