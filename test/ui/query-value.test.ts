// Values the console writes into event searches (dashboard drill-downs, host and unit
// pages) read back from the query language as the same value, in one field term.
import { describe, expect, it } from 'vitest';
import { parseEventQuery } from '../../core/query/event-query.ts';
import { queryValue } from '../../ui/src/lib/query-value.ts';

const readBack = (field: string, value: string) => parseEventQuery(`${field}:${queryValue(value)}`).root;

describe('queryValue', () => {
  it('leaves one plain word bare', () => {
    expect(queryValue('PC-KETOAN-01')).toBe('PC-KETOAN-01');
    expect(readBack('host.name', 'PC-KETOAN-01')).toMatchObject({ kind: 'field', field: 'host.name', pattern: 'PC-KETOAN-01' });
  });

  it('quotes anything else, so spaces, quotes, backslashes and diacritics arrive whole', () => {
    for (const value of ['Trojan.Win32 "Agent"', 'C:\\Users\\ketoan', 'Sở Y tế', 'a:b', 'x OR y']) {
      expect(queryValue(value).startsWith('"')).toBe(true);
      expect(readBack('rule.name', value)).toMatchObject({ kind: 'field', field: 'rule.name', pattern: value });
    }
    // An operator's name after a field's colon is the field's value.
    expect(readBack('event.action', 'OR')).toMatchObject({ kind: 'field', field: 'event.action', pattern: 'OR' });
  });
});
