// The cci-svc command line (commander): parsing, then the `status`, `get` and `list` actions.
import type { CciClient } from '@cci-openapi/client';
import { MAX_TIMER_MS } from '@cci-openapi/internals/timer-delay';
import type { Service } from '@cci-openapi/types';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import type { ConnectionFlags, Environment } from './config.js';
import {
  checkTokenLength,
  clientForCommand,
  commandDeadline,
  DEFAULT_REQUEST_TIMEOUT_MS,
  forPeople,
  type CliIo,
} from './command-context.js';
import { parseDuration } from './duration.js';
import { classifyError, UsageError } from './errors.js';
import { EXIT_CODES_HELP, ExitCode } from './exit-codes.js';
import { OUTPUT_FORMATS, renderService, type OutputFormat } from './format.js';
import { createProgress } from './progress.js';
import { registerEnvSecrets } from './credentials.js';
import { createRedactor, urlCredentials, type Redactor } from './redact.js';
import { parseReference } from './reference.js';
import { runGet, type GetFlags } from './get.js';
import { DEFAULT_NAMESPACE, listSubject, runList, type ListFlags } from './list.js';
import { SERVICE_OUTPUT_FORMATS } from './service-rows.js';
import { runCreate, CREATE_FIELD_MANAGER, type CreateFlags } from './create.js';
import { runApply, APPLY_FIELD_MANAGER, type ApplyFlags } from './apply.js';
import { runDelete, type DeleteFlags } from './delete.js';
import { DRY_RUN_STRATEGIES, WRITE_OUTPUT_FORMATS } from './write-run.js';

export type { CliIo } from './command-context.js';

interface StatusFlags extends ConnectionFlags {
  output: OutputFormat;
  waitForIngress?: boolean;
  timeout?: number;
  interval: number;
  verbose?: boolean;
}

const DEFAULT_WAIT_TIMEOUT_MS = 5 * 60_000;

function positiveInteger(text: string): number {
  const value = Number(text);
  if (!/^[0-9]+$/.test(text) || !Number.isSafeInteger(value) || value < 1)
    throw new InvalidArgumentError('expected a whole number ≥ 1');
  return value;
}

/** A duration flag in ms. Longer than a timer can hold (about 24.8 days) counts as that long: a longer one would fire at once. */
function duration(text: string): number {
  const ms = parseDuration(text);
  if (ms === undefined) throw new InvalidArgumentError('expected a duration such as 30s, 5m, 1m30s or 500ms');
  return Math.min(ms, MAX_TIMER_MS);
}

