// Two helpers over the generated write operations that every deployer writes by hand otherwise:
// a conflict-safe read-modify-write (client-go's RetryOnConflict) and server-side apply that says
// what it did (kubectl's created / configured / unchanged).
import type { Service } from '@cci-openapi/types';
import { CciInputError, CciTimeoutError, isCciError } from '../errors/classes.js';
import type { OperationCall } from '../operation/operation.js';
import type { RequestBody } from '../operation/patch-types.js';
import { type Clock, REAL_CLOCK } from '../transport/sleep.js';

export interface UpdateServiceOptions {
  /** Read-modify-write rounds before the last 409 Conflict is thrown. Default 5 (client-go's DefaultRetry). */
  attempts?: number;
  /** The whole update, reads, writes and pauses, ends by this many ms. Default 30 000. */
  timeoutMs?: number;
  dryRun?: 'All';
  fieldManager?: string;
  signal?: AbortSignal;
}

export interface ApplyServiceOptions {
  /** Who owns the applied fields (required by server-side apply), e.g. "deploy-tool". */
  fieldManager: string;
  /** Take over fields another manager owns instead of failing with 409 Conflict. */
  force?: boolean;
  dryRun?: 'All';
  signal?: AbortSignal;
}

/** A Service as a manifest states it: apiVersion, kind and status may be left out. */
export type ServiceManifest = RequestBody<Service, 'apiVersion' | 'kind' | 'status'>;

/** What applyService did, in kubectl's words. */
export interface AppliedService {
  service: Service;
  outcome: 'created' | 'configured' | 'unchanged';
}

/** A mutation of a Service: change the copy it is given in place, or return a new one. */
// biome-ignore lint/suspicious/noConfusingVoidType: a mutation that changes its argument in place returns nothing (void), by design.
export type ServiceMutation = (service: Service) => Service | undefined | void | Promise<Service | undefined | void>;

export const UPDATE_DEFAULTS = Object.freeze({
  attempts: 5,
  timeoutMs: 30_000,
  pauseMs: 10,
  jitter: 0.1,
  maxAttempts: 100,
});

export interface ServiceWriteCalls {
  read: OperationCall;
  replace: OperationCall;
  patch: OperationCall;
}

function boundedAttempts(value: number | undefined): number {
  const attempts = value ?? UPDATE_DEFAULTS.attempts;
  if (!Number.isInteger(attempts) || attempts < 1 || attempts > UPDATE_DEFAULTS.maxAttempts)
    throw new CciInputError(
      `attempts must be an integer from 1 to ${UPDATE_DEFAULTS.maxAttempts}, got ${String(value)}.`,
    );
  return attempts;
}

const isConflict = (error: unknown) => isCciError(error, 'api') && error.status === 409;
const optional = <K extends string, V>(key: K, value: V | undefined) =>
  value === undefined ? {} : ({ [key]: value } as Record<K, V>);

/**
 * Reads the Service, lets `mutate` change a copy, and replaces it with the resourceVersion read; a
 * 409 Conflict (someone wrote in between) starts over from a fresh read, after a short pause
 * (10 ms ± 10 %, as client-go), at most `attempts` times and within `timeoutMs`. A mutation that
 * changes nothing writes nothing and returns the Service as read.
 */
export async function updateService(
  calls: ServiceWriteCalls,
  namespace: string,
  name: string,
  mutate: ServiceMutation,
  options: UpdateServiceOptions = {},
  clock: Clock = REAL_CLOCK,
): Promise<Service> {
  if (typeof mutate !== 'function')
    throw new CciInputError('mutate must be a function that changes the Service it is given.');
  const attempts = boundedAttempts(options.attempts);
  const deadline = clock.now() + (options.timeoutMs ?? UPDATE_DEFAULTS.timeoutMs);
  const common = { ...optional('signal', options.signal) };
  for (let attempt = 1; ; attempt++) {
    const current = (await calls.read({ namespace, name, ...common }, deadline)) as Service;
    const copy = structuredClone(current);
    const wanted = (await mutate(copy)) ?? copy;
    if (JSON.stringify(wanted) === JSON.stringify(current)) return current;
    // The version read, whatever the mutation did to it: the server then refuses a lost update.
    const body = { ...wanted, metadata: { ...wanted.metadata, resourceVersion: current.metadata?.resourceVersion } };
    try {
      const query = { ...optional('dryRun', options.dryRun), ...optional('fieldManager', options.fieldManager) };
      return (await calls.replace({ namespace, name, body, ...query, ...common }, deadline)) as Service;
    } catch (error) {
      if (!isConflict(error) || attempt >= attempts) throw error;
    }
    const pause = UPDATE_DEFAULTS.pauseMs * (1 + UPDATE_DEFAULTS.jitter * Math.random());
    if (clock.now() + pause >= deadline)
      throw new CciTimeoutError(
        `updateService ${namespace}/${name}: still conflicting when its ${options.timeoutMs ?? UPDATE_DEFAULTS.timeoutMs} ms ran out.`,
      );
    await clock.sleep(pause, options.signal);
  }
}

