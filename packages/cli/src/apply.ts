// `cci-svc apply -f FILE`: server-side apply of each Service of the file through the client's
// applyService (PATCH application/apply-patch+yaml as --field-manager), reported in kubectl
// apply's words: "service/web created", "configured" or "unchanged".
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

export interface ApplyFlags extends WriteFlags {
  filename: string;
  fieldManager: string;
  forceConflicts?: boolean;
}

export const APPLY_FIELD_MANAGER = 'cci-svc';

export async function runApply(flags: ApplyFlags, io: CliIo, redactor: Redactor): Promise<number> {
  const entries = await manifestEntries(flags.filename, io);
  requireObjects(entries, 'apply');
  const command: WriteCommand = {
    verb: 'apply',
    objects: 'collected',
    items: (choice) => itemsOfEntries(entries, choice, flags.validate !== false),
    perform: async (client, item, { dryRun, signal }) => {
      // applyService sends a port without a protocol as TCP (kube-apiserver 1.20 cannot key it otherwise)
      // and tells unchanged from configured, for a dry run too.
      const { service, outcome } = await client.applyService(item.service!, {
        fieldManager: flags.fieldManager,
        ...(flags.forceConflicts && { force: true }),
        ...(dryRun && { dryRun: 'All' as const }),
        signal,
      });
      return { outcome, object: service };
    },
  };
  return runWrites(command, flags, io, redactor);
}
