// The unit comes from the key, never the body; ids and ingest time are stamped; event
// times too far ahead are kept and flagged.
import { describe, expect, it } from 'vitest';
import { stampEvent, eventKey } from '../../ingest/stamp-event.ts';
import { FUTURE_TIMESTAMP_TAG, incomingEventSchema, securityEventSchema } from '../../core/schemas/event.ts';

const NOW = new Date('2026-11-22T08:00:00.000Z');
const TOLERANCE_MS = 300_000;

const context = (rawText: string, unit = 'so-y-te') => ({
  organization: { id: unit, name: 'Sở Y tế' },
  agentId: 'agent-1',
  now: NOW,
  rawText: () => rawText,
  futureToleranceMs: TOLERANCE_MS,
});

function stamped(body: unknown, unit?: string) {
  return stampEvent(incomingEventSchema.parse(body), context(JSON.stringify(body), unit));
}

function stamp(body: unknown, unit?: string) {
  return stamped(body, unit).event;
}

describe('stampEvent', () => {
  it('takes the unit from the agent key, ignoring one in the body', () => {
    const event = stamp({ organization: { id: 'another-unit', name: 'spoofed' }, host: { id: 'h1' } });
    expect(event.organization).toEqual({ id: 'so-y-te', name: 'Sở Y tế' });
  });

  it('stamps event.ingested and keeps the agent’s @timestamp', () => {
    const event = stamp({ '@timestamp': '2026-11-22T07:59:00+07:00' });
    expect(event.event.ingested).toBe('2026-11-22T08:00:00.000Z');
    expect(event['@timestamp']).toBe('2026-11-22T00:59:00.000Z');
    expect(securityEventSchema.safeParse(event).success).toBe(true);
  });

  it('uses ingest time when the agent sent no @timestamp', () => {
    expect(stamp({ message: 'x' })['@timestamp']).toBe('2026-11-22T08:00:00.000Z');
  });

  it('keeps an event.id the agent sent', () => {
    expect(stamp({ event: { id: 'av-123' } }).event.id).toBe('av-123');
  });

  it('derives the same id for a retried event with a @timestamp, so retries do not duplicate', () => {
    const body = { '@timestamp': '2026-11-22T07:00:00Z', host: { id: 'h1' }, rule: { name: 'EICAR' } };
    expect(stamp(body).event.id).toBe(stamp(body).event.id);
    expect(stamp({ ...body, host: { id: 'h2' } }).event.id).not.toBe(stamp(body).event.id);
  });

  it('derives different ids for the same body sent by two units, so one unit cannot take another’s id', () => {
    const body = { '@timestamp': '2026-11-22T07:00:00Z', host: { id: 'h1' }, rule: { name: 'EICAR' } };
    expect(stamp(body, 'unit-a').event.id).not.toBe(stamp(body, 'unit-b').event.id);
  });

  it('gives distinct ids to identical events without a @timestamp', () => {
    expect(stamp({ message: 'x' }).event.id).not.toBe(stamp({ message: 'x' }).event.id);
  });

  it('keys events by host so one host’s events stay in order', () => {
    expect(eventKey(stamp({ host: { id: 'h1', name: 'PC1' } }))).toBe('h1');
    expect(eventKey(stamp({ host: { name: 'PC1' } }))).toBe('PC1');
    expect(eventKey(stamp({}))).toBe('org:so-y-te');
  });
});

describe('event times in the future', () => {
  it('keeps a time further ahead than the tolerance as sent, and tags the event', () => {
    const body = { '@timestamp': '3000-01-01T00:00:00Z', tags: ['av'], event: { category: 'malware' } };
    const result = stamped(body);
    expect(result.future).toBe(true);
    expect(result.event['@timestamp']).toBe('3000-01-01T00:00:00.000Z');
    expect(result.event.tags).toEqual(['av', FUTURE_TIMESTAMP_TAG]);
    expect(securityEventSchema.safeParse(result.event).success).toBe(true);
    // A retried post later on maps to the same event.
    expect(stamped(body).event.event.id).toBe(result.event.event.id);
  });

  it('does not tag a time within the tolerance, nor one the agent did not send', () => {
    const justAhead = new Date(NOW.getTime() + TOLERANCE_MS).toISOString();
    expect(stamped({ '@timestamp': justAhead })).toMatchObject({ future: false });
    expect(stamped({ '@timestamp': justAhead }).event.tags).toBeUndefined();
    expect(stamped({ message: 'x' }).future).toBe(false);
    const beyond = new Date(NOW.getTime() + TOLERANCE_MS + 1).toISOString();
    expect(stamped({ '@timestamp': beyond }).event.tags).toEqual([FUTURE_TIMESTAMP_TAG]);
  });

  it('does not let an agent fake or double the tag', () => {
    expect(stamped({ '@timestamp': '3000-01-01T00:00:00Z', tags: [FUTURE_TIMESTAMP_TAG] }).event.tags).toEqual([FUTURE_TIMESTAMP_TAG]);
    expect(stamped({ '@timestamp': '2026-11-22T07:00:00Z', tags: ['av', FUTURE_TIMESTAMP_TAG] }).event.tags).toEqual(['av']);
  });
});
