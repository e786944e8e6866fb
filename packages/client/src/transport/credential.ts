import type { TokenSource } from '../auth/token-source.js';
import { describeRequest } from '../errors/from-response.js';
import { CciInputError, CciTimeoutError, isCciError } from '../errors/classes.js';
import type { PendingSet } from './pending.js';
import { settle } from './settle.js';
import type { SendRequest } from './transport.js';

const NO_SECRETS: readonly string[] = Object.freeze([]);

/** Sent headers: the configured ones as a plain object, or a Request's (client.GET's, a middleware's). */
export type SentHeaders = Record<string, string> | Headers;

/** The transport's auth step: the credential of each attempt, and the headers and signature that carry it. */
export interface CredentialStep {
  /** The token for one attempt from a dynamic source (undefined for the others), bounded by `ms`, the signal and close(). */
  tokenFor(request: SendRequest, ms: number, pending: PendingSet): Promise<string | undefined>;
  /** What to cut out of errors for an attempt that carried `token`. */
  secretsFor(token: string | undefined): readonly string[];
  headersFor(token: string | undefined, given: SentHeaders | undefined, contentType: string | undefined): SentHeaders;
  /** Whether each hop must be signed (AK/SK) with `sign`. */
  signs: boolean;
  sign(
    url: string,
    headers: SentHeaders,
    request: SendRequest,
  ): Record<string, string> | Promise<Record<string, string>>;
}

/**
 * Built once: with a fixed token, most requests send this very object. The token source names its
 * header: X-Auth-Token (CCI gateway) or Authorization: Bearer (kube-apiserver). Frozen, so that the
 * wire may prepare what it sends for it once (node-wire.ts).
 */
function fixedHeadersOf(
  tokenSource: TokenSource,
  configured: Record<string, string>,
): Readonly<Record<string, string>> {
  return Object.freeze(
    tokenSource.kind === 'static'
      ? { ...configured, [tokenSource.header]: tokenSource.headerValue(tokenSource.token) }
      : { ...configured },
  );
}

export function createCredentialStep(tokenSource: TokenSource, configured: Record<string, string>): CredentialStep {
  const fixedHeaders = fixedHeadersOf(tokenSource, configured);
  const fixedSecrets =
    tokenSource.kind === 'static'
      ? Object.freeze([tokenSource.token])
      : tokenSource.kind === 'signed'
        ? tokenSource.secrets
        : NO_SECRETS;
  const tokenFunction = tokenSource.kind === 'dynamic' ? tokenSource.name : 'the token source';

  return {
    signs: tokenSource.kind === 'signed',
    secretsFor: (token) => (token === undefined ? fixedSecrets : [token]),

    headersFor(token, given, contentType) {
      if (given === undefined) {
        const base =
          token === undefined || tokenSource.kind !== 'dynamic'
            ? fixedHeaders
            : { ...configured, [tokenSource.header]: tokenSource.headerValue(token) };
        return contentType === undefined ? base : { ...base, 'content-type': contentType };
      }
      // A Request's headers (client.GET's, or one that middleware saw) already hold the configured
      // ones and are taken as they are, so middleware can change or remove any; only the credential
      // is added here, per attempt, and middleware never sees it.
      const value =
        token !== undefined && tokenSource.kind === 'dynamic'
          ? tokenSource.headerValue(token)
          : tokenSource.kind === 'static'
            ? tokenSource.headerValue(tokenSource.token)
            : undefined;
      if (value === undefined) return given;
      const { header } = tokenSource as { header: string };
      if (!(given instanceof Headers)) return { ...given, [header]: value };
      const headers = new Headers(given);
      headers.set(header, value);
      return headers;
    },

    async tokenFor(request, ms, pending) {
      if (tokenSource.kind !== 'dynamic') return undefined;
      let work: Promise<string | undefined>;
      try {
        work = tokenSource.getToken();
      } catch (error) {
        work = Promise.reject(error);
      }
      const onTimeout = () =>
        new CciTimeoutError(
          `${tokenFunction} did not return a token within ${Math.round(ms)} ms (${describeRequest(request.method, request.url)}).`,
        );
      try {
        return await settle(work, { ms, onTimeout, signal: request.signal, pending });
      } catch (error) {
        if (isCciError(error) || (request.signal?.aborted && error === request.signal.reason)) throw error;
        // A token source may reject with anything, even a bare string: the caller gets a typed error
        // with the original as `cause`. Its text is not quoted, as it may carry a credential.
        const what = error instanceof Error ? `${error.name}` : `a ${error === null ? 'null' : typeof error}`;
        throw new CciInputError(
          `${tokenFunction} failed (${what}; see cause), so ${describeRequest(request.method, request.url)} was not sent.`,
          { cause: error },
        );
      }
    },

    /**
     * The headers of one hop with the AK/SK signature's headers added (names lower-cased: the
     * signature covers them as sent). Synchronous where the signer is (node:crypto).
     */
    sign(url, headers, request) {
      // The configured headers' names are lower-case already (client.ts); a Headers object's too.
      const plain: Record<string, string> = headers instanceof Headers ? Object.fromEntries(headers) : { ...headers };
      const { sign } = tokenSource as Extract<TokenSource, { kind: 'signed' }>;
      const signable = {
        method: request.method,
        url,
        headers: plain,
        ...(request.body !== undefined && { body: request.body }),
      };
      if (sign.sync) return Object.assign(plain, sign.sync(signable, Date.now()));
      return sign(signable, Date.now()).then((added) => Object.assign(plain, added));
    },
  };
}
