// Golden tests: Sysmon events as Winlogbeat ships them (1, 3, 7, 11, 13, 22) keep the shipped
// document, winlog.event_data included, and gain the ECS fields an analyst searches.
import { describe, expect, it } from 'vitest';
import { incomingEventSchema } from '../../../core/schemas/event.ts';
import { winlogbeatDecoder } from '../../../ingest/decoders/winlogbeat.ts';
import { sysmon11LsassDump, sysmon13RunKey, sysmon1Whoami, sysmon22Mega, sysmon3Certutil, sysmon7ImageLoad } from './winlogbeat-samples.ts';

type Doc = Record<string, unknown>;

function decode(sample: Doc): Doc {
  const result = winlogbeatDecoder.decode({ text: JSON.stringify(sample), value: sample }, {});
  if (!result.ok) throw new Error(result.error);
  expect(incomingEventSchema.safeParse(result.event).error).toBeUndefined();
  return result.event;
}

const shippedEvent = (sample: Doc) => sample.event as Doc;
const ketoan = { name: 'ketoan01', domain: 'SOTC' };

describe('winlogbeat format: Sysmon', () => {
  it('1 (process create) is a process start with its image, command line, PE data, hashes and parent', () => {
    expect(decode(sysmon1Whoami)).toEqual({
      ...sysmon1Whoami,
      event: { ...shippedEvent(sysmon1Whoami), module: 'sysmon', action: 'process-created', category: ['process'], type: ['start'] },
      process: {
        executable: 'C:\\Windows\\System32\\whoami.exe',
        name: 'whoami.exe',
        pid: 6420,
        entity_id: '{9F32B55F-7C4E-6740-5803-000000000500}',
        command_line: 'whoami /all',
        working_directory: 'C:\\Windows\\system32\\',
        pe: {
          original_file_name: 'whoami.exe',
          description: 'whoami - displays logged on user information',
          product: 'Microsoft® Windows® Operating System',
          company: 'Microsoft Corporation',
          file_version: '10.0.19041.1 (WinBuild.160101.0800)',
        },
        hash: {
          sha1: '47e2c9cc3ec2c1acb2c0a1f49d66c25a0b4c4b13',
          md5: '43c2d3293ad939241df61b3630a9d3b6',
          sha256: '1d5491e3c468ee4b4ef6edff4bbc7d06ee83180f6f0b1576763ea2efe049493a',
          imphash: '7ff0758b766f747ce57dfac70743fb88',
        },
        parent: {
          executable: 'C:\\Windows\\System32\\cmd.exe',
          name: 'cmd.exe',
          command_line: 'cmd.exe /c whoami /all > C:\\Windows\\Temp\\w.txt',
          pid: 5932,
          entity_id: '{9F32B55F-7C4D-6740-5703-000000000500}',
        },
      },
      // Sysmon writes "NT AUTHORITY\SYSTEM"; ECS keeps the name and the domain apart.
      user: { name: 'SYSTEM', domain: 'NT AUTHORITY' },
    });
  });

  it('3 (network connection) has both ends, the transport and which side opened it', () => {
    expect(decode(sysmon3Certutil)).toEqual({
      ...sysmon3Certutil,
      event: { ...shippedEvent(sysmon3Certutil), module: 'sysmon', action: 'network-connection', category: ['network'], type: ['connection', 'start'] },
      process: { executable: 'C:\\Windows\\System32\\certutil.exe', name: 'certutil.exe', pid: 8044, entity_id: '{9F32B55F-7CA3-6740-6103-000000000500}' },
      user: ketoan,
      source: { ip: '10.20.30.41', port: 52144, domain: 'KT-PC-017.sotc.local' },
      destination: { ip: '192.0.2.44', port: 443 },
      network: { transport: 'tcp', protocol: 'https', type: 'ipv4', direction: 'egress' },
    });
  });

  it('11 (file created) names the file and the process that wrote it', () => {
    expect(decode(sysmon11LsassDump)).toEqual({
      ...sysmon11LsassDump,
      event: { ...shippedEvent(sysmon11LsassDump), module: 'sysmon', action: 'file-created', category: ['file'], type: ['creation'] },
      process: { executable: 'C:\\Users\\ketoan01\\AppData\\Local\\Temp\\pd64.exe', name: 'pd64.exe', pid: 8312, entity_id: '{9F32B55F-7CB8-6740-6403-000000000500}' },
      user: ketoan,
      file: { path: 'C:\\Users\\ketoan01\\AppData\\Local\\Temp\\lsass.dmp', name: 'lsass.dmp', directory: 'C:\\Users\\ketoan01\\AppData\\Local\\Temp' },
    });
  });

  it('22 (DNS query) names the query and the addresses it resolved to', () => {
    expect(decode(sysmon22Mega)).toEqual({
      ...sysmon22Mega,
      event: { ...shippedEvent(sysmon22Mega), module: 'sysmon', action: 'dns-query', category: ['network'], type: ['protocol', 'info'] },
      process: { executable: 'C:\\Users\\ketoan01\\AppData\\Roaming\\svc\\sync.exe', name: 'sync.exe', pid: 9020, entity_id: '{9F32B55F-7CC5-6740-6803-000000000500}' },
      user: ketoan,
      dns: { question: { name: 'gfs270n122.userstorage.mega.co.nz' }, resolved_ip: ['89.44.169.135'] },
      network: { protocol: 'dns' },
    });
  });

  it('13 (registry value set) names the key path, its hive and the data written', () => {
    expect(decode(sysmon13RunKey)).toEqual({
      ...sysmon13RunKey,
      event: { ...shippedEvent(sysmon13RunKey), module: 'sysmon', action: 'registry-value-set', category: ['registry'], type: ['change'] },
      process: { executable: 'C:\\Users\\ketoan01\\AppData\\Roaming\\svc\\sync.exe', name: 'sync.exe', pid: 9020, entity_id: '{9F32B55F-7CC5-6740-6803-000000000500}' },
      user: ketoan,
      registry: {
        path: 'HKU\\S-1-5-21-3623811015-3361044348-30300820-1311\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run\\OneDriveSync',
        hive: 'HKU',
        data: { strings: ['C:\\Users\\ketoan01\\AppData\\Roaming\\svc\\sync.exe -silent'] },
      },
    });
  });

  it('7 (image loaded) names the loaded file as file.* and the loading process', () => {
    expect(decode(sysmon7ImageLoad)).toEqual({
      ...sysmon7ImageLoad,
      event: { ...shippedEvent(sysmon7ImageLoad), module: 'sysmon', action: 'image-loaded', category: ['library'], type: ['start'] },
      process: { executable: 'C:\\Windows\\System32\\rundll32.exe', name: 'rundll32.exe', pid: 9488, entity_id: '{9F32B55F-7CD2-6740-6A03-000000000500}' },
      user: ketoan,
      file: { path: 'C:\\Users\\ketoan01\\AppData\\Local\\Temp\\x64.dll', name: 'x64.dll', directory: 'C:\\Users\\ketoan01\\AppData\\Local\\Temp' },
    });
  });
});
