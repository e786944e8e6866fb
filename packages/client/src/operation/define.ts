import { type CciContext, coreOf } from '../client/context.js';
import type { OperationDescriptor } from './descriptor.js';
import { createOperation, type OperationCall } from './operation.js';

/**
 * One operation as a function of its own, `(context, params)`, as src/generated/operations.ts
 * exports each: `readCoreV1NamespacedServiceStatus(cci, { namespace, name })`. It carries its
 * descriptor, which the generic lists, watches and informer read (`listPages(cci,
 * listCoreV1NamespacedService, …)`). Parameters may be left out when none is required.
 */
export type OperationFunction<P, R, D extends OperationDescriptor = OperationDescriptor> = ((
  context: CciContext,
  ...params: Record<never, never> extends P ? [params?: P] : [params: P]
) => Promise<R>) & { readonly descriptor: D };

/**
 * The function of one generated descriptor. The call itself (the checks of the parameter object,
 * the compiled path template) is built once per context, on its first use there, and kept as long
 * as the context lives.
 */
export function defineOperation<P, R, D extends OperationDescriptor>(descriptor: D): OperationFunction<P, R, D> {
  const calls = new WeakMap<object, OperationCall>();
  const call = (context: CciContext, params?: P): Promise<R> => {
    let core: ReturnType<typeof coreOf>;
    try {
      core = coreOf(context);
    } catch (error) {
      return Promise.reject(error);
    }
    let compiled = calls.get(core);
    if (compiled === undefined) {
      compiled = createOperation(descriptor, core.baseUrl, core.send);
      calls.set(core, compiled);
    }
    return compiled(params as object | undefined) as Promise<R>;
  };
  return Object.assign(call, { descriptor }) as OperationFunction<P, R, D>;
}
