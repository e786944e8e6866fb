// Small HTTP helpers for talking to a mock server from tests.
import { connect } from 'node:net';

export const TOKEN = 'mock-token';
export const statusPath = (namespace: string, name: string) =>
  `/api/v1/namespaces/${namespace}/services/${name}/status`;

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  json: any;
}

/** GET (or another method) through fetch; the body is read and parsed when it is JSON. */
export async function request(url: string, init: RequestInit & { token?: string | null } = {}): Promise<Answer> {
  const { token = TOKEN, ...rest } = init;
  const headers = new Headers(rest.headers);
  if (token !== null) headers.set('X-Auth-Token', token);
  const response = await fetch(url, { ...rest, headers });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

export interface RawExchange {
  /** Everything the server sent before closing (or before the deadline). */
  received: string;
  /** True when the server closed the connection. */
  closed: boolean;
  status?: number;
  body?: any;
}

/**
 * Writes raw bytes to the server on a fresh TCP connection and collects the answer until the server
 * closes the connection, a whole response has arrived (`untilResponse`), or `timeoutMs` passes.
 */
export function rawExchange(
  url: string,
  payload: string | Buffer | Array<string | Buffer>,
  options: { timeoutMs?: number; untilResponse?: boolean; gapMs?: number } = {},
): Promise<RawExchange> {
  const { port, hostname } = new URL(url);
  const chunks = Array.isArray(payload) ? payload : [payload];
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    let received = '';
    let done = false;
    const finish = (closed: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(deadline);
      socket.destroy();
      const head = /^HTTP\/1\.1 (\d{3})/.exec(received);
      const bodyStart = received.indexOf('\r\n\r\n');
      let body: unknown;
      try {
        body = bodyStart >= 0 ? JSON.parse(received.slice(bodyStart + 4)) : undefined;
      } catch {
        body = undefined;
      }
      resolve({ received, closed, ...(head ? { status: Number(head[1]) } : {}), body });
    };
    const deadline = setTimeout(() => finish(false), options.timeoutMs ?? 10_000);
    socket.on('data', (data) => {
      received += data.toString('latin1');
      if (options.untilResponse) {
        const bodyStart = received.indexOf('\r\n\r\n');
        const length = /content-length: (\d+)/i.exec(received);
        if (bodyStart >= 0 && length && received.length >= bodyStart + 4 + Number(length[1])) finish(false);
      }
    });
    socket.on('close', () => finish(true));
    socket.on('error', () => finish(true));
    socket.on('connect', async () => {
      for (const [index, chunk] of chunks.entries()) {
        if (done) return;
        if (index > 0 && options.gapMs) await new Promise((r) => setTimeout(r, options.gapMs));
        if (!socket.destroyed) socket.write(chunk);
      }
    });
  });
}
