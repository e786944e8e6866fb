// An open stream (a watch's body) is registered with its transport so that close() can end it. The
// entry must go when the stream does, whether or not the caller gave a signal: a long-lived client
// that opens watch after watch without one must not keep an entry for each (src/transport/attempt.ts).
import { getEventListeners } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { createTokenSource } from '../src/auth/token-source.js';
import type { Attempt } from '../src/transport/attempt.js';
import { createCredentialStep } from '../src/transport/credential.js';
import { PendingSet } from '../src/transport/pending.js';
import { createStallWatch } from '../src/transport/stall.js';
import { TimeoutSweep } from '../src/transport/timeout-sweep.js';
import { createNodeWire } from '../src/wire/node-wire.js';
import { serveClosedAfterEach } from './helpers/server.js';
import { attemptOnce } from './helpers/wire.js';

const serve = serveClosedAfterEach();
const wires: Array<{ close(): void }> = [];
afterEach(() => {
  for (const wire of wires.splice(0)) wire.close();
});

const STREAMS = 20;

/** One stream request's attempt, on the real node:http wire, registering in `pending`. */
function streamOpener(url: string, pending: PendingSet, signal: AbortSignal | null = null) {
  const nodeWire = createNodeWire()!;
  wires.push(nodeWire);
  const deps = {
    wire: nodeWire.wire,
    credential: createCredentialStep(createTokenSource({}), {}),
    maxResponseBytes: 1 << 20,
    pending,
    stall: createStallWatch(),
    release: () => {},
    sweep: new TimeoutSweep(),
  };
  return async () => {
    const attempt: Attempt = {
      request: { method: 'GET', url, stream: true, signal },
      token: undefined,
      headers: {},
      secrets: [],
      timeoutMs: 5_000,
      cutByDeadline: false,
    };
    const received = await attemptOnce(attempt, deps);
    expect(pending.size).toBeGreaterThan(0);
    return received.body!.getReader();
  };
}

async function readToEnd(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<string> {
  let text = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return text;
    text += Buffer.from(value).toString();
  }
}

describe('the registry of open streams (what close() ends)', () => {
  it('lets go of a stream read to its end, with no signal given', async () => {
    const server = await serve((_req, res) => {
      res.write('{"type":"ADDED"}\n');
      setTimeout(() => res.end('{"type":"DELETED"}\n'), 5);
    });
    const pending = new PendingSet();
    const open = streamOpener(`${server.url}/watch`, pending);
    for (let i = 0; i < STREAMS; i++) {
      expect(await readToEnd(await open())).toBe('{"type":"ADDED"}\n{"type":"DELETED"}\n');
    }
    expect(pending.size).toBe(0);
  });

  it('takes nothing lasting from a signal that serves many streams', async () => {
    const server = await serve((_req, res) => res.end('{"type":"ADDED"}\n'));
    const pending = new PendingSet();
    const signal = new AbortController().signal;
    const open = streamOpener(`${server.url}/watch`, pending, signal);
    for (let i = 0; i < STREAMS; i++) {
      const reader = await open();
      expect(getEventListeners(signal, 'abort').length).toBeGreaterThan(0);
      await readToEnd(reader);
    }
    expect(getEventListeners(signal, 'abort')).toHaveLength(0);
    expect(pending.size).toBe(0);
  });

  it('lets go of a stream its reader cancels, and of one the server cuts short', async () => {
    const server = await serve((req, res) => {
      res.write('{"type":"ADDED"}\n');
      if (req.url === '/cut') setTimeout(() => res.socket?.destroy(), 5);
    });
    const pending = new PendingSet();
    const openEndless = streamOpener(`${server.url}/endless`, pending);
    const openCut = streamOpener(`${server.url}/cut`, pending);
    for (let i = 0; i < STREAMS; i++) {
      const reader = await openEndless();
      await reader.read();
      await reader.cancel();
      await expect(readToEnd(await openCut())).rejects.toThrow();
    }
    expect(pending.size).toBe(0);
  });

  it('still ends a live stream at close(): the reader fails with the closing error', async () => {
    const server = await serve((_req, res) => void res.write('{"type":"ADDED"}\n'));
    const pending = new PendingSet();
    const reader = await streamOpener(`${server.url}/endless`, pending)();
    await reader.read();
    pending.endAll(new Error('client closed'));
    await expect(reader.read()).rejects.toThrow('client closed');
    expect(pending.size).toBe(0);
  });
});
