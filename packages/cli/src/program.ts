// The cci-svc command line (commander): each command's options and arguments, and the module that
// runs it (status.ts, get.ts, list.ts, create.ts, apply.ts, delete.ts); its errors become a message
// on stderr and the exit code.
import { MAX_TIMER_MS } from '@cci-openapi/internals/timer-delay';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import type { Environment } from './config.js';
import { forPeople, type CliIo } from './command-context.js';
import { parseDuration } from './duration.js';
import { classifyError } from './errors.js';
import { ExitCode } from './exit-codes.js';
import { OUTPUT_FORMATS } from './format.js';
import { registerEnvSecrets } from './credentials.js';
import { HELP_AFTER_OPTIONS } from './help-text.js';
import { createRedactor, urlCredentials, type Redactor } from './redact.js';
import { runGet, type GetFlags } from './get.js';
import { DEFAULT_NAMESPACE, listSubject, runList, type ListFlags } from './list.js';
import { SERVICE_OUTPUT_FORMATS } from './service-rows.js';
import { runStatus, type StatusFlags } from './status.js';
import { runCreate, CREATE_FIELD_MANAGER, type CreateFlags } from './create.js';
import { runApply, APPLY_FIELD_MANAGER, type ApplyFlags } from './apply.js';
import { runDelete, type DeleteFlags } from './delete.js';
import { DRY_RUN_STRATEGIES, WRITE_OUTPUT_FORMATS } from './write-run.js';

export type { CliIo } from './command-context.js';

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

/** Wraps a command's run: its errors become a message on stderr and the exit code. `describe` names what it acted on, for the message. */
type Act = <A extends unknown[]>(
  run: (...args: A) => Promise<number>,
  describe: (...args: A) => [what: string, subject?: string],
) => (...args: A) => Promise<void>;

/** What registering a command needs: the program, how its action runs, and what the run gets. */
interface Registry {
  program: Command;
  act: Act;
  io: CliIo;
  redactor: Redactor;
}

/** Where to connect and how: the same options on every command, then the examples. */
function connectionOptions(command: Command): Command {
  return command
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
    .addHelpText('after', HELP_AFTER_OPTIONS);
}

function registerStatus({ program, act, io, redactor }: Registry): void {
  const command = program
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
    );
  connectionOptions(command).action(
    act(
      (reference: string, flags: StatusFlags) => runStatus(reference, flags, io, redactor),
      (reference) => [reference],
    ),
  );
}

function registerGet({ program, act, io, redactor }: Registry): void {
  const command = program
    .command('get')
    .description('Print a Service (readCoreV1NamespacedService): its kubectl row, or the whole object as JSON or YAML.')
    .argument('<namespace/name>', 'the Service, e.g. namespace-test/redis')
    .addOption(
      new Option('-o, --output <format>', "table: kubectl's columns; wide: and SELECTOR; json/yaml: the object")
        .choices(SERVICE_OUTPUT_FORMATS)
        .default('table'),
    )
    .option('--timeout <duration>', 'give up after this long (default 30s)', duration);
  connectionOptions(command).action(
    act(
      (reference: string, flags: GetFlags) => runGet(reference, flags, io, redactor),
      (reference) => [reference],
    ),
  );
}

function registerList({ program, act, io, redactor }: Registry): void {
  const command = program
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
    );
  connectionOptions(command).action(
    act(
      (flags: ListFlags) => runList(flags, io, redactor),
      (flags) => [listSubject(flags), `namespace ${flags.namespace ?? DEFAULT_NAMESPACE}`],
    ),
  );
}

/** The end of each write command's description: how several objects are reported. */
const SEVERAL_OBJECTS =
  "\nEach object is reported on its own line (stdout: what was done, in kubectl's words; stderr: what failed and why), the next object is tried after a failure, and the exit code is non-zero when any failed.";

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

