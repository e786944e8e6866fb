// Synthetic Services for scale work (`cci-mock --generate N`): realistic shapes of every type,
// spread over a few namespaces, deterministic for a given count (the same N gives the same objects).
import type { Service } from '@cci-openapi/types';
import { seededRandom } from './faults.js';

const GENERATED_NAMESPACES = ['team-a', 'team-b', 'team-c', 'payments', 'monitoring'] as const;
const APPS = ['api', 'web', 'cache', 'queue', 'auth', 'search', 'billing', 'metrics'] as const;
const TYPES = ['ClusterIP', 'ClusterIP', 'ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'] as const;

const hex8 = (random: () => number) =>
  Math.floor(random() * 0x100000000)
    .toString(16)
    .padStart(8, '0');

/** A UUID-shaped (version 4 layout) uid from the seeded generator, so objects are stable across runs. */
function uid(random: () => number): string {
  const [a, b, c, d] = [hex8(random), hex8(random), hex8(random), hex8(random)];
  return `${a}-${b.slice(0, 4)}-4${b.slice(5, 8)}-a${c.slice(1, 4)}-${c.slice(4)}${d}`;
}

export function generateServices(count: number, seed = 1): Service[] {
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`generate must be a whole number ≥ 0, got ${count}`);
  const random = seededRandom(seed);
  const created = Date.UTC(2024, 0, 1);
  return Array.from({ length: count }, (_, index): Service => {
    const namespace = GENERATED_NAMESPACES[index % GENERATED_NAMESPACES.length] as string;
    const app = APPS[Math.floor(index / GENERATED_NAMESPACES.length) % APPS.length] as string;
    const type = TYPES[index % TYPES.length] as (typeof TYPES)[number];
    const name = `${app}-${String(index).padStart(5, '0')}`;
    const clusterIP = `10.247.${Math.floor(index / 250) % 250}.${(index % 250) + 2}`;
    const metadata: Service['metadata'] = {
      name,
      namespace,
      uid: uid(random),
      creationTimestamp: new Date(created + index * 60_000).toISOString().replace('.000Z', 'Z'),
      labels: { app, tier: index % 2 === 0 ? 'backend' : 'frontend', 'generated-by': 'cci-mock' },
    };
    if (type === 'ExternalName') {
      return {
        apiVersion: 'v1',
        kind: 'Service',
        metadata,
        spec: { type, externalName: `${name}.${namespace}.example.com`, sessionAffinity: 'None' },
        status: { loadBalancer: {} },
      };
    }
    const port = { name: 'http', protocol: 'TCP' as const, port: 80, targetPort: 8080 };
    const spec: Service['spec'] = {
      type,
      clusterIP,
      clusterIPs: [clusterIP],
      ports: [port],
      selector: { app },
      sessionAffinity: 'None',
    };
    let status: Service['status'] = { loadBalancer: {} };
    if (type === 'NodePort' || type === 'LoadBalancer') {
      spec.ports = [{ ...port, nodePort: 30000 + (index % 2768) }];
      spec.externalTrafficPolicy = 'Cluster';
    }
    if (type === 'LoadBalancer') {
      const ip = `192.0.2.${(index % 254) + 1}`;
      metadata.annotations = { 'kubernetes.io/elb.class': 'union', 'kubernetes.io/elb.id': uid(random) };
      status = { loadBalancer: { ingress: [{ ip }] } };
    }
    return { apiVersion: 'v1', kind: 'Service', metadata, spec, status };
  });
}
