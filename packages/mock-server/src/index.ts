// @cci-openapi/mock-server: a local stand-in for the CCI Kubernetes API, driven by the spec.
export { startMockServer, DEFAULT_TOKEN, MAX_GENERATE } from './server.js';
export { MAX_SELECTOR_TERMS, MAX_SELECTOR_VALUES } from './selectors.js';
export type {
  MockServer,
  MockServerOptions,
  MockProfile,
  MockServerStats,
  TlsOptions,
  LimitOptions,
  RequestLogEntry,
} from './server.js';
export { DEMO_IAM_USER, DEMO_ACCESS_KEY, DEMO_TEMPORARY_KEY } from './gateway/credentials.js';
export { demoCredentialLines } from './gateway/banner.js';
export type { IamUser, AccessKey } from './gateway/credentials.js';
export { GATEWAY_REFUSALS } from './gateway/errors.js';
export type { GatewayRefusal } from './gateway/errors.js';
export type { FaultOptions, RateLimitOptions, TransientOptions, ResetOptions, DelayOptions } from './faults.js';
export { InvalidObjectError } from './store.js';
export type { MockStore, KubeObject, ProvisioningOptions } from './store.js';
export type { WatchSettings } from './watch.js';
export type { OpenApiDocument } from './spec.js';
export type { ScopedToken, TokenSpec } from './auth.js';
export { createThrowawayPki } from './pki.js';
export type { ThrowawayPki } from './pki.js';
export { loadFixtures, defaultFixturesPath, FixtureError } from './fixtures.js';
export { generateServices } from './generate.js';
export { isDns1035Label, isDns1123Label } from './names.js';
