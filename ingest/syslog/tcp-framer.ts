// Splits one TCP connection's byte stream into syslog messages (RFC 6587): octet
// counting ("<length> <message>", what RFC 5425-style senders use) or non-transparent
// framing (each message ends with LF; CR LF tolerated), told apart by the connection's
// first bytes: a length then a space means octet counting, anything printable means
// LF. What cannot be framed is garbage and ends the connection: binary first bytes (a
// TLS handshake on the plain port), a bad length prefix, a frame or line longer than
// the maximum. Messages are handed out as Buffers; the listener decodes them as UTF-8.

export type FramingMode = 'octet-counting' | 'lf';

export type FramerResult = { messages: Buffer[]; garbage?: string };

const SPACE = 0x20;
const LF = 0x0a;
const CR = 0x0d;
const MAX_LENGTH_DIGITS = 9;

export class TcpFramer {
  private buffer: Buffer = Buffer.alloc(0);
  private detected: FramingMode | undefined;

  constructor(private readonly maxMessageBytes: number) {}

  get mode(): FramingMode | undefined {
    return this.detected;
  }

  /** Frames what `chunk` completes; `garbage` says why the connection must close (messages before it are good). */
  push(chunk: Buffer): FramerResult {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    const messages: Buffer[] = [];
    if (this.detected === undefined) {
      const mode = detect(this.buffer);
      if (mode === 'wait') return { messages };
      if (mode === 'garbage') return { messages, garbage: 'the connection does not start with syslog (binary data)' };
      this.detected = mode;
    }
    const garbage = this.detected === 'octet-counting' ? this.octetFrames(messages) : this.lineFrames(messages);
    return garbage === undefined ? { messages } : { messages, garbage };
  }

  /** At the end of the connection: a last LF-framed message without its LF still counts; anything else left is `truncated`. */
  end(): { message?: Buffer; truncated: boolean } {
    const rest = this.buffer;
    this.buffer = Buffer.alloc(0);
    if (rest.length === 0 || rest.every((byte) => byte === LF || byte === CR || byte === SPACE)) return { truncated: false };
    if (this.detected === 'lf') return { message: trimLineEnd(rest), truncated: false };
    return { truncated: true };
  }

  private octetFrames(messages: Buffer[]): string | undefined {
    let offset = 0;
    const buffer = this.buffer;
    for (;;) {
      // Tolerate LF or spaces between frames: some senders add them.
      while (offset < buffer.length && (buffer[offset] === LF || buffer[offset] === CR || buffer[offset] === SPACE)) offset += 1;
      if (offset >= buffer.length) break;
      let cursor = offset;
      let length = 0;
      while (cursor < buffer.length && isDigit(buffer[cursor]!) && cursor - offset < MAX_LENGTH_DIGITS) {
        length = length * 10 + (buffer[cursor]! - 0x30);
        cursor += 1;
      }
      if (cursor >= buffer.length) break;
      if (cursor === offset || buffer[cursor] !== SPACE || buffer[offset] === 0x30) {
        this.buffer = Buffer.alloc(0);
        return 'an octet-counted frame must start with its length and a space (RFC 6587)';
      }
      if (length > this.maxMessageBytes) {
        this.buffer = Buffer.alloc(0);
        return `a frame of ${length} bytes is larger than the ${this.maxMessageBytes} allowed`;
      }
      const start = cursor + 1;
      if (start + length > buffer.length) break;
      messages.push(buffer.subarray(start, start + length));
      offset = start + length;
    }
    this.buffer = buffer.subarray(offset);
    return undefined;
  }

  private lineFrames(messages: Buffer[]): string | undefined {
    let offset = 0;
    const buffer = this.buffer;
    for (;;) {
      const end = buffer.indexOf(LF, offset);
      if (end < 0) break;
      if (end - offset > this.maxMessageBytes) {
        this.buffer = Buffer.alloc(0);
        return `a line longer than the ${this.maxMessageBytes} bytes allowed`;
      }
      const line = trimLineEnd(buffer.subarray(offset, end));
      if (line.length > 0) messages.push(line);
      offset = end + 1;
    }
    this.buffer = buffer.subarray(offset);
    if (this.buffer.length > this.maxMessageBytes) {
      this.buffer = Buffer.alloc(0);
      return `a line longer than the ${this.maxMessageBytes} bytes allowed`;
    }
    return undefined;
  }
}

function detect(buffer: Buffer): FramingMode | 'wait' | 'garbage' {
  let index = 0;
  while (index < buffer.length && (buffer[index] === LF || buffer[index] === CR || buffer[index] === SPACE)) index += 1;
  if (index >= buffer.length) return 'wait';
  const first = buffer[index]!;
  if (isDigit(first)) {
    let cursor = index;
    while (cursor < buffer.length && isDigit(buffer[cursor]!)) cursor += 1;
    if (cursor >= buffer.length) return cursor - index > MAX_LENGTH_DIGITS ? 'lf' : 'wait';
    return buffer[cursor] === SPACE && cursor - index <= MAX_LENGTH_DIGITS ? 'octet-counting' : 'lf';
  }
  // Printable ASCII, tab, or the first byte of a UTF-8 sequence (a BOM, a non-Latin host name).
  if (first === 0x09 || (first >= 0x20 && first < 0x7f) || first >= 0xc2) return 'lf';
  return 'garbage';
}

function isDigit(byte: number): boolean {
  return byte >= 0x30 && byte <= 0x39;
}

function trimLineEnd(line: Buffer): Buffer {
  let end = line.length;
  while (end > 0 && (line[end - 1] === CR || line[end - 1] === LF)) end -= 1;
  return line.subarray(0, end);
}
