// @cci-openapi/client — browser-safe entry: no node: imports, no undici. The kubeconfig/mTLS part
// is in '@cci-openapi/client/node'.
import { OPERATIONS } from './generated/operations.js';

export { createCciClient, CLIENT_DEFAULTS } from './client.js';
export type { CciClient, CciClientExtras, CciClientOptions, ReadServiceStatusParams } from './client.js';
export {
  CciApiError,
  CciAuthError,
  CciError,
  CciGatewayError,
  CciInputError,
  CciNetworkError,
  CciResponseError,
  CciTimeoutError,
  isCciError,
} from './errors.js';
export type { CciAuthSource, CciErrorKind, CciResponseProblem, GatewayErrorBody } from './errors.js';
// Signing in: AK/SK from the environment, the option types of each way.
export { CREDENTIAL_ENV, credentialsFromEnv } from './auth/env.js';
export type { AkSkCredentials } from './auth/aksk-signer.js';
export type { IamPasswordOptions } from './auth/iam-token.js';
export type { RefreshableToken } from './auth/token-source.js';
export { createRedactor, MIN_SECRET_LENGTH, REDACTED, redact } from './redact.js';
export type { Redactor } from './redact.js';
export { clampDelay, MAX_TIMER_MS } from './sleep.js';
export type { Clock } from './sleep.js';
export { DEFAULT_RETRY } from './retry-policy.js';
export type { RetryOptions } from './retry-policy.js';
export { OPERATIONS } from './generated/operations.js';
export type * from './generated/operations.js';
export { ALIASES } from './aliases.js';
export type { OperationAliases } from './aliases.js';
export type { BodyDescriptor, BodyMediaType, CallOptions, OperationDescriptor } from './descriptor.js';
export type { Middleware } from 'openapi-fetch';
/** The status operation's path template (kept for existing users; every path is in OPERATIONS). */
export const SERVICE_STATUS_PATH = OPERATIONS.readCoreV1NamespacedServiceStatus.path;
export { humanDuration, SERVICE_TABLE_COLUMNS, serviceTableRow } from './service-table.js';
export type { ServiceTableRowOptions, TableColumnDefinition } from './service-table.js';
export { WAIT_DEFAULTS } from './wait-for-ingress.js';
export { LIST_DEFAULTS, listServicePages, listServices } from './list.js';
export type { ListServicesParams, ServiceListOperations, ServiceListPage } from './list.js';
export { WATCH_DEFAULTS, watchServices } from './watch.js';
export type {
  OpenedStream,
  ServiceWatchEvent,
  ServiceWatchEventType,
  StreamRequest,
  WatchOperations,
  WatchServicesParams,
} from './watch.js';
export type { WaitForIngressParams } from './wait-for-ingress.js';
export { UPDATE_DEFAULTS } from './service-writes.js';
export type {
  AppliedService,
  ApplyServiceOptions,
  ServiceManifest,
  ServiceMutation,
  UpdateServiceOptions,
} from './service-writes.js';
export type {
  ApplyConfiguration,
  DeepPartial,
  JsonValue,
  MergePatch,
  RequestBody,
  StrategicDirectives,
  StrategicMergePatch,
} from './patch-types.js';
export type { LoadBalancerIngress, Service, Status } from '@cci-openapi/types';
// Lists, watches and the informer (client.listServices, listServicePages, watchServices, createServiceInformer).
export type { ListWatchMethods } from './list-watch-client.js';
export type {
  ServiceInformer,
  ServiceInformerEvent,
  ServiceInformerEvents,
  ServiceInformerOptions,
} from './informer.js';
export type { WaitProgress } from './wait-for-ingress.js';
export { BACKOFF_DEFAULTS, createBackoff } from './backoff.js';
export type { Backoff } from './backoff.js';
export type { RateLimitOptions } from './limiter.js';
