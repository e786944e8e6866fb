// Talking to the `cci` profile from tests: IAM sign-in, requests signed by Huawei Cloud's own signer
// (AKSKSigner of @huaweicloud/huaweicloud-sdk-core, a devDependency of these tests), and a raw HTTP
// sender that puts the path on the wire exactly as given (fetch would normalise it).
import { request as httpRequest } from 'node:http';
import { createRequire } from 'node:module';
import { DEMO_IAM_USER } from '../../src/index.js';

const require = createRequire(import.meta.url);

interface OfficialRequest {
  method: string;
  /** scheme://host[:port]/path — the path as the signer reads it (not percent-encoded). */
  endpoint: string;
  queryParams?: Record<string, string | string[]>;
  headers: Record<string, string>;
  data?: unknown;
}

const { AKSKSigner } = require('@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner') as {
  AKSKSigner: {
    sign(request: OfficialRequest, credential: { getAk(): string; getSk(): string }): Record<string, string>;
  };
};

/** The headers Huawei's signer adds (host, X-Sdk-Date when absent, Authorization) merged into the request's. */
function officialSign(request: OfficialRequest, key: { ak: string; sk: string }): Record<string, string> {
  return AKSKSigner.sign({ ...request, headers: { ...request.headers } }, { getAk: () => key.ak, getSk: () => key.sk });
}

/** `YYYYMMDDTHHMMSSZ` of an epoch time. */
export const sdkDate = (ms: number): string =>
  new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');

export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: any;
}

/** One request with exactly this path (query included), these headers and this body. */
export function send(
  baseUrl: string,
  options: {
    method?: string;
    path: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
    timeoutMs?: number;
  },
): Promise<RawAnswer> {
  const url = new URL(baseUrl);
  const headers = { ...options.headers };
  // Node's client frames a GET's body by neither length nor chunks unless told: say its length.
  const chunked = Object.keys(headers).some((name) => name.toLowerCase() === 'transfer-encoding');
  if (options.body !== undefined && !chunked) headers['content-length'] = String(Buffer.byteLength(options.body));
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        method: options.method ?? 'GET',
        path: options.path,
        headers,
        agent: false,
        setHost: !headers.host,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
        res.on('error', reject);
      },
    );
    req.setTimeout(options.timeoutMs ?? 10_000, () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end(options.body);
  });
}

/** IAM's sign-in body for the demo user, with any part replaced. */
export function signInBody(
  overrides: { name?: string; password?: string; domain?: string; project?: { name: string } | { id: string } } = {},
): string {
  return JSON.stringify({
    auth: {
      identity: {
        methods: ['password'],
        password: {
          user: {
            name: overrides.name ?? DEMO_IAM_USER.username,
            password: overrides.password ?? DEMO_IAM_USER.password,
            domain: { name: overrides.domain ?? DEMO_IAM_USER.domainName },
          },
        },
      },
      scope: { project: overrides.project ?? { name: DEMO_IAM_USER.projectName } },
    },
  });
}

/** POST /v3/auth/tokens; the answer and the token of X-Subject-Token. */
export async function signIn(
  baseUrl: string,
  body: string = signInBody(),
  query = '?nocatalog=true',
): Promise<RawAnswer & { token: string | undefined }> {
  const answer = await send(baseUrl, {
    method: 'POST',
    path: `/v3/auth/tokens${query}`,
    headers: { 'content-type': 'application/json;charset=utf8' },
    body,
  });
  const token = answer.headers['x-subject-token'];
  return { ...answer, token: typeof token === 'string' ? token : undefined };
}

export const READ_PATH = '/api/v1/namespaces/namespace-test/services/redis/status';

export interface SignedExchange {
  method: string;
  /** The path and query as they go on the wire. */
  path: string;
  headers: Record<string, string>;
  body?: string;
}

/**
 * A request signed by Huawei's signer: `path` is the decoded path (the signer encodes it), `query`
 * the decoded parameters; on the wire both are percent-encoded with encodeURIComponent, which
 * differs from the signer's encoding for !'()* — the verifier must decode and re-encode.
 */
export function officialSigned(
  baseUrl: string,
  key: { ak: string; sk: string; securityToken?: string },
  request: {
    method?: string;
    path: string;
    query?: Record<string, string | string[]>;
    headers?: Record<string, string>;
    body?: unknown;
    date: number;
  },
): SignedExchange {
  const method = request.method ?? 'GET';
  const headers: Record<string, string> = { 'X-Sdk-Date': sdkDate(request.date), ...request.headers };
  if (key.securityToken !== undefined) headers['X-Security-Token'] = key.securityToken;
  const signed = officialSign(
    {
      method,
      endpoint: `${baseUrl}${request.path}`,
      queryParams: request.query ?? {},
      headers,
      ...(request.body !== undefined && { data: request.body }),
    },
    key,
  );
  const wirePath = request.path
    .split('/')
    .map((segment) => encodeURIComponent(segment))
    .join('/');
  const wireQuery = Object.entries(request.query ?? {})
    .flatMap(([name, value]) =>
      (Array.isArray(value) ? value : [value]).map((v) => `${encodeURIComponent(name)}=${encodeURIComponent(v)}`),
    )
    .join('&');
  return {
    method,
    path: wireQuery ? `${wirePath}?${wireQuery}` : wirePath,
    headers: signed,
    ...(request.body !== undefined && { body: JSON.stringify(request.body) }),
  };
}
