// What every command shares: the streams, the redactor, the token check, the whole-command deadline.
import { CciTimeoutError } from '@cci-openapi/client';
import { MIN_SECRET_LENGTH } from '@cci-openapi/internals/redact';
import type { CciClient } from '@cci-openapi/client';
import { type ConnectionFlags, createClientFromConfig, type Environment } from './config.js';
import { formatDuration } from './duration.js';
import { UsageError } from './errors.js';
import type { ProgressStream } from './progress.js';
import type { Redactor } from './redact.js';
import { escapeControls } from './terminal.js';

export interface CliIo {
  stdout: ProgressStream;
  stderr: ProgressStream;
  env: Environment;
  /** What `-f -` reads (the process's stdin); without it, `-f -` is a usage error. */
  stdin?: NodeJS.ReadableStream;
  /** Aborted when the reader of stdout went away (`cci-svc list --watch | head -3`): a watch then ends. */
  outputClosed?: AbortSignal;
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/**
 * Refuses a token too short to be a real one: it could not be hidden from the output without
 * hiding ordinary text with it (CCI_TOKEN=e would blank every "e"), and no IAM token is that
 * short. The message does not repeat it.
 */
export function checkTokenLength(env: Environment): void {
  const token = env.CCI_TOKEN || undefined;
  if (token !== undefined && token.length < MIN_SECRET_LENGTH) {
    throw new UsageError(
      `CCI_TOKEN is ${token.length} character${token.length === 1 ? '' : 's'} long: a token has at least ${MIN_SECRET_LENGTH} (IAM tokens have thousands). Is it the right variable?`,
    );
  }
}

/**
 * The whole command's time limit (--timeout): one signal, given to every client call, that aborts
 * the request in flight, the retries and their Retry-After waits, and any wait.
 */
export function commandDeadline(totalMs: number, what: string): { signal: AbortSignal; clear(): void } {
  const controller = new AbortController();
  const timer = setTimeout(
    () =>
      controller.abort(
        new CciTimeoutError(
          `${what}: no result within ${formatDuration(totalMs)} (--timeout), retries and waits included.`,
        ),
      ),
    totalMs,
  );
  return { signal: controller.signal, clear: () => clearTimeout(timer) };
}

/**
 * Text for people: secrets cut out first, then control and BiDi characters escaped (terminal.ts).
 * Every write of the CLI goes through one of these two, except the progress line's own \r.
 */
export function forPeople(stream: ProgressStream, redactor: Redactor): (text: string) => void {
  return (text) => {
    stream.write(escapeControls(redactor.redact(text)));
  };
}

/** What a command's client is made from. */
export interface ClientRequest {
  /** Where to connect (--server, --region, --kubeconfig, --context) and --verbose. */
  flags: ConnectionFlags & { verbose?: boolean };
  io: CliIo;
  redactor: Redactor;
  /** The command's whole budget (--timeout). */
  totalMs: number;
}

/**
 * The client of one command: each attempt is limited to the default request timeout, or to the
 * command's whole budget when that is shorter; with --verbose every exchange is logged to stderr.
 * `contextNamespace` is the kubeconfig context's namespace (--kubeconfig only, when it names one).
 */
export async function clientForCommand({
  flags,
  io,
  redactor,
  totalMs,
}: ClientRequest): Promise<{ client: CciClient; contextNamespace?: string }> {
  const log = (line: string) => forPeople(io.stderr, redactor)(`${line}\n`);
  const settings = { timeoutMs: Math.min(totalMs, DEFAULT_REQUEST_TIMEOUT_MS), ...(flags.verbose ? { log } : {}) };
  const { client, namespace } = await createClientFromConfig(flags, io.env, settings, redactor);
  return { client, ...(namespace !== undefined && { contextNamespace: namespace }) };
}
