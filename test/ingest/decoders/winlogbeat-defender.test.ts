// Golden tests: Microsoft Defender Antivirus events as Winlogbeat ships them (1006,
// 1116, 1117, 1118, 1119, 5001, 5010, 5012) become the antivirus events Vigil's rules
// read (event.category malware, rule.name = the threat, file.*, event.action and
// outcome), with the shipped document, winlog.event_data included, kept as it was.
import { describe, expect, it } from 'vitest';
import { incomingEventSchema } from '../../../core/schemas/event.ts';
import { winlogbeatDecoder } from '../../../ingest/decoders/winlogbeat.ts';
import {
  defender1001,
  defender1006,
  defender1116,
  defender1116Amsi,
  defender1117,
  defender1118,
  defender1119,
  defender5001,
  defender5010,
  defender5012,
} from './winlogbeat-samples.ts';

type Doc = Record<string, unknown>;

function decode(sample: Doc): Doc {
  const result = winlogbeatDecoder.decode({ text: JSON.stringify(sample), value: sample }, {});
  if (!result.ok) throw new Error(result.error);
  // What ingest validates next: a decoded event must pass the event contract.
  expect(incomingEventSchema.safeParse(result.event).error).toBeUndefined();
  return result.event;
}

const shippedEvent = (sample: Doc) => sample.event as Doc;

const observer = { vendor: 'Microsoft', product: 'Microsoft Defender Antivirus', version: '4.18.24090.11', type: 'antivirus' };
const eicar = {
  name: 'Virus:DOS/EICAR_Test_File',
  id: '2147519003',
  category: 'Virus',
};
const eicarLink = 'https://go.microsoft.com/fwlink/?linkid=37020&name=Virus:DOS/EICAR_Test_File&threatid=2147519003&enterprise=0';
const eicarFile = { path: 'C:\\Users\\ketoan01\\Downloads\\eicar.com.txt', name: 'eicar.com.txt', directory: 'C:\\Users\\ketoan01\\Downloads' };
const chrome = { executable: 'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe', name: 'chrome.exe' };
const ketoan = { name: 'ketoan01', domain: 'SOTC' };

