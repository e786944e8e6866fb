// `cci-svc delete NAMESPACE/NAME…` or `cci-svc delete -f FILE`: each Service deleted
// (deleteCoreV1NamespacedService), reported as kubectl delete reports it: `service "web" deleted`.
// Only named Services: no wildcard, no --all, no selector; a bare NAME says which namespace it
// takes before anything is deleted.
import type { CliIo } from './command-context.js';
import { UsageError } from './errors.js';
import type { Redactor } from './redact.js';
import { type NamespaceChoice, namespaceOrigin } from './write-targets.js';
import type { ManifestEntry } from './manifests.js';
import {
  itemsOfEntries,
  manifestEntries,
  type RefusedItem,
  runWrites,
  type WriteCommand,
  type WriteFlags,
  type WriteItem,
} from './write-run.js';

export interface DeleteFlags extends WriteFlags {
  output?: 'name';
}

/** Service names are DNS-1035 labels, namespaces DNS-1123 labels: anything else names no Service. */
const SERVICE_NAME = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;
const NAMESPACE_NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

interface DeleteReference {
  namespace?: string;
  name: string;
}

/** "NAMESPACE/NAME" or "NAME"; anything else (empty parts, more slashes, a wildcard) is a usage error. */
function parseDeleteReference(text: string): DeleteReference {
  const parts = text.split('/');
  const name = parts[parts.length - 1];
  if (parts.length > 2 || name === undefined || name === '' || parts[0] === '')
    throw new UsageError(`expected <namespace>/<name> or <name>, got ${JSON.stringify(text)}`);
  if (!SERVICE_NAME.test(name))
    throw new UsageError(
      `${JSON.stringify(name)} is not a Service name (lowercase letters, digits and '-', starting with a letter, at most 63 characters): delete takes names only, no wildcard or --all`,
    );
  if (parts.length === 1) return { name };
  const namespace = parts[0]!;
  if (!NAMESPACE_NAME.test(namespace))
    throw new UsageError(
      `${JSON.stringify(namespace)} is not a namespace name (lowercase letters, digits and '-', at most 63 characters)`,
    );
  return { namespace, name };
}

/** The line a deletion in a namespace nobody named prints first (stderr). */
const namespaceNote = (name: string, choice: NamespaceChoice) =>
  `cci-svc: deleting service ${JSON.stringify(name)} in namespace ${JSON.stringify(choice.namespace)} (${namespaceOrigin(choice)})`;

/** The references checked before any request; a bare name says which namespace it is taken from. */
function referencesToItems(references: DeleteReference[], choice: NamespaceChoice): WriteItem[] {
  return references.map(({ namespace, name }) =>
    namespace !== undefined
      ? { namespace, name }
      : { namespace: choice.namespace, name, note: namespaceNote(name, choice) },
  );
}

/** The file's objects; one without a namespace of its own says, as a bare name does, which one it is deleted from. */
function entriesToItems(entries: ManifestEntry[], choice: NamespaceChoice): Array<WriteItem | RefusedItem> {
  return itemsOfEntries(entries, choice).map((item, index) => {
    const own = (entries[index]?.value as { metadata?: { namespace?: unknown } } | undefined)?.metadata?.namespace;
    return 'problem' in item || own || choice.from === 'flag'
      ? item
      : { ...item, note: namespaceNote(item.name, choice) };
  });
}

export async function runDelete(
  references: string[],
  flags: DeleteFlags,
  io: CliIo,
  redactor: Redactor,
): Promise<number> {
  if (flags.filename !== undefined && references.length > 0)
    throw new UsageError('give Services to delete either as <namespace>/<name> or with -f FILE, not both');
  if (flags.filename === undefined && references.length === 0)
    throw new UsageError(
      'name the Services to delete: <namespace>/<name>, <name> (with -n), or -f FILE (there is no --all)',
    );
  const parsed = references.map(parseDeleteReference);
  for (const { namespace } of parsed) {
    if (namespace !== undefined && flags.namespace !== undefined && namespace !== flags.namespace)
      throw new UsageError(
        `${namespace}/… names namespace ${JSON.stringify(namespace)}, -n says ${JSON.stringify(flags.namespace)}: give one`,
      );
  }
  const entries = flags.filename === undefined ? undefined : await manifestEntries(flags.filename, io);
  if (entries?.length === 0) {
    io.stderr.write('No resources found\n');
    return 0;
  }
  const command: WriteCommand = {
    verb: 'delete',
    objects: 'each',
    items: (choice) => (entries ? entriesToItems(entries, choice) : referencesToItems(parsed, choice)),
    perform: async (client, item, { dryRun, signal }) => {
      // Background, as kubectl: the Service goes now, dependents (if any) after it.
      await client.deleteCoreV1NamespacedService({
        namespace: item.namespace,
        name: item.name,
        propagationPolicy: 'Background',
        ...(dryRun && { dryRun: 'All' as const }),
        signal,
      });
      return { outcome: 'deleted' };
    },
  };
  return runWrites(command, flags, io, redactor);
}
