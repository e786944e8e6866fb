// A Service's spec on writes, as kube-apiserver v1.20 handles it (IPv6DualStack off, its default):
// the decoder's defaults (SetDefaults_Service), the strategy's clusterIP/clusterIPs normalisation,
// and ValidateService / ValidateServiceUpdate with their messages and field paths, in their order.
import { isIP } from 'node:net';
import {
  duplicate,
  forbidden,
  goString,
  goStrings,
  goValue,
  invalid,
  notSupported,
  required,
  type FieldError,
} from './field-errors.js';
import { isObject, objectAt, stringAt, type Json, type JsonObject } from './json-value.js';
import { validateLabels } from './labels.js';

const TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const AFFINITIES = ['ClientIP', 'None'];
const KUBELET_PORT = 10250;

export const portsOf = (spec: JsonObject): JsonObject[] =>
  Array.isArray(spec.ports) ? spec.ports.filter(isObject) : [];
export const typeOf = (spec: JsonObject): string => stringAt(spec, 'type') ?? '';
export const needsNodePorts = (spec: JsonObject): boolean =>
  typeOf(spec) === 'NodePort' || typeOf(spec) === 'LoadBalancer';
export const isHeadless = (spec: JsonObject): boolean => spec.clusterIP === 'None';
export const needsHealthCheck = (spec: JsonObject): boolean =>
  typeOf(spec) === 'LoadBalancer' && spec.externalTrafficPolicy === 'Local';

/** SetDefaults_Service: what the decoder fills in on every write of a v1 Service. */
export function applyServiceDefaults(service: JsonObject): void {
  const spec = objectAt(service, 'spec');
  if (!spec.sessionAffinity) spec.sessionAffinity = 'None';
  if (spec.sessionAffinity === 'None') delete spec.sessionAffinityConfig;
  if (spec.sessionAffinity === 'ClientIP') {
    const config = isObject(spec.sessionAffinityConfig) ? spec.sessionAffinityConfig : undefined;
    const clientIP = isObject(config?.clientIP) ? config.clientIP : undefined;
    if (typeof clientIP?.timeoutSeconds !== 'number')
      spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: 10800 } };
  }
  if (!spec.type) spec.type = 'ClusterIP';
  for (const port of portsOf(spec)) {
    if (!port.protocol) port.protocol = 'TCP';
    if (port.targetPort === undefined || port.targetPort === 0 || port.targetPort === '' || port.targetPort === null)
      port.targetPort = port.port ?? 0;
  }
  if (needsNodePorts(spec) && !spec.externalTrafficPolicy) spec.externalTrafficPolicy = 'Cluster';
  // The dual-stack fields are dropped while the IPv6DualStack gate is off (v1.20's default).
  delete spec.ipFamilies;
  delete spec.ipFamilyPolicy;
  if (!isObject(service.status)) service.status = { loadBalancer: {} };
  else if (!isObject(service.status.loadBalancer)) service.status.loadBalancer = {};
}

const stringList = (value: Json | undefined): string[] | undefined =>
  Array.isArray(value) ? value.map((v) => (typeof v === 'string' ? v : '')) : undefined;
const sameList = (a: string[] | undefined, b: string[] | undefined) =>
  (a ?? []).length === (b ?? []).length && (a ?? []).every((v, i) => v === b?.[i]);

/** normalizeClusterIPs: keeps clusterIP and clusterIPs in step for clients that send only the first. */
export function normalizeClusterIPs(previous: JsonObject | undefined, spec: JsonObject): void {
  const clusterIP = stringAt(spec, 'clusterIP') ?? '';
  let clusterIPs = stringList(spec.clusterIPs);
  if (!previous) {
    if (clusterIP !== '' && !clusterIPs?.length) spec.clusterIPs = [clusterIP];
    return;
  }
  const oldIP = stringAt(previous, 'clusterIP') ?? '';
  const oldIPs = stringList(previous.clusterIPs);
  if (oldIPs?.length && !clusterIPs?.length && oldIP === clusterIP) clusterIPs = oldIPs;
  if (oldIP !== clusterIP) {
    if (oldIP !== '' && clusterIP === '' && sameList(oldIPs, clusterIPs)) clusterIPs = undefined;
    if (sameList(oldIPs, clusterIPs)) clusterIPs = [clusterIP];
  }
  if (clusterIPs?.length) spec.clusterIPs = clusterIPs;
  else delete spec.clusterIPs;
}

const PORT_RANGE = 'must be between 1 and 65535, inclusive';
const validPort = (value: Json | undefined) =>
  typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 65535;
