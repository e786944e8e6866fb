// `cci-svc list`: Services page by page through the client's listServicePages, printed as
// `kubectl get svc` prints them; with --watch, then one line per change (list-watch.ts).
import { isCciError, type CciClient, type Service } from '@cci-openapi/client';
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
import { type ListedServices, type ListWatch, type Selection, watchAndPrint } from './list-watch.js';
import type { Redactor } from './redact.js';
import { type RowOptions, type ServiceOutputFormat, serviceHeader, serviceRow } from './service-rows.js';

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

export async function runList(flags: ListFlags, io: CliIo, redactor: Redactor): Promise<number> {
  if (flags.allNamespaces && flags.namespace !== undefined)
    throw new UsageError('-n/--namespace and -A/--all-namespaces exclude each other: give one');
  checkTokenLength(io.env);
  // Without --watch the limit bounds the whole command; with --watch and no --timeout it bounds the
  // first list only, and the watch runs until Ctrl-C.
  const totalMs = flags.timeout ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const { client, contextNamespace } = await clientForCommand({ flags, io, redactor, totalMs });
  // As kubectl: -n, else the kubeconfig context's namespace, else "default". Written back into the
  // flags so that the error messages (listSubject in program.ts) name the namespace listed.
  if (!flags.allNamespaces) flags.namespace ??= contextNamespace ?? DEFAULT_NAMESPACE;
  const namespace = flags.allNamespaces ? undefined : flags.namespace;
  const deadline = commandDeadline(totalMs, listSubject(flags));
  const selection: Selection = {
    ...(namespace !== undefined && { namespace }),
    ...(flags.selector !== undefined && { labelSelector: flags.selector }),
    ...(flags.fieldSelector !== undefined && { fieldSelector: flags.fieldSelector }),
  };
  try {
    const listed = await listAll(client, { ...selection, pageSize: flags.chunkSize, signal: deadline.signal });
    const rowOptions: RowOptions = {
      wide: flags.output === 'wide',
      withNamespace: namespace === undefined,
      now: Date.now(),
    };
    const write = forPeople(io.stdout, redactor);
    if (!flags.watch) {
      printList(listed.items, {
        output: flags.output,
        rowOptions,
        namespace,
        write,
        writeErr: forPeople(io.stderr, redactor),
      });
      return ExitCode.OK;
    }
    if (flags.timeout === undefined) deadline.clear();
    // The watch ends at --timeout (when given) or when nobody reads stdout any more.
    const ends = [
      ...(flags.timeout === undefined ? [] : [deadline.signal]),
      ...(io.outputClosed ? [io.outputClosed] : []),
    ];
    const signal = ends.length === 0 ? undefined : AbortSignal.any(ends);
    return await watchUntilEnd({ client, selection, listed, output: flags.output, rowOptions, write, signal }, io);
  } finally {
    deadline.clear();
    await client.close();
  }
}

/** Every page of the list, and the resourceVersion of the first (where a watch starts). */
async function listAll(
  client: CciClient,
  request: Selection & { pageSize: number; signal: AbortSignal },
): Promise<ListedServices> {
  const items: Service[] = [];
  let resourceVersion = '';
  for await (const page of client.listServicePages(request)) {
    if (!resourceVersion) resourceVersion = page.metadata.resourceVersion ?? '';
    for (const item of page.items) items.push(item);
  }
  return { items, resourceVersion };
}

/** The list without --watch: kubectl's table (or its line on stderr when there is nothing), or a v1 List. */
function printList(
  items: Service[],
  view: {
    output: ServiceOutputFormat;
    rowOptions: RowOptions;
    /** The namespace listed; none for all namespaces. */
    namespace: string | undefined;
    write: (text: string) => void;
    writeErr: (text: string) => void;
  },
): void {
  const { output, rowOptions, namespace, write } = view;
  if (output === 'json') write(renderJson(asV1List(items)));
  else if (output === 'yaml') write(renderYaml(asV1List(items)));
  else if (items.length === 0)
    view.writeErr(namespace === undefined ? 'No resources found\n' : `No resources found in ${namespace} namespace.\n`);
  else write(createColumnLayout().lines([serviceHeader(rowOptions), ...items.map((s) => serviceRow(s, rowOptions))]));
}

/** A watch ended by --timeout or by a reader that left is how a bounded watch ends: exit 0, not a failure. */
async function watchUntilEnd(watch: ListWatch, io: CliIo): Promise<number> {
  try {
    await watchAndPrint(watch);
  } catch (error) {
    const { signal } = watch;
    if (signal?.aborted && (isCciError(signal.reason, 'timeout') || io.outputClosed?.aborted)) return ExitCode.OK;
    throw error;
  }
  return ExitCode.OK;
}
