import { CceInputError } from './errors.js';

export interface BaseUrlOptions {
  baseUrl?: string | undefined;
  clusterId?: string | undefined;
  region?: string | undefined;
}

// A DNS label: what a cluster id (a UUID) and a region (cn-north-4) both are. Anything else could
// turn `https://{clusterId}.cce.{region}.myhuaweicloud.com` into a different host.
const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i;

/**
 * The base URL of every request, without a trailing slash: an explicit `baseUrl`, or the CCE API
 * gateway of a cluster (the first server of the spec): https://{clusterId}.cce.{region}.myhuaweicloud.com
 */
export function resolveBaseUrl(options: BaseUrlOptions): string {
  const { baseUrl, clusterId, region } = options;
  if (baseUrl !== undefined) {
    if (clusterId !== undefined || region !== undefined) {
      throw new CceInputError('Give either baseUrl or { clusterId, region }, not both.');
    }
    return checkBaseUrl(baseUrl);
  }
  if (clusterId === undefined || region === undefined) {
    throw new CceInputError('No API address: give baseUrl, or both clusterId and region (the CCE API gateway form).');
  }
  for (const [name, value] of [
    ['clusterId', clusterId],
    ['region', region],
  ] as const) {
    if (typeof value !== 'string' || !DNS_LABEL.test(value)) {
      throw new CceInputError(`${name} must be a DNS label (letters, digits and '-', at most 63), got ${JSON.stringify(value)}.`);
    }
  }
  return `https://${clusterId}.cce.${region}.myhuaweicloud.com`;
}

function checkBaseUrl(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new CceInputError(`baseUrl is not an absolute URL: ${JSON.stringify(baseUrl)}.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new CceInputError(`baseUrl must be http: or https:, got ${url.protocol}`);
  }
  if (url.username || url.password) {
    // fetch refuses such URLs, and credentials in a URL end up in logs: use token instead.
    throw new CceInputError('baseUrl must not contain credentials; pass token or getToken instead.');
  }
  if (url.search || url.hash) {
    throw new CceInputError('baseUrl must not have a query or a fragment.');
  }
  return url.href.replace(/\/+$/, '');
}
