// The event search language as an analyst types it: field terms, free text, quotes,
// wildcards, AND / OR / NOT, parentheses, ranges, and errors that point at the column
// where the query went wrong.
import { describe, expect, it } from 'vitest';
import { BadInputError } from '../../core/errors.ts';
import { MAX_QUERY_DEPTH, MAX_QUERY_TERMS, parseEventQuery } from '../../core/query/event-query.ts';
import type { QueryNode } from '../../core/query/query-tree.ts';
import { rangeKeyOf, rangeKeyOfText } from '../../core/query/range-key.ts';

function errorOf(q: string): BadInputError {
  try {
    parseEventQuery(q);
  } catch (error) {
    if (error instanceof BadInputError) return error;
    throw error;
  }
  throw new Error(`expected "${q}" to be rejected`);
}

const field = (name: string, pattern: string): QueryNode => ({ kind: 'field', field: name, pattern, hasWildcard: pattern.includes('*') });
const text = (value: string): QueryNode => ({ kind: 'text', text: value });
const root = (q: string) => parseEventQuery(q).root;

/** A compact spelling of a tree, so the grouping tests read like the queries. */
function show(node: QueryNode | null): string {
  if (node === null) return '*';
  switch (node.kind) {
    case 'field':
      return `${node.field}:${node.pattern}`;
    case 'text':
      return `"${node.text}"`;
    case 'range':
      return `${node.field}${node.lower.inclusive ? '[' : '{'}${node.lower.key.length > 1 ? 'x' : '*'},${node.upper.key.length > 2 ? 'y' : '*'}${node.upper.inclusive ? ']' : '}'}`;
    case 'not':
      return `NOT ${show(node.child)}`;
    case 'and':
    case 'or':
      return `(${node.children.map(show).join(node.kind === 'and' ? ' & ' : ' | ')})`;
  }
}

describe('parseEventQuery: terms', () => {
  it('reads an empty or blank query as "everything"', () => {
    expect(parseEventQuery('')).toEqual({ root: null });
    expect(parseEventQuery('  \t ')).toEqual({ root: null });
  });

  it('ANDs field terms and free text side by side', () => {
    expect(root('host.name:ws-01  mimikatz event.category:malware')).toEqual({
      kind: 'and',
      children: [field('host.name', 'ws-01'), text('mimikatz'), field('event.category', 'malware')],
    });
  });

  it('keeps everything after the first colon as the value', () => {
    expect(root('url.full:http://x.example/a:b')).toEqual(field('url.full', 'http://x.example/a:b'));
  });

  it('accepts ECS names with @, _, - and deep paths', () => {
    expect(show(root('@timestamp:2024* file.hash.sha256:AB12 _custom.my-field:1'))).toBe('(@timestamp:2024* & file.hash.sha256:AB12 & _custom.my-field:1)');
  });

  it('reads quoted values and phrases, with \\" and \\\\ escapes', () => {
    expect(root('process.command_line:"powershell -enc *" "lateral movement" x')).toEqual({
      kind: 'and',
      children: [field('process.command_line', 'powershell -enc *'), text('lateral movement'), text('x')],
    });
    expect(root('file.path:"C:\\\\Temp\\\\a \\"b\\".exe"')).toEqual(field('file.path', 'C:\\Temp\\a "b".exe'));
    expect(root('"10:30 logon"')).toEqual(text('10:30 logon'));
  });

  it('keeps Windows paths and odd characters in unquoted values as typed', () => {
    expect(root('file.path:C:\\Windows\\*')).toEqual(field('file.path', 'C:\\Windows\\*'));
    expect(root('file.name:setup(1).exe')).toEqual(field('file.name', 'setup(1).exe'));
    expect(root('NEAR(mimikatz')).toEqual(text('NEAR(mimikatz'));
    expect(root('<script>')).toEqual(text('<script>'));
    expect(root('network.direction:--')).toEqual(field('network.direction', '--'));
    expect(root('--')).toEqual(text('--'));
  });

  it('drops an empty phrase instead of failing the search', () => {
    expect(root('"" mimikatz')).toEqual(text('mimikatz'));
  });
});

