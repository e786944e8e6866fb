// undici is an optional peer dependency: only this Node entry needs it (TLS from a kubeconfig, and
// undici's own fetch with its own Agent), so users of the browser-safe main entry never install it.
// It is loaded through require so that a missing install is reported in words when
// `@cce-openapi/client/node` is imported, instead of the loader's bare "Cannot find package".
import { createRequire } from 'node:module';
import type * as Undici from 'undici';

export type UndiciApi = Pick<typeof Undici, 'Agent' | 'fetch'>;

export const UNDICI_MISSING_MESSAGE =
  '@cce-openapi/client/node needs undici, an optional peer dependency that is not installed: run `npm install undici@7`. ' +
  'The main entry, @cce-openapi/client, works without it.';

/** undici's Agent and fetch; `load` is require, replaceable to test the missing case. */
export function loadUndici(load: (id: string) => unknown = createRequire(import.meta.url)): UndiciApi {
  try {
    return load('undici') as UndiciApi;
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    if (code === 'MODULE_NOT_FOUND' && message.includes("'undici'")) throw new Error(UNDICI_MISSING_MESSAGE, { cause: error });
    throw error;
  }
}