function registerCreate({ program, act, io, redactor }: Registry): void {
  const command = program
    .command('create')
    .summary('Create the Services of a file: service/NAME created')
    .description(
      `Create the Services of a file (createCoreV1NamespacedService): \`service/NAME created\`, as kubectl create.${SEVERAL_OBJECTS}`,
    );
  writeOptions(command, 'create', true)
    .addOption(
      new Option('-o, --output <format>', 'name: service/NAME; json/yaml: each created object').choices(
        WRITE_OUTPUT_FORMATS,
      ),
    )
    .addOption(validateOption())
    .option('--field-manager <name>', 'the manager the created fields are recorded under', CREATE_FIELD_MANAGER);
  connectionOptions(command).action(
    act(
      (flags: CreateFlags) => runCreate(flags, io, redactor),
      (flags) => [flags.filename],
    ),
  );
}

function registerApply({ program, act, io, redactor }: Registry): void {
  const command = program
    .command('apply')
    .summary('Server-side apply of the Services of a file: service/NAME created, configured or unchanged')
    .description(
      `Server-side apply of the Services of a file (PATCH application/apply-patch+yaml): \`service/NAME created\`, \`configured\` or \`unchanged\`, as kubectl apply.${SEVERAL_OBJECTS}`,
    );
  writeOptions(command, 'apply', true)
    .addOption(
      new Option(
        '-o, --output <format>',
        'name: service/NAME; json/yaml: the applied object (a v1 List for several)',
      ).choices(WRITE_OUTPUT_FORMATS),
    )
    .addOption(validateOption())
    .option('--field-manager <name>', 'the manager that owns the applied fields', APPLY_FIELD_MANAGER)
    .option('--force-conflicts', 'take over fields another manager owns instead of failing with 409 Conflict');
  connectionOptions(command).action(
    act(
      (flags: ApplyFlags) => runApply(flags, io, redactor),
      (flags) => [flags.filename],
    ),
  );
}

function registerDelete({ program, act, io, redactor }: Registry): void {
  const command = program
    .command('delete')
    .summary('Delete named Services, or those a file names: service "NAME" deleted')
    .description(
      `Delete Services by name (deleteCoreV1NamespacedService): \`service "NAME" deleted\`, as kubectl delete. Only named Services: no wildcard, selector or --all; a bare NAME prints the namespace it is deleted from.${SEVERAL_OBJECTS}`,
    )
    .argument(
      '[references...]',
      '<namespace>/<name>, or <name> in the namespace of -n (else the context\'s, else "default")',
    );
  writeOptions(command, 'delete', false).addOption(
    new Option('-o, --output <format>', 'name: service/NAME').choices(['name']),
  );
  connectionOptions(command).action(
    act(
      (references: string[], flags: DeleteFlags) => runDelete(references, flags, io, redactor),
      (references) => [references.join(' ')],
    ),
  );
}

function buildProgram(io: CliIo, redactor: Redactor, setExit: (code: number) => void): Command {
  const writeErr = forPeople(io.stderr, redactor);
  const program = new Command('cci-svc')
    .description(
      "Services on Huawei Cloud CCI (or a CCE cluster): read one Service's status or object, list them (with --watch), create, apply and delete them from files.",
    )
    .version('0.1.0')
    .exitOverride()
    .configureOutput({ writeOut: forPeople(io.stdout, redactor), writeErr })
    .showHelpAfterError('(run cci-svc <command> --help for usage: status, get, list, create, apply, delete)');
  const act: Act =
    (run, describe) =>
    async (...args) => {
      try {
        setExit(await run(...args));
      } catch (error) {
        const { code, message } = classifyError(error, ...describe(...args));
        writeErr(`cci-svc: ${message}\n`);
        setExit(code);
      }
    };
  const registry = { program, act, io, redactor };
  for (const register of [registerStatus, registerGet, registerList, registerCreate, registerApply, registerDelete])
    register(registry);
  program.addHelpText('after', HELP_AFTER_OPTIONS);
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