describe('parseEventQuery: AND, OR, NOT and parentheses', () => {
  it('binds NOT tightest, then AND, then OR', () => {
    expect(show(root('a OR b'))).toBe('("a" | "b")');
    expect(show(root('a b OR c'))).toBe('(("a" & "b") | "c")');
    expect(show(root('a AND b OR c AND d'))).toBe('(("a" & "b") | ("c" & "d"))');
    expect(show(root('NOT a b'))).toBe('(NOT "a" & "b")');
    expect(show(root('a OR NOT b'))).toBe('("a" | NOT "b")');
    expect(show(root('NOT NOT a'))).toBe('NOT NOT "a"');
  });

  it('groups with parentheses, around and inside terms', () => {
    expect(show(root('(host.name:a OR host.name:b) mimikatz'))).toBe('((host.name:a | host.name:b) & "mimikatz")');
    expect(show(root('NOT (a OR b)'))).toBe('NOT ("a" | "b")');
    expect(show(root('((a))'))).toBe('"a"');
    expect(show(root('(a (b OR c))'))).toBe('("a" & ("b" | "c"))');
    expect(show(root('(file.name:"x y")'))).toBe('file.name:x y');
    expect(show(root('(file.name:setup(1).exe OR a)'))).toBe('(file.name:setup(1).exe | "a")');
  });

  it('flattens nested ANDs and ORs', () => {
    expect(root('a AND (b AND c)')).toEqual({ kind: 'and', children: [text('a'), text('b'), text('c')] });
    expect(root('a OR (b OR c)')).toEqual({ kind: 'or', children: [text('a'), text('b'), text('c')] });
  });

  it('reads a leading - as NOT, but not inside words or before non-words', () => {
    expect(show(root('-host.name:ws-01 mimikatz'))).toBe('(NOT host.name:ws-01 & "mimikatz")');
    expect(show(root('-(a OR b)'))).toBe('NOT ("a" | "b")');
    expect(show(root('-"x y"'))).toBe('NOT "x y"');
    expect(show(root('invoke-mimikatz'))).toBe('"invoke-mimikatz"');
  });

  it('takes only capital AND, OR, NOT as operators; quoted they are words', () => {
    expect(show(root('salt and pepper or not'))).toBe('("salt" & "and" & "pepper" & "or" & "not")');
    expect(show(root('"AND" "NOT"'))).toBe('("AND" & "NOT")');
  });
});

describe('parseEventQuery: ranges', () => {
  it('reads field >= v with or without spaces, and field:>v', () => {
    for (const q of ['destination.port >= 1024', 'destination.port>=1024', 'destination.port:>=1024', 'destination.port >=1024']) {
      expect(root(q), q).toEqual({
        kind: 'range',
        field: 'destination.port',
        valueKind: 'n',
        lower: { key: rangeKeyOfText('1024')!.key, inclusive: true },
        upper: { key: 'n~', inclusive: false },
      });
    }
    expect(show(root('x > 1'))).toBe('x{x,*}');
    expect(show(root('x < 1'))).toBe('x[*,y}');
    expect(show(root('x <= 1'))).toBe('x[*,y]');
  });

  it('reads [a TO b], {a TO b}, mixed brackets and * for an open end', () => {
    expect(show(root('destination.port:[1024 TO 65535]'))).toBe('destination.port[x,y]');
    expect(show(root('destination.port:{1024 TO 65535}'))).toBe('destination.port{x,y}');
    expect(show(root('destination.port:[1024 TO 65535}'))).toBe('destination.port[x,y}');
    expect(show(root('destination.port:[1024 TO *]'))).toBe('destination.port[x,*}');
    expect(show(root('(destination.port:[1 TO 2])'))).toBe('destination.port[x,y]');
    expect(show(root('@timestamp:["2024-05-01 08:00" TO 2024-05-02]'))).toBe('@timestamp[x,y]');
  });

  it('combines ranges with the other operators', () => {
    expect(show(root('event.category:network AND NOT destination.port < 1024'))).toBe('(event.category:network & NOT destination.port[*,y})');
  });

  it('keys numbers, times and IP addresses in their own order', () => {
    const keys = (values: unknown[]) => values.map((v) => rangeKeyOf(v));
    const sorted = (values: unknown[]) => [...keys(values)].sort();
    const numbers = [-1e9, -2.5, -1, 0, 0.5, 1, 2, 9, 10, 1024, 65535, 1e12];
    expect(sorted(numbers)).toEqual(keys(numbers));
    expect(rangeKeyOf(-0)).toBe(rangeKeyOf(0));
    expect(rangeKeyOf('1500')).toBe(rangeKeyOf(1500));
    const times = ['2024-04-30T23:59:59.999Z', '2024-05-01', '2024-05-01T07:30:00+07:00', '2024-05-01T00:30:00.5Z', '2024-05-01T08:00Z'];
    expect(sorted(times)).toEqual(keys(times));
    expect(rangeKeyOf('2024-05-01T07:00:00+07:00')).toBe(rangeKeyOf('2024-05-01T00:00:00Z'));
    expect(rangeKeyOf('2024-05-01T00:00:00')).toBe(rangeKeyOf('2024-05-01'));
    const ips = ['0.0.0.0', '9.255.255.255', '10.0.0.5', '10.0.0.10', '192.168.1.1', '255.255.255.255', '2001:db8::1', '2001:db8::a', 'fe80::1'];
    expect(sorted(ips)).toEqual(keys(ips));
    expect(rangeKeyOf('::ffff:10.0.0.5')).toBe(rangeKeyOf('10.0.0.5'));
    for (const none of ['ws-01', '256.1.1.1', '10.0.0', '1:2', 'aa:bb:cc:dd:ee:ff', true, null, 'NaN', '']) {
      expect(rangeKeyOf(none), String(none)).toBeNull();
    }
    // Kinds never interleave: every number key sorts apart from every time and IP key.
    expect(rangeKeyOf(1e300)! < rangeKeyOf('1970-01-01')!).toBe(true);
  });
});

