import { type Attempt, type AttemptDeps, startAttempt } from '../../src/transport/attempt.js';
import type { Received } from '../../src/transport/transport.js';
import type { Wire, WireAnswer, WireRequest } from '../../src/wire/fetch-wire.js';

/** One exchange on `wire`, its body read whole: the answer and its text, or the wire's error. */
export function exchangeText(wire: Wire, request: WireRequest, maxBytes = 1 << 20) {
  return new Promise<{ answer: WireAnswer; text: string }>((resolve, reject) => {
    wire(request, {
      answered(answer) {
        answer.readText(maxBytes, { text: (text) => resolve({ answer, text }), textFailed: reject });
      },
      answerFailed: reject,
    });
  });
}

/** One attempt, as a promise of what it received. */
export function attemptOnce(attempt: Attempt, deps: AttemptDeps): Promise<Received> {
  return new Promise((resolve, reject) =>
    startAttempt(attempt, deps, {
      received: (_attempt, received) => resolve(received),
      failed: (_attempt, error) => reject(error),
    }),
  );
}
