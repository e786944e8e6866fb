// kubectl's Service rows (`kubectl get svc`): the cells come from the client's serviceTableRow,
// the one place kube-apiserver's printer rules live; this adds the header, kubectl's NAMESPACE
// column for all namespaces (-A), and the EVENT column of a watch (kubectl's --output-watch-events).
import { SERVICE_TABLE_COLUMNS, serviceTableRow } from '@cci-openapi/internals/service-table';
import type { Service } from '@cci-openapi/types';
import { tableCell } from './kubectl-table.js';

/** -o of get and list: kubectl's table, wide, or the object(s) as JSON or YAML. */
export const SERVICE_OUTPUT_FORMATS = ['table', 'wide', 'json', 'yaml'] as const;
export type ServiceOutputFormat = (typeof SERVICE_OUTPUT_FORMATS)[number];

export interface RowOptions {
  /** -o wide: SELECTOR added, load-balancer addresses not shortened. */
  wide: boolean;
  /** -A: a leading NAMESPACE column, as kubectl prints for all namespaces. */
  withNamespace: boolean;
  /** The time AGE counts to (Date.now()). */
  now: number;
}

/** The header row, upper-cased as kubectl prints it; `event` adds kubectl's leading EVENT column. */
export function serviceHeader(options: RowOptions, event = false): string[] {
  const names = SERVICE_TABLE_COLUMNS.filter((c) => options.wide || c.priority === 0).map((c) => c.name.toUpperCase());
  return [...(event ? ['EVENT'] : []), ...(options.withNamespace ? ['NAMESPACE'] : []), ...names];
}

/**
 * One Service's escaped cells, in the header's order. The cells are always computed wide and
 * SELECTOR is then dropped unless -o wide: kubectl prints what kube-apiserver's Table answer holds,
 * and the server builds it wide (load-balancer addresses whole), so `kubectl get svc` never shows
 * the shortened "192.0.2.10,we..." of the client-side printer (checked against kubectl 1.20).
 */
export function serviceRow(service: Service, options: RowOptions, event?: string): string[] {
  const wide = serviceTableRow(service, { now: options.now, wide: true });
  // The header's choice of columns (priority 0, or all with -o wide), cell by cell.
  const cells = wide.filter((_, i) => options.wide || SERVICE_TABLE_COLUMNS[i]?.priority === 0);
  const namespace = options.withNamespace ? [service.metadata?.namespace ?? ''] : [];
  return [...(event ? [event] : []), ...namespace, ...cells].map(tableCell);
}