describe('parseEventQuery: errors point at the column', () => {
  it('says what is wrong with a term and where', () => {
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

  it('says which operator lacks a term, and where', () => {
    expect(errorOf('a OR').message).toBe('q: OR at column 3 needs a term after it');
    expect(errorOf('NOT').message).toBe('q: NOT at column 1 needs a term after it');
    expect(errorOf('a AND OR b').message).toBe('q: AND at column 3 needs a term after it');
    expect(errorOf('OR b').message).toBe('q: OR at column 1 needs a term before it');
    expect(errorOf('a NOT').message).toBe('q: NOT at column 3 needs a term after it');
    expect(errorOf('a (b OR)').message).toBe('q: OR at column 6 needs a term after it');
  });

  it('says which parenthesis is unbalanced', () => {
    expect(errorOf('(a OR b').message).toBe('q: the "(" at column 1 is never closed');
    expect(errorOf('a (b (c)').message).toBe('q: the "(" at column 3 is never closed');
    expect(errorOf('a )').message).toBe('q: unexpected ")" at column 3 (no group is open)');
    expect(errorOf('(a) b )').message).toBe('q: unexpected ")" at column 7 (no group is open)');
    expect(errorOf('a ()').message).toBe('q: empty parentheses at column 3');
  });

  it('says what is wrong with a range, and where', () => {
    expect(errorOf('host.name > ws').message).toBe(
      'q: "ws" at column 13 is not a number, a time (2024-05-01T08:00:00Z) or an IP address; ranges compare only those',
    );
    expect(errorOf('destination.port >=').message).toBe('q: missing value after "destination.port >=" at column 20');
    expect(errorOf('destination.port:[1 TO]').message).toMatch(/^q: expected "TO" at column 21|^q: missing bound/);
    expect(errorOf('destination.port:[1 2]').message).toBe('q: expected "TO" at column 21 (write destination.port:[1 TO 10])');
    expect(errorOf('destination.port:[1 TO 2').message).toBe('q: expected "]" or "}" at column 25 to close the range');
    expect(errorOf('destination.port:[1 TO 2]x').message).toBe('q: expected a space after the range at column 26');
    expect(errorOf('x:[* TO *]').message).toBe('q: a range needs at least one bound at column 3 (x:* matches any value)');
    expect(errorOf('x:[1 TO 2024-05-01]').message).toBe('q: the bounds at column 4 and 9 are of different kinds (a number and a time)');
    expect(errorOf('x:[1 TO ').message).toBe('q: unclosed range: the "[" at column 3 has no "]" or "}"');
  });

  it('never lets SQL or JSON-path syntax through as a field name', () => {
    for (const q of ['a"].b:x', "a');drop table events;--:x", 'a[0]:x', 'a$.b:x']) {
      expect(() => parseEventQuery(q), q).toThrow(BadInputError);
    }
    // Outside a group a ")" is a character of the word, which stays free text.
    expect(show(root('a b)(:x'))).toBe('("a" & "b)(:x")');
  });

  it('carries the column and the parameter in the error details, for the API', () => {
    const error = errorOf('ok "open');
    expect(error.status).toBe(400);
    expect(error.details).toEqual({ param: 'q', column: 4 });
    expect(errorOf('a OR').details).toEqual({ param: 'q', column: 3 });
  });

  it('bounds the size and depth of a query', () => {
    expect(errorOf('x'.repeat(5000)).message).toMatch(/^q: longer than/);
    const many = Array.from({ length: MAX_QUERY_TERMS + 1 }, (_, i) => `w${i}`).join(' ');
    expect(errorOf(many).message).toBe(`q: more than ${MAX_QUERY_TERMS} terms`);
    const fewer = root(many.split(' ').slice(1).join(' '));
    expect(fewer?.kind === 'and' ? fewer.children : []).toHaveLength(MAX_QUERY_TERMS);
    const deep = `${'('.repeat(MAX_QUERY_DEPTH + 1)}a${')'.repeat(MAX_QUERY_DEPTH + 1)}`;
    expect(errorOf(deep).message).toBe(`q: nested deeper than ${MAX_QUERY_DEPTH} levels at column ${MAX_QUERY_DEPTH + 1}`);
    expect(show(root(`${'('.repeat(MAX_QUERY_DEPTH)}a${')'.repeat(MAX_QUERY_DEPTH)}`))).toBe('"a"');
  });
});
