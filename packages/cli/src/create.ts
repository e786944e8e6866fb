// `cci-svc create -f FILE`: each Service of the file created (createCoreV1NamespacedService, POST),
// reported as kubectl create reports it: "service/web created".
import type { CliIo } from './command-context.js';
import type { Redactor } from './redact.js';
import {
  itemsOfEntries,
  manifestEntries,
  requireObjects,
  runWrites,
  type WriteCommand,
  type WriteFlags,
} from './write-run.js';

export interface CreateFlags extends WriteFlags {
  filename: string;
  fieldManager: string;
}

/** As kubectl create's "kubectl-create": the fields create sets are owned by an Update of this manager. */
export const CREATE_FIELD_MANAGER = 'cci-svc-create';

export async function runCreate(flags: CreateFlags, io: CliIo, redactor: Redactor): Promise<number> {
  const entries = await manifestEntries(flags.filename, io);
  requireObjects(entries, 'create');
  const command: WriteCommand = {
    verb: 'create',
    objects: 'each',
    items: (choice) => itemsOfEntries(entries, choice, flags.validate !== false),
    perform: async (client, item, { dryRun, signal }) => {
      const object = await client.createCoreV1NamespacedService({
        namespace: item.namespace,
        body: item.service!,
        fieldManager: flags.fieldManager,
        ...(dryRun && { dryRun: 'All' as const }),
        signal,
      });
      return { outcome: 'created', object };
    },
  };
  return runWrites(command, flags, io, redactor);
}
