import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Service } from '@cci-openapi/types';
import { exampleService } from './spec.js';
import { sendJson, startServer, type TestServer } from './server.js';

/**
 * A small, scriptable kube-apiserver for Services on 127.0.0.1: list with limit/continue, watch
 * streams, a history it can compact (410), and hooks to end, drop or corrupt the open streams.
 * The package's mock server does the same for users; this one lets a test put the server in an
 * exact state (a compaction between two pages, an ERROR event mid-stream, a stream cut in half).
 */
export interface FakeApiServer {
  server: TestServer;
  url: string;
  /** Creates or replaces a Service; bumps the resourceVersion. */
  apply(service: Service): Service;
  remove(namespace: string, name: string): void;
  /** The current resourceVersion. */
  version(): number;
  /** Forgets history before `version` (default: the current one): older watches and continue tokens get 410. */
  compact(version?: number): void;
  /** Open watch responses. */
  watches: Set<ServerResponse>;
  /** How many watch connections the server saw close (client or server side). */
  closedWatches(): number;
  waitForWatches(count: number): Promise<void>;
  /** Stops sending changes to the open watches (they miss them, as a stalled connection would). */
  mute(): void;
  /** Writes raw text to every open watch. */
  write(text: string): void;
  /** Ends every open watch cleanly (as timeoutSeconds does). */
  endWatches(): void;
  /** Destroys every open watch's socket mid-stream. */
  dropWatches(): void;
  /** Answers the next `count` requests for which `match` is true with this status and Status body. */
  failNext(match: (url: URL) => boolean, status: number, reason: string, count?: number): void;
  /** Forgets the failures failNext still had to give. */
  clearFailures(): void;
  close(): Promise<void>;
}

export function service(
  namespace: string,
  name: string,
  extra: Partial<Service['metadata']> = {},
  status: Service['status'] = {},
): Service {
  const base = exampleService();
  return {
    ...base,
    metadata: { ...base.metadata, namespace, name, uid: `uid-${namespace}-${name}`, ...extra },
    status,
  };
}

function statusBody(code: number, reason: string, message: string) {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
}

function matchesLabels(service: Service, selector: string | null): boolean {
  if (!selector) return true;
  return selector.split(',').every((term) => {
    const [key, value] = term.split('=');
    return service.metadata.labels?.[key!] === value;
  });
}

function matchesFields(service: Service, selector: string | null): boolean {
  if (!selector) return true;
  return selector.split(',').every((term) => {
    const [key, value] = term.split('=');
    if (key === 'metadata.name') return service.metadata.name === value;
    if (key === 'metadata.namespace') return service.metadata.namespace === value;
    return false;
  });
}

/** The resource a fake server serves under /api/v1: Services unless told otherwise (the generic streaming tests serve ConfigMaps). */
export interface FakeResource {
  /** The path segment: services, configmaps … */
  plural: string;
  /** The kind of a list answer: ServiceList, ConfigMapList … */
  listKind: string;
}

const SERVICES: FakeResource = { plural: 'services', listKind: 'ServiceList' };

