// kubectl's Service columns, computed as kube-apiserver's printers compute them
// (kubernetes 1.20, pkg/printers/internalversion/printers.go: printService, getServiceExternalIP,
// loadBalancerStatusStringer, makePortString; apimachinery duration.HumanDuration and
// labels.FormatLabels). The one place these rules live: the mock's Table answers and the CLI's
// table output both call serviceTableRow. Browser-safe (no node: imports).
import type { Service } from '@cci-openapi/types';

/** A column of a `meta.k8s.io` Table, as kube-apiserver describes it. */
export interface TableColumnDefinition {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

const NAME_DOC =
  'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: http://kubernetes.io/docs/user-guide/identifiers#names';
const TYPE_DOC =
  'type determines how the Service is exposed. Defaults to ClusterIP. Valid options are ExternalName, ClusterIP, NodePort, and LoadBalancer. "ClusterIP" allocates a cluster-internal IP address for load-balancing to endpoints. Endpoints are determined by the selector or if that is not specified, by manual construction of an Endpoints object or EndpointSlice objects. If clusterIP is "None", no virtual IP is allocated and the endpoints are published as a set of endpoints rather than a virtual IP. "NodePort" builds on ClusterIP and allocates a port on every node which routes to the same endpoints as the clusterIP. "LoadBalancer" builds on NodePort and creates an external load-balancer (if supported in the current cloud) which routes to the same endpoints as the clusterIP. "ExternalName" aliases this service to the specified externalName. Several other fields do not apply to ExternalName services. More info: https://kubernetes.io/docs/concepts/services-networking/service/#publishing-services-service-types';
const CLUSTER_IP_DOC =
  'clusterIP is the IP address of the service and is usually assigned randomly. If an address is specified manually, is in-range (as per system configuration), and is not in use, it will be allocated to the service; otherwise creation of the service will fail. This field may not be changed through updates unless the type field is also being changed to ExternalName (which requires this field to be blank) or the type field is being changed from ExternalName (in which case this field may optionally be specified, as describe above).  Valid values are "None", empty string (""), or a valid IP address. Setting this to "None" makes a "headless service" (no virtual IP), which is useful when direct endpoint connections are preferred and proxying is not required.  Only applies to types ClusterIP, NodePort, and LoadBalancer. If this field is specified when creating a Service of type ExternalName, creation will fail. This field will be wiped when updating a Service to type ExternalName. More info: https://kubernetes.io/docs/concepts/services-networking/service/#virtual-ips-and-service-proxies';
const EXTERNAL_IPS_DOC =
  'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.  These IPs are not managed by Kubernetes.  The user is responsible for ensuring that traffic arrives at a node with this IP.  A common example is external load-balancers that are not part of the Kubernetes system.';
const PORTS_DOC =
  'The list of ports that are exposed by this service. More info: https://kubernetes.io/docs/concepts/services-networking/service/#virtual-ips-and-service-proxies';
const CREATION_TIMESTAMP_DOC =
  'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata';
const SELECTOR_DOC =
  'Route service traffic to pods with label keys and values matching this selector. If empty or not present, the service is assumed to have an external process managing its endpoints, which Kubernetes will not modify. Only applies to types ClusterIP, NodePort, and LoadBalancer. Ignored if type is ExternalName. More info: https://kubernetes.io/docs/concepts/services-networking/service/';

const column = (name: string, description: string, extra: Partial<TableColumnDefinition> = {}): TableColumnDefinition =>
  Object.freeze({ name, type: 'string', format: '', description, priority: 0, ...extra });

/**
 * The Service columns of kube-apiserver's Table answers, in order. SELECTOR has priority 1: kubectl
 * shows it with `-o wide` only. kubectl prints the names upper-cased (NAME, TYPE, CLUSTER-IP,
 * EXTERNAL-IP, PORT(S), AGE, SELECTOR).
 */
export const SERVICE_TABLE_COLUMNS: readonly TableColumnDefinition[] = Object.freeze([
  column('Name', NAME_DOC, { format: 'name' }),
  column('Type', TYPE_DOC),
  column('Cluster-IP', CLUSTER_IP_DOC),
  column('External-IP', EXTERNAL_IPS_DOC),
  column('Port(s)', PORTS_DOC),
  column('Age', CREATION_TIMESTAMP_DOC),
  column('Selector', SELECTOR_DOC, { priority: 1 }),
]);

export interface ServiceTableRowOptions {
  /** The time AGE is measured to, in ms since the epoch (Date.now() for a live answer). */
  now: number;
  /**
   * Wide output: the SELECTOR cell is added and load-balancer addresses are not cut to 16
   * characters. kube-apiserver always builds its Table answers wide (kubectl hides priority-1 columns).
   */
  wide: boolean;
}

/** kubectl's truncation width for load-balancer addresses in narrow output. */
const LOAD_BALANCER_WIDTH = 16;

/**
 * One Service's cells: NAME, TYPE, CLUSTER-IP, EXTERNAL-IP, PORT(S), AGE, and SELECTOR when wide.
 * Fields a server always fills in but a sparse object may lack get the server's defaults
 * (type ClusterIP, protocol TCP), so a row never shows "undefined".
 */
export function serviceTableRow(service: Service, options: ServiceTableRowOptions): string[] {
  const spec = (service.spec ?? {}) as Partial<Service['spec']>;
  const metadata = (service.metadata ?? {}) as Partial<Service['metadata']>;
  const type = spec.type ?? 'ClusterIP';
  const clusterIPs = spec.clusterIPs ?? (spec.clusterIP ? [spec.clusterIP] : []);
  const clusterIP = clusterIPs.length > 0 ? String(clusterIPs[0]) : '<none>';
  const ports = portString(spec.ports ?? []);
  const cells = [
    metadata.name ?? '',
    type,
    clusterIP,
    externalIP(service, type, options.wide),
    ports === '' ? '<none>' : ports,
    age(metadata.creationTimestamp, options.now),
  ];
  if (options.wide) cells.push(formatLabels(spec.selector));
  return cells;
}

function externalIP(service: Service, type: string, wide: boolean): string {
  const externalIPs = service.spec?.externalIPs ?? [];
  switch (type) {
    case 'ClusterIP':
    case 'NodePort':
      return externalIPs.length > 0 ? externalIPs.join(',') : '<none>';
    case 'LoadBalancer': {
      const lb = loadBalancerAddresses(service, wide);
      if (externalIPs.length > 0) return [...(lb === '' ? [] : lb.split(',')), ...externalIPs].join(',');
      return lb === '' ? '<pending>' : lb;
    }
    case 'ExternalName':
      return service.spec?.externalName ?? '';
    default:
      return '<unknown>';
  }
}

/** loadBalancerStatusStringer: the distinct ingress IPs (else hostnames), sorted, cut when narrow. */
function loadBalancerAddresses(service: Service, wide: boolean): string {
  const addresses = new Set<string>();
  for (const ingress of service.status?.loadBalancer?.ingress ?? []) {
    if (ingress.ip) addresses.add(ingress.ip);
    else if (ingress.hostname) addresses.add(ingress.hostname);
  }
  let joined = [...addresses].sort(compareBytes).join(',');
  if (!wide && joined.length > LOAD_BALANCER_WIDTH) joined = `${joined.slice(0, LOAD_BALANCER_WIDTH - 3)}...`;
  return joined;
}

/** makePortString: `port/PROTO`, or `port:nodePort/PROTO` when a node port is set. */
function portString(ports: NonNullable<Service['spec']['ports']>): string {
  return ports
    .map((port) => {
      const protocol = port.protocol ?? 'TCP';
      return port.nodePort && port.nodePort > 0
        ? `${port.port}:${port.nodePort}/${protocol}`
        : `${port.port}/${protocol}`;
    })
    .join(',');
}

/** labels.FormatLabels: `k=v` pairs sorted as strings, or `<none>`. */
function formatLabels(selector: Record<string, string> | undefined): string {
  const pairs = Object.entries(selector ?? {}).map(([key, value]) => `${key}=${value}`);
  return pairs.length === 0 ? '<none>' : pairs.sort(compareBytes).join(',');
}

function age(creationTimestamp: string | undefined, now: number): string {
  const created = creationTimestamp ? Date.parse(creationTimestamp) : Number.NaN;
  // A zero time (absent) prints <unknown>, as translateTimestampSince does.
  if (!Number.isFinite(created)) return '<unknown>';
  return humanDuration(now - created);
}

/**
 * apimachinery's duration.HumanDuration, on milliseconds: 2 significant units at most, coarser as
 * the duration grows (59s, 5m3s, 2h10m, 3d4h, 1y30d). Slightly in the future (< 2 s) is "0s",
 * further is "<invalid>". Go truncates toward zero, as Math.trunc does.
 */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60 * 2) return `${seconds}s`;
  const minutes = Math.trunc(ms / 60_000);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = Math.trunc(ms / 3_600_000);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${Math.trunc(hours / 24)}d` : `${Math.trunc(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const days = Math.trunc(hours / 24) % 365;
    return days === 0 ? `${Math.trunc(hours / 24 / 365)}y` : `${Math.trunc(hours / 24 / 365)}y${days}d`;
  }
  return `${Math.trunc(hours / 24 / 365)}y`;
}

/** Go compares strings byte by byte (UTF-8); so does this, unlike the default sort on UTF-16 units. */
function compareBytes(a: string, b: string): number {
  const encoder = new TextEncoder();
  const x = encoder.encode(a);
  const y = encoder.encode(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return x.length - y.length;
}
