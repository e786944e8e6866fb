// Step 2, what stands in front of the API server: in the `cci` profile the gateway's body limit and
// IAM's token API (another service: no faults, no token), then the fault modes, which act like a
// gateway too (429, 503/504, a reset) before any authentication.
import type { FaultInjector } from '../faults.js';
import type { Gateway } from '../gateway/index.js';
import type { Responder } from './responder.js';
import type { Target } from './target.js';
import type { MockReply, MockRequest } from './types.js';

/** The gateway's own answer (a body past its limit, IAM's token API), or undefined to go on. */
export function gatewayFront(
  gateway: Gateway | undefined,
  request: MockRequest,
  target: Target,
  respond: Responder,
): MockReply | undefined {
  if (!gateway) return undefined;
  // A body past the gateway's own limit is its refusal; one past kube-apiserver's only (writes) is the operation's 413.
  if (request.body === 'too-large' && gateway.bodyLimit(target.rawPath, request.headers) > 0) {
    return respond.gatewayAnswer(gateway.refusal('bodyTooLarge', respond.requestId), { connection: 'close' });
  }
  const iam = gateway.iam(
    { method: request.method, rawPath: target.rawPath, query: target.query, body: bodyOf(request) },
    respond.requestId,
  );
  return iam && respond.gatewayAnswer(iam);
}

/** The fault the injector picks for this request, as its answer; undefined when it picks none. */
export function injectFault(faults: FaultInjector, respond: Responder): MockReply | undefined {
  const fault = faults.decide();
  if (fault.kind === 'reset') return { kind: 'reset' };
  if (fault.kind === 'throttle') {
    const retry = String(fault.retryAfterSeconds);
    return respond.fail(429, { details: { retryAfterSeconds: fault.retryAfterSeconds } }, { 'retry-after': retry });
  }
  if (fault.kind === 'transient') {
    const retry: Record<string, string> =
      fault.retryAfterSeconds === undefined ? {} : { 'retry-after': String(fault.retryAfterSeconds) };
    return respond.fail(fault.status, undefined, retry);
  }
  return undefined;
}

/** The bytes of the body as read (empty when none was read or it was too large). */
export function bodyOf(request: MockRequest): Buffer {
  return Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
}
