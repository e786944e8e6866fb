// A kubeconfig's exec credential plugin (cci-iam-authenticator, aws eks get-token …) run as kubectl
// runs it: KUBERNETES_EXEC_INFO in its environment, no shell and no terminal, its ExecCredential
// read from stdout and kept until its expirationTimestamp, or until the server answers 401.
// One run at a time, however many requests wait; a failure is not retried in a loop. Its token
// goes in Authorization (get()); its client certificate, if it gives one, into the TLS handshake
// (exec-tls.ts follows onCredential()).
import { CciAuthError, CciInputError } from '../errors/classes.js';
import type { ExecPluginConfig } from './exec-config.js';
import { CredentialProblem, type ExecCredential, parseExecCredential } from './exec-credential.js';
import { configSecrets, exitError, outputError, runError } from './exec-errors.js';
import { type PluginOutput, RunProblem, type RunningPlugin, runPlugin } from './exec-process.js';
import { MAX_TIMER_MS } from '@cci-openapi/internals/timer-delay';
import type { RefreshableToken } from './token-source.js';

/** What client-go passes as spec.cluster when provideClusterInfo is set. */
export interface ExecClusterInfo {
  server: string;
  'certificate-authority-data'?: string;
  'tls-server-name'?: string;
  'insecure-skip-tls-verify'?: boolean;
  config?: unknown;
}

export interface ExecProviderOptions {
  /** How long one run may take before the plugin (and its process group) is killed. Default 30 000 ms. */
  timeoutMs?: number;
  /** What expirationTimestamp is compared with, and the pauses after failures are measured on. Default real time. */
  clock?: { now(): number };
  /** The environment the plugin's own entries are added to. Default this process's. */
  env?: NodeJS.ProcessEnv;
  /** The cluster, for a plugin with provideClusterInfo. */
  cluster?: ExecClusterInfo;
}

export interface ExecCredentialProvider extends RefreshableToken {
  /**
   * The token for the next request; undefined when the plugin gave only a client certificate
   * (presented by the connections of exec-tls.ts, not in a header).
   */
  get(): Promise<string | undefined>;
  /**
   * The server answered 401 to a request that carried this token (undefined: a request that
   * carried none, proved by the client certificate): the next call runs the plugin again.
   */
  invalidate(token: string | undefined): void;
  /** The whole credential (token and/or client certificate), cached like get()'s token. */
  credential(): Promise<ExecCredential>;
  /**
   * Calls `listener` with each credential a run gives, before the calls waiting for it are
   * answered (so connections made with an older client certificate can be retired first).
   */
  onCredential(listener: (credential: ExecCredential) => void): void;
  /** Kills a run in progress; every later call rejects. */
  close(): void;
}

const EXEC_DEFAULT_TIMEOUT_MS = 30_000;
const MAX_STDOUT_BYTES = 1024 * 1024;
const MAX_STDERR_BYTES = 64 * 1024;
/**
 * A credential is kept at least this long, whatever its expirationTimestamp says: a plugin whose
 * clock is behind (or that prints a token already expired) would otherwise run for every request.
 */
const MIN_KEEP_MS = 10_000;
/** A token from a run that a 401 caused is not renewed again for this long when it is refused too: one run per 401, not per request. */
const MIN_RENEW_AFTER_401_MS = 10_000;
/** How many of its last tokens (and client keys) are cut out of what a plugin says later (a token may linger in its stderr). */
const KEPT_TOKENS = 4;
/** After a failed run, its error is given to callers for this long (doubling per failure in a row, up to the max) before the next run. */
const FAILURE_PAUSE_MS = 1_000;
const MAX_FAILURE_PAUSE_MS = 30_000;

interface Cached {
  credential: ExecCredential;
  /** When it is to be renewed (epoch ms on the clock); Infinity: until the server refuses it. */
  renewAt: number;
  obtainedAt: number;
  /** The run was caused by a 401. */
  after401: boolean;
}

/** A plugin that needs a terminal cannot run under a library: refused when the client is made. */
function refuseInteractive(exec: ExecPluginConfig): void {
  if (exec.interactiveMode !== 'Always') return;
  throw new CciInputError(
    `exec plugin ${exec.command} has interactiveMode Always: it needs a terminal to ask for input, which a library cannot offer. ` +
      'Use a plugin mode that runs without one (interactiveMode IfAvailable or Never), or pass a token (bearerToken, getBearerToken).',
  );
}

/** What is cut out of everything shown about a plugin: its configuration's secrets and the last tokens (and keys) it gave. */
function secretMemory(exec: ExecPluginConfig) {
  const fromConfig = configSecrets(exec);
  const tokens: string[][] = [];
  return {
    secrets: () => [...fromConfig, ...tokens.flat()],
    remember(credential: ExecCredential) {
      const given = [
        ...(credential.token !== undefined ? [credential.token] : []),
        ...keySecrets(credential.clientCertificate?.key),
      ];
      if (given.length === 0) return;
      tokens.push(given);
      if (tokens.length > KEPT_TOKENS) tokens.shift();
    },
  };
}

interface Failure {
  error: Error;
  /** Until when the error is given to callers instead of a new run (epoch ms on the clock). */
  until: number;
  inARow: number;
}

/** The pause after a failed run: doubling per failure in a row, up to the max. */
function failureAfter(previous: Failure | undefined, error: Error, now: number): Failure {
  const inARow = (previous?.inARow ?? 0) + 1;
  return { error, inARow, until: now + Math.min(MAX_FAILURE_PAUSE_MS, FAILURE_PAUSE_MS * 2 ** (inARow - 1)) };
}

