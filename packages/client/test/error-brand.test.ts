// One error base class with a brand: isCciError recognises the client's errors by a registered
// symbol, not by class name, and errors the client detects itself are CciResponseErrors.
import { describe, expect, it } from 'vitest';
import { createApiError, createResponseError } from '../src/errors/from-response.js';
import {
  CciApiError,
  CciError,
  CciInputError,
  CciNetworkError,
  CciResponseError,
  CciTimeoutError,
  isCciError,
} from '../src/index.js';

const answer = {
  method: 'GET',
  url: 'https://example.invalid/api/v1/namespaces/a/services/b/status',
  status: 200,
  statusText: 'OK',
  headers: new Headers({ 'x-request-id': 'r1' }),
};

describe('CciError', () => {
  it('is the base of every error class, each with its kind', () => {
    const errors = [
      [new CciApiError('m', { status: 500 }), 'api'],
      [new CciResponseError('m', { status: 200, reason: 'InvalidResponse' }), 'response'],
      [new CciTimeoutError('m'), 'timeout'],
      [new CciInputError('m'), 'input'],
      [new CciNetworkError('m', { cause: new Error('x'), code: 'ECONNRESET' }), 'network'],
    ] as const;
    for (const [error, kind] of errors) {
      expect(error).toBeInstanceOf(CciError);
      expect(error).toBeInstanceOf(Error);
      expect(isCciError(error)).toBe(true);
      expect(isCciError(error, kind)).toBe(true);
      expect(error.kind).toBe(kind);
    }
    expect(isCciError(new CciTimeoutError('m'), 'api')).toBe(false);
  });

  it('is recognised by its brand, not by name: an Error named CciApiError is not one, another copy of the class is', () => {
    const impostor = Object.assign(new Error('m'), { name: 'CciApiError', status: 404 });
    expect(isCciError(impostor)).toBe(false);
    expect(isCciError({ name: 'CciTimeoutError', kind: 'timeout' })).toBe(false);
    expect(isCciError(null)).toBe(false);
    expect(isCciError('CciApiError')).toBe(false);
    // A second copy of the package (say the CJS build next to the ESM one) has its own classes;
    // the brand is a registered symbol, so they still count.
    class OtherCopy extends Error {
      kind = 'api';
      constructor() {
        super('m');
        Object.defineProperty(this, Symbol.for('@cci-openapi/client:error'), { value: true });
      }
    }
    expect(isCciError(new OtherCopy(), 'api')).toBe(true);
    // The brand stays out of what gets logged.
    expect(JSON.stringify(new CciInputError('m'))).not.toContain('cci-openapi');
  });
});

describe('CciResponseError: answers the client refuses', () => {
  it.each(['InvalidResponse', 'ResponseTooLarge', 'Redirect'] as const)(
    '%s is a CciResponseError, not a CciApiError',
    (reason) => {
      const error = createResponseError({ ...answer, text: '<html>' }, reason, 'what was wrong', []);
      expect(error).toBeInstanceOf(CciResponseError);
      expect(error).not.toBeInstanceOf(CciApiError);
      expect(isCciError(error, 'response')).toBe(true);
      expect(error).toMatchObject({ status: 200, reason, bodyText: '<html>', requestId: 'r1' });
      expect(error.message).toBe(
        `GET https://example.invalid/api/v1/namespaces/a/services/b/status: HTTP 200 ${reason}: what was wrong (request id r1)`,
      );
    },
  );

  it('an HTTP error answer stays a CciApiError', () => {
    const error = createApiError(
      {
        ...answer,
        status: 404,
        statusText: 'Not Found',
        text: '{"kind":"Status","reason":"NotFound","message":"gone","code":404}',
      },
      [],
    );
    expect(isCciError(error, 'api')).toBe(true);
    expect(error).toMatchObject({ status: 404, reason: 'NotFound', body: { message: 'gone' } });
  });
});
