// The request path of the mock, as a function from a request to a reply (no sockets here), in
// named steps, one module each under request/:
//   target → front door (gateway, faults) → authenticate → discovery → route → negotiate →
//   path parameters → act (read, list, watch, text, connect, write) → encode.
// The order follows kube-apiserver: a malformed request is refused before anything else,
// authentication before routing, content negotiation before the lookup. In the `cci` profile a
// gateway (gateway/) stands in front: it serves IAM's token API and does the authentication,
// answering its refusals in its own body rather than as a Kubernetes Status.
import { createDiscovery } from './discovery.js';
import { ENCODABLE_TYPES, negotiate, wantsPretty, type EncodableType } from './negotiation.js';
import { act } from './request/act.js';
import { createAuthenticateStep } from './request/authenticate.js';
import { serveDiscovery } from './request/discovery-step.js';
import { encodeOutcome } from './request/encode-outcome.js';
import { gatewayFront, injectFault } from './request/front-door.js';
import { negotiateOperation } from './request/negotiate.js';
import { readPathParams } from './request/params.js';
import { createResponder } from './request/responder.js';
import { describeOperations, routeRequest } from './request/route.js';
import { readTarget } from './request/target.js';
import { firstHeader, isStop, type HandlerContext, type MockReply, type MockRequest } from './request/types.js';

export type { HandlerContext, MockReply, MockRequest } from './request/types.js';
export { splitTarget } from './request/target.js';

export function createHandler(context: HandlerContext): (request: MockRequest) => MockReply {
  const { spec, routes, catalog, faults, gateway } = context;
  const authenticate = createAuthenticateStep(context);
  const discovery = createDiscovery(spec, routes);
  const facts = describeOperations(spec, routes);

  return (request) => {
    const respond = createResponder(catalog, gateway);
    const target = readTarget(request, respond);
    if (isStop(target)) return target.stop;
    const accept = firstHeader(request.headers.accept);
    respond.pretty = wantsPretty(target.query.get('pretty'), request.headers['user-agent']);
    respond.mediaType = (negotiate(accept, ENCODABLE_TYPES) as EncodableType | undefined) ?? 'application/json';

    const front = gatewayFront(gateway, request, target, respond) ?? injectFault(faults, respond);
    if (front) return front;
    const principal = authenticate(request, target, respond);
    if (isStop(principal)) return principal.stop;
    const { method, headers } = request;
    const discovered = serveDiscovery(
      discovery,
      { method, rawPath: target.rawPath, headers, accept, principal },
      respond,
    );
    if (discovered) return discovered;

    const routed = routeRequest(context, facts, request, target, principal, respond);
    if (isStop(routed)) return routed.stop;
    const negotiated = negotiateOperation(routed.facts, accept, respond);
    if (isStop(negotiated)) return negotiated.stop;
    const params = readPathParams(routed, respond);
    if (isStop(params)) return params.stop;
    const outcome = act(context, { request, routed, params, query: target.query, principal });
    return encodeOutcome(context, outcome, negotiated.representation, target.query, respond);
  };
}
