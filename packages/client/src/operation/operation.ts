import type { MiddlewareRequestParams } from 'openapi-fetch';
import type { OperationDescriptor, ParamDescriptor } from './descriptor.js';
import { CciInputError } from '../errors/classes.js';
import { compilePath } from './path-template.js';
import { encodeRequestBody, isRepeatableWrite } from './request-body.js';
import type { CallContext } from '../pipeline/pipeline.js';
import { bodyOf } from './response-body.js';
import type { Received, SendRequest } from '../transport/transport.js';

/**
 * Sends one request through the client's pipeline (middleware, auth, retries, limits); the answer
 * that stands goes through `finish` before the call settles.
 */
export type Send = <T = Received>(
  request: SendRequest,
  context: () => CallContext,
  finish?: (received: Received) => T,
) => Promise<T>;

/**
 * A generated operation made callable; `deadline` is for helpers that must end by their own, and
 * `onStatus` for those that need the success code (server-side apply's 201 means "created").
 */
export type OperationCall = (
  params?: object,
  deadline?: number,
  onStatus?: (status: number) => void,
) => Promise<unknown>;

const NO_PARAMS: Readonly<Record<string, unknown>> = Object.freeze({});

function checkValue(name: string, declared: ParamDescriptor, value: unknown): string {
  const ok =
    declared.type === 'string'
      ? typeof value === 'string'
      : declared.type === 'boolean'
        ? typeof value === 'boolean'
        : declared.type === 'integer'
          ? Number.isSafeInteger(value)
          : typeof value === 'number' && Number.isFinite(value);
  if (!ok) {
    const shown =
      typeof value === 'string'
        ? JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)
        : value === null
          ? 'null'
          : typeof value;
    throw new CciInputError(
      `${name} must be ${declared.type === 'integer' ? 'an integer' : `a ${declared.type}`}, got ${shown}.`,
    );
  }
  try {
    return encodeURIComponent(value as string | number | boolean);
  } catch {
    throw new CciInputError(`${name} is not well-formed Unicode (lone surrogate).`);
  }
}

/** What every call of one operation shares, compiled once. */
interface CompiledOperation {
  descriptor: OperationDescriptor;
  baseUrl: string;
  path: ReturnType<typeof compilePath>;
  // A Map, not the descriptor object: a caller's key such as "constructor" must not find Object's.
  declared: Map<string, ParamDescriptor>;
  requiredQuery: string[];
  /** "GET /api/v1/…", for messages. */
  where: string;
}

function compileOperation(descriptor: OperationDescriptor, baseUrl: string): CompiledOperation {
  const declared = new Map(Object.entries(descriptor.params));
  return {
    descriptor,
    baseUrl,
    path: compilePath(descriptor.path),
    declared,
    requiredQuery: [...declared].filter(([, p]) => p.in === 'query' && p.required).map(([name]) => name),
    where: `${descriptor.method} ${descriptor.path}`,
  };
}

/**
 * Turns one descriptor of the generated table into a function: it checks the flat parameter object
 * (unknown, missing and mistyped parameters are a CciInputError before anything is sent), fills the
 * path template and the query string, sends the request through the pipeline, and returns the body
 * checked by `bodyOf` (typed errors otherwise).
 */
export function createOperation(descriptor: OperationDescriptor, baseUrl: string, send: Send): OperationCall {
  const operation = compileOperation(descriptor, baseUrl);
  const finish = (received: Received) => bodyOf(received, descriptor);
  // Not async: the call's promise is the transport's own, which settles with the checked body.
  return (params = NO_PARAMS, deadline, onStatus) => {
    let request: SendRequest;
    try {
      request = requestOf(operation, params, deadline);
    } catch (error) {
      return Promise.reject(error);
    }
    const context = () => ({
      schemaPath: descriptor.path,
      params: splitParams(operation.declared, params as Record<string, unknown>),
    });
    if (onStatus === undefined) return send(request, context, finish);
    return send(request, context, (received) => {
      const body = finish(received);
      onStatus(received.status);
      return body;
    });
  };
}

/** The request of one call; CciInputError for a parameter object that does not fit. */
function requestOf(operation: CompiledOperation, params: object, deadline: number | undefined): SendRequest {
  const { descriptor, declared, where } = operation;
  const { method, streamParameter, body: bodyDescriptor } = descriptor;
  if (typeof params !== 'object' || params === null)
    throw new CciInputError(`The parameters must be an object, got ${params === null ? 'null' : typeof params}.`);
  const values = params as Record<string, unknown>;
  let query = '';
  let signal: AbortSignal | undefined;
  for (const key of Object.keys(values)) {
    const value = values[key];
    if (bodyDescriptor !== undefined && (key === 'body' || key === 'contentType')) continue;
    if (key === 'signal') {
      if (value !== undefined && !isAbortSignal(value)) throw new CciInputError('signal must be an AbortSignal.');
      signal = value as AbortSignal | undefined;
      continue;
    }
    const parameter = declared.get(key);
    if (parameter === undefined) {
      throw new CciInputError(
        `Unknown parameter ${JSON.stringify(key)} for ${where}; it takes ${[...declared.keys(), ...(bodyDescriptor ? ['body', 'contentType'] : []), 'signal'].join(', ')}.`,
      );
    }
    if (parameter.in === 'path' || value === undefined) continue;
    query += `${query ? '&' : '?'}${encodeURIComponent(key)}=${checkValue(key, parameter, value)}`;
  }
  for (const name of operation.requiredQuery) {
    if (values[name] === undefined) throw new CciInputError(`${name} is missing: ${where} needs it.`);
  }
  if (streamParameter !== undefined && values[streamParameter] === true) {
    throw new CciInputError(
      `${streamParameter}: true turns the answer into a stream of events; ${where} here returns one answer, not a stream.`,
    );
  }
  const request: SendRequest = {
    method,
    url: operation.baseUrl + operation.path.fill(values) + query,
    signal: signal ?? null,
  };
  if (deadline !== undefined) request.deadline = deadline;
  if (bodyDescriptor !== undefined) {
    const encoded = encodeRequestBody(bodyDescriptor, values.body, values.contentType, where);
    if (encoded) {
      request.body = encoded.body;
      request.contentType = encoded.contentType;
    }
    if (isRepeatableWrite(method, values.body)) request.idempotent = true;
  }
  return request;
}

// Duck-typed: a signal from another realm (an iframe, a test environment) is still a signal.
function isAbortSignal(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as AbortSignal).aborted === 'boolean' &&
    typeof (value as AbortSignal).addEventListener === 'function'
  );
}

/** The flat parameters split as openapi-fetch gives them to middleware: `{ path, query }`. */
function splitParams(declared: Map<string, ParamDescriptor>, values: Record<string, unknown>): MiddlewareRequestParams {
  const path: Record<string, unknown> = {};
  const query: Record<string, unknown> = {};
  for (const [name, parameter] of declared) {
    if (values[name] !== undefined) (parameter.in === 'path' ? path : query)[name] = values[name];
  }
  return { path, query };
}
