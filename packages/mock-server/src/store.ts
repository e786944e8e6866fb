// The in-memory object store: objects grouped by kind and keyed by namespace/name, one monotonic
// resourceVersion counter across the store (as etcd's revision), and a bounded history of changes
// for watches and consistent list pages. Older changes are "compacted" away, as etcd compacts: a
// watch or a continue token that needs them gets 410 Expired.
import { clampDelay } from '@cci-openapi/internals/timer-delay';
import type { LoadBalancerIngress, Service } from '@cci-openapi/types';

/** The parts of a Kubernetes object the store reads. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name: string;
    namespace?: string;
    resourceVersion?: string;
    labels?: Record<string, string>;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

export type ChangeType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** One change, as a watch reports it. */
export interface StoreChange {
  type: ChangeType;
  kind: string;
  /** The object after the change (for DELETED: the last state, with the deletion's resourceVersion). */
  object: KubeObject;
  /** The object before the change (undefined for ADDED). */
  previous: KubeObject | undefined;
  resourceVersion: number;
}

export interface ProvisioningOptions {
  /** Milliseconds after the server starts before the ingress appears. */
  delayMs: number;
  /** "namespace/name" of the LoadBalancer Services that are provisioning; default every LoadBalancer Service. */
  services?: string[];
  /** The ingress that appears when a Service's fixture has none. */
  ingress?: LoadBalancerIngress[];
}

export interface StoreOptions {
  /** Changes kept for watches and continue tokens (default 1000); older ones are compacted. */
  historySize?: number;
  /** Checks an object against the spec before it is stored; returns problems (empty = valid). */
  validate?: (kind: string, object: unknown) => string[];
  provisioning?: ProvisioningOptions;
}

/** An object that cannot be stored (not valid against the spec's schema of its kind, or no name). */
export class InvalidObjectError extends TypeError {
  override name = 'InvalidObjectError';
}

/** The programmatic store API (`mock.store`). Objects are returned frozen. */
export interface MockStore {
  /** Creates or replaces an object (default kind Service) and returns the stored copy with its new resourceVersion. */
  apply<T extends object>(object: T): T;
  /** Deletes an object; returns the deleted object (undefined when there was none). */
  delete(namespace: string, name: string, kind?: string): KubeObject | undefined;
  get<T = Service>(namespace: string, name: string, kind?: string): T | undefined;
  /** Objects of a kind in namespace/name order, in one namespace or all. */
  list<T = Service>(options?: { namespace?: string; kind?: string }): T[];
  /** The store's current resourceVersion (a decimal string, as Kubernetes sends it). */
  resourceVersion(): string;
}

/** What the list and watch code needs besides the public API. */
export interface ObjectStore extends MockStore {
  /** The current revision as a number. */
  revision(): number;
  /** The oldest revision changes can be replayed from; older ones are compacted. */
  compactedRevision(): number;
  /** Changes after `revision`, oldest first; undefined when they were compacted. */
  changesSince(revision: number): StoreChange[] | undefined;
  /** Objects of a kind as they were at `revision` (sorted by key); undefined when compacted. */
  snapshot(kind: string, revision: number): Array<[string, KubeObject]> | undefined;
  /** Called after every change; returns the unsubscribe function. */
  subscribe(listener: (change: StoreChange) => void): () => void;
  /** Stops timers (provisioning). */
  close(): void;
}

const DEFAULT_INGRESS: LoadBalancerIngress[] = [{ ip: '192.0.2.100' }];
const keyOf = (namespace: string | undefined, name: string) => `${namespace ?? ''}/${name}`;

