// Cluster IPs and node ports, allocated as kube-apiserver v1.20's allocators do: a free value at
// random from the range, a requested value honoured when it is in range and free (else the
// allocator's own error), nothing allocated on a dry run (node ports then get its dummy numbers,
// 32769 and up). What is taken is read from the stored Services each time, so deleting a Service
// releases its values and a failed write never leaks one.
import type { Service } from '@cci-openapi/types';

export interface Ranges {
  /** IPv4 CIDR of cluster IPs (CCI's default 10.247.0.0/16, also the contract's real server's). */
  serviceCidr: string;
  nodePorts: { first: number; last: number };
}

export const DEFAULT_RANGES: Ranges = { serviceCidr: '10.247.0.0/16', nodePorts: { first: 30000, last: 32767 } };

const toNumber = (ip: string): number | undefined => {
  const parts = ip.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return undefined;
  return parts.reduce((n, p) => n * 256 + Number(p), 0);
};
const toIp = (n: number) => [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');

/** The usable addresses of a CIDR: its network and broadcast addresses excluded, as the allocator does. */
function cidrBounds(cidr: string): { first: number; last: number } {
  const [address = '', bits = ''] = cidr.split('/');
  const base = toNumber(address);
  const prefix = Number(bits);
  if (base === undefined || !Number.isInteger(prefix) || prefix < 8 || prefix > 30)
    throw new RangeError(`serviceCidr must be an IPv4 CIDR with a /8../30 prefix, got ${cidr}`);
  const size = 2 ** (32 - prefix);
  const network = base - (base % size);
  return { first: network + 1, last: network + size - 2 };
}

export interface Taken {
  ips: Set<string>;
  ports: Set<number>;
}

/** What the stored Services hold (optionally not counting one of them: the Service being updated). */
export function takenBy(services: readonly Service[], except?: { namespace: string; name: string }): Taken {
  const taken: Taken = { ips: new Set(), ports: new Set() };
  for (const service of services) {
    if (except && service.metadata?.namespace === except.namespace && service.metadata?.name === except.name) continue;
    for (const ip of service.spec?.clusterIPs ?? (service.spec?.clusterIP ? [service.spec.clusterIP] : []))
      if (ip !== 'None') taken.ips.add(ip);
    for (const port of service.spec?.ports ?? []) if (port.nodePort) taken.ports.add(port.nodePort);
    const health = (service.spec as { healthCheckNodePort?: number } | undefined)?.healthCheckNodePort;
    if (health) taken.ports.add(health);
  }
  return taken;
}

const NO_IP = 'provided IP is already allocated';
const PORT_TAKEN = 'provided port is already allocated';

/** Allocates one requested or random cluster IP; the allocator's error text on failure. */
export function allocateIp(
  ranges: Ranges,
  taken: Taken,
  requested: string | undefined,
  random: () => number = Math.random,
): { ip: string } | { error: string } {
  const { first, last } = cidrBounds(ranges.serviceCidr);
  if (requested) {
    const n = toNumber(requested);
    if (n === undefined || n < first || n > last)
      return { error: `provided IP is not in the valid range. The range of valid IPs is ${ranges.serviceCidr}` };
    if (taken.ips.has(requested)) return { error: NO_IP };
    taken.ips.add(requested);
    return { ip: requested };
  }
  const size = last - first + 1;
  const start = Math.floor(random() * size);
  for (let i = 0; i < size; i++) {
    const ip = toIp(first + ((start + i) % size));
    if (!taken.ips.has(ip)) {
      taken.ips.add(ip);
      return { ip };
    }
  }
  return { error: 'range is full' };
}

/** One node-port operation (portallocator.PortAllocationOperation): allocations of one write, dry or not. */
export function nodePortOperation(ranges: Ranges, taken: Taken, dryRun: boolean, random: () => number = Math.random) {
  const { first, last } = ranges.nodePorts;
  // A Set and a running maximum: a body may list many thousands of ports.
  const mine = new Set<number>();
  let highest = 32768;
  const allocate = (port: number): string | undefined => {
    if (!dryRun && (port < first || port > last))
      return `provided port is not in the valid range. The range of valid ports is ${first}-${last}`;
    if (taken.ports.has(port) || mine.has(port)) return PORT_TAKEN;
    mine.add(port);
    if (mine.size === 1 || port > highest) highest = port;
    if (!dryRun) taken.ports.add(port);
    return undefined;
  };
  const next = (): number => {
    if (dryRun) {
      // kube-apiserver's dummy numbers for a dry run: one past the highest of this operation, from 32768.
      const port = (mine.size === 0 ? 32768 : highest) + 1;
      mine.add(port);
      highest = port;
      return port;
    }
    const size = last - first + 1;
    const start = Math.floor(random() * size);
    for (let i = 0; i < size; i++) {
      const port = first + ((start + i) % size);
      if (!taken.ports.has(port)) {
        allocate(port);
        return port;
      }
    }
    throw new NodePortsExhausted();
  };
  return { allocate, next };
}
export type NodePortOperation = ReturnType<typeof nodePortOperation>;

/** Every node port is taken: kube-apiserver answers 500 (errors.NewInternalError). */
export class NodePortsExhausted extends Error {
  constructor() {
    super('failed to allocate a nodePort: range is full');
  }
}
