// Formats through the real ingest route, as a sensor sees them: `?format=suricata` (or
// the X-Vigil-Format header) decodes eve.json lines, a line that is not EVE is refused
// with its line number and reason while the rest are stored, antivirus console exports
// (CSV with a header line, JSON) become detections of the key's unit, and an unknown
// format is a 400 that lists the formats there are, before any of the body is read.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_UNITS } from '../../../core/ports/scope.ts';
import { startIngest, type IngestHarness, type Posted } from '../ingest-harness.ts';

const ndjson = { 'Content-Type': 'application/x-ndjson' };

const alert =
  '{"timestamp":"2026-12-03T09:14:07.532140+0700","flow_id":1676750115612680,"event_type":"alert","src_ip":"10.20.4.17","src_port":49822,"dest_ip":"45.137.21.9","dest_port":4444,"proto":"TCP","alert":{"action":"allowed","gid":1,"signature_id":2025644,"rev":3,"signature":"ET MALWARE Possible Metasploit Payload Common Construct Bind_API (from server)","category":"A Network Trojan was detected","severity":1},"host":"ids-dc1"}';
const dns =
  '{"timestamp":"2026-12-03T08:41:19.882012+0700","flow_id":1822773049192004,"event_type":"dns","src_ip":"10.20.9.41","src_port":61233,"dest_ip":"10.20.0.2","dest_port":53,"proto":"UDP","dns":{"type":"query","id":38211,"rrname":"update.tinyfilehost.example","rrtype":"A"}}';

