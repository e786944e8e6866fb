// Long attempt timeouts (≥ 1 s, the 30 s default among them) share one timer per transport instead
// of a setTimeout each (src/transport/timeout-sweep.ts): the limit must still hold, within the
// sweep's tick, and the shared timer must stop once nothing is registered.
import { describe, expect, it } from 'vitest';
import { CciTimeoutError } from '../src/index.js';
import { SWEEP_FROM_MS, TimeoutSweep } from '../src/transport/timeout-sweep.js';
import { clientFor } from './helpers/client.js';
import { serveClosedAfterEach } from './helpers/server.js';

const serve = serveClosedAfterEach();

describe('the timeout sweep', () => {
  it('ends attempts to a server that never answers at their limit, not before, at most a tick late, on one timer', async () => {
    let closed = 0;
    const server = await serve((req) => {
      req.socket.once('close', () => closed++);
    });
    const timeoutMs = SWEEP_FROM_MS + 200;
    const client = clientFor(server, { timeoutMs, retry: false });
    const timers = () => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
    const before = timers();
    const started = performance.now();
    const calls = Array.from({ length: 20 }, (_, i) =>
      client.readCoreV1NamespacedServiceStatus({ namespace: 'default', name: `web-${i}` }).catch((e) => e),
    );
    await server.waitForRequests(20);
    // Twenty attempts waiting, and no timer of their own (a setTimeout each made this 20; the sweep's
    // interval is unref'd, so Node does not even list it). The margin of 2 is for timers that are not
    // the client's: the test runner's throttled report can start one in the meantime.
    expect(timers() - before).toBeLessThanOrEqual(2);
    const errors = await Promise.all(calls);
    const took = performance.now() - started;
    for (const error of errors) {
      expect(error).toBeInstanceOf(CciTimeoutError);
      expect(error.message).toContain(`timed out after ${timeoutMs} ms`);
    }
    expect(took).toBeGreaterThanOrEqual(timeoutMs - 5);
    // One tick (100 ms) late at most, with room for a loaded machine.
    expect(took).toBeLessThan(timeoutMs + 100 + 400);
    // The exchanges were torn down: the server saw every connection close.
    await expect.poll(() => closed).toBe(20);
    await client.close();
  });

  it('expires what is due, leaves what is not, and stops ticking once empty', async () => {
    const sweep = new TimeoutSweep();
    const expired: string[] = [];
    const entry = (name: string) => ({
      expire() {
        expired.push(name);
        sweep.delete(slots.get(name)!, this);
      },
    });
    const slots = new Map<string, number>();
    const soon = entry('soon');
    const later = entry('later');
    const gone = entry('gone');
    slots.set('soon', sweep.add(soon, Date.now() + 50));
    slots.set('later', sweep.add(later, Date.now() + 60_000));
    slots.set('gone', sweep.add(gone, Date.now() + 50));
    sweep.delete(slots.get('gone')!, gone);
    expect(sweep.size).toBe(2);
    await expect.poll(() => expired, { timeout: 1_000 }).toEqual(['soon']);
    expect(sweep.size).toBe(1);
    sweep.delete(slots.get('later')!, later);
    expect(sweep.ticking).toBe(true);
    await expect.poll(() => sweep.ticking, { timeout: 1_000 }).toBe(false);
    expect(expired).toEqual(['soon']);
  });

  it('a slot taken out twice, or by the wrong entry, changes nothing', () => {
    const sweep = new TimeoutSweep();
    const a = { expire() {} };
    const b = { expire() {} };
    const slot = sweep.add(a, Date.now() + 10_000);
    sweep.delete(slot, b);
    expect(sweep.size).toBe(1);
    sweep.delete(slot, a);
    sweep.delete(slot, a);
    expect(sweep.size).toBe(0);
  });
});
