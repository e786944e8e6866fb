// What kube-apiserver v1.20's Service registry (pkg/registry/core/service/storage/rest.go and its
// strategies) does on create and update, after the request is decoded: reset what the client may
// not set, validate (422), allocate cluster IPs and node ports (422 on a taken or out-of-range
// request; nothing on a dry run), then store — 409 when the name is taken or the resourceVersion
// is stale. The steps follow the real order, since the order decides which error a client sees.
import { randomUUID } from 'node:crypto';
import type { Service } from '@cci-openapi/types';
import type { ObjectStore } from '../store.js';
import {
  allocateIp,
  nodePortOperation,
  takenBy,
  type NodePortOperation,
  type Ranges,
  type Taken,
} from './allocation.js';
import { alreadyExists, conflict, type StatusAnswer } from './answers.js';
import { goStrings, goValue, invalid, invalidStatus, type FieldError } from './field-errors.js';
import { isObject, kubeTime, objectAt, stringAt, type JsonObject } from './json-value.js';
import { validateLabels } from './labels.js';
import { generateName, validateMetaUpdate, validateNewName } from './object-meta.js';
import {
  applyServiceDefaults,
  isHeadless,
  needsHealthCheck,
  needsNodePorts,
  normalizeClusterIPs,
  portsOf,
  typeOf,
  validateClusterIPChange,
  validateConditional,
  validateServiceSpec,
  validateTrafficCombination,
} from './service-spec.js';

export interface RegistryContext {
  store: ObjectStore;
  ranges: Ranges;
  now: () => number;
  random?: () => number;
  /** Profile rules (cci, cce): more field errors for a Service about to be written. */
  extraRules: ReadonlyArray<(next: JsonObject, previous: JsonObject | undefined) => FieldError[]>;
}

export type RegistryResult = { object: JsonObject; created: boolean } | { problem: StatusAnswer };

const RESOURCE = 'services';
const invalidAnswer = (name: string, errors: FieldError[]): { problem: StatusAnswer } => ({
  problem: invalidStatus('Service', name, errors),
});
const metaOf = (object: JsonObject) => objectAt(object, 'metadata');
const servicesOf = (ctx: RegistryContext) => ctx.store.list<Service>();

/** PrepareForCreate + BeforeCreate: what the server sets on a new object. */
function prepareCreate(ctx: RegistryContext, object: JsonObject): void {
  const metadata = metaOf(object);
  // managedFields are recomputed after the write (an apply's own are kept: the apply engine made them).
  for (const key of [
    'uid',
    'creationTimestamp',
    'deletionTimestamp',
    'deletionGracePeriodSeconds',
    'selfLink',
    'generation',
  ])
    delete metadata[key];
  metadata.uid = randomUUID();
  metadata.creationTimestamp = kubeTime(ctx.now());
  const generate = stringAt(metadata, 'generateName');
  if (generate && !stringAt(metadata, 'name')) metadata.name = generateName(generate, ctx.random);
  object.status = { loadBalancer: {} };
  applyServiceDefaults(object);
  normalizeClusterIPs(undefined, objectAt(object, 'spec'));
}

/** allocServiceClusterIPs: the requested or a random cluster IP (none for headless or ExternalName). */
function allocateClusterIp(ctx: RegistryContext, spec: JsonObject, taken: Taken): FieldError | undefined {
  if (typeOf(spec) === 'ExternalName' || isHeadless(spec)) return undefined;
  const requested = stringAt(spec, 'clusterIP') || undefined;
  const result = allocateIp(ctx.ranges, taken, requested, ctx.random);
  if ('error' in result) {
    return invalid(
      'spec.clusterIPs',
      goStrings(requested ? [requested] : undefined),
      `failed to allocated ip:${requested ?? ''} with error:${result.error}`,
    );
  }
  spec.clusterIP = result.ip;
  spec.clusterIPs = [result.ip];
  return undefined;
}

/** initNodePorts: a port number shares one node port across protocols; requested ones are checked. */
function initNodePorts(spec: JsonObject, op: NodePortOperation): FieldError | undefined {
  const ports = portsOf(spec);
  const byPort = new Map<unknown, number>();
  // findRequestedNodePort: the first node port any entry asks for with this port number (one pass, not one per port).
  const requestedFor = new Map<unknown, number>();
  for (const p of ports)
    if (typeof p.nodePort === 'number' && p.nodePort !== 0 && !requestedFor.has(p.port))
      requestedFor.set(p.port, p.nodePort);
  for (const [i, port] of ports.entries()) {
    const known = byPort.get(port.port);
    if (known === undefined) {
      const requested = requestedFor.get(port.port);
      if (requested !== undefined) {
        const error = op.allocate(requested);
        if (error) return invalid(`spec.ports[${i}].nodePort`, goValue(requested), error);
      }
      port.nodePort = requested ?? op.next();
      byPort.set(port.port, port.nodePort as number);
    } else if (port.nodePort !== known) {
      if (!port.nodePort) port.nodePort = known;
      else {
        const error = op.allocate(port.nodePort as number);
        if (error) return invalid(`spec.ports[${i}].nodePort`, goValue(port.nodePort), error);
      }
    }
  }
  return undefined;
}

