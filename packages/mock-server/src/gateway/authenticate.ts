// Who a request is, as the gateway in front of CCI decides it. One credential is judged, in this
// order: X-Auth-Token; else the Authorization header — an `SDK-HMAC-SHA256` signature, or a Bearer
// token (what kubectl sends with the IAM token of the cci-iam-authenticator exec plugin); else
// there is none. A token is one of the configured static tokens (never expiring, possibly limited
// to namespaces) or one IAM issued here (until it expires).
import type { IncomingHttpHeaders } from 'node:http';
import { bearerTokenOf, type Principal } from '../auth.js';
import { isSignedRequest, verifySignature } from './aksk.js';
import type { ReceivedRequest } from './canonical.js';
import type { AccessKey } from './credentials.js';
import type { GatewayRefusalName } from './errors.js';
import type { TokenIssuer } from './tokens.js';

export type GatewayAuthentication = { principal: Principal } | { refusal: GatewayRefusalName };

export interface GatewayAuthContext {
  /** The static tokens (auth.ts): a principal, or undefined when the token is not one of them. */
  staticToken: (presented: string) => Principal | undefined;
  issuer: TokenIssuer;
  keys: ReadonlyMap<string, AccessKey>;
  /** The user a valid signature stands for. */
  signer: string;
  now: () => number;
}

const first = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value[0] : value);

/** The token the request presents, and how: undefined when it presents none. */
function presentedCredential(
  headers: IncomingHttpHeaders,
): { kind: 'token'; token: string } | { kind: 'signature' } | undefined {
  const gatewayToken = first(headers['x-auth-token']);
  if (gatewayToken) return { kind: 'token', token: gatewayToken };
  const authorization = first(headers.authorization);
  if (isSignedRequest(authorization)) return { kind: 'signature' };
  const bearer = bearerTokenOf(authorization);
  return bearer === undefined ? undefined : { kind: 'token', token: bearer };
}

function byToken(token: string, context: GatewayAuthContext): GatewayAuthentication {
  const known = context.staticToken(token);
  if (known) return { principal: known };
  const checked = context.issuer.check(token);
  if (checked.state === 'valid') return { principal: { user: checked.claims.user } };
  return { refusal: checked.state === 'expired' ? 'expiredToken' : 'unknownToken' };
}

export function authenticateAtGateway(request: ReceivedRequest, context: GatewayAuthContext): GatewayAuthentication {
  const credential = presentedCredential(request.headers);
  if (!credential) return { refusal: 'noCredential' };
  if (credential.kind === 'token') return byToken(credential.token, context);
  const verdict = verifySignature(request, context.keys, context.now());
  return verdict.ok ? { principal: { user: context.signer } } : { refusal: verdict.refusal };
}
