// One run of a credential plugin, with every resource bounded: no shell (the arguments are a list,
// never a command line), no terminal (stdin is /dev/null; on POSIX the plugin gets a session of
// its own, so it cannot even open /dev/tty to prompt), a time limit after which its whole process
// group is killed, and capped output.
import { type ChildProcess, spawn } from 'node:child_process';
import { clampDelay } from '@cci-openapi/internals/timer-delay';

export interface PluginRun {
  command: string;
  args: readonly string[];
  /** The plugin's whole environment. */
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  maxStdoutBytes: number;
  maxStderrBytes: number;
}

export interface PluginOutput {
  /** The exit code, or null when a signal ended it. */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: Buffer;
  /** The first maxStderrBytes of stderr. */
  stderr: string;
  stderrTruncated: boolean;
}

/** Why a run gave no output to look at. The plugin module turns it into a typed error with a message. */
export type RunProblemReason = 'not-found' | 'not-runnable' | 'timeout' | 'stdout-too-large' | 'stopped';

export class RunProblem extends Error {
  override name = 'RunProblem';
  constructor(
    readonly reason: RunProblemReason,
    /** What the plugin printed until then (stdout only to find secrets to hide, never to show). */
    readonly output: PluginOutput,
    /** The errno code when it could not be started (ENOENT, EACCES …). */
    readonly code?: string,
  ) {
    super(reason);
  }
}

export interface RunningPlugin {
  /** Resolves when the plugin has exited and its output is read; rejects with a RunProblem. */
  done: Promise<PluginOutput>;
  /** Kills it now (the client was closed); done rejects with reason 'stopped'. */
  stop(): void;
}

/** After the plugin exits, how long its output may take to drain before the pipes are closed (a grandchild may hold them). */
const DRAIN_AFTER_EXIT_MS = 2_000;
/** POSIX: a process group of its own, so a timeout kills the plugin's children too. */
const OWN_GROUP = process.platform !== 'win32';

export function runPlugin(run: PluginRun): RunningPlugin {
  const stdout = capped(run.maxStdoutBytes);
  const stderr = capped(run.maxStderrBytes);
  const output = (code: number | null = null, signal: NodeJS.Signals | null = null): PluginOutput => ({
    code,
    signal,
    stdout: stdout.bytes(),
    stderr: stderr.bytes().toString('utf8'),
    stderrTruncated: stderr.truncated(),
  });
  let child: ChildProcess | undefined;
  let settle: ((result: { output: PluginOutput } | { problem: RunProblem }) => void) | undefined;
  const done = new Promise<PluginOutput>((resolve, reject) => {
    settle = (result) => {
      if (!settle) return;
      settle = undefined;
      clearTimeout(timer);
      clearTimeout(drainTimer);
      if (child) untrack(child);
      if ('problem' in result) reject(result.problem);
      else resolve(result.output);
    };
  });
  const fail = (reason: RunProblemReason, code?: string) => {
    if (child) killGroup(child);
    settle?.({ problem: new RunProblem(reason, output(), code) });
  };
  const timer = setTimeout(() => fail('timeout'), clampDelay(run.timeoutMs));
  let drainTimer: ReturnType<typeof setTimeout> | undefined;
  try {
    child = spawn(run.command, [...run.args], {
      env: run.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: OWN_GROUP,
      shell: false,
      windowsHide: true,
    });
  } catch (error) {
    // spawn throws synchronously for arguments it refuses (a NUL byte was checked before; EINVAL, E2BIG …).
    fail('not-runnable', (error as NodeJS.ErrnoException).code ?? 'EINVAL');
    return { done, stop: noop };
  }
  track(child);
  child.stdout!.on('data', (chunk: Buffer) => {
    if (!stdout.add(chunk)) fail('stdout-too-large');
  });
  child.stderr!.on('data', (chunk: Buffer) => void stderr.add(chunk));
  child.on('error', (error: NodeJS.ErrnoException) =>
    fail(error.code === 'ENOENT' ? 'not-found' : 'not-runnable', error.code),
  );
  child.on('exit', () => {
    if (!settle) return;
    drainTimer = setTimeout(() => {
      child!.stdout!.destroy();
      child!.stderr!.destroy();
      settle?.({ output: output(child!.exitCode, child!.signalCode) });
    }, DRAIN_AFTER_EXIT_MS);
  });
  child.on('close', (code: number | null, signal: NodeJS.Signals | null) => settle?.({ output: output(code, signal) }));
  return { done, stop: () => fail('stopped') };
}

const noop = () => {};

/** A byte buffer that keeps at most `max` bytes; add() says whether everything fit. */
function capped(max: number) {
  const chunks: Buffer[] = [];
  let size = 0;
  let over = false;
  return {
    add(chunk: Buffer): boolean {
      const room = max - size;
      if (chunk.length > room) over = true;
      const kept = chunk.length > room ? chunk.subarray(0, Math.max(0, room)) : chunk;
      if (kept.length > 0) {
        chunks.push(kept);
        size += kept.length;
      }
      return !over;
    },
    bytes: () => Buffer.concat(chunks, size),
    truncated: () => over,
  };
}

/** SIGKILL to the plugin's process group (its children too); to the plugin alone where there are no groups. */
function killGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    if (OWN_GROUP) process.kill(-child.pid, 'SIGKILL');
    else child.kill('SIGKILL');
  } catch {
    // Already gone.
  }
}

// A plugin in a group of its own does not get the terminal's Ctrl-C: should this process exit
// while one runs, it is killed on the way out rather than left behind.
const running = new Set<ChildProcess>();
const killRunning = () => {
  for (const child of running) killGroup(child);
};

function track(child: ChildProcess): void {
  if (running.size === 0) process.on('exit', killRunning);
  running.add(child);
}

function untrack(child: ChildProcess): void {
  if (!running.delete(child)) return;
  if (running.size === 0) process.off('exit', killRunning);
  // Children it left in its group once it exited are not ours to kill; the pipes are closed either way.
}