/**
 * The manifest with `protocol: TCP` on every port that names none. Server-side apply keys
 * `spec.ports` by port and protocol, and kube-apiserver before 1.21 answers an applied port without
 * its protocol with 500 ("associative list with keys has an element that omits key field
 * \"protocol\""), although TCP is the default it would set anyway.
 */
function withPortProtocols(service: ServiceManifest): ServiceManifest {
  const ports = service.spec?.ports;
  if (!Array.isArray(ports) || ports.every((port) => port?.protocol !== undefined)) return service;
  return {
    ...service,
    spec: {
      ...service.spec,
      ports: ports.map((port) => (port?.protocol === undefined ? { ...port, protocol: 'TCP' } : port)),
    },
  };
}

/**
 * Server-side apply of `service` (PATCH application/apply-patch+yaml as `fieldManager`): creates
 * it, or merges it with what other managers own. One read first tells "unchanged" (the same
 * resourceVersion after the apply; for a dry run, the same object) from "configured"; a 201
 * answer, or nothing to read first, means "created".
 */
export async function applyService(
  calls: ServiceWriteCalls,
  service: ServiceManifest,
  options: ApplyServiceOptions,
): Promise<AppliedService> {
  const namespace = service?.metadata?.namespace;
  const name = service?.metadata?.name;
  if (typeof name !== 'string' || name === '' || typeof namespace !== 'string' || namespace === '')
    throw new CciInputError('applyService needs metadata.name and metadata.namespace in the Service it applies.');
  if (typeof options?.fieldManager !== 'string' || options.fieldManager === '')
    throw new CciInputError('applyService needs a fieldManager: server-side apply records who owns each field.');
  const common = { namespace, name, ...optional('signal', options.signal) };
  const before = await (calls.read(common) as Promise<Service>).catch((error: unknown) => {
    if (isCciError(error, 'api') && error.status === 404) return undefined;
    throw error;
  });
  let status = 0;
  const body = {
    ...withPortProtocols(service),
    apiVersion: service.apiVersion ?? 'v1',
    kind: service.kind ?? 'Service',
  };
  const params = {
    ...common,
    contentType: 'application/apply-patch+yaml',
    body,
    fieldManager: options.fieldManager,
    ...optional('force', options.force),
    ...optional('dryRun', options.dryRun),
  };
  const applied = (await calls.patch(params, undefined, (code) => (status = code))) as Service;
  if (status === 201 || before === undefined) return { service: applied, outcome: 'created' };
  // A dry run stores nothing, so its resourceVersion never moves: the answer itself is compared.
  const same = options.dryRun
    ? comparable(applied) === comparable(before)
    : applied.metadata?.resourceVersion === before.metadata?.resourceVersion;
  return { service: applied, outcome: same ? 'unchanged' : 'configured' };
}

/** JSON with every object's keys sorted (two answers may order fields differently), to a bounded depth. */
function canonical(value: unknown, depth = 0): unknown {
  if (typeof value !== 'object' || value === null || depth > 64) return value;
  if (Array.isArray(value)) return value.map((item) => canonical(item, depth + 1));
  const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries.map(([key, item]) => [key, canonical(item, depth + 1)]));
}

/** A Service without what a dry run renews even when nothing changes: the times in managedFields. */
function comparable(service: Service): string {
  const managed = service.metadata?.managedFields?.map(({ time: _time, ...entry }) => entry);
  return JSON.stringify(canonical({ ...service, metadata: { ...service.metadata, managedFields: managed } }));
}
