// Golden tests for CEF: the examples of the ArcSight CEF specification (header pipes,
// extension escapes, a multi-line value), then whole syslog lines → the ECS event an
// analyst sees (source/destination, network, event.action/outcome/severity, observer,
// rule, url, file, labels from cs1..cs6 with their labels, rt as the event time).
import { describe, expect, it } from 'vitest';
import { decodeSyslog } from '../../../ingest/syslog/decode-syslog.ts';
import { extensionPairs } from '../../../ingest/syslog/extension-pairs.ts';
import { parseCef } from '../../../ingest/syslog/parse-cef.ts';

const time = { now: new Date('2026-12-03T12:00:00Z'), defaultOffsetMinutes: 420 };

function cef(text: string) {
  const result = parseCef(text);
  if (!result.ok) throw new Error(result.error);
  return result.value;
}

function decode(text: string, format: 'auto' | 'cef' = 'auto') {
  return decodeSyslog(text, { format, time, keepOriginal: false, sender: { address: '192.0.2.10', port: 40000 } });
}

function event(text: string) {
  const result = decode(text);
  if (!result.ok) throw new Error(`${result.reason}: ${result.error}`);
  return result.event;
}

describe('CEF specification examples', () => {
  it('the header: version, vendor, product, version, class id, name, severity', () => {
    expect(cef('CEF:0|Security|threatmanager|1.0|100|worm successfully stopped|10|src=10.0.0.1 dst=2.1.2.2 spt=1232')).toEqual({
      version: 0, deviceVendor: 'Security', deviceProduct: 'threatmanager', deviceVersion: '1.0', signatureId: '100',
      name: 'worm successfully stopped', severity: '10', extensions: { src: '10.0.0.1', dst: '2.1.2.2', spt: '1232' },
    });
  });

  it('a pipe escaped in the header, a bare pipe in the extension', () => {
    const record = cef('CEF:0|security|threatmanager|1.0|100|detected a \\| in message|10|src=10.0.0.1 act=blocked a | dst=1.1.1.1');
    expect(record.name).toBe('detected a | in message');
    expect(record.extensions).toEqual({ src: '10.0.0.1', act: 'blocked a |', dst: '1.1.1.1' });
  });

  it('a backslash escaped in the header and in the extension', () => {
    const record = cef('CEF:0|security|threatmanager|1.0|100|detected a \\\\ in packet|10|src=10.0.0.1 act=blocked a \\\\ dst=1.1.1.1');
    expect(record.name).toBe('detected a \\ in packet');
    expect(record.extensions.act).toBe('blocked a \\');
  });

  it('an equals sign: bare in the header, escaped in the extension', () => {
    const record = cef('CEF:0|security|threatmanager|1.0|100|detected a = in message|10|src=10.0.0.1 act=blocked a \\= dst=1.1.1.1');
    expect(record.name).toBe('detected a = in message');
    expect(record.extensions).toEqual({ src: '10.0.0.1', act: 'blocked a =', dst: '1.1.1.1' });
  });

  it('a multi-line value written with \\n, and values with spaces', () => {
    expect(extensionPairs('detail=This is a multi-line\\nmessage\\nwith three lines msg=two words')).toEqual([
      ['detail', 'This is a multi-line\nmessage\nwith three lines'],
      ['msg', 'two words'],
    ]);
  });

  it('an unescaped "=" inside a URL stays in the value; a Windows path keeps its backslashes', () => {
    expect(extensionPairs('request=http://x.example/a?b=c&d=e filePath=C:\\Windows\\evil.exe')).toEqual([
      ['request', 'http://x.example/a?b=c&d=e'],
      ['filePath', 'C:\\Windows\\evil.exe'],
    ]);
  });

  it('refuses a header with fewer than 7 fields and an unknown version', () => {
    expect(parseCef('CEF:0|Security|threatmanager|1.0|100')).toMatchObject({ ok: false });
    expect(parseCef('CEF:7|a|b|c|d|e|1|')).toMatchObject({ ok: false });
  });
});

