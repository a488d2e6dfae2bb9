// The unit comes from the key, never the body; ids and ingest time are stamped.
import { describe, expect, it } from 'vitest';
import { stampEvent, eventKey } from '../../ingest/stamp-event.ts';
import { incomingEventSchema, securityEventSchema } from '../../core/schemas/event.ts';

const context = (rawText: string) => ({
  organization: { id: 'so-y-te', name: 'Sở Y tế' },
  agentId: 'agent-1',
  now: new Date('2026-11-22T08:00:00.000Z'),
  rawText,
});

function stamp(body: unknown) {
  return stampEvent(incomingEventSchema.parse(body), context(JSON.stringify(body)));
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

  it('gives distinct ids to identical events without a @timestamp', () => {
    expect(stamp({ message: 'x' }).event.id).not.toBe(stamp({ message: 'x' }).event.id);
  });

  it('keys events by host so one host’s events stay in order', () => {
    expect(eventKey(stamp({ host: { id: 'h1', name: 'PC1' } }))).toBe('h1');
    expect(eventKey(stamp({ host: { name: 'PC1' } }))).toBe('PC1');
    expect(eventKey(stamp({}))).toBe('org:so-y-te');
  });
});
