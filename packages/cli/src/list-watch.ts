// `cci-svc list --watch`: after the list, one line per change through the client's watchServices,
// with kubectl's EVENT column (`kubectl get -w --output-watch-events`), or one WatchEvent per change
// as JSON or YAML.
import type { CciClient, Service, ServiceWatchEvent } from '@cci-openapi/client';
import { renderYaml } from './format.js';
import { createColumnLayout } from './kubectl-table.js';
import { type RowOptions, type ServiceOutputFormat, serviceHeader, serviceRow } from './service-rows.js';
import { escapeRawInQuoted } from './terminal.js';

/** Which Services a list (and the watch after it) covers. */
export interface Selection {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

/** The list the watch continues from: its Services and its resourceVersion. */
export interface ListedServices {
  items: Service[];
  resourceVersion: string;
}

/** A watch after a list: what to watch, from where, how to print it, and what ends it. */
export interface ListWatch {
  client: CciClient;
  selection: Selection;
  listed: ListedServices;
  output: ServiceOutputFormat;
  rowOptions: RowOptions;
  write: (text: string) => void;
  /** Ends the watch (--timeout, a reader that left); none: until Ctrl-C. */
  signal: AbortSignal | undefined;
}

type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

const key = (service: Service) => `${service.metadata?.namespace ?? ''}/${service.metadata?.name ?? ''}`;

/**
 * Prints the listed Services, then each change after the list's resourceVersion, until the signal
 * ends it. Table lines carry kubectl's EVENT column (as `kubectl get -w --output-watch-events`), so
 * a deletion shows as DELETED; json/yaml print each change as a WatchEvent ({type, object}).
 */
export async function watchAndPrint(watch: ListWatch): Promise<void> {
  const { output, rowOptions, listed, signal } = watch;
  const print = changePrinter(output, rowOptions, watch.write);
  const known = new Map<string, Service>();
  for (const service of listed.items) known.set(key(service), service);
  // The header and the listed Services together: the columns take their widths from all of them.
  print(
    listed.items.map((service) => ['ADDED', service]),
    output === 'table' || output === 'wide' ? [serviceHeader(rowOptions, true)] : [],
  );

  // The client's watch: one stream, resumed from the last resourceVersion when the server ends it,
  // relisting on 410 (a RELISTED event).
  const events = watch.client.watchServices({
    ...watch.selection,
    ...(listed.resourceVersion && { resourceVersion: listed.resourceVersion }),
    ...(signal && { signal }),
  });
  for await (const event of events) print(changesOf(event, known));
}

/** Prints changes (and, first, the header) in the output format; table columns keep their widths from call to call. */
function changePrinter(
  output: ServiceOutputFormat,
  rowOptions: RowOptions,
  write: (text: string) => void,
): (changes: Array<[EventType, Service]>, header?: string[][]) => void {
  // The EVENT column is as wide as its widest value from the start, so later lines line up.
  const layout = createColumnLayout(['MODIFIED'.length]);
  return (changes, header = []) => {
    if (changes.length === 0 && header.length === 0) return;
    if (output === 'json')
      write(changes.map(([type, object]) => `${escapeRawInQuoted(JSON.stringify({ type, object }))}\n`).join(''));
    else if (output === 'yaml') write(changes.map(([type, object]) => `---\n${renderYaml({ type, object })}`).join(''));
    else
      write(
        layout.lines([
          ...header,
          ...changes.map(([type, object]) => serviceRow(object, { ...rowOptions, now: Date.now() }, type)),
        ]),
      );
  };
}

/** The printed changes of one watch event; a relist becomes the differences from what was shown. */
function changesOf(event: ServiceWatchEvent, known: Map<string, Service>): Array<[EventType, Service]> {
  if (event.type === 'BOOKMARK') return [];
  if (event.type !== 'RELISTED') {
    if (event.type === 'DELETED') known.delete(key(event.object));
    else known.set(key(event.object), event.object);
    return [[event.type, event.object]];
  }
  const changes: Array<[EventType, Service]> = [];
  const current = new Map(event.items.map((item) => [key(item), item]));
  for (const [name, before] of known) if (!current.has(name)) changes.push(['DELETED', before]);
  for (const [name, item] of current) {
    const before = known.get(name);
    if (!before) changes.push(['ADDED', item]);
    else if (before.metadata?.resourceVersion !== item.metadata?.resourceVersion) changes.push(['MODIFIED', item]);
  }
  known.clear();
  for (const [name, item] of current) known.set(name, item);
  return changes;
}
