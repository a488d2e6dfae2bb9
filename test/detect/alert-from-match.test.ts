// A rule match becomes a new alert: deterministic id (a replayed event gives the same
// alert), ATT&CK from the rule's tags, host and unit from the event, valid per schema.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { alertSchema } from '../../core/schemas/alert.ts';
import { alertFromMatch, attackFromTags, occurrenceFromMatch } from '../../detect/alert-from-match.ts';
import { ruleFrom } from './sigma/rule-text.ts';
import { securityEvent } from './security-event-fixture.ts';

const rule = ruleFrom(`
  title: Credential Dumping Tool Detected
  id: b2ca446d-7856-4667-b221-cdceb8dfe7d7
  level: high
  tags: [attack.credential-access, attack.T1003.001, attack.execution, attack.t1059.001]
  logsource:
    category: antivirus
  detection:
    selection:
      rule.name|contains: mimikatz
    condition: selection
`);

const event = securityEvent({
  '@timestamp': '2026-11-22T03:15:42.120Z',
  event: { id: 'evt-mimi-1', category: ['malware'], action: 'quarantined', outcome: 'success' },
  organization: { id: 'unit-117', name: 'UBND xã Tân Phú' },
  host: { id: 'a1b2c3', name: 'tanphu-pc-04' },
  rule: { name: 'HackTool:Win64/Mimikatz!pz' },
});
const now = new Date('2026-11-22T03:15:43.000Z');

describe('alertFromMatch', () => {
  it('builds a new, schema-valid alert from the rule and the event', () => {
    const alert = alertFromMatch(rule, event, now);
    expect(alertSchema.parse(alert)).toEqual(alert);
    expect(alert).toEqual({
      id: createHash('sha256').update('match|b2ca446d-7856-4667-b221-cdceb8dfe7d7|evt-mimi-1').digest('hex').slice(0, 32),
      rule: {
        id: 'b2ca446d-7856-4667-b221-cdceb8dfe7d7',
        title: 'Credential Dumping Tool Detected',
        level: 'high',
        tags: ['attack.credential-access', 'attack.T1003.001', 'attack.execution', 'attack.t1059.001'],
        kind: 'match',
      },
      severity: 'high',
      status: 'new',
      assignee: null,
      organization: { id: 'unit-117', name: 'UBND xã Tân Phú' },
      host: { id: 'a1b2c3', name: 'tanphu-pc-04' },
      group: { 'host.id': 'a1b2c3', 'organization.id': 'unit-117' },
      first_seen: '2026-11-22T03:15:42.120Z',
      last_seen: '2026-11-22T03:15:42.120Z',
      count: 1,
      event_ids: ['evt-mimi-1'],
      attack: { tactics: ['credential-access', 'execution'], techniques: ['T1003.001', 'T1059.001'] },
      notes: [],
      history: [],
      created: '2026-11-22T03:15:43.000Z',
      updated: '2026-11-22T03:15:43.000Z',
    });
  });

  it('gives a replayed event the same alert id, and another event or rule a different one', () => {
    const again = alertFromMatch(rule, structuredClone(event), new Date('2026-11-23T00:00:00Z'));
    expect(again.id).toBe(alertFromMatch(rule, event, now).id);
    const other = securityEvent({ ...event, event: { ...event.event, id: 'evt-mimi-2' } });
    expect(alertFromMatch(rule, other, now).id).not.toBe(again.id);
    const otherRule = ruleFrom(`
      title: Other
      id: other-rule
      detection:
        s:
          x: 1
        condition: s
    `);
    expect(alertFromMatch(otherRule, event, now).id).not.toBe(again.id);
  });

  it('takes the host name from host.hostname when host.name is absent, and leaves out what is missing', () => {
    const byHostname = securityEvent({ host: { hostname: 'yte-pc-099' }, rule: { name: 'Mimikatz' } });
    const alert = alertFromMatch(rule, byHostname, now);
    expect(alert.host).toEqual({ name: 'yte-pc-099' });
    expect(alert.group).toEqual({ 'organization.id': 'unit-042' });
    expect(alertSchema.safeParse(alert).success).toBe(true);
  });

  it('uses the rule level as severity, medium when the rule gives none', () => {
    const unlevelled = ruleFrom(`
      title: No level
      id: no-level
      detection:
        s:
          x: 1
        condition: s
    `);
    expect(alertFromMatch(unlevelled, event, now)).toMatchObject({ severity: 'medium', rule: { level: 'medium' } });
  });
});

describe('occurrenceFromMatch', () => {
  it('makes a match one occurrence of its rule on its unit and PC, for the alert grouper', () => {
    expect(occurrenceFromMatch(rule, event)).toEqual({
      rule: {
        id: 'b2ca446d-7856-4667-b221-cdceb8dfe7d7',
        title: 'Credential Dumping Tool Detected',
        level: 'high',
        tags: ['attack.credential-access', 'attack.T1003.001', 'attack.execution', 'attack.t1059.001'],
        kind: 'match',
      },
      group: { 'organization.id': 'unit-117', 'host.id': 'a1b2c3' },
      time: Date.parse('2026-11-22T03:15:42.120Z'),
      firstSeen: Date.parse('2026-11-22T03:15:42.120Z'),
      lastSeen: Date.parse('2026-11-22T03:15:42.120Z'),
      count: 1,
      eventIds: ['evt-mimi-1'],
      organization: { id: 'unit-117', name: 'UBND xã Tân Phú' },
      host: { id: 'a1b2c3', name: 'tanphu-pc-04' },
    });
  });

  it('groups by host name without a host id, by source address without a host, else by unit alone', () => {
    const named = securityEvent({ host: { hostname: 'yte-pc-099' } });
    expect(occurrenceFromMatch(rule, named).group).toEqual({ 'organization.id': 'unit-042', 'host.name': 'yte-pc-099' });
    const sensor = securityEvent({ host: undefined, source: { ip: '10.42.0.7' } });
    expect(occurrenceFromMatch(rule, sensor)).toMatchObject({ group: { 'organization.id': 'unit-042', 'source.ip': '10.42.0.7' }, host: {} });
    const bare = securityEvent({ host: undefined });
    expect(occurrenceFromMatch(rule, bare).group).toEqual({ 'organization.id': 'unit-042' });
  });
});

describe('attackFromTags', () => {
  it('reads techniques and tactics case-insensitively, normalising Sigma 1 underscores', () => {
    expect(
      attackFromTags([
        'ATTACK.T1059.001',
        'attack.t1486',
        'attack.Defense_Evasion',
        'attack.command-and-control',
        'attack.g0016', // a group, not a tactic or technique
        'attack.s0002', // software
        'car.2013-05-004',
        'cve.2021-44228',
        'attack.t1486', // repeated
      ]),
    ).toEqual({ tactics: ['defense-evasion', 'command-and-control'], techniques: ['T1059.001', 'T1486'] });
  });
});
