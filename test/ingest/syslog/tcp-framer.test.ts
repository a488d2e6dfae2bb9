// TCP framing (RFC 6587): octet counting and LF framing, chosen from a connection's
// first bytes; messages split across segments or packed several to a segment; garbage
// (binary first bytes, a bad length, an oversized frame or line) ends the connection.
import { describe, expect, it } from 'vitest';
import { TcpFramer } from '../../../ingest/syslog/tcp-framer.ts';

const texts = (buffers: Buffer[]) => buffers.map((buffer) => buffer.toString('utf8'));
const octet = (message: string) => `${Buffer.byteLength(message)} ${message}`;

describe('TcpFramer', () => {
  it('octet counting: several frames in one segment, one frame split over three', () => {
    const framer = new TcpFramer(1024);
    const one = '<13>1 2026-12-03T08:00:00Z h app - - - first';
    const two = '<13>1 2026-12-03T08:00:01Z h app - - - second with\nan embedded LF';
    const three = '<13>Dec  3 08:00:02 h app: thứ ba'; // multi-byte UTF-8: the length counts octets
    expect(texts(framer.push(Buffer.from(octet(one) + octet(two))).messages)).toEqual([one, two]);
    expect(framer.mode).toBe('octet-counting');
    const bytes = Buffer.from(octet(three));
    expect(framer.push(bytes.subarray(0, 2)).messages).toEqual([]);
    expect(framer.push(bytes.subarray(2, bytes.length - 3)).messages).toEqual([]);
    expect(texts(framer.push(bytes.subarray(bytes.length - 3)).messages)).toEqual([three]);
    expect(framer.end()).toEqual({ truncated: false });
  });

  it('LF framing: CR LF tolerated, blank lines skipped, a line split across segments, the last line without LF at the end', () => {
    const framer = new TcpFramer(1024);
    expect(texts(framer.push(Buffer.from('<13>a one\r\n\n<13>a tw')).messages)).toEqual(['<13>a one']);
    expect(framer.mode).toBe('lf');
    expect(texts(framer.push(Buffer.from('o\n<13>a three')).messages)).toEqual(['<13>a two']);
    expect(framer.end().message?.toString()).toBe('<13>a three');
  });

  it('a line that starts with digits but no length (a time without PRI) is LF framing', () => {
    const framer = new TcpFramer(1024);
    expect(texts(framer.push(Buffer.from('2026-12-03T08:00:00Z host app: hi\n')).messages)).toEqual(['2026-12-03T08:00:00Z host app: hi']);
    expect(framer.mode).toBe('lf');
  });

  it('waits for the length to end before choosing', () => {
    const framer = new TcpFramer(1024);
    expect(framer.push(Buffer.from('11')).messages).toEqual([]);
    expect(framer.mode).toBeUndefined();
    expect(texts(framer.push(Buffer.from(' <13>a hello')).messages)).toEqual(['<13>a hello']);
  });

  it('garbage: binary first bytes (a TLS handshake on the plain port)', () => {
    expect(new TcpFramer(1024).push(Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00])).garbage).toMatch(/binary/);
  });

  it('garbage: an octet-counted connection that sends something without a length', () => {
    const framer = new TcpFramer(1024);
    const result = framer.push(Buffer.from(`${octet('<13>a ok')}hello there`));
    expect(texts(result.messages)).toEqual(['<13>a ok']);
    expect(result.garbage).toMatch(/length/);
  });

  it('garbage: a frame or a line larger than the maximum', () => {
    expect(new TcpFramer(100).push(Buffer.from('5000 <13>')).garbage).toMatch(/5000 bytes/);
    expect(new TcpFramer(100).push(Buffer.from(`<13>${'x'.repeat(200)}`)).garbage).toMatch(/longer than the 100/);
  });

  it('a connection that ends inside an octet-counted frame reports it truncated', () => {
    const framer = new TcpFramer(1024);
    framer.push(Buffer.from('30 <13>a only part'));
    expect(framer.end()).toEqual({ truncated: true });
  });
});
