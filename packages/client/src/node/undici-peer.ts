// undici is an optional peer dependency: only a kubeconfig client given a fetch of the caller's
// needs it (the kubeconfig's TLS goes to that fetch as an undici dispatcher); everything else runs
// over node:http or the platform's fetch. It is loaded through require, when that client is built,
// so that a missing install is reported in words instead of the loader's bare "Cannot find package".
import { createRequire } from 'node:module';
import type * as Undici from 'undici';

export type UndiciApi = Pick<typeof Undici, 'Agent' | 'fetch'>;

export const UNDICI_MISSING_MESSAGE =
  'createCciClientFromKubeconfig with a fetch of your own needs undici (for the TLS dispatcher), an optional peer dependency that is not installed: ' +
  'run `npm install undici@7`, or leave out `fetch` (the client then uses node:https).';

/** undici's Agent and fetch; `load` is require, replaceable to test the missing case. */
export function loadUndici(load: (id: string) => unknown = createRequire(import.meta.url)): UndiciApi {
  try {
    return load('undici') as UndiciApi;
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    if (code === 'MODULE_NOT_FOUND' && message.includes("'undici'"))
      throw new Error(UNDICI_MISSING_MESSAGE, { cause: error });
    throw error;
  }
}
