// `-f FILE`: the text of a manifest (a regular file, or stdin for `-f -`) and the objects in it —
// YAML or JSON (JSON is YAML), several documents split by `---`, a `kind: List` opened into its
// items. Everything is read and parsed before any request, so a syntax error sends nothing.
import { FileReadProblem, readRegularFile } from '@cci-openapi/internals/regular-file';
import YAML from 'yaml';
import { UsageError } from './errors.js';

/** Largest manifest read: far above any real set of Services, far below what could exhaust memory. */
const MAX_MANIFEST_BYTES = 8 * 1024 * 1024;
/** Most objects in one manifest (documents and List items together). */
const MAX_MANIFEST_OBJECTS = 1_000;
/** YAML aliases one document may expand (the yaml library's default): a "billion laughs" file stays small. */
const MAX_ALIAS_COUNT = 100;

/** One object of a manifest, with where it came from for messages. */
export interface ManifestEntry {
  /** The file as the user named it, or "STDIN". */
  source: string;
  /** 1-based: the document, and the item within a List (counted from 1 too). */
  document: number;
  item?: number;
  /** First line of the document in the file, 1-based. */
  line: number;
  value: unknown;
}

/** The manifest's text. `-` is stdin, read to its end but never past the size limit. */
export async function readManifest(
  path: string,
  stdin: NodeJS.ReadableStream | undefined,
): Promise<{ source: string; text: string }> {
  if (path === '-') {
    if (!stdin) throw new UsageError('-f -: no standard input to read');
    return { source: 'STDIN', text: await readBounded(stdin) };
  }
  try {
    return { source: path, text: readRegularFile(path, MAX_MANIFEST_BYTES).toString('utf8') };
  } catch (error) {
    if (error instanceof FileReadProblem)
      throw new UsageError(`cannot read ${JSON.stringify(path)}: ${READ_PROBLEMS[error.message] ?? error.message}`);
    throw error;
  }
}

/** The errno codes a user meets most, in words. */
const READ_PROBLEMS: Record<string, string> = {
  ENOENT: 'no such file (ENOENT)',
  EACCES: 'permission denied (EACCES)',
  EISDIR: 'a directory (EISDIR)',
  ELOOP: 'too many symbolic links (ELOOP)',
};

async function readBounded(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    total += bytes.length;
    if (total > MAX_MANIFEST_BYTES) {
      // Stop reading: a writer that never ends (`yes | cci-svc create -f -`) is not waited for.
      (stream as { destroy?: () => void }).destroy?.();
      throw new UsageError(`STDIN: larger than the ${MAX_MANIFEST_BYTES}-byte limit`);
    }
    chunks.push(bytes);
  }
  return Buffer.concat(chunks, total).toString('utf8');
}

/**
 * The objects of a manifest, in order. Empty documents are skipped (as kubectl does); a syntax
 * error anywhere refuses the whole file, naming the file and the line.
 */
export function parseManifest(source: string, text: string): ManifestEntry[] {
  const lines = new YAML.LineCounter();
  const composer = new YAML.Composer({ uniqueKeys: true });
  const entries: ManifestEntry[] = [];
  let document = 0;
  for (const doc of composer.compose(new YAML.Parser(lines.addNewLine).parse(text), true)) {
    document += 1;
    if (document > MAX_MANIFEST_OBJECTS)
      throw new UsageError(`${source}: more than ${MAX_MANIFEST_OBJECTS} documents (the limit of one file)`);
    const error = doc.errors[0];
    if (error)
      throw new UsageError(
        `error parsing ${source}: line ${lines.linePos(error.pos[0]).line}: ${firstLine(error.message)}`,
      );
    if (doc.contents === null) continue;
    const line = lines.linePos(doc.contents.range?.[0] ?? doc.range[0]).line;
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (cause) {
      throw new UsageError(
        `error parsing ${source}: document ${document} (line ${line}): ${firstLine((cause as Error).message)}`,
      );
    }
    if (value === null || value === undefined) continue;
    for (const entry of opened(value, { source, document, line })) {
      entries.push(entry);
      if (entries.length > MAX_MANIFEST_OBJECTS)
        throw new UsageError(`${source}: more than ${MAX_MANIFEST_OBJECTS} objects (the limit of one file)`);
    }
  }
  return entries;
}

/**
 * A v1 List (what `kubectl get -o yaml` prints) or ServiceList (what the API answers) stands for
 * its items; anything else for itself. A ServiceList's items carry no apiVersion and kind of their
 * own: they are v1 Services by definition, and are given those.
 */
function opened(value: unknown, where: Omit<ManifestEntry, 'value'>): ManifestEntry[] {
  const object = value as { apiVersion?: unknown; kind?: unknown; items?: unknown };
  const isList = object.apiVersion === 'v1' && (object.kind === 'List' || object.kind === 'ServiceList');
  if (typeof value !== 'object' || Array.isArray(value) || !isList || !Array.isArray(object.items))
    return [{ ...where, value }];
  const implied = object.kind === 'ServiceList' ? { apiVersion: 'v1', kind: 'Service' } : {};
  return object.items.map((item, index) => ({
    ...where,
    item: index + 1,
    value: typeof item === 'object' && item !== null && !Array.isArray(item) ? { ...implied, ...item } : item,
  }));
}

/** The yaml library's messages carry a code excerpt after the first line: the line number says where. */
const firstLine = (message: string) => message.split('\n')[0]!.trim();

/** "svc.yaml", "svc.yaml document 2, line 9", "svc.yaml document 2 item 3, line 9": where an object is, for messages. */
export function describeEntry(
  entry: Pick<ManifestEntry, 'source' | 'document' | 'item' | 'line'>,
  many: boolean,
): string {
  if (!many) return entry.source;
  return `${entry.source} document ${entry.document}${entry.item === undefined ? '' : ` item ${entry.item}`}, line ${entry.line}`;
}
