import { describe, expect, it } from 'vitest';
import { CciInputError, createCciClient } from '../src/index.js';
import { exampleService } from './helpers/spec.js';

/** A fetch that records the URL it is asked for and answers with the example Service. */
function recordingFetch() {
  const urls: string[] = [];
  const fetch = async (input: RequestInfo | URL) => {
    urls.push(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    return new Response(JSON.stringify(exampleService()), {
      status: 200,
      headers: { 'content-type': 'application/json' },
    });
  };
  return { urls, fetch: fetch as typeof globalThis.fetch };
}

describe('base URL', () => {
  it("builds CCI's endpoint in a region (the spec's first server, as the seed page gives it)", async () => {
    const { urls, fetch } = recordingFetch();
    const client = createCciClient({ region: 'cn-north-4', token: 't0ken', fetch });
    await client.readServiceStatus({ namespace: 'default', name: 'redis' });
    expect(urls).toEqual(['https://cci.cn-north-4.myhuaweicloud.com/api/v1/namespaces/default/services/redis/status']);
  });

  it('uses an explicit baseUrl, with or without a trailing slash, keeping a path prefix', async () => {
    const { urls, fetch } = recordingFetch();
    await createCciClient({ baseUrl: 'http://127.0.0.1:8080/', fetch }).readServiceStatus({
      namespace: 'a',
      name: 'b',
    });
    await createCciClient({ baseUrl: 'https://proxy.example/k8s/', fetch }).readServiceStatus({
      namespace: 'a',
      name: 'b',
      pretty: 'true',
    });
    expect(urls).toEqual([
      'http://127.0.0.1:8080/api/v1/namespaces/a/services/b/status',
      'https://proxy.example/k8s/api/v1/namespaces/a/services/b/status?pretty=true',
    ]);
  });

  it.each([
    [{}, /No API address/],
    [{ baseUrl: 'http://x', region: 'b' }, /either baseUrl or region/],
    [{ region: 'evil.com/' }, /region must be a DNS label/],
    [{ region: 'cn-north-4.attacker.net#' }, /region must be a DNS label/],
    [{ baseUrl: 'not a url' }, /not an absolute URL/],
    [{ baseUrl: 'ftp://host/' }, /http: or https:/],
    [{ baseUrl: 'https://user:pass@host/' }, /must not contain credentials/],
    [{ baseUrl: 'https://host/?a=b' }, /query or a fragment/],
  ])('rejects %j with CciInputError', (options, message) => {
    expect(() => createCciClient(options)).toThrow(CciInputError);
    expect(() => createCciClient(options)).toThrow(message);
  });
});