describe('POST /api/v1/events with a format', () => {
  let ingest: IngestHarness;
  /** The harness's post, with a query string. */
  async function post(key: string, body: string, headers: Record<string, string> = {}, query = ''): Promise<Posted> {
    const response = await fetch(`${ingest.url}/api/v1/events${query}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json', ...headers },
      body,
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text === '' ? {} : JSON.parse(text) };
  }
  beforeAll(async () => {
    ingest = await startIngest();
  });
  afterAll(async () => {
    await ingest?.close();
  });

  it('decodes Suricata EVE lines, refuses the bad ones by line with the reason, and stores the rest', async () => {
    const body = [
      alert,
      '{"message":"not from suricata"}',
      '',
      dns,
      '{"timestamp":"2026-12-03T08:41:19Z","event_type":"flow","src_ip":"10.0.0.1",',
      '{"timestamp":"last tuesday","event_type":"alert"}',
    ].join('\n');
    const posted = await post(ingest.keys.a, body, { ...ndjson, 'Content-Encoding': 'identity' }, '?format=suricata');
    expect(posted.status).toBe(202);
    expect(posted.body.accepted).toBe(2);
    expect(posted.body.rejected).toEqual([
      { line: 2, error: expect.stringMatching(/^not a Suricata EVE record: timestamp: .*event_type/) },
      { line: 5, error: expect.stringMatching(/^malformed JSON: /) },
      { line: 6, error: 'timestamp: "last tuesday" is not an EVE time (2026-12-03T08:15:02.123456+0700)' },
    ]);
    expect(await ingest.toStore()).toBe(2);
    const found = await ingest.store.searchEvents({ q: 'event.module:suricata', limit: 10 }, ALL_UNITS);
    const stored = found.items.map((e) => ({
      time: e['@timestamp'],
      kind: e.event.kind,
      rule: e.rule?.name,
      severity: e.event.severity,
      question: e.dns?.question?.name,
      unit: e.organization.id,
    }));
    expect(stored.sort((x, y) => x.time.localeCompare(y.time))).toEqual([
      { time: '2026-12-03T01:41:19.882Z', kind: 'event', rule: undefined, severity: undefined, question: 'update.tinyfilehost.example', unit: 'unit-a' },
      {
        time: '2026-12-03T02:14:07.532Z',
        kind: 'alert',
        rule: 'ET MALWARE Possible Metasploit Payload Common Construct Bind_API (from server)',
        severity: 1,
        question: undefined,
        unit: 'unit-a',
      },
    ]);
  });

  it('takes the format from the X-Vigil-Format header too, and a JSON array answers by index', async () => {
    const posted = await post(ingest.keys.b, `[${alert}, {"event_type":"alert"}]`, { 'X-Vigil-Format': 'suricata' });
    expect(posted.status).toBe(202);
    expect(posted.body.accepted).toBe(1);
    expect(posted.body.rejected).toEqual([{ index: 1, error: expect.stringMatching(/^not a Suricata EVE record: timestamp: /) }]);
  });

  it('answers 400 with every undecodable line when none decodes', async () => {
    const posted = await post(ingest.keys.a, '{"a":1}\n{"b":2}', ndjson, '?format=suricata');
    expect(posted.status).toBe(400);
    expect(posted.body.error!.message).toMatch(/^no valid event in the body: line 1: not a Suricata EVE record: .* \(and 1 more\)$/);
  });

  it('refuses an unknown format with a 400 naming the formats there are', async () => {
    const posted = await post(ingest.keys.a, alert, ndjson, '?format=zeek');
    expect(posted.status).toBe(400);
    expect(posted.body.error!.message).toMatch(/^unknown format "zeek": send \?format= or X-Vigil-Format as one of .*\becs\b.*\bsuricata\b/);
    expect((posted.body.error!.details as { formats: string[] }).formats).toEqual(expect.arrayContaining(['ecs', 'suricata']));
    const both = await post(ingest.keys.a, alert, { ...ndjson, 'X-Vigil-Format': 'ecs' }, '?format=suricata');
    expect(both.status).toBe(400);
    expect(both.body.error!.message).toMatch(/more than one format \(suricata, ecs\)/);
  });

  it('reads an antivirus console CSV export (header, then rows) and names the bad row by its line in the file', async () => {
    const csv = [
      'Event Generated Time (UTC),Threat Name,Action Taken,Threat Handled,Threat Target Host Name,Threat Target File Path',
      '2026-12-03 01:52:40,Generic.dx!5A3C,Deleted,true,YT-PC-0215,"C:\\Users\\a\\invoice, dec.exe"',
      '2026-12-03 01:53:02,EICAR test file,Would Block,false,YT-PC-0216',
      '2026-12-03 01:55:10,JS/Downloader.Agent,Quarantined,true,YT-PC-0217,C:\\Temp\\a.js',
    ].join('\r\n');
    const posted = await post(ingest.keys.b, csv, { 'Content-Type': 'text/csv' }, '?format=av:trellix-epo');
    expect(posted.status).toBe(202);
    expect(posted.body).toEqual({ accepted: 2, rejected: [{ line: 3, error: 'the row has 5 columns, the header 6' }] });
    await ingest.toStore();
    const found = await ingest.store.searchEvents({ q: 'event.dataset:"av.trellix-epo"', limit: 10 }, ALL_UNITS);
    const stored = found.items.map((e) => [e.host?.name, e.rule?.name, e.event.action, e.file?.path, e.organization.id]).sort();
    expect(stored).toEqual([
      ['YT-PC-0215', 'Generic.dx!5A3C', 'deleted', 'C:\\Users\\a\\invoice, dec.exe', 'unit-b'],
      ['YT-PC-0217', 'JS/Downloader.Agent', 'quarantined', 'C:\\Temp\\a.js', 'unit-b'],
    ]);
    // A text format does not read a JSON body, and says which types it takes.
    const json = await post(ingest.keys.b, '{}', { 'Content-Type': 'application/json' }, '?format=av:trellix-epo');
    expect(json.status).toBe(415);
    expect(json.body.error!.message).toMatch(/reads lines of text; send text\/plain, text\/csv or application\/x-ndjson/);
  });

  it('reads ESET PROTECT JSON exports as antivirus detections, with the unit from the key', async () => {
    const threat = {
      event_type: 'Threat_Event',
      hostname: 'so-tc-pc017',
      occurred: '03-Dec-2026 02:14:07',
      threat_name: 'Win32/Agent.ACQZ',
      object_uri: 'file:///C:/Users/k/a.exe',
      action_taken: 'Quarantined',
      threat_handled: true,
      group_name: 'All/Unit B',
    };
    const body = [JSON.stringify(threat), JSON.stringify({ ...threat, event_type: 'Audit_Event' })].join('\n');
    const posted = await post(ingest.keys.a, body, ndjson, '?format=av:eset-protect');
    expect(posted.body).toEqual({
      accepted: 1,
      rejected: [{ line: 2, error: 'event_type is "Audit_Event"; the eset-protect mapping reads only event_type Threat_Event' }],
    });
    await ingest.toStore();
    const found = await ingest.store.searchEvents({ q: 'host.name:so-tc-pc017', limit: 10 }, ALL_UNITS);
    expect(found.items.map((e) => [e.organization.id, e.event.category, e.event.action, e.file?.path, e['@timestamp']])).toEqual([
      ['unit-a', ['malware'], 'quarantined', 'C:\\Users\\k\\a.exe', '2026-12-03T02:14:07.000Z'],
    ]);
  });

  it("reads an agent key's posts in its default format when they name none; a post's own format still wins", async () => {
    const key = (await ingest.accounts.createAgent('unit-a', 'IDS sensor dc1')).key;
    const sensor = (await ingest.accounts.authenticateAgent(key))!;
    await ingest.accounts.setAgentFormat(sensor.id, 'suricata');
    expect((await post(key, alert, ndjson)).body).toEqual({ accepted: 1, rejected: [] });
    const ecs = JSON.stringify({ '@timestamp': '2026-12-03T08:00:00Z', event: { kind: 'event' } });
    const asSuricata = await post(key, ecs, ndjson);
    expect(asSuricata.status).toBe(400);
    expect(asSuricata.body.error!.message).toMatch(/line 1: not a Suricata EVE record/);
    expect((await post(key, ecs, ndjson, '?format=ecs')).body).toEqual({ accepted: 1, rejected: [] });
    // A default that no longer exists (its mapping file removed) is said, not guessed.
    await ingest.accounts.setAgentFormat(sensor.id, 'av:retired-console');
    const stale = await post(key, alert, ndjson);
    expect(stale.status).toBe(400);
    expect(stale.body.error!.message).toMatch(/^this agent key's default format "av:retired-console" is not known here/);
  });

  it('still reads native ECS when no format is named, and with format=ecs', async () => {
    const event = JSON.stringify({ '@timestamp': '2026-12-03T08:00:00Z', event: { kind: 'event', action: 'logon' } });
    expect((await post(ingest.keys.a, event)).body).toEqual({ accepted: 1, rejected: [] });
    expect((await post(ingest.keys.a, event, {}, '?format=ecs')).body).toEqual({ accepted: 1, rejected: [] });
  });
});

describe('a CSV post against the events-per-post limit', () => {
  let ingest: IngestHarness;
  beforeAll(async () => {
    ingest = await startIngest({ limits: { maxEventsPerPost: 2 } });
  });
  afterAll(async () => {
    await ingest?.close();
  });

  it('does not count the header line as an event', async () => {
    const header = 'Event Generated Time (UTC),Threat Name,Action Taken,Threat Target Host Name';
    const row = (n: number) => `2026-12-03 01:5${n}:00,EICAR test file,Deleted,PC-${n}`;
    const send = (rows: number) =>
      fetch(`${ingest.url}/api/v1/events?format=av:trellix-epo`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${ingest.keys.a}`, 'Content-Type': 'text/csv' },
        body: [header, ...Array.from({ length: rows }, (_, i) => row(i))].join('\n'),
      });
    const two = await send(2);
    expect(two.status).toBe(202);
    expect(await two.json()).toEqual({ accepted: 2, rejected: [] });
    const three = await send(3);
    expect(three.status).toBe(413);
    expect(((await three.json()) as { error: { message: string } }).error.message).toMatch(/more than 2 events, the most one post may carry \(VIGIL_MAX_EVENTS_PER_POST\)/);
  });
});