const DNS1123_LABEL =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const DNS1123_SUBDOMAIN =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

function portNameProblems(name: string): string[] {
  const problems: string[] = [];
  if (name.length > 15) problems.push('must be no more than 15 characters');
  if (!/^[-a-z0-9]+$/.test(name))
    problems.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (!/[a-z]/.test(name)) problems.push('must contain at least one letter (a-z)');
  if (name.includes('--')) problems.push('must not contain consecutive hyphens');
  if (name.startsWith('-') || name.endsWith('-')) problems.push('must not begin or end with a hyphen');
  return problems;
}

function validatePort(port: JsonObject, requireName: boolean, names: Set<string>, path: string): FieldError[] {
  const errors: FieldError[] = [];
  const name = stringAt(port, 'name') ?? '';
  if (requireName && name === '') errors.push(required(`${path}.name`));
  else if (name !== '') {
    if (name.length > 63 || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name)) {
      if (name.length > 63) errors.push(invalid(`${path}.name`, goString(name), 'must be no more than 63 characters'));
      if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name))
        errors.push(invalid(`${path}.name`, goString(name), DNS1123_LABEL));
    }
    if (names.has(name)) errors.push(duplicate(`${path}.name`, goString(name)));
    else names.add(name);
  }
  if (!validPort(port.port)) errors.push(invalid(`${path}.port`, goValue(port.port ?? 0), PORT_RANGE));
  const protocol = stringAt(port, 'protocol') ?? '';
  if (protocol === '') errors.push(required(`${path}.protocol`));
  else if (!PROTOCOLS.includes(protocol)) errors.push(notSupported(`${path}.protocol`, goString(protocol), PROTOCOLS));
  const target = port.targetPort;
  if (typeof target === 'string')
    for (const msg of portNameProblems(target)) errors.push(invalid(`${path}.targetPort`, goString(target), msg));
  else if (!validPort(target)) errors.push(invalid(`${path}.targetPort`, goValue(target ?? 0), PORT_RANGE));
  return errors;
}

/** validateServiceClusterIPsRelatedFields (single stack). */
function validateClusterIPs(spec: JsonObject): FieldError[] {
  if (typeOf(spec) === 'ExternalName') return [];
  const errors: FieldError[] = [];
  const clusterIP = stringAt(spec, 'clusterIP') ?? '';
  const clusterIPs = stringList(spec.clusterIPs) ?? [];
  if (clusterIP !== '') {
    if (clusterIPs.length === 0) errors.push(required('spec.clusterIPs'));
    else if (clusterIPs[0] !== clusterIP)
      errors.push(invalid('spec.clusterIPs', goStrings(clusterIPs), 'element [0] must match clusterIP'));
  } else if (clusterIPs.length > 0)
    errors.push(invalid('spec.clusterIPs', goStrings(clusterIPs), 'must be empty when clusterIP is empty'));
  clusterIPs.forEach((ip, i) => {
    if (i === 0 && ip === 'None') {
      if (clusterIPs.length > 1)
        errors.push(invalid('spec.clusterIPs', goStrings(clusterIPs), "'None' must be the first and only value"));
      return;
    }
    if (isIP(ip) === 0)
      errors.push(
        invalid(`spec.clusterIPs[${i}]`, goString(ip), 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'),
      );
  });
  if (clusterIPs.length > 2)
    errors.push(invalid('spec.clusterIPs', goStrings(clusterIPs), 'may only hold up to 2 values'));
  return errors;
}

function validateTypeRules(spec: JsonObject): FieldError[] {
  const errors: FieldError[] = [];
  const type = typeOf(spec);
  if (type === 'LoadBalancer') {
    portsOf(spec).forEach((port, i) => {
      if (port.port === KUBELET_PORT)
        errors.push(
          invalid(`spec.ports[${i}]`, '10250', 'may not expose port 10250 externally since it is used by kubelet'),
        );
    });
  }
  if ((type === 'LoadBalancer' || type === 'NodePort') && isHeadless(spec)) {
    errors.push(invalid('spec.clusterIPs[0]', goString('None'), `may not be set to 'None' for ${type} services`));
  }
  if (type === 'ExternalName') {
    if ((stringList(spec.clusterIPs) ?? []).length > 0)
      errors.push(forbidden('spec.clusterIPs', 'may not be set for ExternalName services'));
    const cname = (stringAt(spec, 'externalName') ?? '').replace(/\.$/, '');
    if (cname === '') errors.push(required('spec.externalName'));
    else {
      if (cname.length > 253)
        errors.push(invalid('spec.externalName', goString(cname), 'must be no more than 253 characters'));
      if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(cname))
        errors.push(invalid('spec.externalName', goString(cname), DNS1123_SUBDOMAIN));
    }
  }
  return errors;
}

