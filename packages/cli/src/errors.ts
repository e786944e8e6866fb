// From an error to what the user reads and the exit code a script sees.
import { ExitCode } from './exit-codes.js';

/** A problem with the command line or configuration, found before any request. */
export class UsageError extends Error {
  override name = 'UsageError';
}

interface ApiErrorLike extends Error {
  status: number;
  reason?: string;
  body?: { message?: string };
}

// Matched by name as well as by class, so a second copy of the client package still classifies.
const isNamed = (error: unknown, name: string): error is Error => error instanceof Error && (error.name === name || error.constructor?.name === name);

export function classifyError(error: unknown, what: string): { code: ExitCode; message: string } {
  if (error instanceof UsageError || isNamed(error, 'CceInputError')) return { code: ExitCode.USAGE, message: (error as Error).message };
  if (isNamed(error, 'CceTimeoutError')) return { code: ExitCode.TIMEOUT, message: (error as Error).message };
  if (isNamed(error, 'CceApiError')) {
    const api = error as ApiErrorLike;
    const detail = api.body?.message ?? api.message;
    const reason = api.reason ? ` ${api.reason}` : '';
    if (api.status === 404) return { code: ExitCode.NOT_FOUND, message: `Service ${what} not found (404${reason}: ${detail})` };
    if (api.status === 401 || api.status === 403) {
      const hint = api.status === 401 ? ' — check the token (--token or CCE_TOKEN; IAM tokens expire after 24 h) or the kubeconfig credentials' : '';
      return { code: ExitCode.AUTH, message: `not authorised to read ${what} (${api.status}${reason}: ${detail})${hint}` };
    }
    return { code: ExitCode.API_ERROR, message: `API error ${api.status}${reason}: ${detail}` };
  }
  if (error instanceof Error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const because = cause?.code ?? cause?.message;
    return { code: ExitCode.API_ERROR, message: because ? `${error.message} (${because})` : error.message };
  }
  return { code: ExitCode.API_ERROR, message: String(error) };
}
