// `cci-svc list`: Services page by page through the client's listServicePages, printed as
// `kubectl get svc` prints them; with --watch, then one line per change (the client's watchServices).
import { isCciError, type CciClient, type Service, type ServiceWatchEvent } from '@cci-openapi/client';
import type { ConnectionFlags } from './config.js';
import {
  checkTokenLength,
  clientForCommand,
  commandDeadline,
  DEFAULT_REQUEST_TIMEOUT_MS,
  forPeople,
  type CliIo,
} from './command-context.js';
import { UsageError } from './errors.js';
import { ExitCode } from './exit-codes.js';
import { renderJson, renderYaml } from './format.js';
import { createColumnLayout } from './kubectl-table.js';
import type { Redactor } from './redact.js';
import { type RowOptions, type ServiceOutputFormat, serviceHeader, serviceRow } from './service-rows.js';
import { escapeRawInQuoted } from './terminal.js';

export interface ListFlags extends ConnectionFlags {
  namespace?: string;
  allNamespaces?: boolean;
  selector?: string;
  fieldSelector?: string;
  output: ServiceOutputFormat;
  watch?: boolean;
  chunkSize: number;
  timeout?: number;
  verbose?: boolean;
}

/** The namespace kubectl uses when none is given and the kubeconfig context names none. */
export const DEFAULT_NAMESPACE = 'default';

/** What was listed, for messages: "services in namespace-test" / "services in all namespaces". */
export function listSubject(flags: Pick<ListFlags, 'namespace' | 'allNamespaces'>): string {
  return flags.allNamespaces ? 'services in all namespaces' : `services in ${flags.namespace ?? DEFAULT_NAMESPACE}`;
}

/** A v1 List, as kubectl prints a list with -o json/yaml. */
export function asV1List(items: Service[]) {
  return { apiVersion: 'v1', items, kind: 'List', metadata: { resourceVersion: '', selfLink: '' } };
}

const key = (service: Service) => `${service.metadata?.namespace ?? ''}/${service.metadata?.name ?? ''}`;

export async function runList(flags: ListFlags, io: CliIo, redactor: Redactor): Promise<number> {
  const write = forPeople(io.stdout, redactor);
  const writeErr = forPeople(io.stderr, redactor);
  const log = (line: string) => writeErr(`${line}\n`);
  if (flags.allNamespaces && flags.namespace !== undefined)
    throw new UsageError('-n/--namespace and -A/--all-namespaces exclude each other: give one');
  checkTokenLength(io.env);
  // Without --watch the limit bounds the whole command; with --watch and no --timeout it bounds the
  // first list only, and the watch runs until Ctrl-C.
  const totalMs = flags.timeout ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const { client, contextNamespace } = await clientForCommand(flags, io, totalMs, log, redactor);
  // As kubectl: -n, else the kubeconfig context's namespace, else "default". Written back into the
  // flags so that the error messages (listSubject in program.ts) name the namespace listed.
  if (!flags.allNamespaces) flags.namespace ??= contextNamespace ?? DEFAULT_NAMESPACE;
  const namespace = flags.allNamespaces ? undefined : flags.namespace;
  const subject = listSubject(flags);
  const deadline = commandDeadline(totalMs, subject);
  const selection = {
    ...(namespace !== undefined && { namespace }),
    ...(flags.selector !== undefined && { labelSelector: flags.selector }),
    ...(flags.fieldSelector !== undefined && { fieldSelector: flags.fieldSelector }),
  };
  try {
    const items: Service[] = [];
    let resourceVersion = '';
    for await (const page of client.listServicePages({
      ...selection,
      pageSize: flags.chunkSize,
      signal: deadline.signal,
    })) {
      if (!resourceVersion) resourceVersion = page.metadata.resourceVersion ?? '';
      for (const item of page.items) items.push(item);
    }
    const rowOptions: RowOptions = {
      wide: flags.output === 'wide',
      withNamespace: namespace === undefined,
      now: Date.now(),
    };
    if (!flags.watch) {
      if (flags.output === 'json') write(renderJson(asV1List(items)));
      else if (flags.output === 'yaml') write(renderYaml(asV1List(items)));
      else if (items.length === 0)
        writeErr(namespace === undefined ? 'No resources found\n' : `No resources found in ${namespace} namespace.\n`);
      else
        write(createColumnLayout().lines([serviceHeader(rowOptions), ...items.map((s) => serviceRow(s, rowOptions))]));
      return ExitCode.OK;
    }
    if (flags.timeout === undefined) deadline.clear();
    // The watch ends at --timeout (when given) or when nobody reads stdout any more.
    const ends = [
      ...(flags.timeout === undefined ? [] : [deadline.signal]),
      ...(io.outputClosed ? [io.outputClosed] : []),
    ];
    const watchSignal = ends.length === 0 ? undefined : AbortSignal.any(ends);
    try {
      await watchAndPrint(client, selection, resourceVersion, items, flags.output, rowOptions, watchSignal, write);
    } catch (error) {
      // --timeout ending the watch is how a bounded watch ends, not a failure; nor is a reader that left.
      if (watchSignal?.aborted && (isCciError(watchSignal.reason, 'timeout') || io.outputClosed?.aborted))
        return ExitCode.OK;
      throw error;
    }
    return ExitCode.OK;
  } finally {
    deadline.clear();
    await client.close();
  }
}

type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/**
 * Prints the listed Services, then each change after the list's resourceVersion, until the signal
 * ends it. Table lines carry kubectl's EVENT column (as `kubectl get -w --output-watch-events`), so
 * a deletion shows as DELETED; json/yaml print each change as a WatchEvent ({type, object}).
 */
async function watchAndPrint(
  client: CciClient,
  selection: { namespace?: string; labelSelector?: string; fieldSelector?: string },
  resourceVersion: string,
  initial: Service[],
  output: ServiceOutputFormat,
  rowOptions: RowOptions,
  signal: AbortSignal | undefined,
  write: (text: string) => void,
): Promise<void> {
  // The EVENT column is as wide as its widest value from the start, so later lines line up.
  const layout = createColumnLayout(['MODIFIED'.length]);
  const known = new Map<string, Service>();
  const print = (changes: Array<[EventType, Service]>, header: string[][] = []) => {
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
  for (const service of initial) known.set(key(service), service);
  // The header and the listed Services together: the columns take their widths from all of them.
  print(
    initial.map((service) => ['ADDED', service]),
    output === 'table' || output === 'wide' ? [serviceHeader(rowOptions, true)] : [],
  );

  // The client's watch: one stream, resumed from the last resourceVersion when the server ends it,
  // relisting on 410 (a RELISTED event).
  const events = client.watchServices({
    ...selection,
    ...(resourceVersion && { resourceVersion }),
    ...(signal && { signal }),
  });
  for await (const event of events) print(changesOf(event, known));
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
