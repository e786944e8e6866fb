// The `cci` profile's front door: Huawei Cloud's API gateway in front of CCI, plus the IAM token
// API it takes tokens from. The handler asks it three things: is this request for IAM, who is the
// caller (or which refusal), and how much of the body it must read first.
import type { IncomingHttpHeaders } from 'node:http';
import { tokenAuthenticator, type TokenSpec } from '../auth.js';
import { isSignedRequest } from './aksk.js';
import { authenticateAtGateway, type GatewayAuthentication } from './authenticate.js';
import type { ReceivedRequest } from './canonical.js';
import { checkCredentials, type AccessKey, type IamUser } from './credentials.js';
import { gatewayErrorReply, gatewayRequestId, type GatewayRefusalName } from './errors.js';
import { IAM_BODY_LIMIT, IAM_TOKENS_PATH, serveIamTokens, type IamReply } from './iam.js';
import { createTokenIssuer, tokenKeyFor } from './tokens.js';

export interface GatewaySettings {
  tokens: readonly TokenSpec[];
  iamUser: IamUser;
  accessKeys: readonly AccessKey[];
  tokenLifetimeMs: number;
  now: () => number;
  /** Largest body of a signed request (its bytes are hashed into the signature). */
  maxBodyBytes: number;
}

export interface Gateway {
  now: () => number;
  /** A fresh X-Request-Id in the gateway's form (32 hex digits). */
  requestId: () => string;
  /** Body bytes to read before handling the request; 0 = the body is not needed and is dropped. */
  bodyLimit(rawPath: string, headers: IncomingHttpHeaders): number;
  /** IAM's answer when the request is for its token API; undefined for every other path. */
  iam(
    request: { method: string; rawPath: string; query: ReadonlyMap<string, string>; body: Buffer },
    requestId: string,
  ): IamReply | undefined;
  authenticate(request: ReceivedRequest): GatewayAuthentication;
  refusal(
    name: GatewayRefusalName,
    requestId: string,
  ): { status: number; headers: Record<string, string>; body: string };
}

export function createGateway(settings: GatewaySettings): Gateway {
  const { iamUser, now } = settings;
  checkCredentials(iamUser, settings.accessKeys);
  if (!(Number.isInteger(settings.maxBodyBytes) && settings.maxBodyBytes >= 0))
    throw new RangeError('limits.maxBodyBytes must be a whole number ≥ 0');
  const issuer = createTokenIssuer({ key: tokenKeyFor(iamUser), lifetimeMs: settings.tokenLifetimeMs, now });
  const keys = new Map(settings.accessKeys.map((key) => [key.ak, key]));
  const context = { staticToken: tokenAuthenticator(settings.tokens), issuer, keys, signer: iamUser.username, now };
  return {
    now,
    requestId: gatewayRequestId,
    bodyLimit(rawPath, headers) {
      if (rawPath === IAM_TOKENS_PATH) return IAM_BODY_LIMIT;
      const authorization = Array.isArray(headers.authorization) ? headers.authorization[0] : headers.authorization;
      return isSignedRequest(authorization) && !headers['x-auth-token'] ? settings.maxBodyBytes : 0;
    },
    iam(request, requestId) {
      return request.rawPath === IAM_TOKENS_PATH
        ? serveIamTokens(request, { user: iamUser, issuer, requestId })
        : undefined;
    },
    authenticate: (request) => authenticateAtGateway(request, context),
    refusal: gatewayErrorReply,
  };
}
