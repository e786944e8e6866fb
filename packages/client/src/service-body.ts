import type { Service } from '@cce-openapi/types';
import { createApiError, createBadResponseError } from './api-error.js';
import type { Received } from './transport.js';

/**
 * The Service in a response, or a CceApiError: the Kubernetes Status of an error answer, or a
 * 2xx answer whose body is not JSON (an HTML page from a proxy, a truncated body) or not a Service.
 * The check is structural (an object of kind Service), not a full schema validation, which would
 * cost a validator in every browser bundle.
 */
export function serviceFrom(received: Received): Service {
  if (received.status < 200 || received.status > 299) throw createApiError(received, received.secrets);
  let value: unknown;
  try {
    value = JSON.parse(received.text);
  } catch {
    const type = received.headers.get('content-type') ?? 'no content-type';
    throw createBadResponseError(received, 'InvalidResponse', `the body is not JSON (${type}, ${received.text.length} characters).`, received.secrets);
  }
  const problem = serviceProblem(value);
  if (problem) throw createBadResponseError(received, 'InvalidResponse', `the body is not a Service: ${problem}.`, received.secrets);
  return value as Service;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function serviceProblem(value: unknown): string | undefined {
  if (!isObject(value)) return `expected an object, got ${Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value}`;
  if (value.kind !== 'Service') return `kind is ${JSON.stringify(value.kind)}`;
  if (!isObject(value.metadata)) return 'metadata is missing';
  const { status } = value;
  if (status !== undefined && !isObject(status)) return 'status is not an object';
  const loadBalancer = status?.loadBalancer;
  if (loadBalancer !== undefined && !isObject(loadBalancer)) return 'status.loadBalancer is not an object';
  const ingress = loadBalancer?.ingress;
  if (ingress !== undefined && !Array.isArray(ingress)) return 'status.loadBalancer.ingress is not an array';
  return undefined;
}
