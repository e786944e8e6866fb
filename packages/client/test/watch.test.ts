import type { Service } from '@cci-openapi/types';
import { afterEach, describe, expect, it } from 'vitest';
import { CciApiError, CciInputError, CciResponseError } from '../src/errors/classes.js';
import type { ServiceWatchEvent, WatchServicesParams } from '../src/services/list-watch.js';
import { service, startFakeApiServer, type FakeApiServer } from './helpers/fake-apiserver.js';
import { clientFor, TOKEN } from './helpers/client.js';

let api: FakeApiServer;
afterEach(() => api?.close());

/**
 * Runs a watch in the background into a queue, so a test can change the server and then take the
 * events it caused. stop() aborts the watch's signal.
 */
function watcher(params: WatchServicesParams) {
  const controller = new AbortController();
  const queue: ServiceWatchEvent[] = [];
  let failure: { error: unknown } | undefined;
  let wake: (() => void) | undefined;
  const done = (async () => {
    try {
      for await (const event of clientFor(api.server).watchServices({ signal: controller.signal, ...params })) {
        queue.push(event);
        wake?.();
      }
    } catch (error) {
      failure = { error };
      wake?.();
    }
  })();
  return {
    async next(): Promise<ServiceWatchEvent> {
      for (;;) {
        const event = queue.shift();
        if (event) return event;
        if (failure) throw failure.error;
        await new Promise<void>((resolve) => (wake = resolve));
      }
    },
    async stop() {
      controller.abort();
      await done;
    },
  };
}

const summary = (event: ServiceWatchEvent) =>
  event.type === 'RELISTED'
    ? `RELISTED ${event.items.map((s) => s.metadata.name).join(',')} @${event.resourceVersion}`
    : `${event.type} ${(event.object.metadata as { name?: string }).name ?? ''} @${event.object.metadata.resourceVersion}`;

const watchUrls = () =>
  api.server.requests.map((r) => new URL(r.url, 'http://x')).filter((u) => u.searchParams.get('watch') === 'true');

