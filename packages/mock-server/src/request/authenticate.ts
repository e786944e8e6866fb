// Step 3, who is asking: the gateway's verdict (`cci`: AK/SK signature or IAM token, its refusals in
// its own body) or kube-apiserver's authenticators (a client certificate in API-server mode, a
// Bearer or X-Auth-Token, anonymous when allowed; 401 Status otherwise).
import { createAuthenticator, type Principal } from '../auth.js';
import { bodyOf } from './front-door.js';
import type { Responder } from './responder.js';
import type { Target } from './target.js';
import { stop, type HandlerContext, type MockRequest, type Stop } from './types.js';

export type Authenticate = (request: MockRequest, target: Target, respond: Responder) => Principal | Stop;

export function createAuthenticateStep(context: HandlerContext): Authenticate {
  const { gateway, mutualTls } = context;
  const kubeAuthenticate = createAuthenticator({ tokens: context.tokens, anonymous: context.anonymous ?? false });
  return (request, target, respond) => {
    if (gateway) {
      const verdict = gateway.authenticate({
        method: request.method,
        rawPath: target.rawPath,
        rawQuery: target.rawQuery,
        headers: request.headers,
        body: bodyOf(request),
      });
      return 'refusal' in verdict
        ? stop(respond.gatewayAnswer(gateway.refusal(verdict.refusal, respond.requestId)))
        : verdict.principal;
    }
    const certificate = mutualTls ? (request.clientCertificate ?? { presented: false, verified: false }) : undefined;
    return kubeAuthenticate(request.headers, certificate) ?? stop(respond.fail(401));
  };
}
