import { CciInputError } from './errors.js';
import { encodePathParam } from './path-params.js';

/** A path template split once into its literal parts and parameter names, for fast filling. */
export interface CompiledPath {
  names: readonly string[];
  /** The path with every parameter checked and percent-encoded (see encodePathParam). */
  fill(values: Readonly<Record<string, unknown>>): string;
}

const PARAMETER = /\{([^{}]+)\}/g;

export function compilePath(template: string): CompiledPath {
  const literals: string[] = [];
  const names: string[] = [];
  let last = 0;
  for (const match of template.matchAll(PARAMETER)) {
    literals.push(template.slice(last, match.index));
    names.push(match[1]!);
    last = match.index! + match[0].length;
  }
  literals.push(template.slice(last));
  return {
    names,
    fill(values) {
      let path = literals[0]!;
      for (let i = 0; i < names.length; i++) {
        const name = names[i]!;
        const value = values[name];
        if (value === undefined) throw new CciInputError(`${name} is missing: ${template} needs it.`);
        path += encodePathParam(name, value) + literals[i + 1]!;
      }
      return path;
    },
  };
}

const cache = new Map<string, CompiledPath>();

/**
 * The path serializer given to openapi-fetch, so `client.GET` fills templates exactly as the
 * generated operations do, and refuses a missing or unknown path parameter instead of sending a
 * literal `{name}` or dropping it.
 */
export function serializePath(template: string, values: Record<string, unknown> | undefined): string {
  let compiled = cache.get(template);
  if (!compiled) {
    compiled = compilePath(template);
    // Templates come from the spec's paths (typed), but a JS caller can pass anything: stay bounded.
    if (cache.size < 256) cache.set(template, compiled);
  }
  const given = values ?? {};
  for (const key of Object.keys(given)) {
    if (!compiled.names.includes(key))
      throw new CciInputError(`Unknown path parameter ${JSON.stringify(key)} for ${template}.`);
  }
  return compiled.fill(given);
}
