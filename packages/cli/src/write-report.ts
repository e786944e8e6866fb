// The lines the write commands print: kubectl 1.20's words on stdout for what was done
// ("service/web created (server dry run)"), and on stderr one message per object that failed —
// the server's message, a 422's field causes one per line as kubectl lists them, and what to do
// about an apply conflict.
import { isCciError } from '@cci-openapi/client';
import { classifyError } from './errors.js';
import { ExitCode } from './exit-codes.js';
import { escapeControls } from './terminal.js';

export type WriteVerb = 'create' | 'apply' | 'delete';

const GERUND: Record<WriteVerb, string> = { create: 'creating', apply: 'applying', delete: 'deleting' };

/** kubectl's suffix for a server-side dry run. */
const DRY_RUN_SUFFIX = ' (server dry run)';

/** "service/web created", "service \"web\" deleted" — kubectl's sentences, with the dry-run suffix. */
export function doneLine(verb: WriteVerb, name: string, outcome: string, dryRun: boolean): string {
  const subject = verb === 'delete' ? `service ${JSON.stringify(name)}` : `service/${name}`;
  return `${oneLine(subject)} ${outcome}${dryRun ? DRY_RUN_SUFFIX : ''}\n`;
}

/** Server text on one line: a newline in a name or message cannot forge a line of its own. */
const oneLine = (text: string) => escapeControls(text, { singleLine: true });

interface StatusCause {
  field?: unknown;
  message?: unknown;
  reason?: unknown;
}

/** Most causes listed for one object: a server may send thousands; the rest are counted. */
const MAX_CAUSES = 100;

function causesOf(error: { body?: { details?: { causes?: unknown } } }): StatusCause[] {
  const causes = error.body?.details?.causes;
  return Array.isArray(causes)
    ? causes.filter((cause): cause is StatusCause => typeof cause === 'object' && cause !== null)
    : [];
}

/** "* field: message" for each cause, at most MAX_CAUSES of them. */
function causeLines(causes: StatusCause[]): string[] {
  const lines = causes
    .slice(0, MAX_CAUSES)
    .map((cause) => `* ${oneLine(text(cause.field) || '<object>')}: ${oneLine(text(cause.message))}`);
  return causes.length > MAX_CAUSES ? [...lines, `… and ${causes.length - MAX_CAUSES} more`] : lines;
}

const text = (value: unknown) => (typeof value === 'string' ? value : '');

/**
 * What failed for one object and the exit code it counts for. `what` names the object
 * ("service/web in namespace namespace-test"), `where` where it came from ("svc.yaml document 2, line 9").
 */
export function failureReport(
  verb: WriteVerb,
  what: string,
  where: string | undefined,
  error: unknown,
): { code: number; message: string } {
  const heading = `error when ${GERUND[verb]} ${what}${where ? ` (${where})` : ''}`;
  if (isCciError(error, 'api')) {
    const reason = error.reason ? ` ${error.reason}` : '';
    const said = `(${error.status}${reason})`;
    const causes = causesOf(error);
    if (error.status === 422 && causes.length > 0) {
      // kubectl's form: the heading the server's message starts with, then each field on its own line.
      const details = error.body?.details as { kind?: unknown; name?: unknown } | undefined;
      const lines = causeLines(causes);
      const invalid = `The ${oneLine(text(details?.kind) || 'Service')} ${JSON.stringify(oneLine(text(details?.name)))} is invalid ${said}:`;
      return { code: ExitCode.API_ERROR, message: [`${heading}: ${invalid}`, ...lines].join('\n') };
    }
    if (error.status === 409 && causes.some((cause) => cause.reason === 'FieldManagerConflict')) {
      // The server's message spreads the fields over lines of its own making: its causes say the same, one per field.
      const summary = oneLine(text(error.body?.message).split(':')[0] || 'Apply failed with conflicts');
      const lines = causeLines(causes);
      const hint =
        'hint: other field managers own these fields; take them over with --force-conflicts, leave them out of the file, or give them the values they have';
      return { code: ExitCode.API_ERROR, message: [`${heading}: ${summary} ${said}:`, ...lines, hint].join('\n') };
    }
    if (error.status !== 401 && error.status !== 403) {
      const code = error.status === 404 ? ExitCode.NOT_FOUND : ExitCode.API_ERROR;
      return { code, message: `${heading}: ${oneLine(text(error.body?.message) || error.message)} ${said}` };
    }
  }
  // Timeouts, refused credentials, the gateway, the network: the messages of the reading commands,
  // with this command's verb (their hint lines stay lines; forPeople escapes the rest).
  const { code, message } = classifyError(error, what, what, verb);
  return { code, message: `${heading}: ${message}` };
}

/** One object refused before any request (not a Service, no name, a namespace against -n). */
export function refusedReport(where: string, problem: string): { code: number; message: string } {
  return { code: ExitCode.USAGE, message: `${where}: ${oneLine(problem)}` };
}

/**
 * The exit code of a run over several objects: 0 when all went well, the failures' code when they
 * all share one (all not found: 3), else 1.
 */
export function overallCode(codes: readonly number[]): number {
  const failed = new Set(codes.filter((code) => code !== ExitCode.OK));
  if (failed.size === 0) return ExitCode.OK;
  return failed.size === 1 ? [...failed][0]! : ExitCode.API_ERROR;
}
