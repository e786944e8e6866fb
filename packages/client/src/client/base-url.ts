import { CciInputError } from '../errors/classes.js';

export interface BaseUrlOptions {
  baseUrl?: string | undefined;
  region?: string | undefined;
}

// A DNS label: what a region (cn-north-4) is. Anything else could turn
// `https://cci.{region}.myhuaweicloud.com` into a different host.
const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i;

/**
 * CCI's endpoint in a region. Source: CCI's API reference page "查询service状态"
 * (support.huaweicloud.com/api-cci/readCoreV1NamespacedServiceStatus.html), whose copy gives the
 * full URL https://cci.cn-north-4.myhuaweicloud.com/api/v1/… (spec/openapi.yaml, first server).
 */
function cciEndpoint(region: string): string {
  checkRegion(region);
  return `https://cci.${region}.myhuaweicloud.com`;
}

/** Throws CciInputError unless `region` is a DNS label. */
export function checkRegion(region: unknown, name = 'region'): asserts region is string {
  if (typeof region !== 'string' || !DNS_LABEL.test(region)) {
    throw new CciInputError(
      `${name} must be a DNS label such as cn-north-4 (letters, digits and '-', at most 63), got ${JSON.stringify(region)}.`,
    );
  }
}

/**
 * The base URL of every request, without a trailing slash: an explicit `baseUrl` (a mock, a CCE
 * cluster's kube-apiserver), or CCI's endpoint in `region`.
 */
export function resolveBaseUrl(options: BaseUrlOptions): string {
  const { baseUrl, region } = options;
  if (baseUrl !== undefined) {
    if (region !== undefined) throw new CciInputError('Give either baseUrl or region, not both.');
    return checkEndpoint('baseUrl', baseUrl);
  }
  if (region === undefined) {
    throw new CciInputError(
      'No API address: give region (CCI at https://cci.{region}.myhuaweicloud.com) or baseUrl (a CCE cluster, a mock).',
    );
  }
  return cciEndpoint(region);
}

/** An absolute http(s) URL without credentials, query or fragment, returned without its trailing slash. */
export function checkEndpoint(name: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new CciInputError(`${name} is not an absolute URL: ${JSON.stringify(value)}.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new CciInputError(`${name} must be http: or https:, got ${url.protocol}`);
  }
  if (url.username || url.password) {
    // fetch refuses such URLs, and credentials in a URL end up in logs.
    throw new CciInputError(`${name} must not contain credentials; pass them as credential options instead.`);
  }
  if (url.search || url.hash) {
    throw new CciInputError(`${name} must not have a query or a fragment.`);
  }
  return url.href.replace(/\/+$/, '');
}
