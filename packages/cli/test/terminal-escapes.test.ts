// Server-controlled text never reaches the terminal raw: C0, C1 and BiDi controls are escaped in
// tables, JSON, YAML, progress lines and error messages.
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import type { Service } from '@cci-openapi/types';
import { renderService, renderTable } from '../src/format.js';
import { createProgress } from '../src/progress.js';
import { escapeControls } from '../src/terminal.js';

/** Any character that can act on a terminal or reorder text, except the line feed. */
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
const EVIL = '\u001b[2J\u001b[31mred\u009b31m\u202egnp.exe\u2066x\u2069\u200f\u061c\u0007\r';

const evil: Service = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: `web${EVIL}`, namespace: `ns${EVIL}`, labels: { [`key${EVIL}`]: `value${EVIL}` } },
  spec: {
    type: `LoadBalancer${EVIL}` as 'LoadBalancer',
    clusterIP: `10.0.0.1${EVIL}`,
    ports: [{ name: `http${EVIL}`, port: 80, targetPort: `t${EVIL}`, protocol: 'TCP' }],
  },
  status: { loadBalancer: { ingress: [{ ip: `192.0.2.1${EVIL}`, hostname: `h\n${EVIL}` }] } },
};

describe('escapeControls', () => {
  it('shows C0, DEL, C1 and BiDi controls as visible escapes and keeps line feeds unless single-line', () => {
    expect(escapeControls('a\u001b[2Jb\u009bc\u202ed\u2066e\u200ef\u061cg\u007fh\ti\rj\nk')).toBe(
      'a\\x1b[2Jb\\x9bc\\u202ed\\u2066e\\u200ef\\u061cg\\x7fh\\ti\\rj\nk',
    );
    expect(escapeControls('a\nb', { singleLine: true })).toBe('a\\nb');
    expect(escapeControls('namespace-test/redis 10.247.212.210 服务 ✓')).toBe(
      'namespace-test/redis 10.247.212.210 服务 ✓',
    );
  });
});

describe('rendering a Service full of escapes', () => {
  it('the table has no raw control and one line per value', () => {
    const table = renderTable(evil);
    expect(table).not.toMatch(RAW_CONTROL);
    expect(table).toContain('\\x1b[2J\\x1b[31mred\\x9b31m\\u202egnp.exe');
    // Each row is one line: the hostname's line feed does not start a forged row.
    expect(table.split('\n').filter(Boolean)).toHaveLength(5);
  });

  it.each(['json', 'yaml'] as const)(
    '-o %s escapes C1 and BiDi too, and still parses back to the same Service',
    (format) => {
      const text = renderService(evil, format);
      expect(text).not.toMatch(RAW_CONTROL);
      expect(format === 'json' ? JSON.parse(text) : YAML.parse(text)).toEqual(evil);
    },
  );
});

describe('progress lines', () => {
  it('escape the Service reference but keep their own line control on a terminal', () => {
    const chunks: string[] = [];
    const progress = createProgress(
      { isTTY: true, write: (text: string) => chunks.push(text) },
      `ns/web${EVIL}`,
      () => 0,
    );
    progress.poll();
    expect(chunks[0]!.startsWith('\r\x1b[2K')).toBe(true);
    expect(chunks[0]!.slice('\r\x1b[2K'.length)).not.toMatch(RAW_CONTROL);
    const plain: string[] = [];
    createProgress({ isTTY: false, write: (text: string) => plain.push(text) }, `ns/web${EVIL}`, () => 0).poll();
    expect(plain[0]).not.toMatch(RAW_CONTROL);
    expect(plain[0]!.endsWith('elapsed\n')).toBe(true);
  });
});
