import { CciInputError } from './errors.js';
import { assertHeaderValue } from './header-value.js';

export interface AuthOptions {
  /** CCI API gateway: sent as `X-Auth-Token`. */
  token?: string | undefined;
  /** CCI API gateway: called before every request, sent as `X-Auth-Token`. */
  getToken?: (() => string | Promise<string>) | undefined;
  /** kube-apiserver: sent as `Authorization: Bearer …`. */
  bearerToken?: string | undefined;
  /** kube-apiserver: called before every request, sent as `Authorization: Bearer …`. */
  getBearerToken?: (() => string | Promise<string>) | undefined;
}

/** The header a credential travels in: the CCI gateway's, or the one every Kubernetes API server reads. */
export type AuthHeader = 'x-auth-token' | 'authorization';

interface Carried {
  /** Lower-case header name the credential goes in. */
  header: AuthHeader;
  /** The header value for a token (`Bearer <token>` for Authorization, the token itself otherwise). */
  headerValue(token: string): string;
}

/**
 * Where each request's credential comes from and which header carries it: a fixed token (checked
 * once, here) or a function called before every request so an expiring token can be refreshed (and
 * checked every time). `token` is the secret itself, to cut out of error texts.
 * `none` when requests are authenticated otherwise (a client certificate) or not at all.
 */
export type TokenSource = { kind: 'none' } | ({ kind: 'static'; token: string } & Carried) | ({ kind: 'dynamic'; getToken: () => Promise<string> } & Carried);

const GATEWAY: Carried = Object.freeze({ header: 'x-auth-token', headerValue: (token: string) => token });
const BEARER: Carried = Object.freeze({ header: 'authorization', headerValue: (token: string) => `Bearer ${token}` });

/** The options that carry a credential; at most one may be given. */
export const CREDENTIAL_OPTIONS = ['token', 'getToken', 'bearerToken', 'getBearerToken'] as const;

export function createTokenSource(options: AuthOptions): TokenSource {
  const given = CREDENTIAL_OPTIONS.filter((key) => options[key] !== undefined);
  if (given.length > 1) {
    throw new CciInputError(
      `Give one credential, not ${given.join(' and ')}: token/getToken go to the CCI API gateway (X-Auth-Token), bearerToken/getBearerToken to a Kubernetes API server (Authorization: Bearer).`,
    );
  }
  const { token, getToken, bearerToken, getBearerToken } = options;
  if (token !== undefined) return staticSource('token', token, GATEWAY);
  if (bearerToken !== undefined) return staticSource('bearerToken', bearerToken, BEARER);
  if (getToken !== undefined) return dynamicSource('getToken', getToken, GATEWAY);
  if (getBearerToken !== undefined) return dynamicSource('getBearerToken', getBearerToken, BEARER);
  return { kind: 'none' };
}

function staticSource(name: string, token: string, carried: Carried): TokenSource {
  assertHeaderValue(name, token);
  return { kind: 'static', token, ...carried };
}

function dynamicSource(name: string, get: () => string | Promise<string>, carried: Carried): TokenSource {
  if (typeof get !== 'function') throw new CciInputError(`${name} must be a function.`);
  return {
    kind: 'dynamic',
    getToken: async () => {
      const fresh = await get();
      assertHeaderValue(`The token returned by ${name}()`, fresh);
      return fresh;
    },
    ...carried,
  };
}