const EXAMPLES = `
Examples:
  # against the local mock API (npm start prints its URL), from the repository root, signed with
  # the mock's demo access key (fixed values of the local mock, printed by cci-mock)
  $ HUAWEICLOUD_SDK_AK=CCIMOCKDEMOAK0000001 HUAWEICLOUD_SDK_SK=cciMockDemoSecretKey0123456789abcdefABCD npx cci-svc status namespace-test/redis --server http://127.0.0.1:4010
  $ HUAWEICLOUD_SDK_AK=CCIMOCKDEMOAK0000001 HUAWEICLOUD_SDK_SK=cciMockDemoSecretKey0123456789abcdefABCD npx cci-svc get namespace-test/redis -o wide --server http://127.0.0.1:4010
  $ HUAWEICLOUD_SDK_AK=CCIMOCKDEMOAK0000001 HUAWEICLOUD_SDK_SK=cciMockDemoSecretKey0123456789abcdefABCD npx cci-svc list -n namespace-test -l app=redis -o wide --server http://127.0.0.1:4010
  # the same as the mock's demo IAM user (the client asks the mock's IAM for a token)
  $ CCI_IAM_USERNAME=demo-user CCI_IAM_PASSWORD=demo-Passw0rd CCI_IAM_DOMAIN=demo-account CCI_IAM_PROJECT=cn-north-4 CCI_IAM_ENDPOINT=http://127.0.0.1:4010 npx cci-svc status namespace-test/redis --server http://127.0.0.1:4010

  # CCI in a region, signing each request with an access key (AK/SK)
  $ export CCI_REGION=cn-north-4 HUAWEICLOUD_SDK_AK=… HUAWEICLOUD_SDK_SK=…
  $ cci-svc status namespace-test/redis --output yaml

  # a CCE cluster's API server, with the kubeconfig from the CCE console (exec plugins run as kubectl runs them)
  $ cci-svc list -n namespace-test --kubeconfig ~/kubeconfig.json

  # a line per change (ADDED, MODIFIED, DELETED) until Ctrl-C, or for 10 minutes
  $ cci-svc list -n namespace-test --watch --timeout 10m

  # wait until a LoadBalancer Service has its ingress, then print its IP as JSON
  $ cci-svc status namespace-test/web --wait-for-ingress --timeout 5m -o json | jq -r '.status.loadBalancer.ingress[0].ip'

  # create, apply (server-side) and delete the Services of a file; try first with --dry-run=server
  $ cci-svc apply -f web.yaml -n namespace-test --dry-run=server
  $ cci-svc apply -f web.yaml -n namespace-test
  $ cat web.yaml | cci-svc create -f - -n namespace-test -o name
  $ cci-svc delete namespace-test/web

Signing in (environment only: secrets are never flags; set one way):
  HUAWEICLOUD_SDK_AK, HUAWEICLOUD_SDK_SK   an access key pair: every request is signed (SDK-HMAC-SHA256)
  HUAWEICLOUD_SDK_SECURITY_TOKEN           with a temporary access key
  HUAWEICLOUD_SDK_PROJECT_ID               sent as X-Project-Id
  CCI_IAM_USERNAME, CCI_IAM_PASSWORD, CCI_IAM_DOMAIN
                  an IAM user: a token is asked from IAM (CCI_IAM_PROJECT, CCI_IAM_ENDPOINT optional)
  CCI_TOKEN       an IAM token, sent as X-Auth-Token

Environment:
  CCI_REGION      CCI's region, e.g. cn-north-4: https://cci.{region}.myhuaweicloud.com
  CCI_SERVER      API base URL, as --server (a CCE cluster's API server, the mock)

${EXIT_CODES_HELP}`;

/**
 * The environment's secrets and URL credentials given on the command line are known before
 * parsing, so even parse errors cannot show them.
 */
function preRegisterSecrets(argv: readonly string[], env: Environment, redactor: Redactor): void {
  registerEnvSecrets(env, redactor);
  for (const credential of urlCredentials(env.CCI_SERVER)) redactor.add(credential);
  argv.forEach((arg, index) => {
    const next = argv[index + 1];
    // There is no --token flag (secrets are never flags), but a habit or an old script may still
    // pass one: its value must not come back in the "unknown option" message.
    if (arg === '--token') redactor.add(next);
    else if (arg.startsWith('--token=')) redactor.add(arg.slice('--token='.length));
    else if (arg === '--server' || arg === '-s')
      for (const credential of urlCredentials(next)) redactor.add(credential);
    else if (arg.startsWith('--server='))
      for (const credential of urlCredentials(arg.slice('--server='.length))) redactor.add(credential);
    else if (arg.startsWith('-s') && arg.length > 2)
      for (const credential of urlCredentials(arg.slice(2))) redactor.add(credential);
  });
}

function hasIngress(service: Service): boolean {
  return (service.status?.loadBalancer?.ingress?.length ?? 0) > 0;
}

async function runStatus(reference: string, flags: StatusFlags, io: CliIo, redactor: Redactor): Promise<number> {
  const write = forPeople(io.stdout, redactor);
  const writeErr = forPeople(io.stderr, redactor);
  const log = (line: string) => writeErr(`${line}\n`);
  const target = parseReference(reference);
  if ('problem' in target) throw new UsageError(target.problem);
  checkTokenLength(io.env);
  const what = `${target.namespace}/${target.name}`;
  const totalMs = flags.timeout ?? (flags.waitForIngress ? DEFAULT_WAIT_TIMEOUT_MS : DEFAULT_REQUEST_TIMEOUT_MS);
  // <namespace>/<name> names the namespace: a kubeconfig context's namespace does not apply.
  const { client } = await clientForCommand(flags, io, totalMs, log, redactor);
  const deadline = commandDeadline(totalMs, what);
  try {
    return await readAndPrint(client, target, what, totalMs, deadline.signal, flags, io, redactor, write);
  } finally {
    deadline.clear();
    // Releases the connection pool (the kubeconfig client's TLS agent) so the process can exit at once.
    await client.close();
  }
}

