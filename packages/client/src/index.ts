// @cci-openapi/client — browser-safe entry: no node: imports, no undici. The kubeconfig/mTLS part
// is in '@cci-openapi/client/node'.

export { createCciClient, CLIENT_DEFAULTS } from './client/client.js';
export { createCciContext } from './client/context.js';
export type { CciContext } from './client/context.js';
export type { OperationFunction } from './operation/define.js';
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
// One function per operation, `(context, params)`, and their Params/Result types.
export * from './generated/operations.js';
export { ALIASES } from './operation/aliases.js';
export type { OperationAliases } from './operation/aliases.js';
export type {
  BodyDescriptor,
  BodyMediaType,
  CallOptions,
  ListDescriptor,
  OperationDescriptor,
} from './operation/descriptor.js';
export type { Middleware } from 'openapi-fetch';
export { WAIT_DEFAULTS } from './services/wait-for-ingress.js';
// Lists, watches and informers of any list operation (generic), and the Service shortcuts over them.
export { LIST_DEFAULTS, listAll, listItems, listPages } from './streaming/list-pages.js';
export type { ListOptions, ListParams } from './streaming/list-pages.js';
export { WATCH_DEFAULTS, watchList } from './streaming/watch.js';
export type { WatchEvent, WatchOptions, WatchParams } from './streaming/watch.js';
export { createInformer } from './streaming/informer.js';
export { WAIT_FOR_DEFAULTS, waitFor } from './streaming/wait.js';
export type { WaitOptions, WaitParams } from './streaming/wait.js';
export type { Informer, InformerEvent, InformerEvents, InformerOptions, InformerParams } from './streaming/informer.js';
export type {
  ItemOf,
  KubeObject,
  ListOperation,
  ListPage,
  OpenedStream,
  PathParamsOf,
  StreamRequest,
} from './streaming/source.js';
export {
  createServiceInformer,
  listServicePages,
  listServices,
  watchServices,
} from './services/list-watch.js';
export type {
  ListServicesParams,
  ServiceInformer,
  ServiceInformerEvent,
  ServiceInformerEvents,
  ServiceInformerOptions,
  ServiceListPage,
  ServiceWatchEvent,
  ServiceWatchEventType,
  WatchServicesParams,
} from './services/list-watch.js';
export { waitForLoadBalancerIngress } from './services/wait-for-ingress.js';
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
export type { WaitProgress } from './services/wait-for-ingress.js';
export { BACKOFF_DEFAULTS, createBackoff } from './streaming/backoff.js';
export type { Backoff } from './streaming/backoff.js';
export type { RateLimitOptions } from './transport/limiter.js';
