// Syslog over TLS (RFC 5425) on a real socket: a self-signed certificate made for the
// test with openssl, a TLS client that trusts it sending octet-counted messages (one
// split across writes), each landing on the events topic with the listener's unit; a
// client that does not trust the certificate gets nothing through. A TLS listener
// without its files, or with files that cannot be read, refuses to start and says why.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openEmbeddedAccounts } from '../../../core/accounts/embedded-accounts.ts';
import type { Accounts } from '../../../core/accounts/accounts.ts';
import { openEmbeddedBus } from '../../../core/bus/embedded-bus.ts';
import { ConfigError, loadConfig } from '../../../core/config.ts';
import { createLogger } from '../../../core/log.ts';
import { createMetrics } from '../../../core/metrics.ts';
import { TOPICS, type Bus, type Subscription } from '../../../core/ports/bus.ts';
import type { SecurityEvent } from '../../../core/schemas/event.ts';
import { parseSyslogListeners } from '../../../ingest/syslog/listener-config.ts';
import { startSyslogIngest, type RunningSyslog } from '../../../ingest/syslog/syslog-ingest.ts';

const UNIT = { id: 'dc-firewall', name: 'Trung tâm dữ liệu' };
const config = loadConfig({});
const log = createLogger('silent');

let dir: string;
let bus: Bus;
let accounts: Accounts;
let syslog: RunningSyslog | undefined;
let subscription: Subscription | undefined;
const sockets: tls.TLSSocket[] = [];

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-syslog-tls-'));
  bus = openEmbeddedBus({ dataDir: dir, pollIntervalMs: 20 });
  await bus.ensureTopics([{ name: TOPICS.events, partitions: 1 }]);
  accounts = openEmbeddedAccounts({ dataDir: dir });
  await accounts.createUnit(UNIT);
});

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await subscription?.stop();
  await syslog?.stop();
  subscription = undefined;
  syslog = undefined;
  await bus.close();
  await accounts.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A self-signed certificate for 127.0.0.1, as PEM files in the test's folder. */
function selfSigned(): { cert: string; key: string } {
  const cert = path.join(dir, 'syslog.crt');
  const key = path.join(dir, 'syslog.key');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
  return { cert, key };
}

async function start(listener: Record<string, unknown>): Promise<RunningSyslog> {
  const value = JSON.stringify([{ protocol: 'tls', host: '127.0.0.1', port: 0, unit: UNIT.id, ...listener }]);
  syslog = await startSyslogIngest({ listeners: parseSyslogListeners(value), config, bus, accounts, metrics: createMetrics({ defaultMetrics: false }), log, lingerMs: 20 });
  return syslog;
}

function collect(count: number): Promise<SecurityEvent[]> {
  const events: SecurityEvent[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`only ${events.length} of ${count} events reached the bus`)), 10_000);
    subscription = bus.subscribe(TOPICS.events, 'syslog-tls-test', async (batch) => {
      for (const record of batch) events.push(JSON.parse(Buffer.from(record.value).toString('utf8')) as SecurityEvent);
      if (events.length >= count) {
        clearTimeout(timer);
        resolve(events);
      }
    });
  });
}

function connect(port: number, ca: Buffer | undefined): Promise<tls.TLSSocket> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: '127.0.0.1', port, ...(ca === undefined ? {} : { ca }) });
    sockets.push(socket);
    socket.once('secureConnect', () => resolve(socket)).once('error', reject);
  });
}

const write = (socket: tls.TLSSocket, data: string) => new Promise<void>((resolve, reject) => socket.write(data, (error) => (error ? reject(error) : resolve())));
const octet = (message: string) => `${Buffer.byteLength(message)} ${message}`;

describe('syslog over TLS', () => {
  it('decodes octet-counted messages from a client that trusts the certificate, with the listener unit', async () => {
    const files = selfSigned();
    const running = await start({ tls_cert_file: files.cert, tls_key_file: files.key, format: 'cef' });
    const listener = running.listeners[0]!;
    expect(listener.protocol).toBe('tls');
    const arrived = collect(2);

    const client = await connect(listener.port, fs.readFileSync(files.cert));
    const first = '<134>1 2026-12-03T08:15:00+07:00 fw-dc01 CEF - - - CEF:0|Fortinet|FortiGate|7.2|13|traffic denied|5|src=10.20.1.15 dst=203.0.113.9 dpt=445 act=deny msg=over tls one';
    const second = '<134>1 2026-12-03T08:15:01+07:00 fw-dc01 CEF - - - CEF:0|Fortinet|FortiGate|7.2|13|traffic denied|5|src=10.20.1.16 dst=203.0.113.9 dpt=3389 act=deny msg=over tls two';
    const framed = octet(first) + octet(second);
    await write(client, framed.slice(0, 40));
    await write(client, framed.slice(40));
    const events = await arrived;

    expect(events.map((event) => event.message).sort()).toEqual(['over tls one', 'over tls two']);
    for (const event of events) expect(event.organization).toEqual(UNIT);
    expect(events.find((event) => event.message === 'over tls one')).toMatchObject({ '@timestamp': '2026-12-03T01:15:00.000Z', source: { ip: '10.20.1.15' }, destination: { port: 445 }, event: { action: 'deny' } });

    // A client that does not trust this certificate never gets a session.
    await expect(connect(listener.port, undefined)).rejects.toThrow(/self[- ]signed/i);
  });

  it('refuses to start without its certificate files, or with files it cannot read', async () => {
    expect(() => parseSyslogListeners('tls:6514=dc-firewall')).toThrow(/needs tls_cert_file and tls_key_file/);
    expect(() => parseSyslogListeners(JSON.stringify([{ protocol: 'tcp', port: 1514, unit: 'dc-firewall', tls_cert_file: 'a.crt' }]))).toThrow(/for protocol "tls" only/);
    const missing = await start({ tls_cert_file: path.join(dir, 'nope.crt'), tls_key_file: path.join(dir, 'nope.key') }).catch((error: unknown) => error);
    syslog = undefined;
    expect(missing).toBeInstanceOf(ConfigError);
    expect((missing as Error).message).toMatch(/cannot read its tls_cert_file .*nope\.crt/);
  });
});
