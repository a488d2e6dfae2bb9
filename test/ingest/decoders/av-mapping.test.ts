// Golden tests of the antivirus console mappings shipped in rules/decoders/: records
// written after each console's documented export (ESET PROTECT's JSON export, Trellix
// ePO's Threat Event Log columns) and the exact ECS detection each must become; the
// template as a working mapping; and a broken mapping file refused at start with every
// problem named.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { incomingEventSchema } from '../../../core/schemas/event.ts';
import { decodePiece, type Decoder, type DecodeResult } from '../../../ingest/decoders/decoder.ts';
import { DecoderMappingError, loadAvMappings, loadMappingFile, SHIPPED_DECODERS_DIR } from '../../../ingest/decoders/load-av-mappings.ts';

const shipped = new Map(loadAvMappings([SHIPPED_DECODERS_DIR]).map((decoder) => [decoder.name, decoder]));

function decoder(name: string): Decoder {
  const found = shipped.get(name);
  if (!found) throw new Error(`no shipped mapping ${name}; have ${[...shipped.keys()].join(', ')}`);
  return found;
}

function decodeJson(format: string, record: unknown): DecodeResult {
  const text = JSON.stringify(record);
  return decodePiece(decoder(format), { text, value: record }, {}, { keepOriginal: false });
}

function decodeCsv(format: string, header: string, row: string, from = decoder(format)): DecodeResult {
  return decodePiece(from, { text: row, value: undefined }, { header }, { keepOriginal: false });
}

function ok(result: DecodeResult) {
  if (!result.ok) throw new Error(`expected the record to decode, got: ${result.error}`);
  const valid = incomingEventSchema.safeParse(result.event);
  expect(valid.success, valid.success ? '' : JSON.stringify(valid.error.issues)).toBe(true);
  return result.event;
}

const esetThreat = {
  event_type: 'Threat_Event',
  ipv4: '10.41.7.23',
  hostname: 'so-tc-pc017.tc.local',
  source_uuid: '8f1c2a4e-5b7d-4c39-9a0e-2f6d1b3c7e91',
  occurred: '03-Dec-2026 02:14:07',
  severity: 'Warning',
  group_name: 'All/So Tai chinh/Phong Ke toan',
  os_name: 'Microsoft Windows 10 Pro',
  threat_type: 'Trojan',
  threat_name: 'Win32/Agent.ACQZ',
  threat_flags: 'Variant',
  scanner_id: 'Real-time file system protection',
  scan_id: 'virlog.dat',
  engine_version: '30412 (20261203)',
  object_type: 'file',
  object_uri: 'file:///C:/Users/ketoan01/Downloads/Hoa%20don%20thang%2011.exe',
  action_taken: 'Cleaned by deleting',
  threat_handled: true,
  need_restart: false,
  username: 'TC\\ketoan01',
  processname: 'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
  circumstances: 'Event occurred on a newly created file.',
  hash: '3395856CE81F2B7382DEE72602F798B642F14140',
  detection_uuid: '0b8e6f0e-8d3a-4f4e-b6c1-33b9d2a1c4f7',
};

