// Suricata's EVE JSON (eve.json, one record per line) to ECS, format name `suricata`.
// Every record shares a common part (timestamp, event_type, the flow's 5-tuple,
// app_proto, flow_id); the rest is an object named after what Suricata saw: alert,
// flow, dns, http, tls, fileinfo, anomaly, ssh. An alert or fileinfo record also
// carries the protocol objects of its transaction (http, tls, dns, flow), so each
// object is mapped wherever it appears, not only in the record of its own type.
//
// `event.severity` is Suricata's own number (1 is the most severe, 3 the least), as
// the shipped IDS rules and their tests expect; `rule.*` come from the signature.
// Other event types (smb, stats, ...) keep the common part with event.action set to
// their type, so nothing a sensor sends is refused just for being unmapped.
import { z } from 'zod';
import { describeIssues } from '../../core/schemas/describe-issues.ts';
import { decoded, undecodable, type Decoder, type EcsObject } from './decoder.ts';
import { parseIsoTime } from './parse-time.ts';

const str = z.string();
const num = z.number();
const int = z.number().int();

const httpSchema = z.looseObject({
  hostname: str.optional(),
  url: str.optional(),
  http_port: int.optional(),
  http_user_agent: str.optional(),
  http_content_type: str.optional(),
  http_method: str.optional(),
  http_refer: str.optional(),
  protocol: str.optional(),
  status: z.union([int, str]).optional(),
  length: num.optional(),
});

const dnsQuery = z.looseObject({ rrname: str.optional(), rrtype: str.optional() });
const dnsAnswer = z.looseObject({ rrname: str.optional(), rrtype: str.optional(), ttl: num.optional(), rdata: z.unknown().optional() });
const dnsSchema = z.looseObject({
  type: str.optional(),
  id: int.optional(),
  rrname: str.optional(),
  rrtype: str.optional(),
  rcode: str.optional(),
  queries: z.array(dnsQuery).optional(),
  answers: z.array(dnsAnswer).optional(),
});

const tlsSchema = z.looseObject({
  subject: str.optional(),
  issuerdn: str.optional(),
  serial: str.optional(),
  fingerprint: str.optional(),
  sni: str.optional(),
  version: str.optional(),
  notbefore: str.optional(),
  notafter: str.optional(),
  ja3: z.looseObject({ hash: str.optional() }).optional(),
  ja3s: z.looseObject({ hash: str.optional() }).optional(),
});

const eveSchema = z.looseObject({
  timestamp: str,
  event_type: str.min(1),
  src_ip: str.optional(),
  src_port: int.optional(),
  dest_ip: str.optional(),
  dest_port: int.optional(),
  proto: z.union([str, int]).optional(),
  app_proto: str.optional(),
  community_id: str.optional(),
  host: str.optional(),
  in_iface: str.optional(),
  tx_id: int.optional(),
  alert: z
    .looseObject({
      action: str.optional(),
      signature_id: int.optional(),
      rev: int.optional(),
      signature: str.optional(),
      category: str.optional(),
      severity: int.optional(),
    })
    .optional(),
  flow: z
    .looseObject({
      pkts_toserver: num.optional(),
      pkts_toclient: num.optional(),
      bytes_toserver: num.optional(),
      bytes_toclient: num.optional(),
      start: str.optional(),
      end: str.optional(),
      state: str.optional(),
      reason: str.optional(),
      alerted: z.boolean().optional(),
    })
    .optional(),
  dns: dnsSchema.optional(),
  http: httpSchema.optional(),
  tls: tlsSchema.optional(),
  fileinfo: z
    .looseObject({
      filename: str.optional(),
      magic: str.optional(),
      state: str.optional(),
      stored: z.boolean().optional(),
      size: num.optional(),
      md5: str.optional(),
      sha1: str.optional(),
      sha256: str.optional(),
    })
    .optional(),
  anomaly: z.looseObject({ type: str.optional(), event: str.optional(), layer: str.optional(), code: num.optional() }).optional(),
  ssh: z
    .looseObject({
      client: z.looseObject({ proto_version: str.optional(), software_version: str.optional() }).optional(),
      server: z.looseObject({ proto_version: str.optional(), software_version: str.optional() }).optional(),
    })
    .optional(),
});

