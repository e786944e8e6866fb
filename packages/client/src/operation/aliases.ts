import type { GeneratedOperations, OperationId } from '../generated/operations.js';

/**
 * Short names for operations, one line each: `client.<alias>` is the very same function as
 * `client.<operationId>`. This is the one place they are declared.
 */
export const ALIASES = {
  readServiceStatus: 'readCoreV1NamespacedServiceStatus',
  readService: 'readCoreV1NamespacedService',
} as const satisfies Record<string, OperationId>;

/** The aliases as methods, typed exactly as the operations they stand for. */
export type OperationAliases = { [Alias in keyof typeof ALIASES]: GeneratedOperations[(typeof ALIASES)[Alias]] };