async function readAndPrint(
  client: CciClient,
  target: { namespace: string; name: string },
  what: string,
  totalMs: number,
  signal: AbortSignal,
  flags: StatusFlags,
  io: CliIo,
  redactor: Redactor,
  write: (text: string) => void,
): Promise<number> {
  const deadline = Date.now() + totalMs;
  let service = await client.readServiceStatus({ namespace: target.namespace, name: target.name, signal });
  if (flags.waitForIngress && !hasIngress(service)) {
    const type = service.spec?.type ?? 'ClusterIP';
    if (type !== 'LoadBalancer')
      throw new UsageError(`${what} is a ${type} Service: only LoadBalancer Services get a load-balancer ingress`);
    // Redacted like every other line; the progress module escapes the text and adds only its own line control.
    const progress = createProgress(
      { isTTY: io.stderr.isTTY, write: (text: string) => io.stderr.write(redactor.redact(text)) },
      what,
    );
    // On a terminal the elapsed time moves between polls too.
    const ticker = io.stderr.isTTY ? setInterval(() => progress.tick(), 250) : undefined;
    try {
      await client.waitForLoadBalancerIngress({
        namespace: target.namespace,
        name: target.name,
        timeoutMs: Math.max(1, deadline - Date.now()),
        intervalMs: flags.interval,
        signal,
        // Every step of the client's wait: its first read and polls, watch events, and the
        // fallback from the watch to polling when the server refuses the watch (403/405).
        onProgress: (step) => {
          if (step.type === 'read' || step.type === 'poll') progress.poll();
          else if (step.type === 'event') progress.event();
          else if (step.type === 'fallback')
            progress.note(
              `the server refused the watch (${step.error.status}${step.error.reason ? ` ${step.error.reason}` : ''}): polling instead`,
            );
        },
      });
    } finally {
      if (ticker) clearInterval(ticker);
      progress.done();
    }
    service = await client.readServiceStatus({ namespace: target.namespace, name: target.name, signal });
  }
  write(renderService(service, flags.output));
  return ExitCode.OK;
}

type Act = <A extends unknown[]>(
  run: (...args: A) => Promise<number>,
  describe: (...args: A) => [what: string, subject?: string],
) => (...args: A) => Promise<void>;

/** The options create, apply and delete share: the file, the namespace, the dry run, the time limit. */
function writeOptions(command: Command, verb: string, fileRequired: boolean): Command {
  const file = `the manifest: YAML or JSON, several documents split by ---, or a v1 List; - reads stdin (at most 8 MiB and 1000 objects)`;
  if (fileRequired) command.requiredOption('-f, --filename <file>', file);
  else command.option('-f, --filename <file>', `${file}; instead of <namespace>/<name>`);
  return command
    .option(
      '-n, --namespace <namespace>',
      `for objects that name none (default: the kubeconfig context's namespace, else "${DEFAULT_NAMESPACE}"); an object naming another is refused`,
    )
    .addOption(
      new Option(
        '--dry-run <strategy>',
        `server: the server checks and answers as if it would ${verb}, and nothing is stored (the lines end in "(server dry run)")`,
      )
        .choices(DRY_RUN_STRATEGIES)
        .default('none'),
    )
    .option('--timeout <duration>', 'give up on an object after this long (default 30s, for each object)', duration);
}

/** kubectl's --validate (true by default; --validate=false sends fields the schema does not know, which the server drops). */
function validateOption(): Option {
  return new Option(
    '--validate [bool]',
    'check each object against the Service schema before sending: an unknown field (the server would drop it without a word) or a wrong type refuses the object',
  )
    .argParser((text: string) => {
      if (text === 'true') return true;
      if (text === 'false') return false;
      throw new InvalidArgumentError('expected true or false');
    })
    .default(true);
}

