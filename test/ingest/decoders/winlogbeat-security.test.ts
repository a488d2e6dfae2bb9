// Golden tests: Windows Security log events as Winlogbeat ships them (4624, 4625, 4688)
// keep the shipped document, winlog.event_data included, and gain the ECS fields an
// analyst searches: user.*, source.*, process.*, event.action/category/type/outcome.
import { describe, expect, it } from 'vitest';
import { incomingEventSchema } from '../../../core/schemas/event.ts';
import { winlogbeatDecoder } from '../../../ingest/decoders/winlogbeat.ts';
import { security4624Console, security4624Rdp, security4625, security4688 } from './winlogbeat-samples.ts';

type Doc = Record<string, unknown>;

function decode(sample: Doc): Doc {
  const result = winlogbeatDecoder.decode({ text: JSON.stringify(sample), value: sample }, {});
  if (!result.ok) throw new Error(result.error);
  expect(incomingEventSchema.safeParse(result.event).error).toBeUndefined();
  return result.event;
}

const shippedEvent = (sample: Doc) => sample.event as Doc;

describe('winlogbeat format: Security', () => {
  it('4624 (an account logged on) is a successful authentication of the target account from its client', () => {
    expect(decode(security4624Rdp)).toEqual({
      ...security4624Rdp,
      event: {
        ...shippedEvent(security4624Rdp),
        module: 'security',
        action: 'logged-in',
        category: ['authentication'],
        type: ['start'],
        outcome: 'success',
      },
      user: { name: 'Administrator', domain: 'SOTC', id: 'S-1-5-21-3623811015-3361044348-30300820-1105' },
      // IpPort 0: no port.
      source: { ip: '203.0.113.77', domain: 'SRV-FILE-01' },
    });
  });

  it('4624 at the console has the loopback as its client', () => {
    const event = decode(security4624Console);
    expect(event.user).toEqual({ name: 'ketoan01', domain: 'SOTC', id: 'S-1-5-21-3623811015-3361044348-30300820-1311' });
    expect(event.source).toEqual({ ip: '127.0.0.1', domain: 'KT-PC-017' });
  });

  it('4625 (an account failed to log on) is a failed authentication with the client address and port', () => {
    expect(decode(security4625)).toEqual({
      ...security4625,
      event: {
        ...shippedEvent(security4625),
        module: 'security',
        action: 'logon-failed',
        category: ['authentication'],
        type: ['start'],
        outcome: 'failure',
      },
      user: { name: 'admin', domain: 'SOTC', id: 'S-1-0-0' },
      source: { ip: '198.51.100.23', port: 50122, domain: 'KALI' },
    });
  });

  it('4688 (a process was created) is a process start with its parent, ids read from hex', () => {
    expect(decode(security4688)).toEqual({
      ...security4688,
      event: {
        ...shippedEvent(security4688),
        module: 'security',
        action: 'created-process',
        category: ['process'],
        type: ['start'],
        outcome: 'success',
      },
      // TargetUserName "-": the new process runs as the subject.
      user: { name: 'ketoan01', domain: 'SOTC', id: 'S-1-5-21-3623811015-3361044348-30300820-1311' },
      process: {
        executable: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
        name: 'powershell.exe',
        pid: 0x1a2c,
        command_line: 'powershell.exe -nop -w hidden -enc JABjAGwAaQBlAG4AdAAgAD0AIABOAGUAdwAtAE8AYgBqAGUAYwB0AA==',
        parent: { executable: 'C:\\Windows\\System32\\cmd.exe', name: 'cmd.exe', pid: 0x2160 },
      },
    });
  });
});
