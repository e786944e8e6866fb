import { describe, expect, it } from 'vitest';
import { CceInputError, createCceClient } from '../src/index.js';
import { exampleService } from './helpers/spec.js';

/** A fetch that records the URL it is asked for and answers with the example Service. */
function recordingFetch() {
  const urls: string[] = [];
  const fetch = async (input: RequestInfo | URL) => {
    urls.push(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    return new Response(JSON.stringify(exampleService()), { status: 200, headers: { 'content-type': 'application/json' } });
  };
  return { urls, fetch: fetch as typeof globalThis.fetch };
}

describe('base URL', () => {
  it('builds the API-gateway URL of the spec from clusterId and region', async () => {
    const { urls, fetch } = recordingFetch();
    const client = createCceClient({ clusterId: '6f1d1c2e-0b1a-11ef-9a3c-0255ac100b05', region: 'cn-north-4', token: 't0ken', fetch });
    await client.readServiceStatus({ namespace: 'default', name: 'redis' });
    expect(urls).toEqual(['https://6f1d1c2e-0b1a-11ef-9a3c-0255ac100b05.cce.cn-north-4.myhuaweicloud.com/api/v1/namespaces/default/services/redis/status']);
  });

  it('uses an explicit baseUrl, with or without a trailing slash, keeping a path prefix', async () => {
    const { urls, fetch } = recordingFetch();
    await createCceClient({ baseUrl: 'http://127.0.0.1:8080/', fetch }).readServiceStatus({ namespace: 'a', name: 'b' });
    await createCceClient({ baseUrl: 'https://proxy.example/k8s/', fetch }).readServiceStatus({ namespace: 'a', name: 'b', pretty: 'true' });
    expect(urls).toEqual([
      'http://127.0.0.1:8080/api/v1/namespaces/a/services/b/status',
      'https://proxy.example/k8s/api/v1/namespaces/a/services/b/status?pretty=true',
    ]);
  });

  it.each([
    [{}, /No API address/],
    [{ clusterId: 'abc' }, /No API address/],
    [{ baseUrl: 'http://x', clusterId: 'a', region: 'b' }, /either baseUrl or/],
    [{ clusterId: 'evil.com/', region: 'cn-north-4' }, /clusterId must be a DNS label/],
    [{ clusterId: 'abc', region: 'cn-north-4.attacker.net#' }, /region must be a DNS label/],
    [{ baseUrl: 'not a url' }, /not an absolute URL/],
    [{ baseUrl: 'ftp://host/' }, /http: or https:/],
    [{ baseUrl: 'https://user:pass@host/' }, /must not contain credentials/],
    [{ baseUrl: 'https://host/?a=b' }, /query or a fragment/],
  ])('rejects %j with CceInputError', (options, message) => {
    expect(() => createCceClient(options)).toThrow(CceInputError);
    expect(() => createCceClient(options)).toThrow(message);
  });
});
