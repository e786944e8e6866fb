// The protobuf wire format, as much of it as a proto3 message of strings, bools, int64s, doubles
// and nested messages needs (https://protobuf.dev/programming-guides/encoding/). A message is
// built as a list of encoded fields; proto3 leaves default values (empty, false, 0) out.

const VARINT = 0;
const FIXED64 = 1;
const LENGTH_DELIMITED = 2;

export class Message {
  private readonly parts: Buffer[] = [];

  private key(field: number, wireType: number): void {
    this.parts.push(varint(field * 8 + wireType));
  }

  bytes(field: number, value: Buffer): this {
    this.key(field, LENGTH_DELIMITED);
    this.parts.push(varint(value.length), value);
    return this;
  }

  string(field: number, value: unknown): this {
    if (typeof value === 'string' && value !== '') this.bytes(field, Buffer.from(value, 'utf8'));
    return this;
  }

  strings(field: number, values: unknown): this {
    // A repeated string writes its empty entries too: they are elements, not defaults.
    if (Array.isArray(values))
      for (const value of values) if (typeof value === 'string') this.bytes(field, Buffer.from(value, 'utf8'));
    return this;
  }

  bool(field: number, value: unknown): this {
    if (value === true) {
      this.key(field, VARINT);
      this.parts.push(varint(1));
    }
    return this;
  }

  int64(field: number, value: unknown): this {
    if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) {
      this.key(field, VARINT);
      this.parts.push(varint(value));
    }
    return this;
  }

  double(field: number, value: unknown): this {
    if (typeof value === 'number' && Number.isFinite(value) && !Object.is(value, 0)) {
      this.key(field, FIXED64);
      const buffer = Buffer.alloc(8);
      buffer.writeDoubleLE(value);
      this.parts.push(buffer);
    }
    return this;
  }

  message(field: number, value: Message | undefined): this {
    if (value) this.bytes(field, value.encode());
    return this;
  }

  messages(field: number, values: readonly Message[]): this {
    for (const value of values) this.bytes(field, value.encode());
    return this;
  }

  encode(): Buffer {
    return Buffer.concat(this.parts);
  }
}

/** A non-negative integer as a base-128 varint (up to 2^53, which is all a JS number holds exactly). */
function varint(value: number): Buffer {
  const bytes: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    bytes.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  bytes.push(rest);
  return Buffer.from(bytes);
}