describe('with VIGIL_INGEST_KEEP_ORIGINAL', () => {
  let ingest: IngestHarness;
  beforeAll(async () => {
    ingest = await startIngest({ keepOriginal: true });
  });
  afterAll(async () => {
    await ingest?.close();
  });

  it('stores each decoded line as sent in event.original, and native ECS as it was', async () => {
    const ecs = JSON.stringify({ '@timestamp': '2026-12-03T08:00:00Z', host: { name: 'ecs-host' }, event: { kind: 'event' } });
    for (const [body, query] of [[dns, '?format=suricata'], [ecs, '']] as const) {
      const response = await fetch(`${ingest.url}/api/v1/events${query}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${ingest.keys.a}`, 'Content-Type': 'application/x-ndjson' },
        body,
      });
      expect(response.status).toBe(202);
    }
    await ingest.toStore();
    const decodedEvent = (await ingest.store.searchEvents({ q: 'event.module:suricata', limit: 10 }, ALL_UNITS)).items;
    expect(decodedEvent.map((e) => e.event.original)).toEqual([dns]);
    const native = (await ingest.store.searchEvents({ q: 'host.name:ecs-host', limit: 10 }, ALL_UNITS)).items;
    expect(native.map((e) => e.event.original)).toEqual([undefined]);
  });
});
