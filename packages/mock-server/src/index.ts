// @cci-openapi/mock-server: a local stand-in for the CCI Kubernetes API, driven by the spec.
export { startMockServer, DEFAULT_TOKEN } from './server.js';
export type { MockServer, MockServerOptions, MockServerStats, TlsOptions, LimitOptions, RequestLogEntry } from './server.js';
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
