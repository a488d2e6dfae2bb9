// The bulk line detect writes for each event: the event exactly as it was written, plus
// the search fields, with no duplicate key even when an agent sent a field of that name
// (the node refuses a document with one, which would stall detect).
import { describe, expect, it } from 'vitest';
import { securityEventSchema, type SecurityEvent } from '../../core/schemas/event.ts';
import { bulkItem } from '../../core/store/search/bulk-writer.ts';
import { eventDocumentId } from '../../core/store/search/event-identity.ts';
import { indexNames } from '../../core/store/search/index-names.ts';
import { eventSearchFields, SEARCH_FIELD } from '../../core/store/search/search-fields.ts';

const names = indexNames('vigil');
const event = (extra: Record<string, unknown> = {}): SecurityEvent =>
  securityEventSchema.parse({
    '@timestamp': '2026-12-03T08:15:00.000+07:00',
    event: { id: 'av-1', kind: 'alert', category: ['malware'], action: 'quarantined', ingested: '2026-12-03T01:15:02.000Z' },
    organization: { id: 'so-y-te', name: 'Sở Y tế' },
    host: { name: 'PC-KETOAN-01', ip: ['10.1.2.3'] },
    destination: { port: 445 },
    ...extra,
  });

describe('bulkItem', () => {
  it('writes the event as it came, its search fields, and the create into the daily index of its UTC time', () => {
    const e = event();
    const item = bulkItem(e, names);
    const id = eventDocumentId(e);
    expect(item.id).toBe(id);
    expect(JSON.parse(item.action)).toEqual({ create: { _index: 'vigil-events-2026.12.03', _id: id } });
    const source = JSON.parse(item.source) as Record<string, unknown>;
    const { [SEARCH_FIELD]: fields, ...rest } = source;
    expect(rest).toEqual(JSON.parse(JSON.stringify(e)));
    expect(fields).toEqual(eventSearchFields(e, id));
    expect((fields as { terms: string[] }).terms).toContain('destination.port=445');
  });

  it('replaces a field an agent sent under the search fields’ name instead of writing the key twice', () => {
    const e = event({ [SEARCH_FIELD]: { terms: ['host.name=forged'] } });
    const item = bulkItem(e, names);
    expect(item.source.split(`"${SEARCH_FIELD}":`).length).toBe(2);
    const fields = (JSON.parse(item.source) as Record<string, { terms: string[] }>)[SEARCH_FIELD]!;
    expect(fields.terms).not.toContain('host.name=forged');
    expect(fields.terms).toContain('host.name=pc-ketoan-01');
  });
});