/** updateNodePorts: node ports the Service already had are kept; new ones are checked; missing ones allocated. */
function updateNodePorts(spec: JsonObject, previous: JsonObject, op: NodePortOperation): FieldError | undefined {
  const old = new Set(portsOf(previous).map((p) => p.nodePort));
  const claimed = new Set<unknown>();
  for (const [i, port] of portsOf(spec).entries()) {
    if (typeof port.nodePort === 'number' && port.nodePort !== 0) {
      if (old.has(port.nodePort) || claimed.has(port.nodePort)) continue;
      const error = op.allocate(port.nodePort);
      if (error) return invalid(`spec.ports[${i}].nodePort`, goValue(port.nodePort), error);
      claimed.add(port.nodePort);
    } else port.nodePort = op.next();
  }
  return undefined;
}

function allocateHealthCheck(spec: JsonObject, op: NodePortOperation): FieldError | undefined {
  if (!needsHealthCheck(spec)) return undefined;
  const requested =
    typeof spec.healthCheckNodePort === 'number' && spec.healthCheckNodePort !== 0
      ? spec.healthCheckNodePort
      : undefined;
  if (requested === undefined) {
    spec.healthCheckNodePort = op.next();
    return undefined;
  }
  const error = op.allocate(requested);
  return error ? invalid('spec.healthCheckNodePort', goValue(requested), error) : undefined;
}

/**
 * A create. `allocate` false is kube-apiserver v1.20's PUT …/status of a missing Service: the
 * generic store creates it, validated, but no registry step runs — no cluster IP, node ports as given.
 */
export function createService(
  ctx: RegistryContext,
  object: JsonObject,
  dryRun: boolean,
  allocate = true,
): RegistryResult {
  prepareCreate(ctx, object);
  const metadata = metaOf(object);
  const spec = objectAt(object, 'spec');
  const name = stringAt(metadata, 'name') ?? '';
  const errors = [
    ...validateNewName(metadata),
    ...validateServiceSpec(spec),
    ...validateConditional(spec, undefined),
    ...ctx.extraRules.flatMap((rule) => rule(object, undefined)),
  ];
  if (errors.length > 0) return invalidAnswer(name, errors);
  if (!allocate) return { object, created: true };
  const taken = takenBy(servicesOf(ctx));
  const ipError = dryRun ? undefined : allocateClusterIp(ctx, spec, taken);
  if (ipError) return invalidAnswer(name, [ipError]);
  const op = nodePortOperation(ctx.ranges, taken, dryRun, ctx.random);
  const portError = (needsNodePorts(spec) ? initNodePorts(spec, op) : undefined) ?? allocateHealthCheck(spec, op);
  if (portError) return invalidAnswer(name, [portError]);
  const combination = validateTrafficCombination(spec);
  if (combination.length > 0) return invalidAnswer(name, combination);
  if (ctx.store.get(stringAt(metadata, 'namespace') ?? '', name)) return { problem: alreadyExists(RESOURCE, name) };
  return { object, created: true };
}

/** BeforeUpdate: fields an update cannot change are taken from the live object. */
function prepareUpdate(next: JsonObject, live: JsonObject, subresource: string | undefined): void {
  const metadata = metaOf(next);
  const liveMeta = metaOf(live);
  if (!stringAt(metadata, 'uid')) metadata.uid = liveMeta.uid;
  metadata.creationTimestamp = liveMeta.creationTimestamp;
  delete metadata.generation;
  if (subresource === 'status') {
    next.spec = structuredClone(live.spec);
    return;
  }
  next.status = structuredClone(live.status ?? { loadBalancer: {} });
  applyServiceDefaults(next);
  const previous = isObject(live.spec) ? live.spec : {};
  normalizeClusterIPs(previous, objectAt(next, 'spec'));
  dropTypeDependentFields(objectAt(next, 'spec'), previous);
}

/**
 * dropTypeDependentFields (v1.20): a Service leaving NodePort/LoadBalancer loses the node ports the
 * server gave it, and one leaving LoadBalancer+Local its health check port, when the client sent
 * them back unchanged.
 */
