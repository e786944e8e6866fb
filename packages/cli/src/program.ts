// The cce-svc command line (commander): parsing, then the `status` action.
import type { CceClient } from '@cce-openapi/client';
import type { Service } from '@cce-openapi/types';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { createClientFromConfig, type ConnectionFlags, type Environment } from './config.js';
import { parseDuration } from './duration.js';
import { classifyError, UsageError } from './errors.js';
import { EXIT_CODES_HELP, ExitCode } from './exit-codes.js';
import { OUTPUT_FORMATS, renderService, type OutputFormat } from './format.js';
import { createProgress, type ProgressStream } from './progress.js';
import { createRedactor, type Redactor } from './redact.js';
import { parseReference } from './reference.js';

export interface CliIo {
  stdout: ProgressStream;
  stderr: ProgressStream;
  env: Environment;
}

interface StatusFlags extends ConnectionFlags {
  output: OutputFormat;
  waitForIngress?: boolean;
  timeout?: number;
  interval: number;
  verbose?: boolean;
}

const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
const DEFAULT_WAIT_TIMEOUT_MS = 5 * 60_000;

function duration(text: string): number {
  const ms = parseDuration(text);
  if (ms === undefined) throw new InvalidArgumentError('expected a duration such as 30s, 5m, 1m30s or 500ms');
  return ms;
}

const EXAMPLES = `
Examples:
  # against the local mock API (npm start prints its URL)
  $ CCE_TOKEN=mock-token cce-svc status namespace-test/redis --server http://127.0.0.1:4010

  # through the CCE API gateway, with an IAM token
  $ export CCE_CLUSTER_ID=… CCE_REGION=cn-north-4 CCE_TOKEN=…
  $ cce-svc status namespace-test/redis --output yaml

  # directly against the cluster's API server, with the kubeconfig.json from the CCE console
  $ cce-svc status namespace-test/web --kubeconfig ~/kubeconfig.json

  # wait until a LoadBalancer Service has its ingress, then print its IP as JSON
  $ cce-svc status namespace-test/web --wait-for-ingress --timeout 5m -o json | jq -r '.status.loadBalancer.ingress[0].ip'

Environment:
  CCE_TOKEN       IAM token sent as X-Auth-Token (preferred to --token, which other users can see in ps)
  CCE_SERVER      API base URL, as --server
  CCE_CLUSTER_ID  cluster ID for the API gateway https://{cluster_id}.cce.{region}.myhuaweicloud.com
  CCE_REGION      region of the cluster, e.g. cn-north-4

${EXIT_CODES_HELP}`;

/** Tokens given on the command line are known before parsing, so even parse errors cannot show them. */
function preRegisterSecrets(argv: readonly string[], env: Environment, redactor: Redactor): void {
  redactor.add(env.CCE_TOKEN);
  argv.forEach((arg, index) => {
    if (arg === '--token') redactor.add(argv[index + 1]);
    else if (arg.startsWith('--token=')) redactor.add(arg.slice('--token='.length));
  });
}

function hasIngress(service: Service): boolean {
  return (service.status.loadBalancer?.ingress?.length ?? 0) > 0;
}

async function runStatus(reference: string, flags: StatusFlags, io: CliIo, redactor: Redactor): Promise<number> {
  const write = (text: string) => io.stdout.write(redactor.redact(text));
  const log = (line: string) => io.stderr.write(redactor.redact(`${line}\n`));
  const target = parseReference(reference);
  if ('problem' in target) throw new UsageError(target.problem);
  const what = `${target.namespace}/${target.name}`;
  const totalMs = flags.timeout ?? (flags.waitForIngress ? DEFAULT_WAIT_TIMEOUT_MS : DEFAULT_REQUEST_TIMEOUT_MS);
  const { client } = await createClientFromConfig(flags, io.env, { timeoutMs: Math.min(totalMs, DEFAULT_REQUEST_TIMEOUT_MS), ...(flags.verbose ? { log } : {}) }, redactor);

  try {
    return await readAndPrint(client, target, what, totalMs, flags, io, write);
  } finally {
    // Releases the connection pool (the kubeconfig client's TLS agent) so the process can exit at once.
    await client.close();
  }
}

