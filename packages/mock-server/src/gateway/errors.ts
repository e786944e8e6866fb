// What Huawei Cloud's API gateway answers when it refuses a request before CCI sees it: not a
// Kubernetes Status but `{"error_msg", "error_code", "request_id"}`, the request id also in the
// X-Request-Id header. Every wording the mock uses is in this one table.
//
// Source: cci-and-huawei-cloud-facts.md (the project's source notes on CCI, IAM and the gateway),
// "What the gateway answers when sign-in fails", and Huawei Cloud's API-signing FAQ it summarises. Clients match on these texts
// (the code and words such as "token", "signature", "ak not exist"), so they are kept exact.
import { randomBytes } from 'node:crypto';

export interface GatewayRefusal {
  status: number;
  code: string;
  message: string;
}

export const GATEWAY_REFUSALS = Object.freeze({
  /** Neither X-Auth-Token nor an Authorization header the gateway understands. */
  noCredential: {
    status: 401,
    code: 'APIGW.0301',
    message: 'Incorrect IAM authentication information: x-auth-token not found',
  },
  /** A token the gateway cannot read: never issued here, altered, or from another mock's user. */
  unknownToken: {
    status: 401,
    code: 'APIGW.0301',
    message: 'Incorrect IAM authentication information: decrypt token fail',
  },
  /** The signature does not match the request as received (or host / x-sdk-date are not signed). */
  badSignature: {
    status: 401,
    code: 'APIGW.0301',
    message: 'Incorrect IAM authentication information: verify aksk signature fail',
  },
  /** An AK the gateway does not know. The FAQ prints the AK masked as `******`; so does the mock. */
  unknownAccessKey: {
    status: 401,
    code: 'APIGW.0301',
    message: 'Incorrect IAM authentication information: Get secretKey failed,ak:******,err:ak not exist',
  },
  /**
   * X-Sdk-Date more than 15 minutes from the gateway's clock. *Inferred*: the facts give the window
   * but no page quotes this refusal's text. It speaks of date and time and never of a token, so a
   * client can tell its user to check the clock.
   */
  dateOutOfWindow: {
    status: 401,
    code: 'APIGW.0301',
    message:
      "Incorrect IAM authentication information: X-Sdk-Date is more than 15 minutes from the server's time; check the date and time of the client",
  },
  /** An issued token past its expires_at (the gateway says the same for a token of another region). */
  expiredToken: { status: 401, code: 'APIGW.0307', message: 'The token must be updated.' },
  /** A signed request's body over the limit (12 MB at the gateway). *Inferred* wording. */
  bodyTooLarge: { status: 413, code: 'APIGW.0201', message: 'Request entity too large' },
} satisfies Record<string, GatewayRefusal>);

export type GatewayRefusalName = keyof typeof GATEWAY_REFUSALS;

/** The gateway's request id: 32 lowercase hex digits. */
export const gatewayRequestId = (): string => randomBytes(16).toString('hex');

/** The answer for a refusal: the gateway's body, with its request id in body and header. */
export function gatewayErrorReply(
  name: GatewayRefusalName,
  requestId: string = gatewayRequestId(),
): { status: number; headers: Record<string, string>; body: string } {
  const { status, code, message } = GATEWAY_REFUSALS[name];
  return {
    status,
    headers: { 'content-type': 'application/json', 'x-request-id': requestId },
    body: JSON.stringify({ error_msg: message, error_code: code, request_id: requestId }),
  };
}