function registerWrites(
  program: Command,
  connection: (command: Command) => Command,
  act: Act,
  io: CliIo,
  redactor: Redactor,
): void {
  const several =
    "\nEach object is reported on its own line (stdout: what was done, in kubectl's words; stderr: what failed and why), the next object is tried after a failure, and the exit code is non-zero when any failed.";
  connection(
    writeOptions(
      program
        .command('create')
        .summary('Create the Services of a file: service/NAME created')
        .description(
          `Create the Services of a file (createCoreV1NamespacedService): \`service/NAME created\`, as kubectl create.${several}`,
        ),
      'create',
      true,
    )
      .addOption(
        new Option('-o, --output <format>', 'name: service/NAME; json/yaml: each created object').choices(
          WRITE_OUTPUT_FORMATS,
        ),
      )
      .addOption(validateOption())
      .option('--field-manager <name>', 'the manager the created fields are recorded under', CREATE_FIELD_MANAGER),
  ).action(
    act(
      (flags: CreateFlags) => runCreate(flags, io, redactor),
      (flags) => [flags.filename],
    ),
  );

  connection(
    writeOptions(
      program
        .command('apply')
        .summary('Server-side apply of the Services of a file: service/NAME created, configured or unchanged')
        .description(
          `Server-side apply of the Services of a file (PATCH application/apply-patch+yaml): \`service/NAME created\`, \`configured\` or \`unchanged\`, as kubectl apply.${several}`,
        ),
      'apply',
      true,
    )
      .addOption(
        new Option(
          '-o, --output <format>',
          'name: service/NAME; json/yaml: the applied object (a v1 List for several)',
        ).choices(WRITE_OUTPUT_FORMATS),
      )
      .addOption(validateOption())
      .option('--field-manager <name>', 'the manager that owns the applied fields', APPLY_FIELD_MANAGER)
      .option('--force-conflicts', 'take over fields another manager owns instead of failing with 409 Conflict'),
  ).action(
    act(
      (flags: ApplyFlags) => runApply(flags, io, redactor),
      (flags) => [flags.filename],
    ),
  );

  connection(
    writeOptions(
      program
        .command('delete')
        .summary('Delete named Services, or those a file names: service "NAME" deleted')
        .description(
          `Delete Services by name (deleteCoreV1NamespacedService): \`service "NAME" deleted\`, as kubectl delete. Only named Services: no wildcard, selector or --all; a bare NAME prints the namespace it is deleted from.${several}`,
        )
        .argument(
          '[references...]',
          '<namespace>/<name>, or <name> in the namespace of -n (else the context\'s, else "default")',
        ),
      'delete',
      false,
    ).addOption(new Option('-o, --output <format>', 'name: service/NAME').choices(['name'])),
  ).action(
    act(
      (references: string[], flags: DeleteFlags) => runDelete(references, flags, io, redactor),
      (references) => [references.join(' ')],
    ),
  );
}

