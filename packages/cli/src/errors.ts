// From an error to what the user reads and the exit code a script sees.
import { isCciError } from '@cci-openapi/client';
import { ExitCode } from './exit-codes.js';

/** A problem with the command line or configuration, found before any request. */
export class UsageError extends Error {
  override name = 'UsageError';
}

const textOf = (value: unknown): string | undefined => (typeof value === 'string' && value ? value : undefined);

/**
 * The client's errors are recognised by their brand (isCciError), which holds across copies of the
 * client package, and not by class name, which any error can claim. `what` is what was read (for
 * "not authorised to read …"); `subject` what a 404 says is missing; `action` what was refused
 * ("read" for the reading commands, "create", "apply", "delete" for the writing ones).
 */
export function classifyError(
  error: unknown,
  what: string,
  subject = `Service ${what}`,
  action = 'read',
): { code: ExitCode; message: string } {
  if (error instanceof UsageError || isCciError(error, 'input'))
    return { code: ExitCode.USAGE, message: error.message };
  if (isCciError(error, 'timeout')) return { code: ExitCode.TIMEOUT, message: error.message };
  if (isCciError(error, 'api')) {
    const detail = textOf(error.body?.message) ?? error.message;
    const reason = error.reason ? ` ${error.reason}` : '';
    if (error.status === 404)
      return { code: ExitCode.NOT_FOUND, message: `${subject} not found (404${reason}: ${detail})` };
    if (error.status === 401 || error.status === 403) {
      const hint =
        error.status === 401
          ? ' — check the credentials (CCI_TOKEN, HUAWEICLOUD_SDK_AK/SK or CCI_IAM_*; IAM tokens expire after 24 h) or the kubeconfig'
          : '';
      return {
        code: ExitCode.AUTH,
        message: `not authorised to ${action} ${what} (${error.status}${reason}: ${detail})${hint}`,
      };
    }
    return { code: ExitCode.API_ERROR, message: `API error ${error.status}${reason}: ${detail}` };
  }
  if (isCciError(error, 'gateway')) {
    // The API gateway's own refusal: its code and message, and what to check.
    const said = `${error.code}: ${error.gatewayMessage}${error.requestId ? ` (request id ${error.requestId})` : ''}`;
    const code = error.status === 401 || error.status === 403 ? ExitCode.AUTH : ExitCode.API_ERROR;
    return {
      code,
      message: `the API gateway refused to ${action} ${what} (HTTP ${error.status} ${said})${error.hint ? `\nhint: ${error.hint}` : ''}`,
    };
  }
  if (isCciError(error, 'auth')) return { code: ExitCode.AUTH, message: error.message };
  if (isCciError(error, 'response')) return { code: ExitCode.API_ERROR, message: `unusable answer: ${error.message}` };
  if (error instanceof Error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const because = cause?.code ?? cause?.message;
    return { code: ExitCode.API_ERROR, message: because ? `${error.message} (${because})` : error.message };
  }
  return { code: ExitCode.API_ERROR, message: String(error) };
}
