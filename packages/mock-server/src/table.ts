// `meta.k8s.io` Table answers (what `kubectl get` prints), built as kube-apiserver builds them:
// the storage's table convertor (always wide; kubectl hides priority-1 columns itself), then the
// handler's row objects per `includeObject` (k8s.io/apiserver endpoints/handlers/response.go asTable).
// Service rows come from the client's serviceTableRow: the one place kubectl's Service columns live.
// Other kinds get kube-apiserver's default convertor: Name and Created At.
import {
  SERVICE_TABLE_COLUMNS,
  serviceTableRow,
  type TableColumnDefinition,
} from '@cci-openapi/internals/service-table';
import type { Service } from '@cci-openapi/types';
import type { TableConversion } from './negotiation.js';

type Meta = {
  name?: string;
  creationTimestamp?: string;
  resourceVersion?: string;
  selfLink?: string;
  continue?: string;
  remainingItemCount?: number;
} & Record<string, unknown>;
type KubeObjectLike = { kind?: string; apiVersion?: string; metadata?: Meta } & Record<string, unknown>;

type IncludeObject = 'Object' | 'Metadata' | 'None';

export interface TableRequest {
  conversion: TableConversion;
  /** The `includeObject` query parameter ("" or absent means Metadata). */
  includeObject: string | undefined;
  /** For AGE. */
  now: number;
}

/** A Table, or the 400 kube-apiserver answers for an unknown includeObject. */
export type TableOutcome = { table: Record<string, unknown> } | { badRequest: string };

const DEFAULT_COLUMNS: readonly TableColumnDefinition[] = Object.freeze([
  { ...SERVICE_TABLE_COLUMNS[0]!, name: 'Name' },
  { name: 'Created At', type: 'date', format: '', description: SERVICE_TABLE_COLUMNS[5]!.description, priority: 0 },
]);

/** Converts a read answer (one object) or a list answer (`items`) into a Table. */
export function toTable(body: KubeObjectLike, request: TableRequest): TableOutcome {
  const include =
    request.includeObject === undefined || request.includeObject === '' ? 'Metadata' : request.includeObject;
  if (include !== 'Object' && include !== 'Metadata' && include !== 'None')
    return { badRequest: `unrecognized includeObject value: ${JSON.stringify(include)}` };
  const isList = Array.isArray(body.items);
  const items = (isList ? (body.items as KubeObjectLike[]) : [body]).map((item) =>
    isList ? { ...item, kind: itemKind(body), apiVersion: body.apiVersion } : item,
  );
  const services = items.every((item) => item.kind === 'Service');
  const columns = services ? SERVICE_TABLE_COLUMNS : DEFAULT_COLUMNS;
  const apiVersion = `meta.k8s.io/${request.conversion.version}`;
  const rows = items.map((item) => ({
    cells: services
      ? serviceTableRow(item as unknown as Service, { now: request.now, wide: true })
      : defaultCells(item),
    object: rowObject(item, include, apiVersion),
  }));
  const meta = body.metadata ?? {};
  const metadata: Meta = {};
  if (meta.selfLink) metadata.selfLink = meta.selfLink;
  if (meta.resourceVersion) metadata.resourceVersion = meta.resourceVersion;
  if (isList && meta.continue) metadata.continue = meta.continue;
  if (isList && meta.remainingItemCount !== undefined) metadata.remainingItemCount = meta.remainingItemCount;
  return { table: { kind: 'Table', apiVersion, metadata, columnDefinitions: columns, rows } };
}

/** `ServiceList` → `Service`: list items carry no kind of their own on the wire. */
function itemKind(list: KubeObjectLike): string | undefined {
  return typeof list.kind === 'string' && list.kind.endsWith('List') ? list.kind.slice(0, -'List'.length) : undefined;
}

function defaultCells(item: KubeObjectLike): string[] {
  const created = item.metadata?.creationTimestamp ? new Date(item.metadata.creationTimestamp) : undefined;
  // Go's time.RFC3339 of the UTC time: seconds precision, "Z"; the zero time for an absent one.
  const at =
    created && !Number.isNaN(created.getTime())
      ? created.toISOString().replace(/\.\d{3}Z$/, 'Z')
      : '0001-01-01T00:00:00Z';
  return [item.metadata?.name ?? '', at];
}

function rowObject(item: KubeObjectLike, include: IncludeObject, apiVersion: string): unknown {
  if (include === 'None') return null;
  if (include === 'Object') return item;
  return { kind: 'PartialObjectMetadata', apiVersion, metadata: item.metadata ?? {} };
}
