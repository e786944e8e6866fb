// Raw HTTP(S) requests: the request target is sent exactly as written ("%2e%2e", "a%zzb" and ".."
// must reach the server unnormalised, which fetch/URL would not allow).
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface Target {
  /** Base URL without a trailing slash: http(s)://127.0.0.1:PORT */
  url: string;
  /** PEM CA that signed the server's certificate (https only). */
  ca?: string | Buffer;
  /** Client certificate and key (https only). */
  cert?: string | Buffer;
  key?: string | Buffer;
}

export interface RawRequest {
  method?: string;
  /** Path and query exactly as they go on the request line. */
  path: string;
  headers?: Record<string, string>;
  body?: string;
  /** Give up on the answer after this long (watch streams end by themselves before). */
  timeoutMs?: number;
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

export function send(target: Target, req: RawRequest): Promise<RawResponse> {
  const base = new URL(target.url);
  const https = base.protocol === 'https:';
  const headers: Record<string, string> = { ...req.headers };
  if (req.body !== undefined) headers['content-length'] = String(Buffer.byteLength(req.body));
  return new Promise((resolve, reject) => {
    const options = {
      host: base.hostname,
      port: base.port,
      method: req.method ?? 'GET',
      path: req.path,
      headers,
      agent: false as const,
      ...(https ? { ca: target.ca, cert: target.cert, key: target.key } : {}),
    };
    const r = (https ? httpsRequest : httpRequest)(options, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
      );
      res.on('error', reject);
    });
    r.setTimeout(req.timeoutMs ?? 20_000, () =>
      r.destroy(new Error(`no answer to ${req.method ?? 'GET'} ${req.path} in time`)),
    );
    r.on('error', reject);
    r.end(req.body);
  });
}

/** send(), failing unless the status is one of `expected`; the parsed JSON body. */
export async function sendJson(target: Target, req: RawRequest, expected: number[]): Promise<any> {
  const res = await send(target, {
    ...req,
    headers: { accept: 'application/json', 'content-type': 'application/json', ...req.headers },
  });
  if (!expected.includes(res.status)) throw new Error(`${req.method ?? 'GET'} ${req.path}: ${res.status} ${res.body}`);
  return JSON.parse(res.body);
}
