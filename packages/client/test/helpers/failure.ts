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
