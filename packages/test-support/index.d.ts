// Types of @cci-openapi/test-support (the code is plain ESM JavaScript in src/).

export interface KeyPair {
  cert: string;
  key: string;
}

export interface TestPki {
  /** PEM of the CA that signed `server` and `client`. */
  ca: string;
  /** For 127.0.0.1 and localhost. */
  server: KeyPair;
  /** CN system:admin. */
  client: KeyPair;
  /** A client certificate from another CA: a server trusting `ca` must refuse it. */
  strangerClient: KeyPair;
  /** That other CA, which did not sign the server's certificate. */
  otherCa: string;
}

/** A fresh throw-away PKI for one test run. */
export function createTestPki(): Promise<TestPki>;

export interface RunProcessOptions {
  cwd?: string;
  /** The whole environment of the child; default the caller's. */
  env?: NodeJS.ProcessEnv;
  /** Written to the child's stdin, which is then closed; default no stdin. */
  input?: string;
  /** Kill the child and reject after this long; default 45 000 ms. */
  timeoutMs?: number;
}

export interface ProcessResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end; a non-zero exit is returned, not thrown. */
export function runProcess(
  command: string,
  args: readonly string[],
  options?: RunProcessOptions,
): Promise<ProcessResult>;
