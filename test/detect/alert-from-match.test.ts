// What an alert takes from its match: the unit and machine its repeats are grouped
// under, the machine as shown, and ATT&CK from the rule's tags.
import { describe, expect, it } from 'vitest';
import { attackFromTags, eventHost, matchGroup } from '../../detect/alert-from-match.ts';
import { securityEvent } from './security-event-fixture.ts';

const event = securityEvent({
  '@timestamp': '2026-11-22T03:15:42.120Z',
  event: { id: 'evt-mimi-1', category: ['malware'], action: 'quarantined', outcome: 'success' },
  organization: { id: 'unit-117', name: 'UBND xã Tân Phú' },
  host: { id: 'a1b2c3', name: 'tanphu-pc-04' },
  rule: { name: 'HackTool:Win64/Mimikatz!pz' },
});

describe('matchGroup and eventHost', () => {
  it('keep a match under its unit and PC, and show the PC by id and name', () => {
    expect(matchGroup(event)).toEqual({ 'organization.id': 'unit-117', 'host.id': 'a1b2c3' });
    expect(eventHost(event)).toEqual({ id: 'a1b2c3', name: 'tanphu-pc-04' });
  });

  it('group by host name without a host id, by source address without a host, else by unit alone', () => {
    const named = securityEvent({ host: { hostname: 'yte-pc-099' } });
    expect(matchGroup(named)).toEqual({ 'organization.id': 'unit-042', 'host.name': 'yte-pc-099' });
    expect(eventHost(named)).toEqual({ name: 'yte-pc-099' });
    const sensor = securityEvent({ host: undefined, source: { ip: '10.42.0.7' } });
    expect(matchGroup(sensor)).toEqual({ 'organization.id': 'unit-042', 'source.ip': '10.42.0.7' });
    expect(eventHost(sensor)).toEqual({});
    const bare = securityEvent({ host: undefined });
    expect(matchGroup(bare)).toEqual({ 'organization.id': 'unit-042' });
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
