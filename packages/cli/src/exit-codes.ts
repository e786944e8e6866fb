// Exit codes scripts can rely on. Documented in README.md and in `cci-svc --help`.
export const ExitCode = {
  /** The Service status was printed (and, with --wait-for-ingress, it has an ingress). */
  OK: 0,
  /** Any other failure: an API error (5xx, 429 after retries, …), an unreachable server, a bad answer. */
  API_ERROR: 1,
  /** The command line, the configuration or a file is wrong (bad flag, bad <namespace>/<name>, no server, a YAML error, an object that is not a v1 Service). */
  USAGE: 2,
  /** The Service (or its namespace) does not exist: 404. */
  NOT_FOUND: 3,
  /** The server refused the credentials: 401 or 403. */
  AUTH: 4,
  /** A request or the wait for an ingress ran out of time. */
  TIMEOUT: 5,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export const EXIT_CODES_HELP = `Exit codes:
  0  ok
  1  API error or unreachable server
  2  usage error (bad arguments, configuration or file; an object that is not a v1 Service)
  3  not found (404)
  4  authentication or authorisation failure (401, 403)
  5  timeout (request, or --wait-for-ingress)
  create, apply and delete with several objects: the code every failure shares, else 1`;