async function readAndPrint(client: CceClient, target: { namespace: string; name: string }, what: string, totalMs: number, flags: StatusFlags, io: CliIo, write: (text: string) => void): Promise<number> {
  const deadline = Date.now() + totalMs;
  let service = await client.readServiceStatus({ namespace: target.namespace, name: target.name });
  if (flags.waitForIngress && !hasIngress(service)) {
    const type = service.spec.type ?? 'ClusterIP';
    if (type !== 'LoadBalancer') throw new UsageError(`${what} is a ${type} Service: only LoadBalancer Services get a load-balancer ingress`);
    const progress = createProgress(io.stderr, what);
    // On a terminal the elapsed time moves between polls too.
    const ticker = io.stderr.isTTY ? setInterval(() => progress.tick(), 250) : undefined;
    try {
      await client.waitForLoadBalancerIngress({
        namespace: target.namespace,
        name: target.name,
        timeoutMs: Math.max(1, deadline - Date.now()),
        intervalMs: flags.interval,
        onPoll: () => progress.poll(),
      });
    } finally {
      if (ticker) clearInterval(ticker);
      progress.done();
    }
    service = await client.readServiceStatus({ namespace: target.namespace, name: target.name });
  }
  write(renderService(service, flags.output));
  return ExitCode.OK;
}

function buildProgram(io: CliIo, redactor: Redactor, setExit: (code: number) => void): Command {
  const program = new Command('cce-svc')
    .description('Read the status of a Service on a Huawei Cloud CCE cluster.')
    .version('0.1.0')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(redactor.redact(text)),
      writeErr: (text) => io.stderr.write(redactor.redact(text)),
    })
    .showHelpAfterError('(run cce-svc status --help for usage)');

  program
    .command('status')
    .description('Print the status of a Service: type, cluster IP, ports and load-balancer ingress.')
    .argument('<namespace/name>', 'the Service, e.g. namespace-test/redis')
    .addOption(new Option('-o, --output <format>', 'output format').choices(OUTPUT_FORMATS).default('table'))
    .option('--wait-for-ingress', 'poll until a LoadBalancer Service has a load-balancer ingress, then print it')
    .option('--timeout <duration>', 'give up after this long (default 30s, or 5m with --wait-for-ingress)', duration)
    .addOption(new Option('--interval <duration>', 'first pause between polls with --wait-for-ingress (grows 1.5× up to 15s)').default(2_000, '2s').argParser(duration))
    .option('-s, --server <url>', 'API base URL, e.g. the mock server (env CCE_SERVER)')
    .option('--token <token>', 'IAM token sent as X-Auth-Token (env CCE_TOKEN, preferred)')
    .option('--cluster-id <id>', 'cluster ID, for the CCE API gateway (env CCE_CLUSTER_ID)')
    .option('--region <region>', 'region of the cluster, e.g. cn-north-4 (env CCE_REGION)')
    .option('--kubeconfig <file>', 'kubeconfig (e.g. kubeconfig.json from the CCE console): server, CA and client certificate')
    .option('--context <name>', 'kubeconfig context to use (default: its current-context)')
    .option('-v, --verbose', 'log each HTTP request (method, URL, status, time) to stderr; never headers or tokens')
    .addHelpText('after', EXAMPLES)
    .action(async (reference: string, flags: StatusFlags) => {
      try {
        setExit(await runStatus(reference, flags, io, redactor));
      } catch (error) {
        const { code, message } = classifyError(error, reference);
        io.stderr.write(redactor.redact(`cce-svc: ${message}\n`));
        setExit(code);
      }
    });

  program.addHelpText('after', EXAMPLES);
  return program;
}

/** Runs cce-svc with the arguments (without "node" and the script) and returns the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const redactor = createRedactor();
  preRegisterSecrets(argv, io.env, redactor);
  let exitCode: number = ExitCode.OK;
  const program = buildProgram(io, redactor, (code) => (exitCode = code));
  try {
    if (argv.length === 0) {
      program.outputHelp({ error: true });
      return ExitCode.USAGE;
    }
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are not errors; every other parse failure is a usage error.
      return error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help' ? ExitCode.OK : ExitCode.USAGE;
    }
    const { code, message } = classifyError(error, '');
    io.stderr.write(redactor.redact(`cce-svc: ${message}\n`));
    return code;
  }
}
