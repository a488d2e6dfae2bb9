// Golden tests of the Suricata EVE decoder: one realistic eve.json line per event type,
// written after the field lists of Suricata's "Eve JSON Format" documentation, and the
// exact ECS event it must become (which the event schema must then accept).
import { describe, expect, it } from 'vitest';
import { incomingEventSchema } from '../../../core/schemas/event.ts';
import { decodePiece, type DecodeResult } from '../../../ingest/decoders/decoder.ts';
import { suricataDecoder } from '../../../ingest/decoders/suricata.ts';

function decode(line: string, keepOriginal = false): DecodeResult {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    value = undefined;
  }
  return decodePiece(suricataDecoder, { text: line, value }, {}, { keepOriginal });
}

function decodeOk(line: string, keepOriginal = false) {
  const result = decode(line, keepOriginal);
  if (!result.ok) throw new Error(`expected the line to decode, got: ${result.error}`);
  // What a decoder makes must pass the same validation as a native ECS post.
  const valid = incomingEventSchema.safeParse(result.event);
  expect(valid.success, valid.success ? '' : JSON.stringify(valid.error.issues)).toBe(true);
  return result.event;
}

const observer = { vendor: 'OISF', product: 'Suricata', type: 'ids' };

describe('Suricata EVE decoder', () => {
  it('alert: rule from the signature, Suricata severity kept (1 = high), the 5-tuple and the transaction', () => {
    const line =
      '{"timestamp":"2026-12-03T09:14:07.532140+0700","flow_id":1676750115612680,"in_iface":"ens192","event_type":"alert","src_ip":"10.20.4.17","src_port":49822,"dest_ip":"45.137.21.9","dest_port":4444,"proto":"TCP","community_id":"1:9Q0u3mBzjB5T8Mp6BG5+AQLEmOY=","tx_id":0,"alert":{"action":"allowed","gid":1,"signature_id":2025644,"rev":3,"signature":"ET MALWARE Possible Metasploit Payload Common Construct Bind_API (from server)","category":"A Network Trojan was detected","severity":1,"metadata":{"signature_severity":["Major"]}},"app_proto":"failed","flow":{"pkts_toserver":6,"pkts_toclient":5,"bytes_toserver":812,"bytes_toclient":2330,"start":"2026-12-03T09:14:06.998211+0700"},"host":"ids-dc1"}';
    expect(decodeOk(line)).toEqual({
      '@timestamp': '2026-12-03T02:14:07.532Z',
      message: 'ET MALWARE Possible Metasploit Payload Common Construct Bind_API (from server)',
      event: {
        kind: 'alert',
        category: ['network', 'intrusion_detection'],
        type: ['allowed'],
        action: 'allowed',
        outcome: 'success',
        severity: 1,
        module: 'suricata',
        dataset: 'suricata.eve',
      },
      observer: { ...observer, name: 'ids-dc1', ingress: { interface: { name: 'ens192' } } },
      source: { ip: '10.20.4.17', port: 49822, packets: 6, bytes: 812 },
      destination: { ip: '45.137.21.9', port: 4444, packets: 5, bytes: 2330 },
      network: { transport: 'tcp', community_id: '1:9Q0u3mBzjB5T8Mp6BG5+AQLEmOY=', packets: 11, bytes: 3142 },
      rule: {
        id: '2025644',
        name: 'ET MALWARE Possible Metasploit Payload Common Construct Bind_API (from server)',
        category: 'A Network Trojan was detected',
        version: '3',
        ruleset: 'suricata',
      },
      suricata: { eve: { event_type: 'alert', flow_id: '1676750115612680', tx_id: 0 } },
    });
  });

  it('alert blocked in IPS mode is a denied event; an alert over HTTP carries url and http', () => {
    const line =
      '{"timestamp":"2026-12-03T10:02:11.004513+0000","flow_id":91827364554433,"event_type":"alert","src_ip":"203.0.113.50","src_port":51544,"dest_ip":"10.30.0.12","dest_port":80,"proto":"TCP","tx_id":1,"alert":{"action":"blocked","gid":1,"signature_id":2016184,"rev":5,"signature":"ET WEB_SERVER ColdFusion administrator access","category":"Web Application Attack","severity":2},"http":{"hostname":"portal.agency.example","url":"/CFIDE/administrator/index.cfm?x=1","http_user_agent":"Mozilla/5.0 zgrab/0.x","http_method":"GET","protocol":"HTTP/1.1","status":403,"length":162},"app_proto":"http"}';
    const event = decodeOk(line);
    expect(event.event).toMatchObject({ kind: 'alert', type: ['denied'], action: 'blocked', severity: 2 });
    expect(event.url).toEqual({
      original: '/CFIDE/administrator/index.cfm?x=1',
      full: 'http://portal.agency.example/CFIDE/administrator/index.cfm?x=1',
      domain: 'portal.agency.example',
      path: '/CFIDE/administrator/index.cfm',
      query: 'x=1',
    });
    expect(event.http).toEqual({ version: '1.1', request: { method: 'GET' }, response: { status_code: 403, body: { bytes: 162 } } });
    expect(event.network).toEqual({ transport: 'tcp', protocol: 'http' });
  });

  it('flow: packets and bytes per side, start, end and duration', () => {
    const line =
      '{"timestamp":"2026-12-03T08:30:41.120334+0700","flow_id":402981736491857,"event_type":"flow","src_ip":"10.20.7.33","src_port":53122,"dest_ip":"142.250.66.78","dest_port":443,"proto":"TCP","app_proto":"tls","flow":{"pkts_toserver":14,"pkts_toclient":17,"bytes_toserver":2133,"bytes_toclient":9812,"start":"2026-12-03T08:29:40.001000+0700","end":"2026-12-03T08:29:41.501000+0700","age":1,"state":"closed","reason":"timeout","alerted":false},"tcp":{"tcp_flags":"1b","syn":true,"fin":true,"psh":true,"ack":true,"state":"closed"}}';
    expect(decodeOk(line)).toEqual({
      '@timestamp': '2026-12-03T01:30:41.120Z',
      event: {
        kind: 'event',
        category: ['network'],
        type: ['connection', 'end'],
        action: 'flow',
        module: 'suricata',
        dataset: 'suricata.eve',
        start: '2026-12-03T01:29:40.001Z',
        end: '2026-12-03T01:29:41.501Z',
        duration: 1_500_000_000,
      },
      observer,
      source: { ip: '10.20.7.33', port: 53122, packets: 14, bytes: 2133 },
      destination: { ip: '142.250.66.78', port: 443, packets: 17, bytes: 9812 },
      network: { transport: 'tcp', protocol: 'tls', packets: 31, bytes: 11945 },
      suricata: { eve: { event_type: 'flow', flow_id: '402981736491857', flow: { state: 'closed', reason: 'timeout', alerted: false } } },
    });
  });

  it('dns query (EVE v2): the question name and type', () => {
    const line =
      '{"timestamp":"2026-12-03T08:41:19.882012+0700","flow_id":1822773049192004,"event_type":"dns","src_ip":"10.20.9.41","src_port":61233,"dest_ip":"10.20.0.2","dest_port":53,"proto":"UDP","dns":{"type":"query","id":38211,"rrname":"update.tinyfilehost.example","rrtype":"A","tx_id":0,"opcode":0}}';
    const event = decodeOk(line);
    expect(event.dns).toEqual({ type: 'query', id: '38211', question: { name: 'update.tinyfilehost.example', type: 'A' } });
    expect(event.event).toMatchObject({ kind: 'event', category: ['network'], type: ['protocol'], action: 'dns_query' });
    expect(event.network).toEqual({ transport: 'udp' });
  });

  it('dns answer (EVE v2) and v3 queries: response code, answers and resolved addresses', () => {
    const answer =
      '{"timestamp":"2026-12-03T08:41:19.901544+0700","flow_id":1822773049192004,"event_type":"dns","src_ip":"10.20.0.2","src_port":53,"dest_ip":"10.20.9.41","dest_port":61233,"proto":"UDP","dns":{"version":2,"type":"answer","id":38211,"flags":"8180","qr":true,"rd":true,"ra":true,"rrname":"update.tinyfilehost.example","rrtype":"A","rcode":"NOERROR","answers":[{"rrname":"update.tinyfilehost.example","rrtype":"CNAME","ttl":300,"rdata":"cdn.tinyfilehost.example"},{"rrname":"cdn.tinyfilehost.example","rrtype":"A","ttl":60,"rdata":"185.220.101.4"}],"grouped":{"A":["185.220.101.4"]}}}';
    expect(decodeOk(answer).dns).toEqual({
      type: 'answer',
      id: '38211',
      question: { name: 'update.tinyfilehost.example', type: 'A' },
      response_code: 'NOERROR',
      answers: [
        { name: 'update.tinyfilehost.example', type: 'CNAME', ttl: 300, data: 'cdn.tinyfilehost.example' },
        { name: 'cdn.tinyfilehost.example', type: 'A', ttl: 60, data: '185.220.101.4' },
      ],
      resolved_ip: ['185.220.101.4'],
    });
    const v3 =
      '{"timestamp":"2026-12-03T08:45:00.000100+0700","event_type":"dns","src_ip":"10.20.9.41","src_port":50001,"dest_ip":"10.20.0.2","dest_port":53,"proto":"UDP","dns":{"version":3,"type":"request","id":7,"queries":[{"rrname":"aGVsbG8.t.exfil.example","rrtype":"TXT"}]}}';
    expect(decodeOk(v3).dns).toEqual({ type: 'query', id: '7', question: { name: 'aGVsbG8.t.exfil.example', type: 'TXT' } });
  });

  it('http: url.*, http.*, user agent and the server name as destination.domain', () => {
    const line =
      '{"timestamp":"2026-12-03T11:05:12.443100+0700","flow_id":77310235108821,"event_type":"http","src_ip":"10.20.12.8","src_port":50522,"dest_ip":"198.51.100.23","dest_port":8080,"proto":"TCP","tx_id":0,"http":{"hostname":"files.example.net","http_port":8080,"url":"/dl/setup.exe","http_user_agent":"Microsoft BITS/7.8","http_content_type":"application/octet-stream","http_refer":"http://files.example.net/","http_method":"GET","protocol":"HTTP/1.1","status":200,"length":1048576}}';
    const event = decodeOk(line);
    expect(event.url).toEqual({
      original: '/dl/setup.exe',
      full: 'http://files.example.net:8080/dl/setup.exe',
      domain: 'files.example.net',
      path: '/dl/setup.exe',
      port: 8080,
    });
    expect(event.http).toEqual({
      version: '1.1',
      request: { method: 'GET', referrer: 'http://files.example.net/' },
      response: { status_code: 200, mime_type: 'application/octet-stream', body: { bytes: 1_048_576 } },
    });
    expect(event.user_agent).toEqual({ original: 'Microsoft BITS/7.8' });
    expect(event.destination).toEqual({ ip: '198.51.100.23', port: 8080, domain: 'files.example.net' });
    expect(event.event).toMatchObject({ category: ['network', 'web'], type: ['access', 'protocol'], action: 'http' });
  });

  it('tls: version apart from protocol, SNI, certificate subject, issuer, fingerprint and JA3', () => {
    const line =
      '{"timestamp":"2026-12-03T12:00:03.100000+0700","flow_id":55512223334444,"event_type":"tls","src_ip":"10.20.3.3","src_port":50110,"dest_ip":"104.21.32.1","dest_port":443,"proto":"TCP","tls":{"subject":"CN=secure-update.example","issuerdn":"C=US, O=Let\'s Encrypt, CN=R3","serial":"04:1A:BC:99","fingerprint":"b2:7c:1f:aa:00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff","sni":"secure-update.example","version":"TLS 1.2","notbefore":"2026-10-01T00:00:00","notafter":"2026-12-30T23:59:59","ja3":{"hash":"e7d705a3286e19ea42f587b344ee6865","string":"771,4865-4866,0-23,29-23,0"},"ja3s":{"hash":"15af977ce25de452b96affa2addb1036"}}}';
    const event = decodeOk(line);
    expect(event.tls).toEqual({
      version: '1.2',
      version_protocol: 'tls',
      client: { server_name: 'secure-update.example', ja3: 'e7d705a3286e19ea42f587b344ee6865' },
      server: {
        subject: 'CN=secure-update.example',
        issuer: "C=US, O=Let's Encrypt, CN=R3",
        not_before: '2026-10-01T00:00:00.000Z',
        not_after: '2026-12-30T23:59:59.000Z',
        ja3s: '15af977ce25de452b96affa2addb1036',
        hash: { sha1: 'B27C1FAA00112233445566778899AABBCCDDEEFF' },
        x509: { serial_number: '041ABC99' },
      },
    });
    expect(event.destination).toEqual({ ip: '104.21.32.1', port: 443, domain: 'secure-update.example' });
  });

  it('fileinfo: file path, name, size and hashes, with the HTTP transaction it came over', () => {
    const line =
      '{"timestamp":"2026-12-03T11:05:13.017000+0700","flow_id":77310235108821,"event_type":"fileinfo","src_ip":"198.51.100.23","src_port":8080,"dest_ip":"10.20.12.8","dest_port":50522,"proto":"TCP","http":{"hostname":"files.example.net","url":"/dl/setup.exe","http_method":"GET","protocol":"HTTP/1.1","status":200,"length":1048576},"app_proto":"http","fileinfo":{"filename":"/dl/setup.exe","magic":"PE32 executable (GUI) Intel 80386, for MS Windows","gaps":false,"state":"CLOSED","md5":"5d41402abc4b2a76b9719d911017c592","sha1":"aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d","sha256":"2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824","stored":false,"size":1048576,"tx_id":0}}';
    const event = decodeOk(line);
    expect(event.file).toEqual({
      path: '/dl/setup.exe',
      name: 'setup.exe',
      size: 1_048_576,
      hash: {
        md5: '5d41402abc4b2a76b9719d911017c592',
        sha1: 'aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d',
        sha256: '2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824',
      },
    });
    expect(event.event).toMatchObject({ kind: 'event', category: ['network', 'file'], action: 'fileinfo' });
    expect((event.suricata as { eve: unknown }).eve).toMatchObject({ fileinfo: { magic: 'PE32 executable (GUI) Intel 80386, for MS Windows', state: 'CLOSED', stored: false } });
    expect(event.url).toMatchObject({ domain: 'files.example.net', path: '/dl/setup.exe' });
  });

  it('anomaly: the decoder event names the action', () => {
    const line =
      '{"timestamp":"2026-12-03T07:04:21.000000+0700","pcap_cnt":9262,"event_type":"anomaly","src_ip":"208.21.2.184","src_port":0,"dest_ip":"10.1.1.99","dest_port":0,"proto":"UDP","packet":"////////AQEBAQEBCABFAAA8xZ5AAP8R1+DQFQK4CgE=","packet_info":{"linktype":1},"anomaly":{"type":"decode","event":"decoder.udp.pkt_too_small","layer":"proto_detect"}}';
    expect(decodeOk(line)).toEqual({
      '@timestamp': '2026-12-03T00:04:21.000Z',
      message: 'anomaly: decoder.udp.pkt_too_small',
      event: { kind: 'event', category: ['network'], type: ['info'], action: 'decoder.udp.pkt_too_small', module: 'suricata', dataset: 'suricata.eve' },
      observer,
      source: { ip: '208.21.2.184', port: 0 },
      destination: { ip: '10.1.1.99', port: 0 },
      network: { transport: 'udp' },
      suricata: { eve: { event_type: 'anomaly', anomaly: { type: 'decode', event: 'decoder.udp.pkt_too_small', layer: 'proto_detect' } } },
    });
  });

  it('ssh: client and server software, protocol ssh', () => {
    const line =
      '{"timestamp":"2026-12-03T03:12:45.781000+0700","flow_id":1098765432101234,"event_type":"ssh","src_ip":"185.191.171.12","src_port":41022,"dest_ip":"10.30.0.22","dest_port":22,"proto":"TCP","ssh":{"client":{"proto_version":"2.0","software_version":"libssh2_1.10.0"},"server":{"proto_version":"2.0","software_version":"OpenSSH_8.9p1"}}}';
    const event = decodeOk(line);
    expect(event.network).toEqual({ transport: 'tcp', protocol: 'ssh' });
    expect((event.suricata as { eve: unknown }).eve).toEqual({
      event_type: 'ssh',
      flow_id: '1098765432101234',
      ssh: { client: { proto_version: '2.0', software_version: 'libssh2_1.10.0' }, server: { proto_version: '2.0', software_version: 'OpenSSH_8.9p1' } },
    });
    expect(event.event).toMatchObject({ kind: 'event', category: ['network'], type: ['protocol'], action: 'ssh' });
  });

  it('keeps the line in event.original only when configured', () => {
    const line = '{"timestamp":"2026-12-03T03:12:45Z","event_type":"ssh","src_ip":"10.0.0.1","dest_ip":"10.0.0.2","proto":"TCP","ssh":{}}';
    expect((decodeOk(line).event as { original?: string }).original).toBeUndefined();
    expect((decodeOk(line, true).event as { original?: string }).original).toBe(line);
  });

  it('keeps the common part of event types it does not map', () => {
    const line = '{"timestamp":"2026-12-03T03:12:45.5+07:00","event_type":"smb","src_ip":"10.0.0.1","src_port":50000,"dest_ip":"10.0.0.9","dest_port":445,"proto":"TCP","smb":{"command":"SMB2_COMMAND_CREATE"}}';
    expect(decodeOk(line)).toMatchObject({ '@timestamp': '2026-12-02T20:12:45.500Z', event: { kind: 'event', action: 'smb' }, destination: { port: 445 } });
  });

  it('refuses, with the reason, what is not an EVE record', () => {
    expect(decode('{"message":"hello"}')).toEqual({
      ok: false,
      reason: 'undecodable',
      error: expect.stringMatching(/^not a Suricata EVE record: timestamp: .*; event_type: /),
    });
    expect(decode('{"timestamp":"yesterday","event_type":"alert"}')).toEqual({
      ok: false,
      reason: 'undecodable',
      error: 'timestamp: "yesterday" is not an EVE time (2026-12-03T08:15:02.123456+0700)',
    });
    expect(decode('{"timestamp":"2026-12-03T03:12:45Z","event_type":"alert","src_port":"http"}')).toMatchObject({
      ok: false,
      error: expect.stringContaining('src_port'),
    });
    expect(decode('[1,2]')).toMatchObject({ ok: false, error: expect.stringMatching(/^not a Suricata EVE record/) });
  });
});
