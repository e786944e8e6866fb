import { createRequire } from 'node:module';

// Huawei Cloud's own signer (@huaweicloud/huaweicloud-sdk-core, a devDependency of the tests only),
// the oracle the client's AK/SK signatures are checked against.
const require = createRequire(import.meta.url);
export const { AKSKSigner } = require('@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner') as {
  AKSKSigner: {
    sign(request: OfficialRequest, credential: { getAk(): string; getSk(): string }): Record<string, string>;
  };
};

/** What the official signer takes: the decoded path in `endpoint`, decoded query parameters, the headers to sign, a JSON body as `data`. */
export interface OfficialRequest {
  method: string;
  endpoint: string;
  queryParams: Record<string, string | string[]>;
  headers: Record<string, string>;
  data?: unknown;
}

/** The query of a raw request-target as the official signer takes it: decoded, repeated names as arrays. */
function decodedQuery(search: string): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const part of search.replace(/^\?/, '').split('&')) {
    if (part === '') continue;
    const equals = part.indexOf('=');
    const name = decodeURIComponent(equals === -1 ? part : part.slice(0, equals));
    const value = equals === -1 ? '' : decodeURIComponent(part.slice(equals + 1));
    const before = query[name];
    query[name] = before === undefined ? value : Array.isArray(before) ? [...before, value] : [before, value];
  }
  return query;
}

/**
 * The Authorization header the official signer gives for a request as a server received it:
 * the signed headers it names (with their received values), the request-target, the JSON body.
 */
export function officialAuthorization(
  received: { method: string; target: string; headers: Record<string, string | string[] | undefined>; body: string },
  key: { ak: string; sk: string },
): string {
  const authorization = String(received.headers.authorization ?? '');
  const names = /SignedHeaders=([^,]+)/.exec(authorization)?.[1]?.split(';') ?? [];
  const headers: Record<string, string> = {};
  for (const name of names) {
    if (name === 'host') continue;
    // The official signer looks X-Sdk-Date up by this exact spelling.
    headers[name === 'x-sdk-date' ? 'X-Sdk-Date' : name] = String(received.headers[name] ?? '');
  }
  const [path, search = ''] = received.target.split('?');
  const endpoint = `http://${received.headers.host}${path!
    .split('/')
    .map((segment) => decodeURIComponent(segment))
    .join('/')}`;
  const request: OfficialRequest = { method: received.method, endpoint, queryParams: decodedQuery(search), headers };
  if (received.body !== '') request.data = JSON.parse(received.body);
  return AKSKSigner.sign(request, { getAk: () => key.ak, getSk: () => key.sk }).Authorization!;
}