export async function startFakeApiServer(
  initial: Service[] = [],
  resource: FakeResource = SERVICES,
): Promise<FakeApiServer> {
  const onePath = new RegExp(`^/api/v1/namespaces/([^/]+)/${resource.plural}/([^/]+?)(/status)?$`);
  const listPath = new RegExp(`^/api/v1/(?:namespaces/([^/]+)/)?${resource.plural}$`);
  const objects = new Map<string, Service>();
  const history: Array<{ type: 'ADDED' | 'MODIFIED' | 'DELETED'; object: Service; rv: number }> = [];
  let rv = 100;
  let compactedThrough = 0;
  const watches = new Set<ServerResponse>();
  const watchFilters = new Map<ServerResponse, (s: Service) => boolean>();
  let closed = 0;
  let muted = false;
  const watchWaiters: Array<{ count: number; resolve: () => void }> = [];
  const failures: Array<{ match: (url: URL) => boolean; status: number; reason: string; left: number }> = [];

  const record = (type: 'ADDED' | 'MODIFIED' | 'DELETED', object: Service) => {
    history.push({ type, object, rv: Number(object.metadata.resourceVersion) });
    if (!muted)
      for (const res of watches)
        if (!res.writableEnded && watchFilters.get(res)!(object)) res.write(`${JSON.stringify({ type, object })}\n`);
  };

  const apply = (input: Service): Service => {
    const key = `${input.metadata.namespace}/${input.metadata.name}`;
    const existed = objects.has(key);
    const stored = structuredClone({ ...input, metadata: { ...input.metadata, resourceVersion: String(++rv) } });
    objects.set(key, stored);
    record(existed ? 'MODIFIED' : 'ADDED', stored);
    return stored;
  };
  for (const item of initial) apply(item);

  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const failure = failures.find((f) => f.left > 0 && f.match(url));
    if (failure) {
      failure.left--;
      return sendJson(res, failure.status, statusBody(failure.status, failure.reason, `injected ${failure.status}`));
    }
    const one = onePath.exec(url.pathname);
    if (one) {
      const found = objects.get(`${decodeURIComponent(one[1]!)}/${decodeURIComponent(one[2]!)}`);
      return found
        ? sendJson(res, 200, found)
        : sendJson(res, 404, statusBody(404, 'NotFound', `${resource.plural} "${one[2]}" not found`));
    }
    const match = listPath.exec(url.pathname);
    if (!match) return sendJson(res, 404, statusBody(404, 'NotFound', 'no such path'));
    const namespace = match[1] === undefined ? undefined : decodeURIComponent(match[1]);
    const q = url.searchParams;
    const selected = (s: Service) =>
      (namespace === undefined || s.metadata.namespace === namespace) &&
      matchesLabels(s, q.get('labelSelector')) &&
      matchesFields(s, q.get('fieldSelector'));
    if (q.get('watch') === 'true') {
      res.writeHead(200, { 'content-type': 'application/json;stream=watch', 'transfer-encoding': 'chunked' });
      res.flushHeaders(); // as kube-apiserver does: the client knows the watch is open before any event
      watches.add(res);
      watchFilters.set(res, selected);
      res.on('close', () => {
        watches.delete(res);
        watchFilters.delete(res);
        closed++;
      });
      for (const waiter of watchWaiters.filter((w) => watches.size >= w.count)) waiter.resolve();
      const from = q.get('resourceVersion');
      if (from === null || from === '') {
        for (const object of [...objects.values()].filter(selected))
          res.write(`${JSON.stringify({ type: 'ADDED', object })}\n`);
      } else if (Number(from) < compactedThrough) {
        res.end(
          `${JSON.stringify({ type: 'ERROR', object: statusBody(410, 'Expired', `too old resource version: ${from} (${compactedThrough})`) })}\n`,
        );
      } else {
        for (const event of history)
          if (event.rv > Number(from) && selected(event.object))
            res.write(`${JSON.stringify({ type: event.type, object: event.object })}\n`);
      }
      return;
    }
    const all = [...objects.values()]
      .filter(selected)
      .sort((a, b) =>
        `${a.metadata.namespace}/${a.metadata.name}`.localeCompare(`${b.metadata.namespace}/${b.metadata.name}`),
      );
    let offset = 0;
    let listRv = rv;
    const token = q.get('continue');
    if (token) {
      const decoded = JSON.parse(Buffer.from(token, 'base64url').toString()) as { rv: number; offset: number };
      if (decoded.rv < compactedThrough)
        return sendJson(res, 410, statusBody(410, 'Expired', 'The provided continue parameter is too old'));
      offset = decoded.offset;
      listRv = decoded.rv;
    }
    const limit = Number(q.get('limit') ?? 0) || all.length;
    const items = all.slice(offset, offset + limit);
    const more = offset + limit < all.length;
    sendJson(res, 200, {
      kind: resource.listKind,
      apiVersion: 'v1',
      metadata: {
        resourceVersion: String(listRv),
        ...(more && {
          continue: Buffer.from(JSON.stringify({ rv: listRv, offset: offset + limit })).toString('base64url'),
          remainingItemCount: all.length - offset - limit,
        }),
      },
      items,
    });
  };

  const server = await startServer(handler);
  return {
    server,
    url: server.url,
    apply,
    remove(namespace, name) {
      const key = `${namespace}/${name}`;
      const old = objects.get(key);
      if (!old) return;
      objects.delete(key);
      record('DELETED', { ...old, metadata: { ...old.metadata, resourceVersion: String(++rv) } });
    },
    version: () => rv,
    compact(version = rv) {
      compactedThrough = version;
    },
    watches,
    closedWatches: () => closed,
    waitForWatches: (count) =>
      watches.size >= count ? Promise.resolve() : new Promise((resolve) => watchWaiters.push({ count, resolve })),
    mute() {
      muted = true;
    },
    write(text) {
      for (const res of watches) if (!res.writableEnded) res.write(text);
    },
    endWatches() {
      for (const res of watches) res.end();
    },
    dropWatches() {
      for (const res of watches) res.socket?.destroy();
    },
    failNext(match, status, reason, count = 1) {
      failures.push({ match, status, reason, left: count });
    },
    clearFailures() {
      failures.length = 0;
    },
    close: () => server.close(),
  };
}