/** `core.ServicePort{…}` as Go's %#v prints the (protocol, port) key of a duplicate port. */
const goPortKey = (protocol: string, port: Json | undefined) =>
  `core.ServicePort{Name:"", Protocol:${goString(protocol)}, AppProtocol:(*string)(nil), Port:${goValue(port ?? 0)}, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}`;

function validatePortSet(spec: JsonObject): FieldError[] {
  const errors: FieldError[] = [];
  const ports = portsOf(spec);
  if (typeOf(spec) === 'ClusterIP') {
    ports.forEach((port, i) => {
      if (port.nodePort)
        errors.push(forbidden(`spec.ports[${i}].nodePort`, "may not be used when `type` is 'ClusterIP'"));
    });
  }
  const nodePorts = new Set<string>();
  ports.forEach((port, i) => {
    if (!port.nodePort) return;
    const key = `${port.protocol}/${port.nodePort}`;
    if (nodePorts.has(key)) errors.push(duplicate(`spec.ports[${i}].nodePort`, goValue(port.nodePort)));
    nodePorts.add(key);
  });
  const seen = new Set<string>();
  ports.forEach((port, i) => {
    const key = `${port.protocol}/${port.port}`;
    if (seen.has(key))
      errors.push(duplicate(`spec.ports[${i}]`, goPortKey(stringAt(port, 'protocol') ?? '', port.port)));
    seen.add(key);
  });
  return errors;
}

/** A ServicePort as Go's %#v prints it (an appProtocol pointer prints as an address the mock cannot know). */
function goServicePort(port: JsonObject): string {
  const target = port.targetPort;
  const targetText =
    typeof target === 'string'
      ? `intstr.IntOrString{Type:1, IntVal:0, StrVal:${goString(target)}}`
      : `intstr.IntOrString{Type:0, IntVal:${goValue(target ?? 0)}, StrVal:""}`;
  const appProtocol = typeof port.appProtocol === 'string' ? '(*string)(0xc000000000)' : '(*string)(nil)';
  return `core.ServicePort{Name:${goString(stringAt(port, 'name') ?? '')}, Protocol:${goString(stringAt(port, 'protocol') ?? '')}, AppProtocol:${appProtocol}, Port:${goValue(port.port ?? 0)}, TargetPort:${targetText}, NodePort:${goValue(port.nodePort ?? 0)}}`;
}

const mixesProtocols = (spec: JsonObject) => new Set(portsOf(spec).map((p) => p.protocol)).size > 1;

/**
 * ValidateConditionalService: with the MixedProtocolLBService gate off (v1.20's default) a
 * LoadBalancer may not mix protocols, unless the Service already mixed them before this update,
 * whatever its type then (checked: a mixed ClusterIP or NodePort may become a LoadBalancer).
 */
export function validateConditional(spec: JsonObject, previous: JsonObject | undefined): FieldError[] {
  if (previous && mixesProtocols(previous)) return [];
  if (typeOf(spec) !== 'LoadBalancer' || !mixesProtocols(spec)) return [];
  const value = `[]core.ServicePort{${portsOf(spec).map(goServicePort).join(', ')}}`;
  return [invalid('spec.ports', value, "may not contain more than 1 protocol when type is 'LoadBalancer'")];
}

/** validateAffinityTimeout (the config is defaulted first, so only its bounds can fail). */
function validateAffinityTimeout(spec: JsonObject): FieldError[] {
  const config = isObject(spec.sessionAffinityConfig) ? spec.sessionAffinityConfig : {};
  const timeout = isObject(config.clientIP) ? config.clientIP.timeoutSeconds : undefined;
  if (typeof timeout === 'number' && timeout > 0 && timeout <= 86400) return [];
  return [
    invalid(
      'spec.sessionAffinityConfig.clientIP.timeoutSeconds',
      goValue(timeout ?? 0),
      'must be greater than 0 and less than 86400',
    ),
  ];
}

