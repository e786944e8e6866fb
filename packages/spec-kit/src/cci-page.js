// Parses the exported text of the CCI API reference page ("查询service状态") into its tables,
// status codes and response example, so that tests can hold the spec against the page row by row.
//
// The export flattens each HTML table to one cell per line (blank lines between), and a
// description cell may span several paragraphs. A row therefore starts at a line that looks like a
// field name *and* is followed by a line that is one of the page's type names.
import { readFileSync } from 'node:fs';

/** The page's type column values: String, Integer, Long, Boolean, Object, Map<String,String>,
 *  "Array of strings", "Array of <fqn> objects", "<fqn> object". */
const TYPE_LINE =
  /^(String|Integer|Long|Boolean|Object|Map<String,String>|Array of strings|Array of \S+ objects|\S+ object)$/;
const FIELD_NAME = /^[A-Za-z][A-Za-z0-9-]*$/;
const TABLE_HEADING = /^表(\d+) (.+)$/;
const COLUMN_HEADINGS = new Set(['参数', '是否必选', '参数类型', '描述']);
// Section headings that end the table before them.
const SECTION_ENDS = /^(请求参数|响应参数|请求示例|响应示例|状态码(: \d+)?|相关文档)$/;

/**
 * @typedef {{ name: string, type: string, description: string, line: number }} SourceRow
 * @typedef {{ number: number, title: string, rows: SourceRow[] }} SourceTable
 * @typedef {{ code: number, description: string }} SourceStatusCode
 * @typedef {{ updated: string, title: string, method: string, path: string, summary: string,
 *   tables: SourceTable[], statusCodes: SourceStatusCode[], responseExample: unknown }} SourcePage
 */

/** @param {string} text @returns {SourcePage} */
export function parseSourcePage(text) {
  const lines = text.split(/\r?\n/).map((line) => line.trim());
  const nonEmpty = lines.map((line, index) => ({ line, number: index + 1 })).filter((entry) => entry.line !== '');

  const updated = /更新时间[:：]\s*(\d{4}-\d{2}-\d{2})/.exec(text)?.[1] ?? '';
  const uri = nonEmpty.find((entry) => /^(GET|POST|PUT|PATCH|DELETE) \//.test(entry.line));
  if (!uri) throw new Error('source page: no "METHOD /path" line under URI');
  const [method, path] = uri.line.split(' ');
  const titleIndex = nonEmpty.findIndex((entry) => entry.line === '功能介绍') - 1;
  const title = nonEmpty[titleIndex]?.line ?? '';
  const summary = nonEmpty[titleIndex + 2]?.line ?? '';

  return {
    updated,
    title,
    method,
    path,
    summary,
    tables: parseTables(nonEmpty),
    statusCodes: parseStatusCodes(nonEmpty),
    responseExample: parseResponseExample(text.split(/\r?\n/)),
  };
}

/** @param {{line: string, number: number}[]} entries */
function parseTables(entries) {
  /** @type {SourceTable[]} */
  const tables = [];
  /** @type {SourceTable | undefined} */
  let table;
  /** @type {SourceRow | undefined} */
  let row;
  for (let i = 0; i < entries.length; i++) {
    const { line, number } = entries[i];
    const heading = TABLE_HEADING.exec(line);
    if (heading) {
      table = { number: Number(heading[1]), title: heading[2], rows: [] };
      tables.push(table);
      row = undefined;
      continue;
    }
    if (!table) continue;
    if (SECTION_ENDS.test(line)) {
      table = undefined;
      row = undefined;
      continue;
    }
    if (!row && COLUMN_HEADINGS.has(line)) continue;
    const next = entries[i + 1]?.line ?? '';
    if (FIELD_NAME.test(line) && TYPE_LINE.test(next)) {
      row = { name: line, type: next, description: '', line: number };
      table.rows.push(row);
      i++; // the type line is consumed with the name
      continue;
    }
    if (!row)
      throw new Error(`source page line ${number}: text before the first row of table ${table.number}: ${line}`);
    row.description = row.description ? `${row.description}\n\n${line}` : line;
  }
  return tables;
}

/** The last "状态码" heading is the status-code table: code / description pairs. */
function parseStatusCodes(entries) {
  const start = entries.findLastIndex((entry) => entry.line === '状态码');
  if (start < 0) throw new Error('source page: no status code table');
  /** @type {SourceStatusCode[]} */
  const codes = [];
  for (let i = start + 1; i < entries.length; i++) {
    const { line } = entries[i];
    if (line === '相关文档') break;
    if (/^\d{3}$/.test(line)) codes.push({ code: Number(line), description: entries[i + 1]?.line ?? '' });
  }
  return codes;
}

/** The JSON block after "响应示例": from its first "{" line to the unindented "}" that closes it. */
function parseResponseExample(lines) {
  const examples = lines.findIndex((line) => line.trim() === '响应示例');
  if (examples < 0) return undefined;
  const open = lines.indexOf('{', examples);
  const close = lines.indexOf('}', open);
  if (open < 0 || close < 0) throw new Error('source page: response example is not a JSON block');
  return JSON.parse(lines.slice(open, close + 1).join('\n'));
}

/** @param {string} path */
export function readSourcePage(path) {
  return parseSourcePage(readFileSync(path, 'utf8'));
}
