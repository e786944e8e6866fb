// Members in the order kube-apiserver writes them: Go's encoder follows the struct's field order
// (k8s.io/api/core/v1 Service, ObjectMeta, ServiceSpec, ServicePort), not the order a client sent.
// The contract compares parsed bodies, so this is for people and tools that read the raw text.
import { isObject, type Json, type JsonObject } from './json-value.js';

const OBJECT_META = [
  'name',
  'generateName',
  'namespace',
  'selfLink',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'labels',
  'annotations',
  'ownerReferences',
  'finalizers',
  'clusterName',
  'managedFields',
];
const SERVICE_SPEC = [
  'ports',
  'selector',
  'clusterIP',
  'clusterIPs',
  'type',
  'externalIPs',
  'sessionAffinity',
  'loadBalancerIP',
  'loadBalancerSourceRanges',
  'externalName',
  'externalTrafficPolicy',
  'healthCheckNodePort',
  'publishNotReadyAddresses',
  'sessionAffinityConfig',
  'ipFamilies',
  'ipFamilyPolicy',
  'topologyKeys',
];
const SERVICE_PORT = ['name', 'protocol', 'appProtocol', 'port', 'targetPort', 'nodePort'];

/** `object` with the listed members first, in that order, then any others as they were. */
function inOrder(object: JsonObject, order: readonly string[]): JsonObject {
  const out: JsonObject = {};
  for (const key of order) if (object[key] !== undefined) out[key] = object[key];
  for (const [key, value] of Object.entries(object)) if (!(key in out) && value !== undefined) out[key] = value;
  return out;
}

/** A Service in Go's member order (kind, apiVersion, metadata, spec, status). */
export function goOrdered(service: JsonObject): JsonObject {
  const out = inOrder(service, ['kind', 'apiVersion', 'metadata', 'spec', 'status']);
  if (isObject(out.metadata)) out.metadata = inOrder(out.metadata, OBJECT_META);
  if (isObject(out.spec)) {
    const spec = inOrder(out.spec, SERVICE_SPEC);
    if (Array.isArray(spec.ports))
      spec.ports = spec.ports.map((port): Json => (isObject(port) ? inOrder(port, SERVICE_PORT) : port));
    out.spec = spec;
  }
  return out;
}
