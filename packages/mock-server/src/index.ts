// @cce-openapi/mock-server: a local stand-in for the CCE Kubernetes API (Service status).
export { startMockServer, DEFAULT_TOKEN } from './server.js';
export type { MockServer, MockServerOptions, MockServerStats, TlsOptions, LimitOptions, RequestLogEntry } from './server.js';
export type { FaultOptions, RateLimitOptions, TransientOptions, ResetOptions, DelayOptions } from './faults.js';
export type { ProvisioningOptions } from './store.js';
export type { ScopedToken, TokenSpec } from './auth.js';
export { loadFixtures, defaultFixturesPath, FixtureError } from './fixtures.js';
export { isDns1035Label, isDns1123Label } from './names.js';
