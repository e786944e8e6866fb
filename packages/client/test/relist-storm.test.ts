import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createBackoff } from '../src/streaming/backoff.js';
import { CciTimeoutError } from '../src/errors/classes.js';
import { clientFor } from './helpers/client.js';
import { startServer, type TestServer } from './helpers/server.js';
import { virtualClock, type VirtualClock } from './helpers/virtual-clock.js';

// Issue 17, finding 1 (High) and medium 1: a server that answers every watch with 410 Gone (HTTP or
// an ERROR event), or closes every stream after one event or a BOOKMARK, must not make the watch,
// the informer or waitForLoadBalancerIngress relist or reconnect in a loop. Time is a virtual
// clock: the counts are of requests in the first 3 s and first minute of client time; a real-time
// guard of 3 s ends a run that does not back off at all (today's code before the fix: thousands).

type Mode = '410-http' | '410-event' | 'one-event' | 'bookmark';

const svc = (rv: string) => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { namespace: 'ns', name: 'web', resourceVersion: rv },
  spec: { type: 'LoadBalancer' },
});

interface Storm {
  server: TestServer;
  clock: VirtualClock;
  t0: number;
  /** The client time each request arrived at, with its kind. */
  log: Array<{ at: number; kind: 'list' | 'watch' | 'read' }>;
}

let storm: Storm | undefined;
afterEach(() => storm?.server.close());

async function startStorm(mode: Mode): Promise<Storm> {
  const clock = virtualClock();
  const log: Storm['log'] = [];
  const server = await startServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const kind =
      url.searchParams.get('watch') === 'true' ? 'watch' : url.pathname.endsWith('/status') ? 'read' : 'list';
    log.push({ at: clock.now(), kind });
    res.setHeader('content-type', 'application/json');
    if (kind === 'read') return res.end(JSON.stringify(svc('5')));
    if (kind === 'list')
      return res.end(
        JSON.stringify({
          kind: 'ServiceList',
          apiVersion: 'v1',
          metadata: { resourceVersion: '5' },
          items: [svc('5')],
        }),
      );
    if (mode === '410-http') {
      res.statusCode = 410;
      return res.end(
        JSON.stringify({
          kind: 'Status',
          apiVersion: 'v1',
          status: 'Failure',
          reason: 'Expired',
          code: 410,
          message: 'too old resource version',
        }),
      );
    }
    const event =
      mode === '410-event'
        ? { type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired', message: 'too old' } }
        : mode === 'bookmark'
          ? { type: 'BOOKMARK', object: { kind: 'Service', apiVersion: 'v1', metadata: { resourceVersion: '6' } } }
          : { type: 'MODIFIED', object: svc('6') };
    res.end(`${JSON.stringify(event)}\n`);
  });
  storm = { server, clock, t0: clock.now(), log };
  return storm;
}

/** Counts of requests (and of lists) in the first 3 s and the first minute of client time. */
function counts(s: Storm) {
  const within = (ms: number, kind?: string) =>
    s.log.filter((r) => r.at - s.t0 < ms && (kind === undefined || r.kind === kind)).length;
  const figures = {
    first3s: within(3_000),
    first60s: within(60_000),
    lists60s: within(60_000, 'list'),
    watches60s: within(60_000, 'watch'),
  };
  console.log(`[storm] ${expect.getState().currentTestName}: ${JSON.stringify(figures)}`);
  return figures;
}

/** Runs until a minute of client time has passed, or 3 s of real time (a client that never pauses). */
async function untilAMinute(s: Storm, stop: () => void | Promise<void>): Promise<void> {
  const realStart = Date.now();
  while (s.clock.now() - s.t0 < 60_000 && Date.now() - realStart < 3_000)
    await new Promise((resolve) => setTimeout(resolve, 2));
  await stop();
}

/** Every pause between relists or reconnects: about 800 ms first, doubling (with jitter) to 30 s. */
function expectBackoffShape(sleeps: number[]): void {
  expect(sleeps.length).toBeGreaterThan(2);
  expect(sleeps[0]).toBeGreaterThanOrEqual(800);
  expect(sleeps[0]).toBeLessThan(1_100);
  for (let i = 1; i < sleeps.length; i++) {
    expect(sleeps[i]).toBeLessThanOrEqual(30_000);
    if (sleeps[i - 1]! < 20_000) expect(sleeps[i]).toBeGreaterThan(sleeps[i - 1]!);
  }
}

