// The typed errors of a credential plugin that failed, worded for the person who has to fix it:
// which plugin, what happened, what it said on stderr. What it said is cleaned first: the token and
// anything else it printed on stdout, and the credentials the kubeconfig hands it (env values,
// --password-style arguments), are cut out, and so are terminal escapes.
import { CciAuthError, CciTimeoutError, type CciError } from '../errors/classes.js';
import { REDACTED, redact } from '@cci-openapi/internals/redact';
import type { ExecPluginConfig } from './exec-config.js';
import { secretsIn, TOKEN_LIKE } from './exec-credential.js';
import type { PluginOutput, RunProblem } from './exec-process.js';

/** How much of the plugin's stderr a message shows. */
const STDERR_SHOWN_CHARS = 4096;
/** The name of an env entry or a flag whose value is a credential. */
const SECRET_NAME = /pass|secret|token|key|credential|auth|(^|[-_])(ak|sk)$/i;

/** What to hide in anything shown about one plugin: from its configuration, and tokens it gave before. */
export function configSecrets(exec: ExecPluginConfig): string[] {
  const secrets = exec.env.filter((entry) => SECRET_NAME.test(entry.name)).map((entry) => entry.value);
  exec.args.forEach((arg, index) => {
    const flag = /^--?([^=]+)(?:=(.*))?$/s.exec(arg);
    if (!flag || !SECRET_NAME.test(flag[1]!)) return;
    const value = flag[2] ?? exec.args[index + 1];
    if (value) secrets.push(value);
  });
  return secrets;
}

/** The error for a run that ended without output to use: not installed, killed at the time limit, too much output, stopped. */
export function runError(
  exec: ExecPluginConfig,
  problem: RunProblem,
  timeoutMs: number,
  secrets: readonly string[],
): CciError {
  const name = `exec plugin ${exec.command}`;
  const said = stderrPart(problem.output, exec, secrets);
  switch (problem.reason) {
    case 'not-found': {
      const where = exec.command.includes('/') ? '' : ' on PATH';
      const hint = exec.installHint
        ? `\n${clean(exec.installHint)}`
        : ' The kubeconfig gives no installHint: install the program it names, or pass a token (bearerToken).';
      return new CciAuthError(`${name} is not installed (not found${where}).${hint}`, { source: 'exec-plugin' });
    }
    case 'not-runnable':
      return new CciAuthError(
        `${name} could not be started (${problem.code ?? 'unknown error'}): check that it is an executable program.`,
        {
          source: 'exec-plugin',
        },
      );
    case 'timeout':
      return new CciTimeoutError(`${name} did not finish within ${timeoutMs} ms and was killed.${said}`);
    case 'stdout-too-large':
      return new CciAuthError(
        `${name} printed more than ${problem.output.stdout.length} bytes on stdout (an ExecCredential is small) and was stopped.${said}`,
        {
          source: 'exec-plugin',
        },
      );
    case 'stopped':
      return new CciAuthError(`${name} was stopped: the client was closed.`, { source: 'exec-plugin' });
  }
}

/** The error for a plugin that exited with a failure status or was ended by a signal. */
export function exitError(exec: ExecPluginConfig, output: PluginOutput, secrets: readonly string[]): CciAuthError {
  const how =
    output.code !== null ? `exited with status ${output.code}` : `was ended by signal ${output.signal ?? 'unknown'}`;
  return new CciAuthError(`exec plugin ${exec.command} ${how}.${stderrPart(output, exec, secrets)}`, {
    source: 'exec-plugin',
    ...(output.code !== null && { exitCode: output.code }),
  });
}

/** The error for output that is not a usable ExecCredential (`problem` says why, without quoting it). */
export function outputError(
  exec: ExecPluginConfig,
  problem: string,
  output: PluginOutput,
  secrets: readonly string[],
): CciAuthError {
  const all = [...secrets, ...secretsIn(output.stdout, exec.apiVersion)];
  return new CciAuthError(redact(`exec plugin ${exec.command} ${problem}.`, all), { source: 'exec-plugin' });
}

/** " Its stderr: …" with the secrets cut out, or nothing when it wrote none. */
function stderrPart(output: PluginOutput, exec: ExecPluginConfig, secrets: readonly string[]): string {
  const text = clean(output.stderr).trim();
  if (text === '') return ' It wrote nothing on stderr.';
  const shown =
    text.length > STDERR_SHOWN_CHARS
      ? `${text.slice(0, STDERR_SHOWN_CHARS)}\n… (cut)`
      : output.stderrTruncated
        ? `${text}\n… (cut)`
        : text;
  return ` Its stderr:\n${hideStdout(redact(shown, [...secrets, ...secretsIn(output.stdout, exec.apiVersion)]), output.stdout)}`;
}

/** Whatever in `text` looks like a token and was also printed on stdout (the list of secrets is capped; this is not). */
function hideStdout(text: string, stdout: Buffer): string {
  if (stdout.length === 0) return text;
  const printed = stdout.toString('utf8');
  return text.replace(TOKEN_LIKE, (run) => (run !== REDACTED && printed.includes(run) ? REDACTED : run));
}

// CSI and OSC sequences whole, then any other control character but newline and tab, and the BiDi
// overrides: stderr is shown in terminals and logs, where an escape could rewrite what is read.
const ESCAPES =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
  /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

function clean(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(ESCAPES, '');
}