describe('winlogbeat format: Microsoft Defender Antivirus', () => {
  it('1006 (malware found by a scan) is a detection of the threat in the file', () => {
    expect(decode(defender1006)).toEqual({
      ...defender1006,
      event: {
        ...shippedEvent(defender1006),
        kind: 'alert',
        module: 'antivirus',
        category: ['malware'],
        type: ['info'],
        action: 'detected',
        outcome: 'unknown',
        severity: 5,
        reference: 'https://go.microsoft.com/fwlink/?linkid=37020&name=Trojan:Win32/Emotet.PE!MTB&threatid=2147735426&enterprise=0',
      },
      observer,
      rule: { name: 'Trojan:Win32/Emotet.PE!MTB', id: '2147735426', category: 'Trojan' },
      file: { path: 'C:\\Users\\ketoan01\\AppData\\Local\\Temp\\hoadon_11_2026.exe', name: 'hoadon_11_2026.exe', directory: 'C:\\Users\\ketoan01\\AppData\\Local\\Temp' },
      // "Unknown" process: none named.
      user: ketoan,
    });
  });

  it('1116 (malware detected) is a detection, not yet remediated nor failed', () => {
    expect(decode(defender1116)).toEqual({
      ...defender1116,
      event: {
        ...shippedEvent(defender1116),
        kind: 'alert',
        module: 'antivirus',
        category: ['malware'],
        type: ['info'],
        action: 'detected',
        outcome: 'unknown',
        severity: 5,
        reference: eicarLink,
      },
      observer,
      rule: eicar,
      file: eicarFile,
      process: chrome,
      user: ketoan,
    });
  });

  it('1116 from AMSI keeps the amsi: path, so a fileless detection is told apart', () => {
    const event = decode(defender1116Amsi);
    expect(event.file).toEqual({ path: 'amsi:_\\Device\\HarddiskVolume3\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe' });
    expect(event.rule).toEqual({ name: 'Trojan:PowerShell/AmsiTamper.A', id: '2147725325', category: 'Trojan' });
    expect(event.process).toBeUndefined();
    expect((event.winlog as Doc).event_data).toEqual((defender1116Amsi.winlog as Doc).event_data);
  });

  it('1117 (action taken) names what was done: quarantined, with success', () => {
    expect(decode(defender1117)).toEqual({
      ...defender1117,
      event: {
        ...shippedEvent(defender1117),
        kind: 'alert',
        module: 'antivirus',
        category: ['malware'],
        type: ['info'],
        action: 'quarantined',
        outcome: 'success',
        severity: 5,
        reference: eicarLink,
      },
      observer,
      rule: eicar,
      file: eicarFile,
      process: chrome,
      user: ketoan,
    });
  });

  it('1118 (action failed) is <action>_failed with failure and Defender’s error as the reason', () => {
    expect(decode(defender1118)).toEqual({
      ...defender1118,
      event: {
        ...shippedEvent(defender1118),
        kind: 'alert',
        module: 'antivirus',
        category: ['malware'],
        type: ['info'],
        action: 'quarantine_failed',
        outcome: 'failure',
        severity: 5,
        reason: 'The program could not find the malware and other potentially unwanted software on this device. ',
        reference: 'https://go.microsoft.com/fwlink/?linkid=37020&name=Ransom:Win32/LockBit.AA!MTB&threatid=2147814523&enterprise=0',
      },
      observer,
      rule: { name: 'Ransom:Win32/LockBit.AA!MTB', id: '2147814523', category: 'Ransomware' },
      // The container is the file on disk; the member is after "->".
      file: { path: 'D:\\Share\\KeToan\\bang_luong.zip', name: 'bang_luong.zip', directory: 'D:\\Share\\KeToan' },
      process: { executable: 'C:\\Windows\\explorer.exe', name: 'explorer.exe' },
      user: ketoan,
    });
  });

  it('1119 (action critically failed) is delete_failed with failure', () => {
    expect(decode(defender1119)).toEqual({
      ...defender1119,
      event: {
        ...shippedEvent(defender1119),
        kind: 'alert',
        module: 'antivirus',
        category: ['malware'],
        type: ['info'],
        action: 'delete_failed',
        outcome: 'failure',
        severity: 5,
        reason: 'The process cannot access the file because it is being used by another process. ',
        reference: 'https://go.microsoft.com/fwlink/?linkid=37020&name=Trojan:Win32/Emotet.PE!MTB&threatid=2147735426&enterprise=0',
      },
      observer,
      rule: { name: 'Trojan:Win32/Emotet.PE!MTB', id: '2147735426', category: 'Trojan' },
      file: { path: 'C:\\ProgramData\\svchost\\updater.exe', name: 'updater.exe', directory: 'C:\\ProgramData\\svchost' },
      user: ketoan,
    });
  });

  it.each([
    ['5001', defender5001, 'realtime_protection_disabled', 'Real-time protection is disabled'],
    ['5010', defender5010, 'protection_disabled', 'Scanning for malware and other potentially unwanted software is disabled'],
    ['5012', defender5012, 'protection_disabled', 'Scanning for viruses is disabled'],
  ])('%s (protection turned off) is a configuration change with Defender’s words as the reason', (_code, sample, action, reason) => {
    expect(decode(sample)).toEqual({
      ...sample,
      event: {
        ...shippedEvent(sample),
        kind: 'event',
        module: 'antivirus',
        category: ['configuration'],
        type: ['change'],
        action,
        reason,
        outcome: 'success',
      },
      observer,
    });
  });

  it('another Defender event (1001, a scan finished) is an antivirus event with its code and no action of ours', () => {
    expect(decode(defender1001)).toEqual({
      ...defender1001,
      event: { ...shippedEvent(defender1001), module: 'antivirus' },
      observer,
    });
  });
});
