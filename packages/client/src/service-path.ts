import type { paths } from '@cce-openapi/types';
import { encodePathParam } from './path-params.js';

/** The operation's path template, checked against the generated `paths` so a spec change breaks the build. */
export const SERVICE_STATUS_PATH = '/api/v1/namespaces/{namespace}/services/{name}/status' satisfies keyof paths;

/**
 * The URL of one Service's status: SERVICE_STATUS_PATH with both parameters checked and
 * percent-encoded (what openapi-fetch's path serializer would produce, without building a Request).
 */
export function serviceStatusUrl(baseUrl: string, namespace: string, name: string, pretty?: string | boolean): string {
  const url = `${baseUrl}/api/v1/namespaces/${encodePathParam('namespace', namespace)}/services/${encodePathParam('name', name)}/status`;
  return pretty === undefined ? url : `${url}?pretty=${encodeURIComponent(String(pretty))}`;
}