type Eve = z.output<typeof eveSchema>;

/** What each event type is, in ECS's categorisation. */
const CATEGORIES: Record<string, { kind: string; category: string[]; type: string[] }> = {
  alert: { kind: 'alert', category: ['network', 'intrusion_detection'], type: ['info'] },
  flow: { kind: 'event', category: ['network'], type: ['connection', 'end'] },
  dns: { kind: 'event', category: ['network'], type: ['protocol'] },
  http: { kind: 'event', category: ['network', 'web'], type: ['access', 'protocol'] },
  tls: { kind: 'event', category: ['network'], type: ['protocol'] },
  ssh: { kind: 'event', category: ['network'], type: ['protocol'] },
  fileinfo: { kind: 'event', category: ['network', 'file'], type: ['info'] },
  anomaly: { kind: 'event', category: ['network'], type: ['info'] },
};

export const suricataDecoder: Decoder = {
  name: 'suricata',
  summary: 'Suricata EVE JSON (eve.json): alert, flow, dns, http, tls, fileinfo, anomaly, ssh and the common part of the rest',
  input: 'json',
  decode({ value, text }) {
    const parsed = eveSchema.safeParse(value);
    if (!parsed.success) return undecodable(`not a Suricata EVE record: ${describeIssues(parsed.error)}`);
    const eve = parsed.data;
    const time = parseIsoTime(eve.timestamp);
    if (time === undefined) return undecodable(`timestamp: "${eve.timestamp}" is not an EVE time (2026-12-03T08:15:02.123456+0700)`);
    return decoded(toEcs(eve, time, flowId(text)));
  },
};

function toEcs(eve: Eve, time: string, flow_id: string | undefined): EcsObject {
  const type = eve.event_type;
  const known = CATEGORIES[type] ?? { kind: 'event', category: ['network'], type: ['info'] };
  const event: EcsObject = { kind: known.kind, category: known.category, type: known.type, action: type, module: 'suricata', dataset: 'suricata.eve' };
  const ecs: EcsObject = {
    '@timestamp': time,
    event,
    observer: compact({ vendor: 'OISF', product: 'Suricata', type: 'ids', name: eve.host, ingress: eve.in_iface ? { interface: { name: eve.in_iface } } : undefined }),
    source: compact({ ip: eve.src_ip, port: eve.src_port }),
    destination: compact({ ip: eve.dest_ip, port: eve.dest_port }),
    network: compact({
      transport: eve.proto === undefined ? undefined : String(eve.proto).toLowerCase(),
      protocol: eve.app_proto && eve.app_proto !== 'failed' ? eve.app_proto.toLowerCase() : undefined,
      community_id: eve.community_id,
    }),
    suricata: { eve: compact({ event_type: type, flow_id, tx_id: eve.tx_id }) },
  };
  if (eve.alert) mapAlert(eve.alert, ecs, event);
  if (eve.flow) mapFlow(eve.flow, ecs, event);
  if (eve.dns) mapDns(eve.dns, ecs, type === 'dns' ? event : undefined);
  if (eve.http) mapHttp(eve.http, ecs);
  if (eve.tls) mapTls(eve.tls, ecs);
  if (eve.fileinfo) mapFile(eve.fileinfo, ecs);
  if (eve.anomaly) {
    event.action = eve.anomaly.event ?? 'anomaly';
    ecs.message = `anomaly: ${eve.anomaly.event ?? eve.anomaly.type ?? 'unknown'}`;
    (ecs.suricata as { eve: EcsObject }).eve.anomaly = compact({ type: eve.anomaly.type, event: eve.anomaly.event, layer: eve.anomaly.layer, code: eve.anomaly.code });
  }
  if (eve.ssh) {
    (ecs.suricata as { eve: EcsObject }).eve.ssh = compact({ client: compact({ ...eve.ssh.client }), server: compact({ ...eve.ssh.server }) });
    ecs.network = { ...(ecs.network as EcsObject), protocol: 'ssh' };
  }
  return compact(ecs);
}

