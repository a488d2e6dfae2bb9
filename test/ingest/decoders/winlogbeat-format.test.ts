// The winlogbeat format as a whole: which log an event is from (channel, else provider),
// what any other channel keeps, the older Winlogbeat 7 shape, and the reason a line
// that is not a Winlogbeat event is refused with.
import { describe, expect, it } from 'vitest';
import { winlogbeatDecoder } from '../../../ingest/decoders/winlogbeat.ts';
import { security4625, sysmon3Certutil } from './winlogbeat-samples.ts';

type Doc = Record<string, unknown>;

function decode(value: unknown) {
  return winlogbeatDecoder.decode({ text: JSON.stringify(value), value }, {});
}

function decodeOk(value: unknown): Doc {
  const result = decode(value);
  if (!result.ok) throw new Error(result.error);
  return result.event;
}

describe('winlogbeat format', () => {
  it('tells the log by provider when the channel is not one it knows (events forwarded by WEF)', () => {
    const winlog = { ...(security4625.winlog as Doc), channel: 'ForwardedEvents' };
    const event = decodeOk({ ...security4625, winlog });
    expect(event.event).toMatchObject({ action: 'logon-failed', outcome: 'failure', category: ['authentication'] });
    expect(event.source).toEqual({ ip: '198.51.100.23', port: 50122, domain: 'KALI' });
  });

  it('keeps an event of any other channel with its code, provider and a Windows host', () => {
    const system = {
      '@timestamp': '2026-11-22T08:40:00.000Z',
      event: { action: 'None', code: '7045', kind: 'event', provider: 'Service Control Manager' },
      host: { name: 'SRV-FILE-01' },
      winlog: {
        channel: 'System',
        provider_name: 'Service Control Manager',
        event_id: '7045',
        event_data: { ServiceName: 'PSEXESVC', ImagePath: '%SystemRoot%\\PSEXESVC.exe', ServiceType: 'user mode service', StartType: 'demand start', AccountName: 'LocalSystem' },
      },
    };
    expect(decodeOk(system)).toEqual({ ...system, host: { name: 'SRV-FILE-01', os: { type: 'windows' } } });
  });

  it('reads the Winlogbeat 7 shape: numeric event ids, no event.code, host from the computer name', () => {
    const { event: _event, host: _host, ...rest } = sysmon3Certutil;
    const winlog = { ...(sysmon3Certutil.winlog as Doc), event_id: 3 };
    const event = decodeOk({ ...rest, winlog });
    expect(event.event).toEqual({
      kind: 'event',
      provider: 'Microsoft-Windows-Sysmon',
      code: '3',
      module: 'sysmon',
      action: 'network-connection',
      category: ['network'],
      type: ['connection', 'start'],
    });
    expect(event.host).toEqual({ name: 'KT-PC-017.sotc.local', os: { type: 'windows' } });
    expect(event.destination).toEqual({ ip: '192.0.2.44', port: 443 });
  });

  it.each([
    ['a list', [1, 2], 'not a Winlogbeat event: expected a JSON object'],
    ['an ECS event', { event: { category: ['malware'] } }, 'no winlog object'],
    ['an event without an id', { winlog: { channel: 'Security' } }, 'no event id (event.code or winlog.event_id)'],
    ['an event id that is not a number', { winlog: { channel: 'Security', event_id: 'logon' } }, 'winlog.event_id'],
    ['an event from no known log', { event: { code: '4624' }, winlog: { event_data: {} } }, 'no winlog.channel or winlog.provider_name'],
    ['event data that is not an object', { event: { code: '4624' }, winlog: { channel: 'Security', event_data: 'x' } }, 'winlog.event_data'],
  ])('refuses %s, saying why', (_what, value, reason) => {
    const result = decode(value);
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.error).toContain(reason);
  });
});
