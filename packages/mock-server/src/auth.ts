// Authentication (X-Auth-Token) and a minimal authorisation: a token may be limited to some
// namespaces, so clients can be tested against 403 Forbidden as well as 401 Unauthorized.
import { createHash, timingSafeEqual } from 'node:crypto';

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
}

const digest = (value: string) => createHash('sha256').update(value).digest();

export function checkTokens(tokens: readonly TokenSpec[]): void {
  if (tokens.length === 0) throw new RangeError('tokens must not be empty');
  for (const spec of tokens) {
    const token = typeof spec === 'string' ? spec : spec?.token;
    if (typeof token !== 'string' || token.length === 0) throw new RangeError('every token must be a non-empty string');
    if (typeof spec !== 'string' && !(Array.isArray(spec.namespaces) && spec.namespaces.every((n) => typeof n === 'string'))) {
      throw new RangeError('a scoped token needs namespaces: string[]');
    }
  }
}

/** Finds who presented the token, comparing in constant time (hashing first equalises lengths). */
export function tokenAuthenticator(tokens: readonly TokenSpec[]): (presented: string | undefined) => Principal | undefined {
  const known = tokens.map((spec) =>
    typeof spec === 'string'
      ? { digest: digest(spec), principal: { user: 'mock-user' } as Principal }
      : { digest: digest(spec.token), principal: { user: spec.user ?? 'mock-user', namespaces: new Set(spec.namespaces) } as Principal },
  );
  return (presented) => {
    if (presented === undefined) return undefined;
    const candidate = digest(presented);
    let found: Principal | undefined;
    for (const entry of known) if (timingSafeEqual(entry.digest, candidate)) found ??= entry.principal;
    return found;
  };
}