async function runWatch(mode: Mode) {
  const s = await startStorm(mode);
  const controller = new AbortController();
  const client = clientFor(s.server, { clock: s.clock });
  const done = (async () => {
    try {
      for await (const _ of client.watchServices({ namespace: 'ns', signal: controller.signal })) {
        if (s.clock.now() - s.t0 >= 60_000) break;
      }
    } catch {
      // the abort below
    }
  })();
  await untilAMinute(s, async () => {
    controller.abort();
    await done;
  });
  return { s, figures: counts(s) };
}

describe('relists and reconnects go through one back-off (issue 17)', () => {
  for (const mode of ['410-http', '410-event'] as const) {
    it(`watchServices against a server that always answers 410 (${mode}): one relist per back-off step, ≤ 15 in the first minute`, async () => {
      const { s, figures } = await runWatch(mode);
      expect(figures.first3s).toBeLessThanOrEqual(8);
      expect(figures.lists60s).toBeLessThanOrEqual(15);
      expect(figures.watches60s).toBeLessThanOrEqual(16);
      expectBackoffShape(s.clock.sleeps);
    });
  }

  for (const mode of ['one-event', 'bookmark'] as const) {
    it(`watchServices against a server that closes every stream after one event (${mode}): reconnects back off, the event does not reset it`, async () => {
      const { s, figures } = await runWatch(mode);
      expect(figures.first3s).toBeLessThanOrEqual(8);
      expect(figures.watches60s).toBeLessThanOrEqual(16);
      expectBackoffShape(s.clock.sleeps);
    });
  }

  it('the informer against a server that always answers 410: ≤ 15 relists in the first minute', async () => {
    const s = await startStorm('410-event');
    const informer = clientFor(s.server, { clock: s.clock }).createServiceInformer({ namespace: 'ns' });
    await untilAMinute(s, () => informer.stop());
    const figures = counts(s);
    expect(figures.first3s).toBeLessThanOrEqual(8);
    expect(figures.lists60s).toBeLessThanOrEqual(15);
    expect(figures.watches60s).toBeLessThanOrEqual(16);
    expectBackoffShape(s.clock.sleeps);
  });

  it('the informer against a server that closes every stream after one event: reconnects back off', async () => {
    const s = await startStorm('one-event');
    const informer = clientFor(s.server, { clock: s.clock }).createServiceInformer({ namespace: 'ns' });
    await untilAMinute(s, () => informer.stop());
    const figures = counts(s);
    expect(figures.first3s).toBeLessThanOrEqual(8);
    expect(figures.watches60s).toBeLessThanOrEqual(16);
  });

  it('waitForLoadBalancerIngress against a server that always answers 410: ≤ 15 relists in its first minute, then times out by its deadline', async () => {
    const s = await startStorm('410-http');
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new Error('still relisting after 3 s of real time')), 3_000);
    const outcome = await clientFor(s.server, { clock: s.clock })
      .waitForLoadBalancerIngress({ namespace: 'ns', name: 'web', timeoutMs: 60_000, signal: controller.signal })
      .then(
        () => 'resolved',
        (error: unknown) => error,
      );
    clearTimeout(timer);
    const figures = counts(s);
    expect(outcome).toBeInstanceOf(CciTimeoutError);
    expect(figures.first3s).toBeLessThanOrEqual(8);
    expect(figures.lists60s).toBeLessThanOrEqual(15);
    expect(figures.watches60s).toBeLessThanOrEqual(16);
  });
});

describe('createBackoff: the one back-off (issue 17)', () => {
  it('starts near 800 ms, doubles with ≤ 25 % jitter to a 30 s cap, and is reset only by a stream that stayed up ≥ 10 s and ≥ the last pause', () => {
    const backoff = createBackoff();
    const pauses = Array.from({ length: 9 }, () => backoff.next());
    const bases = [800, 1_600, 3_200, 6_400, 12_800, 25_600, 30_000, 30_000, 30_000];
    pauses.forEach((pause, i) => {
      expect(pause).toBeGreaterThanOrEqual(bases[i]!);
      expect(pause).toBeLessThanOrEqual(Math.min(30_000, bases[i]! * 1.25));
    });
    // A short stream (one event, a BOOKMARK, then closed) does not reset it …
    expect(backoff.streamRan(5_000)).toBe(false);
    expect(backoff.streamRan(20_000)).toBe(false); // shorter than the last pause (30 s)
    expect(backoff.next()).toBeGreaterThanOrEqual(30_000);
    // … one that stayed up does.
    expect(backoff.streamRan(31_000)).toBe(true);
    expect(backoff.next()).toBeLessThan(1_000);
    expect(backoff.streamRan(10_000)).toBe(true);
  });
});