describe('av:eset-protect (ESET PROTECT JSON export)', () => {
  it('turns a Threat_Event into an ECS malware detection', () => {
    expect(ok(decodeJson('av:eset-protect', esetThreat))).toEqual({
      '@timestamp': '2026-12-03T02:14:07.000Z',
      event: {
        kind: 'alert',
        category: ['malware'],
        type: ['info'],
        module: 'antivirus',
        dataset: 'av.eset-protect',
        id: '0b8e6f0e-8d3a-4f4e-b6c1-33b9d2a1c4f7',
        action: 'deleted',
        outcome: 'success',
      },
      observer: { type: 'antivirus', vendor: 'ESET', product: 'ESET PROTECT', version: '30412 (20261203)' },
      host: { name: 'so-tc-pc017.tc.local', id: '8f1c2a4e-5b7d-4c39-9a0e-2f6d1b3c7e91', ip: '10.41.7.23', os: { name: 'Microsoft Windows 10 Pro' } },
      rule: { name: 'Win32/Agent.ACQZ', category: 'Trojan' },
      file: {
        path: 'C:\\Users\\ketoan01\\Downloads\\Hoa don thang 11.exe',
        name: 'Hoa don thang 11.exe',
        hash: { sha1: '3395856ce81f2b7382dee72602f798b642f14140' },
      },
      user: { name: 'TC\\ketoan01' },
      process: { executable: 'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe' },
      labels: {
        scanner: 'Real-time file system protection',
        object_type: 'file',
        circumstances: 'Event occurred on a newly created file.',
        console_severity: 'Warning',
        console_group: 'All/So Tai chinh/Phong Ke toan',
      },
    });
  });

  it('translates the action words and the handled flag', () => {
    const action = (action_taken: string, threat_handled: boolean) => {
      const event = ok(decodeJson('av:eset-protect', { ...esetThreat, action_taken, threat_handled })).event as { action: string; outcome: string };
      return [event.action, event.outcome];
    };
    expect(action('Quarantined', true)).toEqual(['quarantined', 'success']);
    expect(action('Cleaned', true)).toEqual(['cleaned', 'success']);
    expect(action('Blocked', true)).toEqual(['blocked', 'success']);
    expect(action('Connection terminated', true)).toEqual(['blocked', 'success']);
    expect(action('Retained', false)).toEqual(['detected', 'failure']);
    expect(action('Error while cleaning', false)).toEqual(['failed', 'failure']);
    expect(action('Something new', false)).toEqual(['detected', 'failure']);
  });

  it('refuses other ESET event types and detections without a host, saying why', () => {
    expect(decodeJson('av:eset-protect', { ...esetThreat, event_type: 'FirewallAggregated_Event' })).toEqual({
      ok: false,
      reason: 'undecodable',
      error: 'event_type is "FirewallAggregated_Event"; the eset-protect mapping reads only event_type Threat_Event',
    });
    const { hostname: _, ...noHost } = esetThreat;
    expect(decodeJson('av:eset-protect', noHost)).toMatchObject({ ok: false, error: 'no host.name: the eset-protect mapping takes it from "hostname"' });
    expect(decodeJson('av:eset-protect', { ...esetThreat, occurred: '2026-12-03' })).toMatchObject({
      ok: false,
      error: 'occurred: "2026-12-03" is not a time in the format DD-MMM-YYYY HH:mm:ss (UTC)',
    });
    expect(decodeJson('av:eset-protect', [esetThreat])).toMatchObject({ ok: false, error: 'a eset-protect record is a JSON object' });
  });
});

const epoHeader =
  'Event Generated Time (UTC),Event ID,Threat Name,Threat Type,Threat Severity,Action Taken,Threat Handled,Threat Target Host Name,Threat Target IPv4 Address,Threat Target User Name,Threat Target File Path,Threat Source Process Name,Detecting Product Name,Detecting Product Version,Detecting Product Host Name';

describe('av:trellix-epo (ePO Threat Event Log as CSV)', () => {
  it('turns a row into an ECS malware detection, reading columns by title', () => {
    const row =
      '2026-12-03 01:52:40,1027,Generic.dx!5A3C,Trojan,Critical,Deleted,true,YT-PC-0215,10.52.3.215,YT\\nguyenvana,"C:\\Users\\nguyenvana\\AppData\\Local\\Temp\\invoice, dec.exe",EXPLORER.EXE,Trellix Endpoint Security,10.7.0.5786,YT-PC-0215';
    expect(ok(decodeCsv('av:trellix-epo', epoHeader, row))).toEqual({
      '@timestamp': '2026-12-03T01:52:40.000Z',
      event: { kind: 'alert', category: ['malware'], type: ['info'], module: 'antivirus', dataset: 'av.trellix-epo', action: 'deleted', outcome: 'success' },
      observer: { type: 'antivirus', vendor: 'Trellix', product: 'ePolicy Orchestrator', name: 'YT-PC-0215', version: '10.7.0.5786' },
      host: { name: 'YT-PC-0215', ip: '10.52.3.215' },
      user: { name: 'YT\\nguyenvana' },
      rule: { name: 'Generic.dx!5A3C', category: 'Trojan' },
      file: { path: 'C:\\Users\\nguyenvana\\AppData\\Local\\Temp\\invoice, dec.exe', name: 'invoice, dec.exe' },
      process: { name: 'EXPLORER.EXE' },
      labels: { detecting_product: 'Trellix Endpoint Security', console_event_id: '1027', console_severity: 'Critical' },
    });
  });

  it('reads "would block" (observe mode) as detected and a failed clean as failed', () => {
    const row = (action: string, handled: string) =>
      `2026-12-03 01:52:40,1027,EICAR test file,test,Info,${action},${handled},YT-PC-0001,10.52.3.1,,C:\\eicar.com,,Trellix Endpoint Security,10.7.0,YT-PC-0001`;
    const event = (action: string, handled: string) => ok(decodeCsv('av:trellix-epo', epoHeader, row(action, handled))).event;
    expect(event('Would Block', 'false')).toMatchObject({ action: 'detected', outcome: 'failure' });
    expect(event('Clean Failed', 'false')).toMatchObject({ action: 'cleaned', outcome: 'failure' });
    expect(event('Access Denied', 'true')).toMatchObject({ action: 'blocked', outcome: 'success' });
  });

  it('refuses a row that does not fit the header, or has no header, saying why', () => {
    expect(decodeCsv('av:trellix-epo', epoHeader, '2026-12-03 01:52:40,1027,EICAR')).toMatchObject({ ok: false, error: 'the row has 3 columns, the header 15' });
    expect(decodeCsv('av:trellix-epo', epoHeader, '"2026-12-03 01:52:40,1027')).toMatchObject({
      ok: false,
      error: 'a quoted field opened at column 1 is not closed on this line',
    });
    expect(decodePiece(decoder('av:trellix-epo'), { text: 'a,b', value: undefined }, {}, { keepOriginal: false })).toMatchObject({
      ok: false,
      error: 'no header line: a CSV post starts with the column titles',
    });
  });
});

