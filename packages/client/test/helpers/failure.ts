import { expect } from 'vitest';
import { CciInputError } from '../../src/index.js';

/**
 * What a call that must fail rejected with. A call that succeeds gives an Error saying so instead,
 * which the test's own expectations on the failure then reject.
 */
export function failureOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => new Error('expected a rejection'),
    (error: unknown) => error,
  );
}

/** The CciInputError `run` throws; fails the test when it throws anything else, or nothing. */
export function inputErrorOf(run: () => unknown): CciInputError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(CciInputError);
    return error as CciInputError;
  }
  throw new Error('expected a CciInputError');
}
