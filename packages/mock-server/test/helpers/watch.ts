// Reading a watch stream from the mock over a real HTTP connection, event by event.
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { TOKEN } from './http.js';

export interface WatchEvent {
  type: string;
  object: any;
}

export interface OpenWatch {
  status: number;
  headers: IncomingMessage['headers'];
  /** The next event; rejects when the stream ends first (or after `timeoutMs`). */
  next(timeoutMs?: number): Promise<WatchEvent>;
  /** Resolves with every event left once the server ends the stream. */
  rest(): Promise<WatchEvent[]>;
  /** Whether the stream has ended, cleanly or not. */
  ended(): boolean;
  /** Whether the server ended the stream cleanly (the whole chunked body arrived), not by a reset. */
  complete(): boolean;
  close(): void;
}

export function openWatch(url: string, headers: Record<string, string> = {}): Promise<OpenWatch> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers: { 'X-Auth-Token': TOKEN, ...headers }, agent: false }, (res) => {
      const queue: WatchEvent[] = [];
      const waiters: Array<() => void> = [];
      let buffer = '';
      let done = false;
      const wake = () => {
        for (const waiter of waiters.splice(0)) waiter();
      };
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let newline = buffer.indexOf('\n');
        while (newline >= 0) {
          const line = buffer.slice(0, newline);
          buffer = buffer.slice(newline + 1);
          if (line.trim()) queue.push(JSON.parse(line));
          newline = buffer.indexOf('\n');
        }
        wake();
      });
      const end = () => {
        done = true;
        wake();
      };
      res.on('end', end);
      res.on('close', end);
      res.on('error', end);
      resolve({
        status: res.statusCode ?? 0,
        headers: res.headers,
        ended: () => done,
        complete: () => res.complete,
        async next(timeoutMs = 10_000) {
          const deadline = Date.now() + timeoutMs;
          while (queue.length === 0) {
            if (done) throw new Error('the watch ended');
            if (Date.now() > deadline) throw new Error('no event in time');
            await new Promise<void>((r) => {
              waiters.push(r);
              setTimeout(r, 50);
            });
          }
          return queue.shift() as WatchEvent;
        },
        async rest() {
          while (!done) await new Promise<void>((r) => waiters.push(r));
          return queue.splice(0);
        },
        close: () => {
          req.destroy();
        },
      });
    });
    req.on('error', reject);
    req.end();
  });
}