describe('watchServices', () => {
  it('without a resourceVersion: lists first (each Service as ADDED), then the changes after the list', async () => {
    api = await startFakeApiServer([service('default', 'a'), service('default', 'b'), service('other', 'c')]);
    const w = watcher({ namespace: 'default', timeoutSeconds: 30 });
    expect(summary(await w.next())).toBe('ADDED a @101');
    expect(summary(await w.next())).toBe('ADDED b @102');
    await api.waitForWatches(1);
    api.apply(service('default', 'a', { labels: { v: '2' } }));
    api.apply(service('other', 'c', { labels: { v: '2' } })); // another namespace: not seen
    api.remove('default', 'b');
    expect(summary(await w.next())).toBe('MODIFIED a @104');
    expect(summary(await w.next())).toBe('DELETED b @106');
    await w.stop();
    const [list] = api.server.requests;
    expect(new URL(list!.url, 'http://x').pathname).toBe('/api/v1/namespaces/default/services');
    expect(watchUrls()[0]!.searchParams.get('resourceVersion')).toBe('103');
    expect(watchUrls()[0]!.searchParams.get('timeoutSeconds')).toBe('30');
  });

  it('resumes from the last resourceVersion seen when the server ends the stream or the connection drops', async () => {
    api = await startFakeApiServer([service('default', 'a')]);
    const w = watcher({ namespace: 'default', resourceVersion: '101', timeoutSeconds: 30 });
    await api.waitForWatches(1);
    api.apply(service('default', 'b'));
    expect(summary(await w.next())).toBe('ADDED b @102');
    api.endWatches(); // as the server's timeoutSeconds does
    api.apply(service('default', 'c')); // while no stream is open: must not be lost
    expect(summary(await w.next())).toBe('ADDED c @103');
    api.dropWatches(); // the connection goes away mid-stream
    api.apply(service('default', 'd'));
    expect(summary(await w.next())).toBe('ADDED d @104');
    await w.stop();
    expect(watchUrls().map((u) => u.searchParams.get('resourceVersion'))).toEqual(['101', '102', '103']);
  });

  it('a BOOKMARK moves the resume point; allowBookmarks asks the server for them', async () => {
    api = await startFakeApiServer([]);
    const w = watcher({ resourceVersion: '100', allowBookmarks: true, timeoutSeconds: 30 });
    await api.waitForWatches(1);
    api.write(
      `${JSON.stringify({ type: 'BOOKMARK', object: { kind: 'Service', apiVersion: 'v1', metadata: { resourceVersion: '150' } } })}\n`,
    );
    const bookmark = await w.next();
    expect(bookmark).toEqual({
      type: 'BOOKMARK',
      object: { kind: 'Service', apiVersion: 'v1', metadata: { resourceVersion: '150' } },
    });
    api.endWatches();
    await api.server.waitForRequests(2);
    await w.stop();
    expect(
      watchUrls().map((u) => [
        u.pathname,
        u.searchParams.get('resourceVersion'),
        u.searchParams.get('allowWatchBookmarks'),
      ]),
    ).toEqual([
      ['/api/v1/services', '100', 'true'],
      ['/api/v1/services', '150', 'true'],
    ]);
  });

  it('on an ERROR event with code 410 it relists, yields RELISTED with the whole list, and watches on from it', async () => {
    api = await startFakeApiServer([service('default', 'a'), service('default', 'b')]);
    const w = watcher({ namespace: 'default', resourceVersion: '102', timeoutSeconds: 30, pageSize: 1 });
    await api.waitForWatches(1);
    api.remove('default', 'a');
    api.apply(service('default', 'c'));
    api.compact(); // every version so far is gone
    api.write(
      `${JSON.stringify({ type: 'ERROR', object: { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Expired', code: 410, message: 'too old resource version' } })}\n`,
    );
    expect(summary(await w.next())).toBe('DELETED a @103');
    expect(summary(await w.next())).toBe('ADDED c @104');
    expect(summary(await w.next())).toBe('RELISTED b,c @104');
    await api.waitForWatches(1);
    api.apply(service('default', 'd'));
    expect(summary(await w.next())).toBe('ADDED d @105');
    await w.stop();
    expect(watchUrls().map((u) => u.searchParams.get('resourceVersion'))).toEqual(['102', '104']);
    // The relist was paged (pageSize 1): two list requests between the two watches.
    expect(api.server.requests.filter((r) => !r.url.includes('watch=true'))).toHaveLength(2);
  });

  it('relists on an HTTP 410 answer to the watch request too (too old a resourceVersion)', async () => {
    api = await startFakeApiServer([service('default', 'a')]);
    api.compact();
    const w = watcher({ namespace: 'default', resourceVersion: '5', timeoutSeconds: 30 });
    api.failNext((u) => u.searchParams.get('watch') === 'true', 410, 'Gone');
    expect(summary(await w.next())).toBe('RELISTED a @101');
    await w.stop();
  });

  it('an ERROR event other than 410 ends the watch with a CciApiError carrying its Status', async () => {
    api = await startFakeApiServer([]);
    const w = watcher({ resourceVersion: '100', timeoutSeconds: 30 });
    const pending = w.next().catch((e: unknown) => e);
    await api.waitForWatches(1);
    api.write(
      `${JSON.stringify({ type: 'ERROR', object: { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'InternalError', code: 500, message: 'etcd is sad' } })}\n`,
    );
    const error = await pending;
    expect(error).toBeInstanceOf(CciApiError);
    expect(error).toMatchObject({ status: 500, reason: 'InternalError', body: { message: 'etcd is sad' } });
    expect((error as Error).message).toContain('ERROR event 500 InternalError: etcd is sad');
  });

  it("an ERROR event that echoes the request's token has it cut out, as an error answer would", async () => {
    api = await startFakeApiServer([]);
    const w = watcher({ resourceVersion: '100', timeoutSeconds: 30 });
    const pending = w.next().catch((e: unknown) => e);
    await api.waitForWatches(1);
    const echoed = `token ${TOKEN} was refused`;
    api.write(
      `${JSON.stringify({ type: 'ERROR', object: { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Unauthorized', code: 401, message: echoed } })}\n`,
    );
    const error = await pending;
    expect(error).toBeInstanceOf(CciApiError);
    expect(error).toMatchObject({ status: 401, body: { message: 'token [REDACTED] was refused' } });
    expect(`${(error as Error).message} ${JSON.stringify(error)}`).not.toContain(TOKEN);
  });

  it('a line longer than maxLineBytes, a line that is not JSON, or an unknown event type is a typed CciResponseError', async () => {
    api = await startFakeApiServer([]);
    const cases: Array<[string, string]> = [
      ['x'.repeat(3000), 'ResponseTooLarge'],
      ['{"type":"ADDED",', 'InvalidResponse'],
      ['{"type":"EXPLODED","object":{"metadata":{}}}', 'InvalidResponse'],
      ['{"type":"ADDED","object":{"kind":"Pod","metadata":{}}}', 'InvalidResponse'],
    ];
    for (const [line, reason] of cases) {
      const w = watcher({ resourceVersion: '100', timeoutSeconds: 30, maxLineBytes: 2048 });
      const pending = w.next().catch((e: unknown) => e);
      await api.waitForWatches(1);
      api.write(`${line}\n`);
      const error = await pending;
      expect(error, line.slice(0, 30)).toBeInstanceOf(CciResponseError);
      expect((error as CciResponseError).reason).toBe(reason);
      await expect.poll(() => api.watches.size, { timeout: 2_000, interval: 5 }).toBe(0); // the stream was closed
    }
  });

  it('aborting the signal closes the stream at once: the server sees the connection close', async () => {
    api = await startFakeApiServer([]);
    const controller = new AbortController();
    const w = watcher({ resourceVersion: '100', timeoutSeconds: 300, signal: controller.signal });
    const pending = w.next().catch((e: unknown) => e);
    await api.waitForWatches(1);
    expect(api.closedWatches()).toBe(0);
    controller.abort();
    expect(await pending).toMatchObject({ name: 'AbortError' });
    await expect.poll(() => api.closedWatches(), { timeout: 2_000, interval: 5 }).toBe(1);
    expect(api.watches.size).toBe(0);
    expect(watchUrls()).toHaveLength(1); // and no resume
  });

  it('breaking out of the loop closes the stream too', async () => {
    api = await startFakeApiServer([]);
    const seen: Service[] = [];
    // From a resourceVersion, so the event comes down the watch stream itself (not an initial list).
    const events = clientFor(api.server).watchServices({ resourceVersion: String(api.version()), timeoutSeconds: 300 });
    void api.waitForWatches(1).then(() => api.apply(service('default', 'a')));
    for await (const event of events) {
      if (event.type === 'ADDED') seen.push(event.object);
      break;
    }
    expect(seen.map((s) => s.metadata.name)).toEqual(['a']);
    expect(watchUrls()).toHaveLength(1);
    await expect.poll(() => api.closedWatches(), { timeout: 2_000, interval: 5 }).toBe(1);
  });

  it('fails at once, with the usual typed error, when the watch request itself is refused', async () => {
    api = await startFakeApiServer([]);
    api.failNext(() => true, 403, 'Forbidden');
    const error = await watcher({ resourceVersion: '100' })
      .next()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CciApiError);
    expect(error).toMatchObject({ status: 403, reason: 'Forbidden' });
  });

  it('rejects bad parameters before any request', async () => {
    api = await startFakeApiServer([]);
    for (const params of [
      { resourceVersion: '' },
      { timeoutSeconds: 0 },
      { maxLineBytes: -1 },
      { pageSize: 0 },
      { namespace: '..' },
      { labelSelector: 3 },
    ]) {
      await expect(watcher(params as never).next(), JSON.stringify(params)).rejects.toThrow(CciInputError);
    }
    expect(api.server.requests).toHaveLength(0);
  });
});
