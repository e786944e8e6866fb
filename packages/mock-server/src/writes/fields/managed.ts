// metadata.managedFields <-> the managers' field sets, as the 1.20 field manager decodes, keys,
// sorts and encodes them (fieldmanager/internal/managedfields.go). A manager is identified by its
// name, operation and — for Update only — apiVersion; 1.20's ManagedFieldsEntry has no
// `subresource`, so a PUT of /status by the same manager shares the main resource's entry.
import { FieldSet, FieldsV1Error, type FieldPath } from './field-set.js';

export interface ManagedFieldsEntry {
  manager?: string;
  operation?: string;
  apiVersion?: string;
  time?: string;
  fieldsType?: string;
  fieldsV1?: unknown;
  [other: string]: unknown;
}

export interface ManagerState {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  set: FieldSet;
  time?: string;
}

/** Manager identifier -> its state (Go's ManagedFields + Times). */
export type Managed = Map<string, ManagerState>;

export class ManagedFieldsError extends Error {}

/** BuildManagerIdentifier: the JSON of the entry without fields, time and (for appliers) apiVersion, in Go's field order. */
export function managerId(manager: string, operation: string, apiVersion: string): string {
  const entry: Record<string, string> = {};
  if (manager !== '') entry.manager = manager;
  if (operation !== '') entry.operation = operation;
  if (operation !== 'Apply' && apiVersion !== '') entry.apiVersion = apiVersion;
  return JSON.stringify(entry);
}

/** decodeManagedFields: throws ManagedFieldsError with the real server's words for an entry it cannot read. */
export function decodeManaged(entries: unknown): Managed {
  const managed: Managed = new Map();
  if (entries === undefined || entries === null) return managed;
  if (!Array.isArray(entries)) throw new ManagedFieldsError('managedFields must be a list');
  entries.forEach((raw: ManagedFieldsEntry, i) => {
    const entry = (raw ?? {}) as ManagedFieldsEntry;
    if (entry.fieldsType === undefined || entry.fieldsType === '')
      throw new ManagedFieldsError(`missing fieldsType in managed fields entry ${i}`);
    if (entry.fieldsType !== 'FieldsV1')
      throw new ManagedFieldsError(
        `invalid fieldsType ${JSON.stringify(entry.fieldsType)} in managed fields entry ${i}`,
      );
    const operation = entry.operation === 'Apply' ? 'Apply' : 'Update';
    let set: FieldSet;
    try {
      set = FieldSet.fromFieldsV1(entry.fieldsV1 ?? {});
    } catch (error) {
      if (error instanceof FieldsV1Error) throw new ManagedFieldsError(`error decoding set: ${error.message}`);
      throw error;
    }
    const state: ManagerState = {
      manager: String(entry.manager ?? ''),
      operation,
      apiVersion: String(entry.apiVersion ?? ''),
      set,
    };
    if (typeof entry.time === 'string') state.time = entry.time;
    managed.set(managerId(state.manager, String(entry.operation ?? ''), state.apiVersion), state);
  });
  return managed;
}

/** encodeManagedFields: entries sorted by operation (Apply first), time, then manager name; absent when none. */
export function encodeManaged(managed: Managed): ManagedFieldsEntry[] | undefined {
  if (managed.size === 0) return undefined;
  const entries = [...managed.values()].map((s) => {
    const entry: ManagedFieldsEntry = { manager: s.manager, operation: s.operation, apiVersion: s.apiVersion };
    if (s.time !== undefined) entry.time = s.time;
    entry.fieldsType = 'FieldsV1';
    entry.fieldsV1 = s.set.toFieldsV1();
    return entry;
  });
  const seconds = (t: string | undefined) => (t === undefined ? Number.NEGATIVE_INFINITY : Date.parse(t));
  return entries.sort((p, q) => {
    if (p.operation !== q.operation) return (p.operation as string) < (q.operation as string) ? -1 : 1;
    const dt = seconds(p.time) - seconds(q.time);
    if (dt !== 0) return dt;
    return (p.manager as string) < (q.manager as string) ? -1 : (p.manager as string) > (q.manager as string) ? 1 : 0;
  });
}

/** The fields the field manager never records (stripmeta.go): identity and server-set metadata. */
const STRIPPED: FieldPath[] = [
  [{ type: 'f', name: 'apiVersion' }],
  [{ type: 'f', name: 'kind' }],
  [{ type: 'f', name: 'metadata' }],
  ...[
    'name',
    'namespace',
    'creationTimestamp',
    'selfLink',
    'uid',
    'clusterName',
    'generation',
    'managedFields',
    'resourceVersion',
  ].map(
    (name): FieldPath => [
      { type: 'f', name: 'metadata' },
      { type: 'f', name },
    ],
  ),
];
const STRIP_SET = FieldSet.fromPaths(STRIPPED);

/** stripMetaManager: removes those fields from one manager's set, and the manager when nothing is left. */
export function stripMeta(managed: Managed, id: string): void {
  const state = managed.get(id);
  if (!state) return;
  const rest = state.set.difference(STRIP_SET);
  if (rest.empty()) managed.delete(id);
  else managed.set(id, { ...state, set: rest });
}

export function cloneManaged(managed: Managed): Managed {
  return new Map([...managed].map(([id, s]) => [id, { ...s }]));
}

/** RFC 3339 at second precision, as metav1.Time is serialised. */
export function formatTime(time: Date | string): string {
  const d = typeof time === 'string' ? new Date(time) : time;
  return `${d.toISOString().slice(0, 19)}Z`;
}
