// The event and alert contracts: what agents may send, what analysts may change, and
// the JSON Schema agent authors read staying in step with the validator.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { incomingEventSchema, securityEventSchema } from '../../core/schemas/event.ts';
import { alertPatchSchema } from '../../core/schemas/alert.ts';
import { eventJsonSchema } from '../../core/schemas/event-json-schema.ts';
import { describeIssues } from '../../core/schemas/describe-issues.ts';
import { repoRoot } from '../support/start-vigil.ts';

describe('incoming events', () => {
  it('accepts an antivirus detection and keeps fields Vigil does not model', () => {
    const parsed = incomingEventSchema.parse({
      '@timestamp': '2026-11-22T08:00:00+07:00',
      event: { category: 'malware', action: 'quarantined', outcome: 'success' },
      file: { path: 'C:\\x.exe', hash: { sha256: 'ab' } },
      threat: { software: { name: 'Emotet' } },
    });
    expect(parsed['@timestamp']).toBe('2026-11-22T01:00:00.000Z');
    expect(parsed.event?.category).toEqual(['malware']);
    expect((parsed as Record<string, unknown>).threat).toEqual({ software: { name: 'Emotet' } });
  });

  it('accepts epoch milliseconds as @timestamp', () => {
    expect(incomingEventSchema.parse({ '@timestamp': 1_763_800_000_000 })['@timestamp']).toBe('2025-11-22T08:26:40.000Z');
  });

  it('says which field is wrong and why', () => {
    const result = incomingEventSchema.safeParse({ '@timestamp': 'yesterday', destination: { port: 70_000 } });
    expect(result.success).toBe(false);
    const message = describeIssues(result.error!);
    expect(message).toMatch(/@timestamp/);
    expect(message).toMatch(/destination\.port/);
  });

  it('rejects what is not an object', () => {
    expect(incomingEventSchema.safeParse([1, 2]).success).toBe(false);
    expect(incomingEventSchema.safeParse('event').success).toBe(false);
  });

  it('requires id, ingest time and unit on a stored event', () => {
    const result = securityEventSchema.safeParse({ '@timestamp': '2026-11-22T08:00:00Z', event: {} });
    expect(result.success).toBe(false);
    expect(describeIssues(result.error!)).toMatch(/event\.id|organization/);
  });
});

describe('alert patches', () => {
  it('accepts a status change with a note', () => {
    expect(alertPatchSchema.parse({ status: 'resolved', note: ' cleaned by IT ' })).toEqual({ status: 'resolved', note: 'cleaned by IT' });
  });

  it('rejects unknown statuses, unknown fields and empty patches', () => {
    expect(alertPatchSchema.safeParse({ status: 'closed' }).success).toBe(false);
    expect(alertPatchSchema.safeParse({ severity: 'low' }).success).toBe(false);
    expect(alertPatchSchema.safeParse({}).success).toBe(false);
  });
});

describe('the JSON Schema for agent authors', () => {
  it('is current with the validator (run `npm run schema` after changing core/schemas)', () => {
    const committed = JSON.parse(fs.readFileSync(path.join(repoRoot, 'docs', 'event.schema.json'), 'utf8'));
    expect(committed).toEqual(eventJsonSchema());
  });

  it('describes the fields agents send', () => {
    const schema = eventJsonSchema() as { properties: Record<string, { properties?: Record<string, unknown> }> };
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['@timestamp', 'event', 'host', 'file', 'rule']));
    expect(Object.keys(schema.properties.event!.properties!)).toEqual(expect.arrayContaining(['id', 'category', 'action', 'outcome']));
  });
});
