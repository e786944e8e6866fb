import { describe, expect, it } from 'vitest';
import { LineTooLongError, ndjsonLines } from '../src/streaming/ndjson.js';

/** A reader over these chunks, as a response body would deliver them. */
function readerOf(chunks: Array<string | Uint8Array>): ReadableStreamDefaultReader<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(typeof chunk === 'string' ? encoder.encode(chunk) : chunk);
      controller.close();
    },
  }).getReader();
}

async function lines(chunks: Array<string | Uint8Array>, max = 1024): Promise<string[]> {
  const out: string[] = [];
  for await (const line of ndjsonLines(readerOf(chunks), max)) out.push(line);
  return out;
}

describe('ndjsonLines', () => {
  it('splits lines wherever the chunks happen to break, skipping blank lines', async () => {
    const text = '{"a":1}\n\n{"b":"x"}\n{"c":[1,2]}\n';
    const whole = await lines([text]);
    expect(whole).toEqual(['{"a":1}', '{"b":"x"}', '{"c":[1,2]}']);
    // Every split point, and one byte per chunk.
    for (let cut = 1; cut < text.length; cut++)
      expect(await lines([text.slice(0, cut), text.slice(cut)])).toEqual(whole);
    expect(await lines([...text])).toEqual(whole);
  });

  it('keeps a multi-byte character that is split between chunks', async () => {
    const bytes = new TextEncoder().encode('{"name":"服务"}\n');
    const out = await lines([bytes.subarray(0, 10), bytes.subarray(10, 11), bytes.subarray(11)]);
    expect(out).toEqual(['{"name":"服务"}']);
  });

  it('drops an unterminated last line (an event cut off when the connection went)', async () => {
    expect(await lines(['{"a":1}\n{"b":'])).toEqual(['{"a":1}']);
  });

  it('stops with LineTooLongError as soon as a line passes the bound, even without a newline', async () => {
    await expect(lines([`${'x'.repeat(10)}\n`], 9)).rejects.toBeInstanceOf(LineTooLongError);
    // A line that never ends is refused once it is over the limit, not buffered forever.
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(new Uint8Array(100).fill(0x61));
      },
    }).getReader();
    const error = await (async () => {
      for await (const _ of ndjsonLines(endless, 1000)) void _;
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LineTooLongError);
    expect((error as LineTooLongError).limit).toBe(1000);
    expect(pulled).toBeLessThan(15);
    // Exactly at the limit is fine.
    expect(await lines([`${'x'.repeat(9)}\n`], 9)).toEqual(['x'.repeat(9)]);
  });
});