/** IsValidIP, then ValidateNonSpecialIP: an external IP may not be unspecified, loopback or link-local. */
function externalIpProblems(ip: string, field: string): FieldError[] {
  const bad = (detail: string) => [invalid(field, goString(ip), detail)];
  const version = isIP(ip);
  if (version === 0) return bad('must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)');
  if (version === 4) {
    const [a = 0, b = 0, c = 0] = ip.split('.').map(Number);
    if (ip === '0.0.0.0') return bad('may not be unspecified (0.0.0.0)');
    if (a === 127) return bad('may not be in the loopback range (127.0.0.0/8)');
    if (a === 169 && b === 254) return bad('may not be in the link-local range (169.254.0.0/16)');
    if (a === 224 && b === 0 && c === 0) return bad('may not be in the link-local multicast range (224.0.0.0/24)');
    return [];
  }
  if (ip === '::') return bad('may not be unspecified (::)');
  if (ip === '::1') return bad('may not be in the loopback range (::1/128)');
  if (/^fe[89ab]/i.test(ip)) return bad('may not be in the link-local range (fe80::/10)');
  if (/^ff02:/i.test(ip)) return bad('may not be in the link-local multicast range (ff02::/10)');
  return [];
}

/** ValidateService's spec part, in its order (the metadata part is the caller's). */
export function validateServiceSpec(spec: JsonObject): FieldError[] {
  const errors: FieldError[] = [];
  const ports = portsOf(spec);
  if (ports.length === 0 && !isHeadless(spec) && typeOf(spec) !== 'ExternalName') errors.push(required('spec.ports'));
  errors.push(...validateTypeRules(spec));
  const names = new Set<string>();
  for (const [i, port] of ports.entries())
    errors.push(...validatePort(port, ports.length > 1, names, `spec.ports[${i}]`));
  errors.push(...validateLabels(spec.selector, 'spec.selector'));
  const affinity = stringAt(spec, 'sessionAffinity') ?? '';
  if (affinity === '') errors.push(required('spec.sessionAffinity'));
  else if (!AFFINITIES.includes(affinity))
    errors.push(notSupported('spec.sessionAffinity', goString(affinity), AFFINITIES));
  if (affinity === 'ClientIP') errors.push(...validateAffinityTimeout(spec));
  errors.push(...validateClusterIPs(spec));
  for (const [i, ip] of (Array.isArray(spec.externalIPs) ? spec.externalIPs : []).entries())
    errors.push(...externalIpProblems(String(ip), `spec.externalIPs[${i}]`));
  const type = typeOf(spec);
  if (type === '') errors.push(required('spec.type'));
  else if (!TYPES.includes(type)) errors.push(notSupported('spec.type', goString(type), TYPES));
  errors.push(...validatePortSet(spec));
  const policy = stringAt(spec, 'externalTrafficPolicy') ?? '';
  if (policy !== '' && policy !== 'Cluster' && policy !== 'Local') {
    errors.push(
      invalid('spec.externalTrafficPolicy', goString(policy), 'ExternalTrafficPolicy must be empty, Cluster or Local'),
    );
  }
  return errors;
}

/** validateUpgradeDowngradeClusterIPs: the primary clusterIP may not be removed or changed (ExternalName aside). */
export function validateClusterIPChange(spec: JsonObject, previous: JsonObject): FieldError[] {
  if (typeOf(spec) === 'ExternalName' || typeOf(previous) === 'ExternalName') return [];
  const next = stringList(spec.clusterIPs) ?? [];
  const old = stringList(previous.clusterIPs) ?? [];
  if (next.length === 0 && old.length === 0) return [];
  if (next.length === 0)
    return [invalid('spec.clusterIPs[0]', goStrings(undefined), 'primary clusterIP can not be unset')];
  if (old.length === 0) return [];
  return old[0] !== next[0] ? [invalid('spec.clusterIPs[0]', goStrings(next), 'may not change once set')] : [];
}

/** ValidateServiceExternalTrafficFieldsCombination, checked after allocation. */
export function validateTrafficCombination(spec: JsonObject): FieldError[] {
  const errors: FieldError[] = [];
  const policy = stringAt(spec, 'externalTrafficPolicy') ?? '';
  if (!needsNodePorts(spec) && policy !== '') {
    errors.push(
      invalid(
        'spec.externalTrafficPolicy',
        goString(policy),
        'ExternalTrafficPolicy can only be set on NodePort and LoadBalancer service',
      ),
    );
  }
  if (!needsHealthCheck(spec) && spec.healthCheckNodePort) {
    errors.push(
      invalid(
        'spec.healthCheckNodePort',
        goValue(spec.healthCheckNodePort),
        'HealthCheckNodePort can only be set on LoadBalancer service with ExternalTrafficPolicy=Local',
      ),
    );
  }
  return errors;
}
