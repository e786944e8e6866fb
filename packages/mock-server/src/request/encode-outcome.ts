// Step 9, the bytes: a Status for a refusal (with the continue token of an expired list), the
// object or list (as a Table when one was negotiated), text as text/plain, or a watch stream.
import type { Outcome } from '../operations.js';
import type { Representation } from '../negotiation.js';
import { toTable } from '../table.js';
import { startWatch } from '../watch.js';
import type { Responder } from './responder.js';
import type { HandlerContext, MockReply } from './types.js';

export function encodeOutcome(
  context: HandlerContext,
  outcome: Outcome,
  representation: Representation | undefined,
  query: ReadonlyMap<string, string>,
  respond: Responder,
): MockReply {
  const { catalog, store } = context;
  if (outcome.kind === 'status') {
    const status = catalog.build(outcome.code, outcome.overrides);
    if (outcome.continueToken) status.metadata = { ...status.metadata, continue: outcome.continueToken };
    return respond.reply(outcome.code, status);
  }
  if (outcome.kind === 'text') {
    const { 'content-type': _type, ...headers } = respond.headers();
    // A 204 has no body, so kube-apiserver sends no Content-Type either.
    if (outcome.status !== 204) headers['content-type'] = 'text/plain';
    return { kind: 'reply', status: outcome.status, headers, body: outcome.body };
  }
  if (outcome.kind === 'object') {
    if (!representation?.convert) return respond.reply(outcome.status, outcome.body);
    const converted = toTable(outcome.body as never, {
      conversion: representation.convert,
      includeObject: query.get('includeObject'),
      now: Date.now(),
    });
    return 'table' in converted
      ? respond.reply(outcome.status, converted.table)
      : respond.fail(400, { message: converted.badRequest });
  }
  return {
    kind: 'stream',
    status: 200,
    // kube-apiserver frames a JSON watch as newline-delimited JSON but labels it plain
    // application/json (";stream=watch" is added for other serializers only); checked against v1.20.
    headers: respond.headers({ 'content-type': 'application/json' }),
    start: (sink) =>
      startWatch(store, outcome.scope, outcome.options, sink, {
        ...context.watch,
        expired: (message) => catalog.build(410, { reason: 'Expired', message }),
      }),
  };
}
