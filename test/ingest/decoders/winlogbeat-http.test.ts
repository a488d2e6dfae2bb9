// The winlogbeat format through the real ingest route, as a Winlogbeat (or Logstash)
// output posting NDJSON sees it: each document is decoded and stored in the key's unit
// with its ECS fields and winlog.event_data as shipped; a line that is not a Winlogbeat
// event is refused with its line number and the reason, and the rest are stored.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_UNITS } from '../../../core/ports/scope.ts';
import { startIngest, type IngestHarness } from '../ingest-harness.ts';
import { defender1116, security4625, sysmon1Whoami } from './winlogbeat-samples.ts';

describe('POST /api/v1/events?format=winlogbeat', () => {
  let ingest: IngestHarness;
  beforeAll(async () => {
    ingest = await startIngest();
  });
  afterAll(async () => {
    await ingest?.close();
  });

  it('stores Defender, Security and Sysmon events decoded, and refuses a line that is not Winlogbeat’s', async () => {
    const body = [defender1116, security4625, { event: { category: ['malware'] } }, sysmon1Whoami].map((line) => JSON.stringify(line)).join('\n');
    const posted = await ingest.post(ingest.keys.b, body, { 'Content-Type': 'application/x-ndjson', 'X-Vigil-Format': 'winlogbeat' });
    expect(posted.status).toBe(202);
    expect(posted.body).toEqual({
      accepted: 3,
      rejected: [{ line: 3, error: 'not a Winlogbeat event: no winlog object (native ECS events use format ecs)' }],
    });
    expect(await ingest.toStore()).toBe(3);

    const [detection] = (await ingest.store.searchEvents({ q: 'event.module:antivirus', limit: 10 }, ALL_UNITS)).items;
    expect(detection).toMatchObject({
      '@timestamp': '2026-11-22T08:29:58.421Z',
      organization: { id: 'unit-b' },
      event: { kind: 'alert', category: ['malware'], action: 'detected', code: '1116' },
      rule: { name: 'Virus:DOS/EICAR_Test_File' },
      file: { path: 'C:\\Users\\ketoan01\\Downloads\\eicar.com.txt' },
      host: { name: 'KT-PC-017' },
      winlog: { channel: 'Microsoft-Windows-Windows Defender/Operational', event_data: { 'Threat Name': 'Virus:DOS/EICAR_Test_File' } },
    });
    const [failure] = (await ingest.store.searchEvents({ q: 'event.module:security', limit: 10 }, ALL_UNITS)).items;
    expect(failure).toMatchObject({ event: { action: 'logon-failed', outcome: 'failure' }, source: { ip: '198.51.100.23' }, user: { name: 'admin' } });
    const [start] = (await ingest.store.searchEvents({ q: 'event.module:sysmon', limit: 10 }, ALL_UNITS)).items;
    expect(start).toMatchObject({ process: { executable: 'C:\\Windows\\System32\\whoami.exe', parent: { name: 'cmd.exe' } } });
  });
});