function mapAlert(alert: NonNullable<Eve['alert']>, ecs: EcsObject, event: EcsObject): void {
  ecs.rule = compact({
    id: alert.signature_id === undefined ? undefined : String(alert.signature_id),
    name: alert.signature,
    category: alert.category,
    version: alert.rev === undefined ? undefined : String(alert.rev),
    ruleset: 'suricata',
  });
  if (alert.signature) ecs.message = alert.signature;
  if (alert.severity !== undefined) event.severity = alert.severity;
  if (alert.action) {
    event.action = alert.action;
    event.type = [alert.action === 'blocked' ? 'denied' : 'allowed'];
    event.outcome = 'success';
  }
}

function mapFlow(flow: NonNullable<Eve['flow']>, ecs: EcsObject, event: EcsObject): void {
  ecs.source = compact({ ...(ecs.source as EcsObject), packets: flow.pkts_toserver, bytes: flow.bytes_toserver });
  ecs.destination = compact({ ...(ecs.destination as EcsObject), packets: flow.pkts_toclient, bytes: flow.bytes_toclient });
  const sum = (a: number | undefined, b: number | undefined) => (a === undefined && b === undefined ? undefined : (a ?? 0) + (b ?? 0));
  ecs.network = compact({ ...(ecs.network as EcsObject), packets: sum(flow.pkts_toserver, flow.pkts_toclient), bytes: sum(flow.bytes_toserver, flow.bytes_toclient) });
  const start = flow.start === undefined ? undefined : parseIsoTime(flow.start);
  const end = flow.end === undefined ? undefined : parseIsoTime(flow.end);
  if (event.kind !== 'alert') {
    if (start) event.start = start;
    if (end) event.end = end;
    if (start && end) event.duration = (Date.parse(end) - Date.parse(start)) * 1_000_000;
  }
  const state = compact({ state: flow.state, reason: flow.reason, alerted: flow.alerted });
  if (Object.keys(state).length > 0) (ecs.suricata as { eve: EcsObject }).eve.flow = state;
}

function mapDns(dns: NonNullable<Eve['dns']>, ecs: EcsObject, event: EcsObject | undefined): void {
  // EVE DNS v2 names the question at the top; v3 (Suricata 8) lists `queries`.
  const question = dns.rrname !== undefined ? dns : dns.queries?.[0];
  const answers = (dns.answers ?? []).map((a) => compact({ name: a.rrname, type: a.rrtype, ttl: a.ttl, data: typeof a.rdata === 'string' ? a.rdata : undefined }));
  const resolved = (dns.answers ?? []).filter((a) => (a.rrtype === 'A' || a.rrtype === 'AAAA') && typeof a.rdata === 'string').map((a) => a.rdata as string);
  const kind = dns.type === 'answer' || dns.type === 'response' ? 'answer' : dns.type === 'query' || dns.type === 'request' ? 'query' : dns.type;
  ecs.dns = compact({
    type: kind,
    id: dns.id === undefined ? undefined : String(dns.id),
    question: question ? compact({ name: question.rrname, type: question.rrtype }) : undefined,
    response_code: dns.rcode,
    answers: answers.length > 0 ? answers : undefined,
    resolved_ip: resolved.length > 0 ? resolved : undefined,
  });
  if (event && kind) event.action = `dns_${kind}`;
}

