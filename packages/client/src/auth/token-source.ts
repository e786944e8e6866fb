import { CciInputError } from '../errors/classes.js';
import { assertHeaderValue } from '../pipeline/header-value.js';
import type { Signer } from './aksk-signer.js';

export interface AuthOptions {
  /** CCI: an IAM token, sent as `X-Auth-Token`. */
  token?: string | undefined;
  /** CCI: called before every request, sent as `X-Auth-Token`. */
  getToken?: (() => string | Promise<string>) | undefined;
  /** kube-apiserver: sent as `Authorization: Bearer …`. */
  bearerToken?: string | undefined;
  /** kube-apiserver: called before every request, sent as `Authorization: Bearer …`. */
  getBearerToken?: (() => string | Promise<string>) | undefined;
}

/**
 * A token that is fetched when needed and can be renewed: an IAM token, an exec plugin's token.
 * The transport calls get() before every attempt (the provider caches), and invalidate() when the
 * server answered 401 to it, then sends the request once more with a fresh one.
 */
export interface RefreshableToken {
  /**
   * The token for the next attempt (cached inside; fetched when there is none or it expired).
   * Undefined: this attempt carries no credential header (an exec plugin's client certificate,
   * presented in the TLS handshake, is the credential); a 401 still renews it.
   */
  get(): Promise<string | undefined>;
  /** The server refused this token (undefined: the attempt that carried none) with 401: forget it, so the next get() produces a fresh one. */
  invalidate(token: string | undefined): void;
}

/** The header a credential travels in: CCI's gateway header, or the one every Kubernetes API server reads. */
export type AuthHeader = 'x-auth-token' | 'authorization';

interface Carried {
  /** Lower-case header name the credential goes in. */
  header: AuthHeader;
  /** The header value for a token (`Bearer <token>` for Authorization, the token itself otherwise). */
  headerValue(token: string): string;
}

/**
 * How each request proves who sends it:
 * - `none`: not at all, or by a client certificate (TLS);
 * - `static`: a fixed token (checked once, here);
 * - `dynamic`: a token asked for before every attempt (`name` says from where, for messages);
 *   with `invalidate`, a 401 renews it once (a RefreshableToken's undefined: no header this attempt);
 * - `signed`: an AK/SK signature over each attempt as it goes on the wire; `secrets` (a temporary
 *   key's security token) travel in headers and are cut out of error texts. The SK never travels.
 */
export type TokenSource =
  | { kind: 'none' }
  | ({ kind: 'static'; token: string } & Carried)
  | ({
      kind: 'dynamic';
      name: string;
      getToken: () => Promise<string | undefined>;
      invalidate?: (token: string | undefined) => void;
    } & Carried)
  | { kind: 'signed'; sign: Signer; secrets: readonly string[] };

export const GATEWAY: Carried = Object.freeze({ header: 'x-auth-token', headerValue: (token: string) => token });
export const BEARER: Carried = Object.freeze({
  header: 'authorization',
  headerValue: (token: string) => `Bearer ${token}`,
});

/** The token options; with `iam` and `credentials` (client.ts) at most one may be given. */
export const CREDENTIAL_OPTIONS = ['token', 'getToken', 'bearerToken', 'getBearerToken'] as const;

export function createTokenSource(options: AuthOptions): TokenSource {
  const { token, getToken, bearerToken, getBearerToken } = options;
  if (token !== undefined) return staticSource('token', token, GATEWAY);
  if (bearerToken !== undefined) return staticSource('bearerToken', bearerToken, BEARER);
  if (getToken !== undefined) return dynamicSource('getToken', getToken, GATEWAY);
  if (getBearerToken !== undefined) return dynamicSource('getBearerToken', getBearerToken, BEARER);
  return { kind: 'none' };
}

/** A RefreshableToken as a token source: `name` is what messages call it (e.g. "IAM sign-in"). */
export function refreshableSource(name: string, provider: RefreshableToken, carried: Carried): TokenSource {
  return {
    kind: 'dynamic',
    name,
    getToken: async () => {
      const fresh = await provider.get();
      if (fresh !== undefined) assertHeaderValue(`The token from ${name}`, fresh);
      return fresh;
    },
    invalidate: (token) => provider.invalidate(token),
    ...carried,
  };
}

function staticSource(name: string, token: string, carried: Carried): TokenSource {
  assertHeaderValue(name, token);
  return { kind: 'static', token, ...carried };
}

function dynamicSource(name: string, get: () => string | Promise<string>, carried: Carried): TokenSource {
  if (typeof get !== 'function') throw new CciInputError(`${name} must be a function.`);
  return {
    kind: 'dynamic',
    name: `${name}()`,
    getToken: async () => {
      const fresh = await get();
      assertHeaderValue(`The token returned by ${name}()`, fresh);
      return fresh;
    },
    ...carried,
  };
}