describe('mapping files', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('ships both consoles, and the template is a working mapping (a local time zone, a where filter, a hash by length)', () => {
    expect([...shipped.keys()].sort()).toEqual(['av:eset-protect', 'av:trellix-epo']);
    const problems: string[] = [];
    const template = loadMappingFile(path.join(SHIPPED_DECODERS_DIR, '_template.yaml'), problems);
    expect(problems).toEqual([]);
    const header = 'Detection Time,Event Type,Computer,IP Address,User,Threat Name,Object Path,SHA256,Action,Result,Group,Event ID';
    const row =
      '03.12.2026 09:05:10,Threat detected,PC-0042,10.1.2.42,demo,EICAR-Test-File,C:\\eicar.com,275A021BBFB6489E54D471899F7DB9D1663FC695EC2FE2A2C4538AABF651FD0F,Moved to quarantine,Succeeded,Unit 7,991';
    expect(ok(decodeCsv('av:example-console', header, row, template!))).toMatchObject({
      '@timestamp': '2026-12-03T02:05:10.000Z',
      event: { action: 'quarantined', outcome: 'success', dataset: 'av.example-console' },
      host: { name: 'PC-0042', ip: '10.1.2.42' },
      file: { path: 'C:\\eicar.com', name: 'eicar.com', hash: { sha256: '275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f' } },
      labels: { console_group: 'Unit 7', console_event_id: '991' },
    });
  });

  it('refuses to start on a broken mapping, naming each file and problem', () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-decoders-'));
    fs.writeFileSync(
      path.join(dir, 'bad-target.yaml'),
      'name: bad-target\ndescription: x\ninput: json\nfields:\n  host.nmae: hostname\n',
    );
    fs.writeFileSync(
      path.join(dir, 'bad-zone.yaml'),
      'name: bad-zone\ndescription: x\ninput: json\nfields:\n  host.name: hostname\ntime:\n  field: t\n  format: DD/MM/YYYY HH:mm\n  timezone: Mars/Olympus\n',
    );
    fs.writeFileSync(
      path.join(dir, 'bad-unit.yaml'),
      'name: bad-unit\ndescription: x\ninput: json\nfields:\n  host.name: hostname\nstatic:\n  organization.id: unit-b\n',
    );
    let error: unknown;
    try {
      loadAvMappings([dir]);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(DecoderMappingError);
    const problems = (error as DecoderMappingError).problems;
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/bad-target\.yaml: .*"host\.nmae" is not a field a mapping may fill/);
    expect(problems[1]).toMatch(/bad-unit\.yaml: static\.organization\.id: .*not organization/);
    expect(problems[2]).toMatch(/bad-zone\.yaml: time\.timezone: "Mars\/Olympus" is not UTC, an offset/);
  });

  it("lets a rules folder's mapping replace a shipped one by name", () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-decoders-'));
    const own = fs.readFileSync(path.join(SHIPPED_DECODERS_DIR, 'trellix-epo.yaml'), 'utf8').replace('format: YYYY-MM-DD HH:mm:ss', 'format: MM/DD/YYYY hh:mm:ss A');
    fs.writeFileSync(path.join(dir, 'trellix-epo.yaml'), own);
    const decoders = new Map(loadAvMappings([SHIPPED_DECODERS_DIR, dir]).map((d) => [d.name, d]));
    const row = '12/3/2026 1:52:40 PM,1,EICAR test file,test,Info,Deleted,true,YT-PC-0001,10.52.3.1,,C:\\eicar.com,,ENS,10.7.0,YT-PC-0001';
    expect(ok(decodeCsv('av:trellix-epo', epoHeader, row, decoders.get('av:trellix-epo')))['@timestamp']).toBe('2026-12-03T13:52:40.000Z');
  });
});
