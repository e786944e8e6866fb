// The --wait-for-ingress progress for the client's watch-based wait: watch events counted, and the
// fallback to polling said on a line of its own, escaped like all server text.
import { describe, expect, it } from 'vitest';
import { createProgress } from '../src/progress.js';

const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

describe('wait progress', () => {
  it('counts watch events next to polls, on plain lines off a terminal', () => {
    const lines: string[] = [];
    const progress = createProgress({ isTTY: false, write: (text: string) => lines.push(text) }, 'ns/web', () => 0);
    progress.poll();
    progress.event();
    progress.event();
    expect(lines).toEqual([
      'waiting for the load-balancer ingress of ns/web: 1 poll, 0s elapsed\n',
      'waiting for the load-balancer ingress of ns/web: 1 poll, 1 watch event, 0s elapsed\n',
      'waiting for the load-balancer ingress of ns/web: 1 poll, 2 watch events, 0s elapsed\n',
    ]);
  });

  it('writes a note (the fallback to polling) on its own line, escaped, and redraws the live line under it', () => {
    const chunks: string[] = [];
    const progress = createProgress({ isTTY: true, write: (text: string) => chunks.push(text) }, 'ns/web', () => 0);
    progress.note('the server refused the watch (403 Forbid\u001b[2Jden\u202e): polling instead');
    expect(chunks[0]).toBe('\r\x1b[2Kthe server refused the watch (403 Forbid\\x1b[2Jden\\u202e): polling instead\n');
    expect(chunks[1]!.startsWith('\r\x1b[2K')).toBe(true);
    expect(chunks[1]!.slice('\r\x1b[2K'.length)).not.toMatch(RAW_CONTROL);
    const plain: string[] = [];
    createProgress({ isTTY: false, write: (text: string) => plain.push(text) }, 'ns/web', () => 0).note(
      'refused\u001b[31m',
    );
    expect(plain).toEqual(['refused\\x1b[31m\n']);
  });
});