function buildProgram(io: CliIo, redactor: Redactor, setExit: (code: number) => void): Command {
  const writeOut = forPeople(io.stdout, redactor);
  const writeErr = forPeople(io.stderr, redactor);
  const program = new Command('cci-svc')
    .description(
      "Services on Huawei Cloud CCI (or a CCE cluster): read one Service's status or object, list them (with --watch), create, apply and delete them from files.",
    )
    .version('0.1.0')
    .exitOverride()
    .configureOutput({
      writeOut,
      writeErr,
    })
    .showHelpAfterError('(run cci-svc <command> --help for usage: status, get, list, create, apply, delete)');

  /** Where to connect and how: the same options on every command. */
  const connection = (command: Command) =>
    command
      .option('-s, --server <url>', 'API base URL, e.g. the mock server (env CCI_SERVER)')
      .option(
        '--region <region>',
        "CCI's region, e.g. cn-north-4: https://cci.{region}.myhuaweicloud.com (env CCI_REGION)",
      )
      .option(
        '--kubeconfig <file>',
        "kubeconfig (a CCE cluster's from the CCE console, or one whose user runs cci-iam-authenticator): server, CA, certificate, token or exec plugin",
      )
      .option('--context <name>', 'kubeconfig context to use (default: its current-context)')
      .option('-v, --verbose', 'log each HTTP request (method, URL, status, time) to stderr; never headers or tokens')
      .addHelpText('after', EXAMPLES);

  /** Runs a command's action; its errors become a message on stderr and the exit code. */
  const act =
    <A extends unknown[]>(
      run: (...args: A) => Promise<number>,
      describe: (...args: A) => [what: string, subject?: string],
    ) =>
    async (...args: A) => {
      try {
        setExit(await run(...args));
      } catch (error) {
        const { code, message } = classifyError(error, ...describe(...args));
        writeErr(`cci-svc: ${message}\n`);
        setExit(code);
      }
    };

  connection(
    program
      .command('status')
      .description('Print the status of a Service: type, cluster IP, ports and load-balancer ingress.')
      .argument('<namespace/name>', 'the Service, e.g. namespace-test/redis')
      .addOption(new Option('-o, --output <format>', 'output format').choices(OUTPUT_FORMATS).default('table'))
      .option(
        '--wait-for-ingress',
        'wait (watching the Service) until a LoadBalancer Service has a load-balancer ingress, then print it',
      )
      .option('--timeout <duration>', 'give up after this long (default 30s, or 5m with --wait-for-ingress)', duration)
      .addOption(
        new Option(
          '--interval <duration>',
          'first pause between polls with --wait-for-ingress when polling (grows 1.5× up to 15s)',
        )
          .default(2_000, '2s')
          .argParser(duration),
      ),
  ).action(
    act(
      (reference: string, flags: StatusFlags) => runStatus(reference, flags, io, redactor),
      (reference) => [reference],
    ),
  );

  connection(
    program
      .command('get')
      .description(
        'Print a Service (readCoreV1NamespacedService): its kubectl row, or the whole object as JSON or YAML.',
      )
      .argument('<namespace/name>', 'the Service, e.g. namespace-test/redis')
      .addOption(
        new Option('-o, --output <format>', "table: kubectl's columns; wide: and SELECTOR; json/yaml: the object")
          .choices(SERVICE_OUTPUT_FORMATS)
          .default('table'),
      )
      .option('--timeout <duration>', 'give up after this long (default 30s)', duration),
  ).action(
    act(
      (reference: string, flags: GetFlags) => runGet(reference, flags, io, redactor),
      (reference) => [reference],
    ),
  );

  connection(
    program
      .command('list')
      .description(
        'List Services page by page, printed as `kubectl get svc` prints them; --watch adds a line per change.',
      )
      .option(
        '-n, --namespace <namespace>',
        `the namespace to list (default: the kubeconfig context's namespace, else "${DEFAULT_NAMESPACE}")`,
      )
      .option('-A, --all-namespaces', 'list across all namespaces (adds a NAMESPACE column)')
      .option('-l, --selector <selector>', 'label selector, e.g. app=redis,tier in (cache,db),!canary')
      .option('--field-selector <selector>', 'field selector: metadata.name=… or metadata.namespace=…')
      .addOption(
        new Option('-o, --output <format>', "table: kubectl's columns; wide: and SELECTOR; json/yaml: a v1 List")
          .choices(SERVICE_OUTPUT_FORMATS)
          .default('table'),
      )
      .option(
        '-w, --watch',
        'after the list, print a line per change (EVENT column: ADDED, MODIFIED, DELETED) until Ctrl-C or --timeout',
      )
      .addOption(
        new Option('--chunk-size <n>', 'Services per request (the list is paged with limit/continue)')
          .default(500)
          .argParser(positiveInteger),
      )
      .option(
        '--timeout <duration>',
        'give up after this long (default 30s); with --watch, stop watching then (exit 0)',
        duration,
      ),
  ).action(
    act(
      (flags: ListFlags) => runList(flags, io, redactor),
      (flags) => [listSubject(flags), `namespace ${flags.namespace ?? DEFAULT_NAMESPACE}`],
    ),
  );

  registerWrites(program, connection, act, io, redactor);
  program.addHelpText('after', EXAMPLES);
  return program;
}

/** Runs cci-svc with the arguments (without "node" and the script) and returns the exit code. */
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
      return error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.version' ||
        error.code === 'commander.help'
        ? ExitCode.OK
        : ExitCode.USAGE;
    }
    const { code, message } = classifyError(error, '');
    forPeople(io.stderr, redactor)(`cci-svc: ${message}\n`);
    return code;
  }
}
