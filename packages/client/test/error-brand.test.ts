// One error base class with a brand: isCceError recognises the client's errors by a registered
// symbol, not by class name, and errors the client detects itself are CceResponseErrors.
import { describe, expect, it } from 'vitest';
import { createApiError, createResponseError } from '../src/api-error.js';
import { CceApiError, CceError, CceInputError, CceNetworkError, CceResponseError, CceTimeoutError, isCceError } from '../src/index.js';

const answer = {
  method: 'GET',
  url: 'https://example.invalid/api/v1/namespaces/a/services/b/status',
  status: 200,
  statusText: 'OK',
  headers: new Headers({ 'x-request-id': 'r1' }),
};

describe('CceError', () => {
  it('is the base of every error class, each with its kind', () => {
    const errors = [
      [new CceApiError('m', { status: 500 }), 'api'],
      [new CceResponseError('m', { status: 200, reason: 'InvalidResponse' }), 'response'],
      [new CceTimeoutError('m'), 'timeout'],
      [new CceInputError('m'), 'input'],
      [new CceNetworkError('m', { cause: new Error('x'), code: 'ECONNRESET' }), 'network'],
    ] as const;
    for (const [error, kind] of errors) {
      expect(error).toBeInstanceOf(CceError);
      expect(error).toBeInstanceOf(Error);
      expect(isCceError(error)).toBe(true);
      expect(isCceError(error, kind)).toBe(true);
      expect(error.kind).toBe(kind);
    }
    expect(isCceError(new CceTimeoutError('m'), 'api')).toBe(false);
  });

  it('is recognised by its brand, not by name: an Error named CceApiError is not one, another copy of the class is', () => {
    const impostor = Object.assign(new Error('m'), { name: 'CceApiError', status: 404 });
    expect(isCceError(impostor)).toBe(false);
    expect(isCceError({ name: 'CceTimeoutError', kind: 'timeout' })).toBe(false);
    expect(isCceError(null)).toBe(false);
    expect(isCceError('CceApiError')).toBe(false);
    // A second copy of the package (say the CJS build next to the ESM one) has its own classes;
    // the brand is a registered symbol, so they still count.
    class OtherCopy extends Error {
      kind = 'api';
      constructor() {
        super('m');
        Object.defineProperty(this, Symbol.for('@cce-openapi/client:error'), { value: true });
      }
    }
    expect(isCceError(new OtherCopy(), 'api')).toBe(true);
    // The brand stays out of what gets logged.
    expect(JSON.stringify(new CceInputError('m'))).not.toContain('cce-openapi');
  });
});

describe('CceResponseError: answers the client refuses', () => {
  it.each(['InvalidResponse', 'ResponseTooLarge', 'Redirect'] as const)('%s is a CceResponseError, not a CceApiError', (reason) => {
    const error = createResponseError({ ...answer, text: '<html>' }, reason, 'what was wrong', []);
    expect(error).toBeInstanceOf(CceResponseError);
    expect(error).not.toBeInstanceOf(CceApiError);
    expect(isCceError(error, 'response')).toBe(true);
    expect(error).toMatchObject({ status: 200, reason, bodyText: '<html>', requestId: 'r1' });
    expect(error.message).toBe(`GET https://example.invalid/api/v1/namespaces/a/services/b/status: HTTP 200 ${reason}: what was wrong (request id r1)`);
  });

  it('an HTTP error answer stays a CceApiError', () => {
    const error = createApiError(
      { ...answer, status: 404, statusText: 'Not Found', text: '{"kind":"Status","reason":"NotFound","message":"gone","code":404}' },
      [],
    );
    expect(isCceError(error, 'api')).toBe(true);
    expect(error).toMatchObject({ status: 404, reason: 'NotFound', body: { message: 'gone' } });
  });
});