// Over ~60 lines on purpose: the store is one closure over its state (objects by kind, sorted keys,
// the revision counter, the bounded history, listeners); its methods are short and share that state.
// biome-ignore lint/complexity/noExcessiveLinesPerFunction: one closure over the store's state, its methods short (see above)
export function createStore(objects: readonly KubeObject[], options: StoreOptions = {}): ObjectStore {
  const historySize = options.historySize ?? 1000;
  if (!Number.isInteger(historySize) || historySize < 1)
    throw new RangeError(`historySize must be a whole number ≥ 1, got ${historySize}`);
  const byKind = new Map<string, Map<string, KubeObject>>();
  const sortedKeys = new Map<string, string[]>();
  const history: StoreChange[] = [];
  const listeners = new Set<(change: StoreChange) => void>();
  const timers = new Set<NodeJS.Timeout>();
  let revision = 0;
  let compacted = 0;

  const bucket = (kind: string) => {
    let objectsOfKind = byKind.get(kind);
    if (!objectsOfKind) byKind.set(kind, (objectsOfKind = new Map()));
    return objectsOfKind;
  };
  const kindOf = (object: KubeObject) => object.kind ?? 'Service';

  function checked(object: unknown): KubeObject {
    if (!object || typeof object !== 'object') throw new InvalidObjectError('an object is needed');
    const candidate = object as KubeObject;
    if (typeof candidate.metadata?.name !== 'string' || candidate.metadata.name === '')
      throw new InvalidObjectError('the object needs metadata.name');
    const kind = kindOf(candidate);
    const problems = options.validate?.(kind, candidate) ?? [];
    if (problems.length > 0)
      throw new InvalidObjectError(
        `${keyOf(candidate.metadata.namespace, candidate.metadata.name)} is not a valid ${kind}: ${problems.join('; ')}`,
      );
    return candidate;
  }

  function record(change: StoreChange): void {
    history.push(change);
    if (history.length > historySize) compacted = (history.shift() as StoreChange).resourceVersion;
    for (const listener of listeners) listener(change);
  }

  function put(object: KubeObject): KubeObject {
    const kind = kindOf(object);
    const key = keyOf(object.metadata.namespace, object.metadata.name);
    const objectsOfKind = bucket(kind);
    const previous = objectsOfKind.get(key);
    revision += 1;
    const stored = deepFreeze({
      ...structuredClone(object),
      metadata: { ...structuredClone(object.metadata), resourceVersion: String(revision) },
    });
    objectsOfKind.set(key, stored);
    if (!previous) sortedKeys.delete(kind);
    record({ type: previous ? 'MODIFIED' : 'ADDED', kind, object: stored, previous, resourceVersion: revision });
    return stored;
  }

  // Fixtures keep their own resourceVersions (the page's example is served exactly as given); the
  // counter starts above the highest of them, so every later change is newer than every fixture.
  // They are the store's own from here on (loadFixtures copies what callers pass): frozen, not copied.
  for (const object of objects) {
    const stored = deepFreeze(object);
    const rv = Number(stored.metadata.resourceVersion);
    if (Number.isSafeInteger(rv) && rv > revision) revision = rv;
    bucket(kindOf(stored)).set(keyOf(stored.metadata.namespace, stored.metadata.name), stored);
  }
  for (const [kind, objectsOfKind] of byKind) {
    for (const [key, object] of objectsOfKind) {
      if (/^\d+$/.test(object.metadata.resourceVersion ?? '')) continue;
      revision += 1;
      objectsOfKind.set(
        key,
        deepFreeze({ ...object, metadata: { ...object.metadata, resourceVersion: String(revision) } }),
      );
    }
    sortedKeys.delete(kind);
  }
  compacted = revision;

  const keysOf = (kind: string) => {
    let keys = sortedKeys.get(kind);
    if (!keys) sortedKeys.set(kind, (keys = [...bucket(kind).keys()].sort()));
    return keys;
  };

  const store: ObjectStore = {
    apply(object) {
      return put(checked(object)) as never;
    },
    delete(namespace, name, kind = 'Service') {
      const objectsOfKind = bucket(kind);
      const key = keyOf(namespace, name);
      const previous = objectsOfKind.get(key);
      if (!previous) return undefined;
      objectsOfKind.delete(key);
      sortedKeys.delete(kind);
      revision += 1;
      // A watch reports the deleted object with the resourceVersion of its deletion, as kube-apiserver does.
      const object = deepFreeze({ ...previous, metadata: { ...previous.metadata, resourceVersion: String(revision) } });
      record({ type: 'DELETED', kind, object, previous, resourceVersion: revision });
      return object;
    },
    get(namespace, name, kind = 'Service') {
      return bucket(kind).get(keyOf(namespace, name)) as never;
    },
    list({ namespace, kind = 'Service' } = {}) {
      const objectsOfKind = bucket(kind);
      const keys = keysOf(kind);
      const wanted = namespace === undefined ? keys : keys.filter((key) => key.startsWith(`${namespace}/`));
      return wanted.map((key) => objectsOfKind.get(key)) as never;
    },
    resourceVersion: () => String(revision),
    revision: () => revision,
    compactedRevision: () => compacted,
    changesSince(since) {
      if (since < compacted) return undefined;
      // History is ordered by revision: skip what the caller has seen.
      let start = history.length;
      while (start > 0 && (history[start - 1] as StoreChange).resourceVersion > since) start -= 1;
      return history.slice(start);
    },
    snapshot(kind, at) {
      const changes = store.changesSince(at);
      if (!changes) return undefined;
      const objectsOfKind = bucket(kind);
      if (!changes.some((change) => change.kind === kind))
        return keysOf(kind).map((key) => [key, objectsOfKind.get(key) as KubeObject]);
      // Undo the newer changes, newest first.
      const state = new Map(objectsOfKind);
      for (const change of [...changes].reverse()) {
        if (change.kind !== kind) continue;
        const key = keyOf(change.object.metadata.namespace, change.object.metadata.name);
        if (change.previous) state.set(key, change.previous);
        else state.delete(key);
      }
      return [...state.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      listeners.clear();
    },
  };

  if (options.provisioning) startProvisioning(store, options.provisioning, timers);
  return store;
}

/**
 * The provisioning fault: the named LoadBalancer Services start without ingress, and after the
 * delay the ingress appears as a real change (a MODIFIED event for watchers).
 */
function startProvisioning(store: ObjectStore, provisioning: ProvisioningOptions, timers: Set<NodeJS.Timeout>): void {
  const { delayMs, services: named } = provisioning;
  if (!Number.isFinite(delayMs) || delayMs < 0)
    throw new RangeError(`provisioning.delayMs must be a non-negative number, got ${delayMs}`);
  const services = store.list<Service>();
  const keys =
    named ??
    services
      .filter((service) => service.spec.type === 'LoadBalancer')
      .map((s) => `${s.metadata.namespace}/${s.metadata.name}`);
  const ready: Service[] = [];
  for (const key of keys) {
    const slash = key.indexOf('/');
    const service = store.get<Service>(key.slice(0, slash), key.slice(slash + 1));
    if (!service) throw new RangeError(`provisioning names ${key}, which is not among the fixtures`);
    if (service.spec.type !== 'LoadBalancer')
      throw new RangeError(
        `provisioning names ${key}, which is of type ${service.spec.type ?? 'ClusterIP'}, not LoadBalancer`,
      );
    const ingress = service.status.loadBalancer?.ingress?.length
      ? service.status.loadBalancer.ingress
      : (provisioning.ingress ?? DEFAULT_INGRESS);
    ready.push({
      ...structuredClone(service),
      status: { ...structuredClone(service.status), loadBalancer: { ingress: structuredClone(ingress) } },
    });
  }
  if (delayMs === 0) {
    for (const service of ready) store.apply(service);
    return;
  }
  for (const service of ready) store.apply({ ...service, status: { ...service.status, loadBalancer: {} } });
  const timer = setTimeout(() => {
    timers.delete(timer);
    for (const service of ready) {
      // Only if the Service is still there and still waiting: a test may have changed or deleted it.
      const current = store.get<Service>(service.metadata.namespace as string, service.metadata.name as string);
      if (current && current.spec.type === 'LoadBalancer' && !current.status.loadBalancer?.ingress?.length) {
        store.apply({
          ...structuredClone(current),
          status: { ...structuredClone(current.status), loadBalancer: service.status.loadBalancer },
        });
      }
    }
  }, clampDelay(delayMs)); // timers hold at most 2^31-1 ms (clampDelay); longer is "never" for a test run
  timer.unref();
  timers.add(timer);
}

/** Stored objects are shared by every response: freezing them makes accidental mutation throw. */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
