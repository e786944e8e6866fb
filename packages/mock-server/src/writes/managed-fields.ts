// metadata.managedFields after a write, computed by the fields module (writes/fields, another
// module's): the writer's entry gains what it changed, the other managers lose it. A server-side
// apply brings its own entries (the apply engine computed them), so they are left as they are.
import { managerName, updateManagedFields } from './fields/index.js';
import { objectAt, type Json, type JsonObject } from './json-value.js';
import { patchMetaFor } from './merge/index.js';

export interface ManagerEntry {
  kind: string;
  fieldManager: string | undefined;
  userAgent: string | undefined;
  operation: 'Update' | 'Apply';
  /** Epoch ms. */
  time: number;
  subresource: string | undefined;
}

export function recordManagedFields(object: JsonObject, live: JsonObject | undefined, entry: ManagerEntry): void {
  if (entry.operation === 'Apply') return;
  const entries = updateManagedFields(live as never, object as never, patchMetaFor(entry.kind), {
    manager: managerName(entry.fieldManager, entry.userAgent),
    apiVersion: String(object.apiVersion ?? 'v1'),
    time: new Date(entry.time),
    ...(entry.subresource !== undefined && { subresource: entry.subresource }),
  });
  const metadata = objectAt(object, 'metadata');
  if (entries === undefined) delete metadata.managedFields;
  else metadata.managedFields = entries as unknown as Json[];
}
