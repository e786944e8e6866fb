// The in-memory store of Services, keyed by namespace/name, with the "provisioning" view of
// LoadBalancer Services: their ingress is hidden until a delay after the store was created, as on
// a cluster where the ELB is still being created.
import type { LoadBalancerIngress, Service } from '@cce-openapi/types';

export interface ProvisioningOptions {
  /** Milliseconds after the server starts before the ingress appears. */
  delayMs: number;
  /** "namespace/name" of the LoadBalancer Services that are provisioning; default every LoadBalancer Service. */
  services?: string[];
  /** The ingress that appears when a Service's fixture has none. */
  ingress?: LoadBalancerIngress[];
}

export interface ServiceStore {
  get(namespace: string, name: string): Service | undefined;
  keys(): string[];
}

const DEFAULT_INGRESS: LoadBalancerIngress[] = [{ ip: '192.0.2.100' }];

export function createStore(services: readonly Service[], options: { provisioning?: ProvisioningOptions; now?: () => number } = {}): ServiceStore {
  const now = options.now ?? Date.now;
  const byKey = new Map<string, Service>();
  for (const service of services) byKey.set(`${service.metadata.namespace}/${service.metadata.name}`, deepFreeze(structuredClone(service)));

  const provisioning = new Map<string, { pending: Service; ready: Service }>();
  if (options.provisioning) {
    const { delayMs, services: named } = options.provisioning;
    if (!Number.isFinite(delayMs) || delayMs < 0) throw new RangeError(`provisioning.delayMs must be a non-negative number, got ${delayMs}`);
    const keys = named ?? [...byKey.keys()].filter((key) => byKey.get(key)?.spec.type === 'LoadBalancer');
    for (const key of keys) {
      const service = byKey.get(key);
      if (!service) throw new RangeError(`provisioning names ${key}, which is not among the fixtures`);
      if (service.spec.type !== 'LoadBalancer') throw new RangeError(`provisioning names ${key}, which is of type ${service.spec.type ?? 'ClusterIP'}, not LoadBalancer`);
      const ingress = service.status.loadBalancer?.ingress?.length ? service.status.loadBalancer.ingress : options.provisioning.ingress ?? DEFAULT_INGRESS;
      const ready = deepFreeze({ ...structuredClone(service), status: { ...structuredClone(service.status), loadBalancer: { ingress: structuredClone(ingress) } } });
      const pending = deepFreeze({ ...structuredClone(service), status: { ...structuredClone(service.status), loadBalancer: {} } });
      provisioning.set(key, { pending, ready });
    }
  }
  const readyAt = now() + (options.provisioning?.delayMs ?? 0);

  return {
    get(namespace, name) {
      const key = `${namespace}/${name}`;
      const provisioned = provisioning.get(key);
      if (provisioned) return now() >= readyAt ? provisioned.ready : provisioned.pending;
      return byKey.get(key);
    },
    keys: () => [...byKey.keys()],
  };
}

/** Stored objects are shared by every response: freezing them makes accidental mutation throw. */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
