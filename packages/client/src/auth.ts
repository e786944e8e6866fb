import { CceInputError } from './errors.js';
import { assertHeaderValue } from './header-value.js';

export interface AuthOptions {
  token?: string | undefined;
  getToken?: (() => string | Promise<string>) | undefined;
}

/**
 * Where each request's X-Auth-Token comes from: a fixed token (checked once, here) or getToken(),
 * called before every request so an expiring IAM token can be refreshed, and checked every time.
 * Undefined when requests are authenticated otherwise (mTLS from a kubeconfig) or not at all.
 */
export type TokenSource = { kind: 'none' } | { kind: 'static'; token: string } | { kind: 'dynamic'; getToken: () => Promise<string> };

export function createTokenSource(options: AuthOptions): TokenSource {
  const { token, getToken } = options;
  if (token !== undefined && getToken !== undefined) {
    throw new CceInputError('Give either token or getToken, not both.');
  }
  if (token !== undefined) {
    assertHeaderValue('token', token);
    return { kind: 'static', token };
  }
  if (getToken !== undefined) {
    if (typeof getToken !== 'function') throw new CceInputError('getToken must be a function.');
    return {
      kind: 'dynamic',
      getToken: async () => {
        const fresh = await getToken();
        assertHeaderValue('The token returned by getToken()', fresh);
        return fresh;
      },
    };
  }
  return { kind: 'none' };
}
