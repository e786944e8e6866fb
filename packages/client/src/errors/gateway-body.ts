import { CciGatewayError, type GatewayErrorBody } from './classes.js';
import { redact } from '@cci-openapi/internals/redact';

// Huawei Cloud's API gateway answers its own refusals (sign-in, throttling) with
// {"error_code", "error_msg", "request_id"}, not a Kubernetes Status (see the facts on CCI and the
// gateway in the project's source documents). Codes are `APIGW.xxxx`; newer gateways write `APIG.xxxx`.

/** How far X-Sdk-Date may be from the gateway's clock before a signature is refused. */
const SIGNATURE_WINDOW_MS = 15 * 60_000;

/** The gateway's body, or undefined when `text` is something else (a Kubernetes Status, HTML …). */
export function parseGatewayBody(text: string): GatewayErrorBody | undefined {
  if (text?.charCodeAt(0) !== 0x7b /* { */) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { error_code: code, error_msg: message, request_id: requestId } = value as Record<string, unknown>;
  if (typeof code !== 'string' || typeof message !== 'string') return undefined;
  return { error_code: code, error_msg: message, ...(typeof requestId === 'string' && { request_id: requestId }) };
}

/** How far this machine's clock is from the server's `Date` header, in ms (positive: ahead), if it says. */
function clockSkewMs(dateHeader: string | null, now: number): number | undefined {
  const serverTime = dateHeader === null ? Number.NaN : Date.parse(dateHeader);
  return Number.isNaN(serverTime) ? undefined : now - serverTime;
}

function describeSkew(skewMs: number): string {
  const minutes = Math.round(Math.abs(skewMs) / 60_000);
  return `this machine's clock is ${minutes} minute${minutes === 1 ? '' : 's'} ${skewMs > 0 ? 'ahead of' : 'behind'} the gateway's`;
}

/** What to check for a refusal, by code and message; undefined when nothing useful can be said. */
function gatewayHint(
  status: number,
  body: GatewayErrorBody,
  dateHeader: string | null,
  now = Date.now(),
): string | undefined {
  const number = body.error_code.replace(/^APIGW?\./, '');
  const text = body.error_msg.toLowerCase();
  const skew = clockSkewMs(dateHeader, now);
  if (skew !== undefined && Math.abs(skew) > SIGNATURE_WINDOW_MS && status === 401) {
    return `${describeSkew(skew)}: signed requests are refused when X-Sdk-Date is more than 15 minutes off. Set the clock right (NTP).`;
  }
  if (number === '0307')
    return 'The token expired or was issued for another region: get a new IAM token for this region.';
  if (number === '0302') return 'The IAM user is not allowed to call this API: check its IAM policies for CCI.';
  if (number === '0308') return 'Throttled: too many requests for this user or API; wait and send fewer.';
  if (number !== '0301') return undefined;
  // A signature failure may echo the canonical request (newlines as `|`), whose header list names
  // x-sdk-date: only the sentence before it says what went wrong.
  const said = text.split('|')[0]!;
  if (
    /x-sdk-date|\bdate\b|\btime\b|clock/.test(said) &&
    /expire|minute|skew|window|too old|future|clock|out of/.test(said) &&
    !said.includes('token')
  ) {
    return "Check this machine's clock: signed requests are refused when X-Sdk-Date is more than 15 minutes from the gateway's time.";
  }
  if (said.includes('signature'))
    return 'The signature does not match: check the SK belongs to the AK, and that nothing changed the request after it was signed.';
  if (text.includes('ak not exist') || text.includes('access key'))
    return 'Unknown access key: check the AK (HUAWEICLOUD_SDK_AK) and that it is not deleted or disabled.';
  if (text.includes('lock'))
    return 'The access key is locked after repeated failures; wait 5 minutes and check the SK.';
  if (text.includes('token'))
    return 'The IAM token was refused: get a new one (tokens live 24 h and end early when the password or permissions change).';
  return 'Check the credentials: an IAM token in X-Auth-Token, or an AK/SK signature.';
}

/** A CciGatewayError for an answer whose body is the gateway's; `secrets` cut out of every field. */
export function createGatewayError(
  status: number,
  where: string,
  body: GatewayErrorBody,
  headers: Headers,
  secrets: readonly string[],
): CciGatewayError {
  const safe: GatewayErrorBody = {
    error_code: redact(body.error_code, secrets),
    error_msg: redact(body.error_msg, secrets),
    ...(body.request_id !== undefined && { request_id: redact(body.request_id, secrets) }),
  };
  const requestId = safe.request_id ?? redactOptional(headers.get('x-request-id'), secrets);
  const hint = gatewayHint(status, safe, headers.get('date'));
  const message = `${where} failed: HTTP ${status} ${safe.error_code}: ${safe.error_msg}${requestId ? ` (request id ${requestId})` : ''}${hint ? `. ${hint}` : ''}`;
  return new CciGatewayError(message, {
    status,
    body: safe,
    ...(requestId !== undefined && { requestId }),
    ...(hint !== undefined && { hint }),
  });
}

const redactOptional = (text: string | null, secrets: readonly string[]) =>
  text === null ? undefined : redact(text, secrets);
