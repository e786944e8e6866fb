// @cci-openapi/client — browser-safe entry: no node: imports, no undici. The kubeconfig/mTLS part
// is in '@cci-openapi/client/node'.
export { createCciClient, CLIENT_DEFAULTS } from './client/client.js';
export type { CciClient, CciClientExtras, CciClientOptions, ReadServiceStatusParams } from './client/client.js';
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
} from './errors/classes.js';
export type { CciAuthSource, CciErrorKind, CciResponseProblem, GatewayErrorBody } from './errors/classes.js';
// Signing in: AK/SK from the environment, the option types of each way.
export { CREDENTIAL_ENV, credentialsFromEnv } from './auth/env.js';
export type { AkSkCredentials } from './auth/aksk-signer.js';
export type { IamPasswordOptions } from './auth/iam-token.js';
export type { RefreshableToken } from './auth/token-source.js';
export type { Clock } from './transport/sleep.js';
export { DEFAULT_RETRY } from './transport/retry-policy.js';
export type { RetryOptions } from './transport/retry-policy.js';
export { OPERATIONS } from './generated/operations.js';
export type * from './generated/operations.js';
export { ALIASES } from './operation/aliases.js';
export type { OperationAliases } from './operation/aliases.js';
export type { BodyDescriptor, BodyMediaType, CallOptions, OperationDescriptor } from './operation/descriptor.js';
export type { Middleware } from 'openapi-fetch';
export { WAIT_DEFAULTS } from './services/wait-for-ingress.js';
export { LIST_DEFAULTS, listServicePages, listServices } from './streaming/list-pages.js';
export type { ListServicesParams, ServiceListOperations, ServiceListPage } from './streaming/list-pages.js';
export { WATCH_DEFAULTS, watchServices } from './streaming/watch.js';
export type {
  OpenedStream,
  ServiceWatchEvent,
  ServiceWatchEventType,
  StreamRequest,
  WatchOperations,
  WatchServicesParams,
} from './streaming/watch.js';
export type { WaitForIngressParams } from './services/wait-for-ingress.js';
export { UPDATE_DEFAULTS } from './services/writes.js';
export type {
  AppliedService,
  ApplyServiceOptions,
  ServiceManifest,
  ServiceMutation,
  UpdateServiceOptions,
} from './services/writes.js';
export type {
  ApplyConfiguration,
  DeepPartial,
  JsonValue,
  MergePatch,
  RequestBody,
  StrategicDirectives,
  StrategicMergePatch,
} from './operation/patch-types.js';
export type { LoadBalancerIngress, Service, Status } from '@cci-openapi/types';
// Lists, watches and the informer (client.listServices, listServicePages, watchServices, createServiceInformer).
export type { ListWatchMethods } from './streaming/methods.js';
export type {
  ServiceInformer,
  ServiceInformerEvent,
  ServiceInformerEvents,
  ServiceInformerOptions,
} from './streaming/informer.js';
export type { WaitProgress } from './services/wait-for-ingress.js';
export { BACKOFF_DEFAULTS, createBackoff } from './streaming/backoff.js';
export type { Backoff } from './streaming/backoff.js';
export type { RateLimitOptions } from './transport/limiter.js';
