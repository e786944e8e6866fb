// IAM tokens issued by the mock. A token carries its own claims and expiry under an HMAC, so the
// mock keeps no table of them (nothing grows with the number issued), and the gateway tells a token
// it never issued ("decrypt token fail") from one whose time is up ("The token must be updated").
//
// The HMAC key is derived from the IAM user's credentials: tokens survive a restart of the mock
// with the same user, and a changed password voids them all, as it does on IAM.
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { sameSecret } from './aksk.js';
import type { IamUser } from './credentials.js';

export interface TokenClaims {
  /** IAM user name: the principal's name in Kubernetes messages. */
  user: string;
  userId: string;
  projectId: string;
}

export interface IssuedToken {
  token: string;
  issuedAt: number;
  expiresAt: number;
}

export type TokenCheck = { state: 'valid'; claims: TokenClaims } | { state: 'expired' } | { state: 'unknown' };

export interface TokenIssuer {
  issue(claims: TokenClaims): IssuedToken;
  check(token: string): TokenCheck;
}

/** Real IAM tokens are a few KB; anything far longer is not one of ours and is not parsed. */
const MAX_TOKEN_LENGTH = 4096;
/** IAM tokens start like this (DER in base64); the look is kept so that logs look familiar. */
const PREFIX = 'MII';

export const DEFAULT_TOKEN_LIFETIME_MS = 24 * 60 * 60 * 1000;

export function tokenKeyFor(user: IamUser): Buffer {
  return createHash('sha256')
    .update(
      `cci-mock issued tokens\0${JSON.stringify([user.domainName, user.username, user.password, user.projectId])}`,
    )
    .digest();
}

export function createTokenIssuer(options: { key: Buffer; lifetimeMs: number; now: () => number }): TokenIssuer {
  const { key, lifetimeMs, now } = options;
  if (!(Number.isFinite(lifetimeMs) && lifetimeMs > 0)) throw new RangeError('tokenLifetimeMs must be a number > 0');
  const mac = (payload: string) => createHmac('sha256', key).update(payload).digest('base64url');
  return {
    issue(claims) {
      const issuedAt = now();
      const expiresAt = issuedAt + lifetimeMs;
      const payload = Buffer.from(
        JSON.stringify({ ...claims, iat: issuedAt, exp: expiresAt, jti: randomBytes(9).toString('base64url') }),
      ).toString('base64url');
      return { token: `${PREFIX}${payload}.${mac(payload)}`, issuedAt, expiresAt };
    },
    check(token) {
      if (token.length > MAX_TOKEN_LENGTH || !token.startsWith(PREFIX)) return { state: 'unknown' };
      const dot = token.lastIndexOf('.');
      const payload = token.slice(PREFIX.length, dot);
      if (dot < PREFIX.length || !sameSecret(token.slice(dot + 1), mac(payload))) return { state: 'unknown' };
      const { user, userId, projectId, exp } = JSON.parse(
        Buffer.from(payload, 'base64url').toString('utf8'),
      ) as TokenClaims & { exp: number };
      return now() >= exp ? { state: 'expired' } : { state: 'valid', claims: { user, userId, projectId } };
    },
  };
}