describe('CEF over syslog → ECS', () => {
  it('the spec example with its syslog prefix', () => {
    expect(event('Sep 19 08:26:10 host CEF:0|Security|threatmanager|1.0|100|worm successfully stopped|10|src=10.0.0.1 dst=2.1.2.2 spt=1232')).toMatchObject({
      '@timestamp': '2026-09-19T01:26:10.000Z',
      message: 'worm successfully stopped',
      event: { kind: 'event', module: 'cef', code: '100', severity: 10 },
      log: { level: 'very-high' },
      rule: { id: '100', name: 'worm successfully stopped' },
      observer: { vendor: 'Security', product: 'threatmanager', version: '1.0', hostname: 'host' },
      source: { ip: '10.0.0.1', port: 1232 },
      destination: { ip: '2.1.2.2' },
      host: { name: 'host' },
    });
  });

  it('a firewall deny with every common key mapped', () => {
    const line =
      '<134>1 2026-12-03T08:15:00+07:00 fw-dc01 CEF - - - CEF:0|Fortinet|FortiGate|7.2|0000000013|traffic denied|5|' +
      'src=10.20.1.15 spt=51544 dst=203.0.113.9 dpt=445 proto=TCP act=deny outcome=failure suser=nguyen.van.a duser=admin ' +
      'shost=pc-ketoan-07 dhost=files.example.org request=https://files.example.org/share/a.exe?x=1 fname=a.exe ' +
      'fileHash=44d88612fea8a8f36de82e1278abb02f cs1Label=Policy Name cs1=block-smb-out cs2Label=Threat Name cs2=WannaCry ' +
      'cs3=no label rt=Dec 03 2026 08:14:59 GMT+07:00 msg=SMB to the internet';
    expect(event(line)).toMatchObject({
      '@timestamp': '2026-12-03T01:14:59.000Z',
      message: 'SMB to the internet',
      event: { action: 'deny', outcome: 'failure', severity: 5, code: '0000000013', module: 'cef', dataset: 'syslog.cef' },
      log: { level: 'medium', syslog: { priority: 134, facility: { name: 'local0' }, severity: { name: 'informational' }, hostname: 'fw-dc01', appname: 'CEF' } },
      source: { ip: '10.20.1.15', port: 51544, domain: 'pc-ketoan-07', user: { name: 'nguyen.van.a' } },
      destination: { ip: '203.0.113.9', port: 445, domain: 'files.example.org', user: { name: 'admin' } },
      network: { transport: 'tcp' },
      url: { original: 'https://files.example.org/share/a.exe?x=1', domain: 'files.example.org', path: '/share/a.exe', query: 'x=1', scheme: 'https' },
      file: { name: 'a.exe', hash: { md5: '44d88612fea8a8f36de82e1278abb02f' } },
      rule: { name: 'traffic denied', id: '0000000013' },
      observer: { vendor: 'Fortinet', product: 'FortiGate', version: '7.2', hostname: 'fw-dc01' },
      labels: { policy_name: 'block-smb-out', threat_name: 'WannaCry', cs3: 'no label' },
      host: { name: 'fw-dc01' },
    });
  });

  it('severity words (Kaspersky) and epoch-millisecond rt', () => {
    const result = event('<132>Dec  3 09:00:00 ksc CEF:0|AO Kaspersky Lab|Kaspersky Security Center|14.2|GNRL_EV_VIRUS_FOUND|Virus found|High|rt=1764727200000 fname=eicar.com');
    expect(result).toMatchObject({ '@timestamp': '2025-12-03T02:00:00.000Z', event: { severity: 8 }, log: { level: 'high' }, file: { name: 'eicar.com' } });
  });

  it('a request logged as a bare path (a WAF) fills url.path and url.query', () => {
    expect(event('CEF:0|V|WAF|1|1|n|3|request=/admin/login.php?user=admin requestMethod=post').url).toEqual({
      original: '/admin/login.php?user=admin',
      path: '/admin/login.php',
      query: 'user=admin',
    });
  });

  it('a source that is not an IP stays an address, not an ip', () => {
    const result = event('CEF:0|V|P|1|1|n|3|src=gateway.local spt=99999');
    expect(result.source).toEqual({ address: 'gateway.local' });
  });

  it('keeps every extension as sent under cef.extensions', () => {
    expect(event('CEF:0|V|P|1|1|n|3|src=10.0.0.1 customKey=custom value').cef).toEqual({ version: 0, extensions: { src: '10.0.0.1', customKey: 'custom value' } });
  });

  it('a listener set to cef refuses a message without CEF; auto keeps it as plain syslog', () => {
    expect(decode('<13>Dec  3 09:00:00 host app: hello', 'cef')).toMatchObject({ ok: false, reason: 'cef' });
    expect(decode('<13>Dec  3 09:00:00 host app: hello', 'auto')).toMatchObject({ ok: true, event: { message: 'hello', event: { module: 'syslog' } } });
  });

  it('a broken CEF header is malformed, not plain text', () => {
    expect(decode('<13>Dec  3 09:00:00 host CEF:0|only|three')).toMatchObject({ ok: false, reason: 'cef' });
  });
});
