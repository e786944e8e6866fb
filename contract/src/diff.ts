// A structural diff: every place where two JSON-like values differ, as a dotted path.
export interface Difference {
  /** e.g. "status", "body.spec.ipFamilies", "body.items.namespace-test/redis" */
  path: string;
  real: unknown;
  mock: unknown;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

export function diff(real: unknown, mock: unknown, path = ''): Difference[] {
  if (isObject(real) && isObject(mock)) {
    const keys = [...new Set([...Object.keys(real), ...Object.keys(mock)])].sort();
    return keys.flatMap((key) => {
      const child = path === '' ? key : `${path}.${key}`;
      if (!(key in real)) return [{ path: child, real: undefined, mock: mock[key] }];
      if (!(key in mock)) return [{ path: child, real: real[key], mock: undefined }];
      return diff(real[key], mock[key], child);
    });
  }
  if (Array.isArray(real) && Array.isArray(mock) && real.length === mock.length) {
    return real.flatMap((item, index) => diff(item, mock[index], `${path}[${index}]`));
  }
  return JSON.stringify(real) === JSON.stringify(mock) ? [] : [{ path, real, mock }];
}
