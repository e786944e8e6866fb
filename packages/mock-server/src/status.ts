// Kubernetes `Status` error bodies, built from the examples the spec gives for each declared error
// response, so the mock answers exactly what the documentation shows (message and details are
// filled in for the request at hand).
import type { Status, StatusDetails } from '@cci-openapi/types';
import { deref, type MediaType, type OpenApiDocument, type ResponseObject } from './spec.js';

export interface StatusCatalog {
  /** A fresh Status for an HTTP code: the spec's example for that code, with overrides applied. */
  build(code: number, overrides?: { message?: string; reason?: string; details?: StatusDetails }): Status;
}

function firstExample(spec: OpenApiDocument, media: MediaType | undefined): unknown {
  if (!media) return undefined;
  if (media.example !== undefined) return media.example;
  const first = Object.values(media.examples ?? {})[0];
  return first === undefined ? undefined : deref<{ value?: unknown }>(spec, first).value;
}

export function createStatusCatalog(spec: OpenApiDocument): StatusCatalog {
  const examples = new Map<number, Status>();
  for (const pathItem of Object.values(spec.paths)) {
    for (const operation of Object.values(pathItem)) {
      if (typeof operation !== 'object' || operation === null || !('responses' in operation)) continue;
      for (const [code, response] of Object.entries(operation.responses ?? {})) {
        const status = Number(code);
        if (!Number.isInteger(status) || status < 400 || examples.has(status)) continue;
        const example = firstExample(spec, deref<ResponseObject>(spec, response).content?.['application/json']);
        if (example && typeof example === 'object') examples.set(status, example as Status);
      }
    }
  }
  const badRequest = examples.get(400);
  if (!badRequest)
    throw new Error(
      'the spec declares no 400 response with a Status example; the mock needs one as its base error body',
    );
  return {
    build(code, overrides = {}) {
      // Codes the spec does not declare (408, 431 from the HTTP layer) reuse the 400 body's frame.
      const base = structuredClone(examples.get(code) ?? { ...badRequest, details: undefined });
      const status: Status = { ...base, code };
      if (overrides.message !== undefined) status.message = overrides.message;
      // An empty reason is kube-apiserver's answer to an error that is not a Status: no reason
      // (StatusReasonUnknown is "", omitted) and no details.
      if (overrides.reason === '') delete status.reason;
      else if (overrides.reason !== undefined) status.reason = overrides.reason;
      if (overrides.details !== undefined) status.details = overrides.details;
      else if (!examples.has(code) || overrides.reason === '') delete status.details;
      return status;
    },
  };
}
