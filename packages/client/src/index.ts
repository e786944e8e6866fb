// @cce-openapi/client — browser-safe entry: no node: imports, no undici. The kubeconfig/mTLS part
// is in '@cce-openapi/client/node'.
export { createCceClient, CLIENT_DEFAULTS } from './client.js';
export type { CceClient, CceClientExtras, CceClientOptions, ReadServiceStatusParams } from './client.js';
export { CceApiError, CceError, CceInputError, CceNetworkError, CceResponseError, CceTimeoutError, isCceError } from './errors.js';
export type { CceErrorKind, CceResponseProblem } from './errors.js';
export { createRedactor, MIN_SECRET_LENGTH, REDACTED, redact } from './redact.js';
export type { Redactor } from './redact.js';
export { DEFAULT_RETRY } from './retry-policy.js';
export type { RetryOptions } from './retry-policy.js';
export { SERVICE_STATUS_PATH } from './service-path.js';
export { humanDuration, SERVICE_TABLE_COLUMNS, serviceTableRow } from './service-table.js';
export type { ServiceTableRowOptions, TableColumnDefinition } from './service-table.js';
export { WAIT_DEFAULTS } from './wait-for-ingress.js';
export type { WaitForIngressParams } from './wait-for-ingress.js';
export type { LoadBalancerIngress, Service, Status } from '@cce-openapi/types';