function dropTypeDependentFields(spec: JsonObject, previous: JsonObject): void {
  const ports = portsOf(spec);
  const old = portsOf(previous);
  const sameNodePorts =
    ports.length === old.length && ports.every((p, i) => (p.nodePort ?? 0) === (old[i]?.nodePort ?? 0));
  if (!needsNodePorts(spec) && needsNodePorts(previous) && sameNodePorts)
    for (const port of ports) delete port.nodePort;
  if (
    !needsHealthCheck(spec) &&
    needsHealthCheck(previous) &&
    (spec.healthCheckNodePort ?? 0) === (previous.healthCheckNodePort ?? 0)
  )
    delete spec.healthCheckNodePort;
}

/** The allocation steps of an update of the main resource (REST.Update). */
function allocateForUpdate(ctx: RegistryContext, next: JsonObject, live: JsonObject, dryRun: boolean): FieldError[] {
  const spec = objectAt(next, 'spec');
  const previous = objectAt(live, 'spec');
  const meta = metaOf(next);
  const taken = takenBy(servicesOf(ctx), {
    namespace: stringAt(meta, 'namespace') ?? '',
    name: stringAt(meta, 'name') ?? '',
  });
  if (!dryRun && typeOf(previous) === 'ExternalName' && typeOf(spec) !== 'ExternalName') {
    const error = allocateClusterIp(ctx, spec, taken);
    if (error) return [error];
  }
  const op = nodePortOperation(ctx.ranges, taken, dryRun, ctx.random);
  const portError = needsNodePorts(spec) ? updateNodePorts(spec, previous, op) : undefined;
  if (portError) return [portError];
  // v1.20 keeps a load balancer's status when the type changes (checked: LoadBalancer → NodePort keeps the ingress).
  if (needsHealthCheck(spec) && !spec.healthCheckNodePort)
    spec.healthCheckNodePort = previous.healthCheckNodePort ?? op.next();
  if (
    !needsHealthCheck(spec) &&
    needsHealthCheck(previous) &&
    spec.healthCheckNodePort === previous.healthCheckNodePort
  )
    delete spec.healthCheckNodePort;
  if (needsNodePorts(previous) && !needsNodePorts(spec)) delete spec.externalTrafficPolicy;
  return validateTrafficCombination(spec);
}

/**
 * An update of the main resource (`subresource` undefined) or of /status. The main resource is
 * validated before its resourceVersion is compared (422 before 409); /status takes an update
 * without a resourceVersion unconditionally and compares first, as the generic store does.
 */
export function updateService(
  ctx: RegistryContext,
  next: JsonObject,
  live: JsonObject,
  subresource: string | undefined,
  dryRun: boolean,
): RegistryResult {
  const metadata = metaOf(next);
  const liveMeta = metaOf(live);
  const name = stringAt(liveMeta, 'name') ?? '';
  if (subresource === 'status') {
    if (!stringAt(metadata, 'resourceVersion')) metadata.resourceVersion = liveMeta.resourceVersion;
    if (metadata.resourceVersion !== liveMeta.resourceVersion) return { problem: conflict(RESOURCE, name) };
  }
  prepareUpdate(next, live, subresource);
  // BeforeUpdate's validateCommonFields (ObjectMeta, then ObjectMetaUpdate), then the strategy's
  // own ObjectMetaUpdate again: kube-apiserver v1.20 reports these causes twice (labels three times).
  const metaErrors = validateMetaUpdate(metadata, liveMeta);
  const labelErrors = validateLabels(metadata.labels, 'metadata.labels');
  const spec = objectAt(next, 'spec');
  const errors =
    subresource === 'status'
      ? [...labelErrors, ...metaErrors, ...metaErrors]
      : [
          ...labelErrors,
          ...metaErrors,
          ...metaErrors,
          ...validateClusterIPChange(spec, objectAt(live, 'spec')),
          // ValidateService validates the metadata once more (its labels: a third time).
          ...labelErrors,
          ...validateServiceSpec(spec),
          ...validateConditional(spec, objectAt(live, 'spec')),
          ...ctx.extraRules.flatMap((rule) => rule(next, live)),
        ];
  if (errors.length > 0) return invalidAnswer(name, errors);
  if (subresource !== 'status') {
    const late = allocateForUpdate(ctx, next, live, dryRun);
    if (late.length > 0) return invalidAnswer(name, late);
    if (metadata.resourceVersion !== liveMeta.resourceVersion) return { problem: conflict(RESOURCE, name) };
  }
  return { object: next, created: false };
}