function closedError(exec: ExecPluginConfig): CciAuthError {
  return new CciAuthError(`exec plugin ${exec.command} is not run any more: the client was closed.`, {
    source: 'exec-plugin',
  });
}

export function createExecCredentialProvider(
  exec: ExecPluginConfig,
  options: ExecProviderOptions = {},
): ExecCredentialProvider {
  refuseInteractive(exec);
  const timeoutMs = checkExecTimeout(options.timeoutMs) ?? EXEC_DEFAULT_TIMEOUT_MS;
  const clock = options.clock ?? Date;
  const env = pluginEnv(exec, options.env ?? process.env, options.cluster);
  const { secrets, remember } = secretMemory(exec);
  const listeners: Array<(credential: ExecCredential) => void> = [];
  let cached: Cached | undefined;
  let inflight: Promise<ExecCredential> | undefined;
  let running: RunningPlugin | undefined;
  let failure: Failure | undefined;
  let nextAfter401 = false;
  let closed = false;

  async function runOnce(): Promise<ExecCredential> {
    const after401 = nextAfter401;
    nextAfter401 = false;
    running = runPlugin({
      command: exec.command,
      args: exec.args,
      env,
      timeoutMs,
      maxStdoutBytes: MAX_STDOUT_BYTES,
      maxStderrBytes: MAX_STDERR_BYTES,
    });
    try {
      const credential = credentialFrom(exec, await running.done, secrets());
      const now = clock.now();
      remember(credential);
      cached = { credential, renewAt: renewAt(credential, now), obtainedAt: now, after401 };
      failure = undefined;
      for (const listener of listeners) listener(credential);
      return credential;
    } catch (caught) {
      const error = caught instanceof RunProblem ? runError(exec, caught, timeoutMs, secrets()) : (caught as Error);
      failure = failureAfter(failure, error, clock.now());
      throw error;
    } finally {
      running = undefined;
    }
  }

  function credential(): Promise<ExecCredential> {
    if (closed) return Promise.reject(closedError(exec));
    const now = clock.now();
    if (cached && now < cached.renewAt) return Promise.resolve(cached.credential);
    // A plugin that just failed fails the calls of the next moments too, rather than run for each.
    if (!inflight && failure && now < failure.until) return Promise.reject(failure.error);
    inflight ??= runOnce().finally(() => {
      inflight = undefined;
    });
    return inflight;
  }

  return {
    credential,
    async get() {
      return (await credential()).token;
    },
    invalidate(token) {
      // An older token refused after a newer one came: the newer one stays. (A request without a
      // token refused matches a credential without one: which certificate it presented is not
      // known here, so an older certificate refused after a newer one came renews that one too.)
      if (!cached || cached.credential.token !== token) return;
      if (cached.after401 && clock.now() - cached.obtainedAt < MIN_RENEW_AFTER_401_MS) return;
      cached = undefined;
      nextAfter401 = true;
    },
    onCredential(listener) {
      listeners.push(listener);
    },
    close() {
      closed = true;
      running?.stop();
    },
  };
}

/**
 * A client key as secrets to cut out of what the plugin says later: the PEM whole, and each line
 * of its base64 body (a plugin that logs one line of it shows no PEM header for the redactor to find).
 */
function keySecrets(key: string | undefined): string[] {
  if (key === undefined) return [];
  const lines = key.split(/\r?\n/).filter((line) => line.length >= 16 && !line.startsWith('-----'));
  return [key, ...lines];
}

/** The execTimeoutMs option: undefined, or a finite positive number of ms (at most what a timer holds). */
export function checkExecTimeout(value: number | undefined): number | undefined {
  if (value !== undefined && (typeof value !== 'number' || !(value > 0) || value > MAX_TIMER_MS))
    throw new CciInputError(
      `execTimeoutMs must be a positive number of ms (at most ${MAX_TIMER_MS}), got ${String(value)}.`,
    );
  return value;
}

/** Checks a finished run: a failure status is the plugin's error; otherwise its stdout must be an ExecCredential. */
function credentialFrom(exec: ExecPluginConfig, output: PluginOutput, secrets: readonly string[]): ExecCredential {
  if (output.code !== 0) throw exitError(exec, output, secrets);
  try {
    return parseExecCredential(output.stdout, exec.apiVersion);
  } catch (error) {
    if (error instanceof CredentialProblem) throw outputError(exec, error.message, output, secrets);
    throw error;
  }
}

function renewAt(credential: ExecCredential, now: number): number {
  if (credential.expiresAt === undefined) return Infinity;
  return Math.max(credential.expiresAt, now + MIN_KEEP_MS);
}

/**
 * The plugin's environment as client-go builds it: this process's, then the kubeconfig's entries,
 * then KUBERNETES_EXEC_INFO saying that no terminal is on offer (and the cluster, when asked for).
 */
function pluginEnv(
  exec: ExecPluginConfig,
  base: NodeJS.ProcessEnv,
  cluster: ExecClusterInfo | undefined,
): NodeJS.ProcessEnv {
  const spec: Record<string, unknown> = { interactive: false };
  if (exec.provideClusterInfo && cluster)
    spec.cluster = { ...cluster, ...(exec.clusterConfig !== undefined && { config: exec.clusterConfig }) };
  const info = { apiVersion: exec.apiVersion, kind: 'ExecCredential', spec };
  const env: NodeJS.ProcessEnv = { ...base };
  for (const { name, value } of exec.env) env[name] = value;
  env.KUBERNETES_EXEC_INFO = JSON.stringify(info);
  return env;
}
