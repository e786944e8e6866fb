// Authentication as kube-apiserver does it, plus the CCI API gateway's X-Auth-Token, and a minimal
// authorisation: a token may be limited to some namespaces, so clients can be tested against
// 403 Forbidden as well as 401 Unauthorized.
//
// The chain (kube-apiserver's union authenticator): a client certificate, `Authorization: Bearer`,
// `X-Auth-Token`; the first that proves someone wins. When none does:
// - a credential was presented and was wrong (unknown token, certificate of another CA) → 401;
// - nothing was presented → the anonymous user `system:anonymous` when anonymous auth is on
//   (kube-apiserver's default; RBAC then refuses it with 403 except on /version), else 401.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** A token limited to some namespaces; reading elsewhere is 403 Forbidden. */
export interface ScopedToken {
  token: string;
  /** Namespaces this token may read. */
  namespaces: string[];
  /** User name shown in the Forbidden message (default "mock-user"). */
  user?: string;
}

export type TokenSpec = string | ScopedToken;

export interface Principal {
  user: string;
  /** undefined = every namespace. */
  namespaces?: ReadonlySet<string>;
  /** The anonymous user: may read /version and nothing else, as RBAC's default roles allow. */
  anonymous?: boolean;
}

const ANONYMOUS: Principal = Object.freeze({
  user: 'system:anonymous',
  namespaces: new Set<string>(),
  anonymous: true,
});

/** What the TLS layer learnt about the client's certificate (API-server mode). */
export interface ClientCertificate {
  /** The client sent a certificate in the handshake. */
  presented: boolean;
  /** …and the server's CA signed it. */
  verified: boolean;
  /** Its subject CN: kube-apiserver's user name for a certificate. */
  commonName?: string;
}

interface AuthenticatorOptions {
  tokens: readonly TokenSpec[];
  /** Requests with no credential at all are `system:anonymous` (true) or 401 (false). */
  anonymous: boolean;
}

const digest = (value: string) => createHash('sha256').update(value).digest();

export function checkTokens(tokens: readonly TokenSpec[]): void {
  if (tokens.length === 0) throw new RangeError('tokens must not be empty');
  for (const spec of tokens) {
    const token = typeof spec === 'string' ? spec : spec?.token;
    if (typeof token !== 'string' || token.length === 0) throw new RangeError('every token must be a non-empty string');
    if (/\s/.test(token))
      throw new RangeError(
        'a token must not contain white space (it could not be sent as "Authorization: Bearer <token>")',
      );
    if (
      typeof spec !== 'string' &&
      !(Array.isArray(spec.namespaces) && spec.namespaces.every((n) => typeof n === 'string'))
    ) {
      throw new RangeError('a scoped token needs namespaces: string[]');
    }
  }
}

/** Finds who presented the token, comparing in constant time (hashing first equalises lengths). */
export function tokenAuthenticator(
  tokens: readonly TokenSpec[],
): (presented: string | undefined) => Principal | undefined {
  const known = tokens.map((spec) =>
    typeof spec === 'string'
      ? { digest: digest(spec), principal: { user: 'mock-user' } as Principal }
      : {
          digest: digest(spec.token),
          principal: { user: spec.user ?? 'mock-user', namespaces: new Set(spec.namespaces) } as Principal,
        },
  );
  return (presented) => {
    if (presented === undefined) return undefined;
    const candidate = digest(presented);
    let found: Principal | undefined;
    for (const entry of known) if (timingSafeEqual(entry.digest, candidate)) found ??= entry.principal;
    return found;
  };
}

/**
 * kube-apiserver's bearer token rule: `Authorization: <scheme> <token>[ …]`, scheme "bearer" in any
 * case, split on single spaces. Anything else (Basic, an empty token) is not a bearer credential.
 */
export function bearerTokenOf(authorization: string | undefined): string | undefined {
  const value = authorization?.trim() ?? '';
  if (value === '') return undefined;
  const parts = value.split(' ');
  if (parts.length < 2 || parts[0]!.toLowerCase() !== 'bearer' || parts[1] === '') return undefined;
  return parts[1];
}

/** The whole chain: certificate, Bearer, X-Auth-Token, then anonymous or 401 (undefined). */
export function createAuthenticator(
  options: AuthenticatorOptions,
): (headers: IncomingHttpHeaders, certificate?: ClientCertificate) => Principal | undefined {
  const byToken = tokenAuthenticator(options.tokens);
  return (headers, certificate) => {
    let failed = false;
    if (certificate?.presented) {
      if (certificate.verified) return { user: certificate.commonName || 'mock-user' };
      failed = true;
    }
    const bearer = bearerTokenOf(first(headers.authorization));
    if (bearer !== undefined) {
      const principal = byToken(bearer);
      if (principal) return principal;
      failed = true;
    }
    const gatewayToken = first(headers['x-auth-token']);
    if (gatewayToken !== undefined) {
      const principal = byToken(gatewayToken);
      if (principal) return principal;
      failed = true;
    }
    // A wrong credential is never taken for no credential (kube-apiserver's NewFailOnError).
    return failed || !options.anonymous ? undefined : ANONYMOUS;
  };
}

/**
 * Non-resource paths (discovery, /version) as kube-apiserver's default RBAC roles allow them:
 * system:public-info-viewer gives everyone /version (and the health checks); system:discovery
 * gives authenticated users /api, /apis and below.
 */
export function mayReadPath(principal: Principal, path: string): boolean {
  if (path === '/version' || path === '/version/') return true;
  return !principal.anonymous;
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