function mapHttp(http: NonNullable<Eve['http']>, ecs: EcsObject): void {
  const original = http.url;
  const queryAt = original?.indexOf('?') ?? -1;
  const path = original === undefined ? undefined : queryAt === -1 ? original : original.slice(0, queryAt);
  const query = original !== undefined && queryAt !== -1 ? original.slice(queryAt + 1) : undefined;
  const port = http.http_port ?? (ecs.destination as EcsObject | undefined)?.port;
  const scheme = 'http';
  const full =
    http.hostname !== undefined && original !== undefined
      ? `${scheme}://${http.hostname}${port !== undefined && port !== 80 ? `:${String(port)}` : ''}${original.startsWith('/') ? '' : '/'}${original}`
      : undefined;
  ecs.url = compact({ original, full, domain: http.hostname, path, query, port: http.http_port });
  const status = http.status === undefined ? undefined : Number(http.status);
  ecs.http = compact({
    version: http.protocol?.replace(/^HTTP\//i, ''),
    request: compact({ method: http.http_method, referrer: http.http_refer }),
    response: compact({
      status_code: Number.isInteger(status) ? status : undefined,
      mime_type: http.http_content_type,
      body: http.length === undefined ? undefined : { bytes: http.length },
    }),
  });
  if (http.http_user_agent) ecs.user_agent = { original: http.http_user_agent };
  if (http.hostname && !(ecs.destination as EcsObject | undefined)?.domain) ecs.destination = { ...(ecs.destination as EcsObject), domain: http.hostname };
}

function mapTls(tls: NonNullable<Eve['tls']>, ecs: EcsObject): void {
  // "TLS 1.2" / "TLSv1.3" / "SSLv3": protocol and version apart, as ECS has them.
  const version = /^(tls|ssl)\s*v?\s*([\d.]+)$/i.exec(tls.version?.trim() ?? '');
  ecs.tls = compact({
    version: version ? version[2] : undefined,
    version_protocol: version ? version[1]!.toLowerCase() : undefined,
    client: compact({ server_name: tls.sni, ja3: tls.ja3?.hash }),
    server: compact({
      subject: tls.subject,
      issuer: tls.issuerdn,
      not_before: tls.notbefore === undefined ? undefined : parseIsoTime(tls.notbefore),
      not_after: tls.notafter === undefined ? undefined : parseIsoTime(tls.notafter),
      ja3s: tls.ja3s?.hash,
      hash: tls.fingerprint ? { sha1: tls.fingerprint.replace(/:/g, '').toUpperCase() } : undefined,
      x509: tls.serial ? { serial_number: tls.serial.replace(/:/g, '').toUpperCase() } : undefined,
    }),
  });
  if (tls.sni && !(ecs.destination as EcsObject | undefined)?.domain) ecs.destination = { ...(ecs.destination as EcsObject), domain: tls.sni };
}

function mapFile(file: NonNullable<Eve['fileinfo']>, ecs: EcsObject): void {
  const name = file.filename?.split(/[/\\]/).pop();
  ecs.file = compact({
    path: file.filename,
    name: name === '' ? undefined : name,
    size: file.size,
    hash: compact({ md5: file.md5, sha1: file.sha1, sha256: file.sha256 }),
  });
  (ecs.suricata as { eve: EcsObject }).eve.fileinfo = compact({ magic: file.magic, state: file.state, stored: file.stored });
}

/**
 * flow_id as written: it is a 64-bit number, past what a JavaScript number holds
 * exactly, so it is read from the line's text and kept as a string.
 */
function flowId(text: string): string | undefined {
  return /"flow_id"\s*:\s*(\d+)/.exec(text)?.[1];
}

/** The object without its undefined and empty-object fields, so events carry only what was sent. */
function compact<T extends EcsObject>(object: T): EcsObject {
  const out: EcsObject = {};
  for (const [key, value] of Object.entries(object)) {
    if (value === undefined) continue;
    if (typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 0) continue;
    out[key] = value;
  }
  return out;
}
