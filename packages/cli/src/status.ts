// `cci-svc status <namespace>/<name>`: the Service through its status operation
// (readCoreV1NamespacedServiceStatus) as a short table, or whole as JSON or YAML; with
// --wait-for-ingress, first the client's waitForLoadBalancerIngress, its progress on stderr.
import type { CciClient, WaitProgress } from '@cci-openapi/client';
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
import { renderService, type OutputFormat } from './format.js';
import { createProgress, type Progress } from './progress.js';
import type { Redactor } from './redact.js';
import { parseReference, type ServiceReference } from './reference.js';

export interface StatusFlags extends ConnectionFlags {
  output: OutputFormat;
  waitForIngress?: boolean;
  timeout?: number;
  interval: number;
  verbose?: boolean;
}

const DEFAULT_WAIT_TIMEOUT_MS = 5 * 60_000;

/** How often the progress line is redrawn on a terminal, so the elapsed time moves between polls. */
const TICK_MS = 250;

/** One status command under way: what is read, with what, and within which limit. */
interface StatusRun {
  client: CciClient;
  target: ServiceReference;
  /** "namespace/name", for messages and the progress line. */
  what: string;
  flags: StatusFlags;
  io: CliIo;
  redactor: Redactor;
  /** The whole command's deadline (--timeout). */
  signal: AbortSignal;
  /** When that deadline falls (ms since the epoch): the wait for the ingress gets what is left. */
  endsAt: number;
}

export async function runStatus(reference: string, flags: StatusFlags, io: CliIo, redactor: Redactor): Promise<number> {
  const target = parseReference(reference);
  if ('problem' in target) throw new UsageError(target.problem);
  checkTokenLength(io.env);
  const what = `${target.namespace}/${target.name}`;
  const totalMs = flags.timeout ?? (flags.waitForIngress ? DEFAULT_WAIT_TIMEOUT_MS : DEFAULT_REQUEST_TIMEOUT_MS);
  // <namespace>/<name> names the namespace: a kubeconfig context's namespace does not apply.
  const { client } = await clientForCommand({ flags, io, redactor, totalMs });
  const deadline = commandDeadline(totalMs, what);
  try {
    const run: StatusRun = {
      client,
      target,
      what,
      flags,
      io,
      redactor,
      signal: deadline.signal,
      endsAt: Date.now() + totalMs,
    };
    const service = await readStatus(run);
    forPeople(io.stdout, redactor)(renderService(service, flags.output));
    return ExitCode.OK;
  } finally {
    deadline.clear();
    // Releases the connection pool (the kubeconfig client's TLS agent) so the process can exit at once.
    await client.close();
  }
}

const hasIngress = (service: Service): boolean => (service.status?.loadBalancer?.ingress?.length ?? 0) > 0;

/** The Service to print: read once, and with --wait-for-ingress read again once its ingress is there. */
async function readStatus(run: StatusRun): Promise<Service> {
  const read = () =>
    run.client.readServiceStatus({ namespace: run.target.namespace, name: run.target.name, signal: run.signal });
  const service = await read();
  if (!run.flags.waitForIngress || hasIngress(service)) return service;
  const type = service.spec?.type ?? 'ClusterIP';
  if (type !== 'LoadBalancer')
    throw new UsageError(`${run.what} is a ${type} Service: only LoadBalancer Services get a load-balancer ingress`);
  await waitForIngress(run);
  return read();
}

/** The client's wait for the load-balancer ingress, each of its steps shown on stderr. */
async function waitForIngress(run: StatusRun): Promise<void> {
  const { io, redactor } = run;
  // Redacted like every other line; the progress module escapes the text and adds only its own line control.
  const progress = createProgress(
    { isTTY: io.stderr.isTTY, write: (text: string) => io.stderr.write(redactor.redact(text)) },
    run.what,
  );
  const ticker = io.stderr.isTTY ? setInterval(() => progress.tick(), TICK_MS) : undefined;
  try {
    await run.client.waitForLoadBalancerIngress({
      namespace: run.target.namespace,
      name: run.target.name,
      timeoutMs: Math.max(1, run.endsAt - Date.now()),
      intervalMs: run.flags.interval,
      signal: run.signal,
      onProgress: (step) => showStep(progress, step),
    });
  } finally {
    if (ticker) clearInterval(ticker);
    progress.done();
  }
}

/**
 * Every step of the client's wait: its first read and polls, watch events, and the fallback from
 * the watch to polling when the server refuses the watch (403/405).
 */
function showStep(progress: Progress, step: WaitProgress): void {
  if (step.type === 'read' || step.type === 'poll') progress.poll();
  else if (step.type === 'event') progress.event();
  else if (step.type === 'fallback')
    progress.note(
      `the server refused the watch (${step.error.status}${step.error.reason ? ` ${step.error.reason}` : ''}): polling instead`,
    );
}
