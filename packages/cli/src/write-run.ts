// The loop the write commands share: read and check every object first (nothing is sent when the
// file does not parse), then one request per object in order — each object reported on its own
// line (stdout for what was done, stderr for what failed), later objects tried after a failure,
// the exit code non-zero when any failed.
import type { CciClient } from '@cci-openapi/client';
import type { Service } from '@cci-openapi/types';
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
import { asV1List } from './list.js';
import { describeEntry, type ManifestEntry, parseManifest, readManifest } from './manifests.js';
import type { Redactor } from './redact.js';
import { doneLine, failureReport, overallCode, refusedReport, type WriteVerb } from './write-report.js';
import { validateManifest } from './manifest-validation.js';
import { chooseNamespace, type NamespaceChoice, serviceTarget } from './write-targets.js';

export const WRITE_OUTPUT_FORMATS = ['name', 'json', 'yaml'] as const;
export type WriteOutput = (typeof WRITE_OUTPUT_FORMATS)[number];
export const DRY_RUN_STRATEGIES = ['none', 'server'] as const;

export interface WriteFlags extends ConnectionFlags {
  filename?: string;
  namespace?: string;
  dryRun?: (typeof DRY_RUN_STRATEGIES)[number];
  output?: WriteOutput;
  /** kubectl's --validate: check each object against the schema before sending (create, apply). */
  validate?: boolean;
  timeout?: number;
  verbose?: boolean;
}

/** One object to write: from a file (with the Service to send) or named on the command line. */
export interface WriteItem {
  namespace: string;
  name: string;
  service?: Service;
  /** Where it came from, for messages: "svc.yaml document 2 (line 9)"; none for a command-line name. */
  where?: string;
  /** A line for stderr before the request (delete says which namespace a bare name is in). */
  note?: string;
}

export interface RefusedItem {
  where: string;
  problem: string;
}

export interface WriteResult {
  /** kubectl's word for it: created, configured, unchanged, deleted. */
  outcome: string;
  object?: Service;
}

export interface WriteCommand {
  verb: WriteVerb;
  /** -o json|yaml: print each object as it is written (create), or all at the end, one or a List (apply). */
  objects: 'each' | 'collected';
  /**
   * The objects to write, checked before any request; called once the namespace rule is known (the
   * kubeconfig context's namespace needs the client).
   */
  items(choice: NamespaceChoice): Array<WriteItem | RefusedItem>;
  perform(client: CciClient, item: WriteItem, options: { dryRun: boolean; signal: AbortSignal }): Promise<WriteResult>;
}

/** The objects of `-f`, read and parsed (a syntax error throws: nothing is sent). */
export async function manifestEntries(filename: string, io: CliIo): Promise<ManifestEntry[]> {
  const { source, text } = await readManifest(filename, io.stdin);
  return parseManifest(source, text);
}

/**
 * The file's objects as items: each a Service with its namespace, or refused with the reason —
 * with `validate`, also a Service with a field the schema does not know or a value of the wrong
 * type, in kubectl's words (the server would drop the field without a word).
 */
export function itemsOfEntries(
  entries: ManifestEntry[],
  choice: NamespaceChoice,
  validate = false,
): Array<WriteItem | RefusedItem> {
  const many = entries.length > 1;
  return entries.map((entry) => {
    const target = serviceTarget(entry, choice);
    const where = describeEntry(entry, many);
    if ('problem' in target) return { where, problem: target.problem };
    const invalid = validate ? validateManifest(entry.value, 'Service') : [];
    if (invalid.length > 0) {
      const listed = invalid.length === 1 ? invalid[0] : `[${invalid.join(', ')}]`;
      return {
        where,
        problem: `error validating data: ${listed}; if you choose to ignore these errors, turn validation off with --validate=false`,
      };
    }
    return { namespace: target.namespace, name: target.name, service: target.service, where };
  });
}

/** Runs `command` over its items, one request each. Returns the exit code. */
export async function runWrites(
  command: WriteCommand,
  flags: WriteFlags,
  io: CliIo,
  redactor: Redactor,
): Promise<number> {
  const write = forPeople(io.stdout, redactor);
  const writeErr = forPeople(io.stderr, redactor);
  checkTokenLength(io.env);
  const totalMs = flags.timeout ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const { client, contextNamespace } = await clientForCommand({ flags, io, redactor, totalMs });
  try {
    const items = command.items(chooseNamespace(flags.namespace, contextNamespace));
    const output = createWriteOutput(command, flags, write);
    const run: WriteRun = { command, client, dryRun: flags.dryRun === 'server', totalMs, output, writeErr };
    const codes: number[] = [];
    for (const item of items) {
      if ('problem' in item) {
        const { code, message } = refusedReport(item.where, item.problem);
        writeErr(`cci-svc: ${message}\n`);
        codes.push(code);
        continue;
      }
      if (item.note) writeErr(`${item.note}\n`);
      codes.push(await writeOne(run, item));
    }
    output.end();
    return overallCode(codes);
  } finally {
    await client.close();
  }
}

/** What every object's request of one run shares. */
interface WriteRun {
  command: WriteCommand;
  client: CciClient;
  dryRun: boolean;
  /** --timeout, for each object. */
  totalMs: number;
  output: ResultPrinter;
  writeErr: (text: string) => void;
}

/** One object's request, within its own --timeout; its line printed; its exit code returned. */
async function writeOne(run: WriteRun, item: WriteItem): Promise<number> {
  const what = `service/${item.name} in namespace ${item.namespace}`;
  const deadline = commandDeadline(run.totalMs, what);
  try {
    const result = await run.command.perform(run.client, item, { dryRun: run.dryRun, signal: deadline.signal });
    run.output.done(item, result);
    return ExitCode.OK;
  } catch (error) {
    const { code, message } = failureReport(run.command.verb, what, item.where, error);
    run.writeErr(`cci-svc: ${message}\n`);
    return code;
  } finally {
    deadline.clear();
  }
}

interface ResultPrinter {
  done(item: WriteItem, result: WriteResult): void;
  end(): void;
}

/** The stdout side: kubectl's sentences, `-o name`'s service/NAME, or the objects as JSON or YAML. */
function createWriteOutput(command: WriteCommand, flags: WriteFlags, write: (text: string) => void): ResultPrinter {
  const dryRun = flags.dryRun === 'server';
  const format = flags.output;
  if (format !== 'json' && format !== 'yaml') {
    return {
      done: (item, result) =>
        write(format === 'name' ? `service/${item.name}\n` : doneLine(command.verb, item.name, result.outcome, dryRun)),
      end: () => {},
    };
  }
  const render = format === 'json' ? renderJson : renderYaml;
  const collected: Service[] = [];
  let printed = 0;
  return {
    done: (_item, result) => {
      if (!result.object) return;
      if (command.objects === 'collected') collected.push(result.object);
      // As kubectl create: one document after another (YAML ones split by ---).
      else write(`${format === 'yaml' && printed++ > 0 ? '---\n' : ''}${render(result.object)}`);
    },
    end: () => {
      if (collected.length === 1) write(render(collected[0]));
      else if (collected.length > 1) write(render(asV1List(collected)));
    },
  };
}

/** create and apply need objects: an empty file is a mistake (kubectl: "no objects passed to create"). */
export function requireObjects(entries: ManifestEntry[], verb: WriteVerb): void {
  if (entries.length === 0) throw new UsageError(`no objects passed to ${verb}`);
}
