// The event search language as an analyst types it: field terms, free text, quotes,
// wildcards, and errors that point at the column where the query went wrong.
import { describe, expect, it } from 'vitest';
import { BadInputError } from '../../core/errors.ts';
import { MAX_QUERY_TERMS, parseEventQuery } from '../../core/query/event-query.ts';

function errorOf(q: string): BadInputError {
  try {
    parseEventQuery(q);
  } catch (error) {
    if (error instanceof BadInputError) return error;
    throw error;
  }
  throw new Error(`expected "${q}" to be rejected`);
}

describe('parseEventQuery', () => {
  it('reads an empty or blank query as "everything"', () => {
    expect(parseEventQuery('')).toEqual({ fields: [], text: [] });
    expect(parseEventQuery('  \t ')).toEqual({ fields: [], text: [] });
  });

  it('splits field terms and free text on whitespace', () => {
    expect(parseEventQuery('host.name:ws-01  mimikatz event.category:malware')).toEqual({
      fields: [
        { field: 'host.name', pattern: 'ws-01', hasWildcard: false },
        { field: 'event.category', pattern: 'malware', hasWildcard: false },
      ],
      text: ['mimikatz'],
    });
  });

  it('keeps everything after the first colon as the value', () => {
    expect(parseEventQuery('url.full:http://x.example/a:b').fields).toEqual([
      { field: 'url.full', pattern: 'http://x.example/a:b', hasWildcard: false },
    ]);
  });

  it('accepts ECS names with @, _, - and deep paths', () => {
    const { fields } = parseEventQuery('@timestamp:2024* file.hash.sha256:AB12 _custom.my-field:1');
    expect(fields.map((f) => f.field)).toEqual(['@timestamp', 'file.hash.sha256', '_custom.my-field']);
  });

  it('reads quoted values and phrases, with \\" and \\\\ escapes', () => {
    expect(parseEventQuery('process.command_line:"powershell -enc *" "lateral movement" x')).toEqual({
      fields: [{ field: 'process.command_line', pattern: 'powershell -enc *', hasWildcard: true }],
      text: ['lateral movement', 'x'],
    });
    expect(parseEventQuery('file.path:"C:\\\\Temp\\\\a \\"b\\".exe"').fields[0]?.pattern).toBe('C:\\Temp\\a "b".exe');
    expect(parseEventQuery('"10:30 logon"').text).toEqual(['10:30 logon']);
  });

  it('flags wildcards and keeps the value as typed (matching folds case later)', () => {
    expect(parseEventQuery('file.name:*.EXE').fields).toEqual([{ field: 'file.name', pattern: '*.EXE', hasWildcard: true }]);
  });

  it('drops an empty phrase instead of failing the search', () => {
    expect(parseEventQuery('"" mimikatz')).toEqual({ fields: [], text: ['mimikatz'] });
  });

  it('says what is wrong and at which column', () => {
    expect(errorOf('host.name:ws-01 "mimi katz').message).toBe('q: unterminated quote at column 17');
    expect(errorOf('a :b').message).toBe('q: empty field name at column 3');
    expect(errorOf(':b').message).toBe('q: empty field name at column 1');
    expect(errorOf('host.name:').message).toBe('q: missing value after "host.name:" at column 11');
    expect(errorOf('host.name: ws').message).toBe('q: missing value after "host.name:" at column 11');
    expect(errorOf('host.name:""').message).toBe('q: empty value for host.name at column 11');
    expect(errorOf('x 10:30').message).toMatch(/^q: invalid field name "10" at column 3/);
    expect(errorOf('host..name:x').message).toMatch(/^q: invalid field name "host\.\.name" at column 1/);
    expect(errorOf('host.name.:x').message).toMatch(/^q: invalid field name/);
    expect(errorOf('ho$t:x').message).toMatch(/^q: invalid field name "ho\$t" at column 1/);
    expect(errorOf('mimi"katz"').message).toMatch(/^q: unexpected quote at column 5/);
    expect(errorOf('host.name:ws"01"').message).toMatch(/^q: unexpected quote at column 13/);
    expect(errorOf('"mimi"katz').message).toBe('q: expected a space after the closing quote at column 7');
  });

  it('never lets SQL or JSON-path syntax through as a field name', () => {
    for (const q of ['a"].b:x', "a');drop table events;--:x", 'a[0]:x', 'a$.b:x', 'a b)(:x']) {
      expect(() => parseEventQuery(q), q).toThrow(BadInputError);
    }
  });

  it('carries the column and the parameter in the error details, for the API', () => {
    const error = errorOf('ok "open');
    expect(error.status).toBe(400);
    expect(error.details).toEqual({ param: 'q', column: 4 });
  });

  it('bounds the size of a query', () => {
    expect(errorOf('x'.repeat(5000)).message).toMatch(/^q: longer than/);
    const many = Array.from({ length: MAX_QUERY_TERMS + 1 }, (_, i) => `w${i}`).join(' ');
    expect(errorOf(many).message).toBe(`q: more than ${MAX_QUERY_TERMS} terms`);
    expect(parseEventQuery(many.split(' ').slice(1).join(' ')).text).toHaveLength(MAX_QUERY_TERMS);
  });
});
