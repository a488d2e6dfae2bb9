// Syslog over real sockets into the embedded bus: UDP datagrams (several messages in
// one), TCP octet-counted and LF-framed (several per segment, one split across
// segments), a malformed message in between and a connection sending garbage. Every
// event that reaches the events topic carries the listener's unit and the decoded
// fields; the malformed ones are counted and the listener keeps working after them.
// Then the bus goes down: UDP events are dropped and counted, TCP events are kept and
// published once it is back.
import dgram from 'node:dgram';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openEmbeddedAccounts } from '../../../core/accounts/embedded-accounts.ts';
import type { Accounts } from '../../../core/accounts/accounts.ts';
import { openEmbeddedBus } from '../../../core/bus/embedded-bus.ts';
import { ConfigError, loadConfig } from '../../../core/config.ts';
import { UnavailableError } from '../../../core/errors.ts';
import { createLogger } from '../../../core/log.ts';
import { createMetrics, type Metrics } from '../../../core/metrics.ts';
import { TOPICS, type Bus, type BusMessage, type Subscription } from '../../../core/ports/bus.ts';
import type { SecurityEvent } from '../../../core/schemas/event.ts';
import { parseSyslogListeners } from '../../../ingest/syslog/listener-config.ts';
import type { RunningListener } from '../../../ingest/syslog/running-listener.ts';
import { startSyslogIngest, type RunningSyslog } from '../../../ingest/syslog/syslog-ingest.ts';

const UNIT = { id: 'so-tttt', name: 'Sở Thông tin và Truyền thông' };
const config = loadConfig({});
const log = createLogger('silent');

let dataDir: string;
let bus: Bus;
let accounts: Accounts;
let metrics: Metrics;
let syslog: RunningSyslog | undefined;
let subscription: Subscription | undefined;
const clients: Array<{ close(): void } | net.Socket> = [];

beforeEach(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-syslog-'));
  bus = openEmbeddedBus({ dataDir, pollIntervalMs: 20 });
  await bus.ensureTopics([{ name: TOPICS.events, partitions: 2 }]);
  accounts = openEmbeddedAccounts({ dataDir });
  await accounts.createUnit(UNIT);
  metrics = createMetrics({ defaultMetrics: false });
});

afterEach(async () => {
  for (const client of clients.splice(0)) {
    if (client instanceof net.Socket) client.destroy();
    else client.close();
  }
  await subscription?.stop();
  await syslog?.stop();
  subscription = undefined;
  syslog = undefined;
  await bus.close();
  await accounts.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function start(listeners: string, over: Bus = bus): Promise<{ udp?: RunningListener; tcp?: RunningListener }> {
  syslog = await startSyslogIngest({ listeners: parseSyslogListeners(listeners), config, bus: over, accounts, metrics, log, lingerMs: 20 });
  return { udp: syslog.listeners.find((l) => l.protocol === 'udp'), tcp: syslog.listeners.find((l) => l.protocol === 'tcp') };
}

/** Events as they land on the events topic; `next(n)` resolves once n more have. */
function collect() {
  const events: SecurityEvent[] = [];
  let waiter: { count: number; resolve: () => void } | undefined;
  subscription = bus.subscribe(TOPICS.events, 'syslog-test', async (batch) => {
    for (const record of batch) events.push(JSON.parse(Buffer.from(record.value).toString('utf8')) as SecurityEvent);
    if (waiter && events.length >= waiter.count) waiter.resolve();
  });
  return {
    events,
    until(count: number, timeoutMs = 10_000): Promise<SecurityEvent[]> {
      if (events.length >= count) return Promise.resolve(events);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`only ${events.length} of ${count} events reached the bus`)), timeoutMs);
        waiter = { count, resolve: () => (clearTimeout(timer), resolve(events)) };
      });
    },
  };
}

async function sendUdp(port: number, payload: string): Promise<void> {
  const socket = dgram.createSocket('udp4');
  clients.push(socket);
  await new Promise<void>((resolve, reject) => socket.send(Buffer.from(payload), port, '127.0.0.1', (error) => (error ? reject(error) : resolve())));
}

async function connect(port: number): Promise<net.Socket> {
  const socket = net.connect({ host: '127.0.0.1', port });
  socket.setNoDelay(true);
  clients.push(socket);
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  return socket;
}

function write(socket: net.Socket, data: string | Buffer): Promise<void> {
  return new Promise((resolve, reject) => socket.write(data, (error) => (error ? reject(error) : resolve())));
}

const octet = (message: string) => `${Buffer.byteLength(message)} ${message}`;

async function counter(metric: 'syslogReceived' | 'syslogDecoded' | 'syslogMalformed' | 'syslogDropped' | 'syslogConnectionsClosed', labels: Record<string, string>): Promise<number> {
  const { values } = await metrics[metric].get();
  const matches = (found: Record<string, string | number | undefined>) => Object.entries(labels).every(([key, expected]) => found[key] === expected);
  return values.filter((value) => matches(value.labels)).reduce((sum, value) => sum + value.value, 0);
}

const byMessage = (events: SecurityEvent[], message: string) => events.find((event) => event.message === message);

describe('syslog listeners on real sockets', () => {
  it('UDP: several messages in one datagram and a malformed one between datagrams; every event carries the unit', async () => {
    const { udp } = await start('udp:127.0.0.1:0=so-tttt');
    const bus$ = collect();
    await sendUdp(
      udp!.port,
      [
        '<134>Dec  3 08:15:00 fw-dc01 CEF:0|Fortinet|FortiGate|7.2|13|traffic denied|5|src=10.20.1.15 spt=51544 dst=203.0.113.9 dpt=445 proto=TCP act=deny msg=smb out',
        "<34>Oct 11 22:14:15 mymachine su: 'su root' failed for lonvick on /dev/pts/8",
        '<165>1 2026-12-03T08:00:00.003+07:00 web01 nginx 8710 ID47 [meta@1 a="1"] GET /admin 403',
      ].join('\n'),
    );
    await sendUdp(udp!.port, 'this is not syslog at all');
    await sendUdp(udp!.port, '<13>Dec  3 08:16:00 fw-dc01 LEEF:2.0|Lancope|StealthWatch|1.0|41|^|src=10.0.1.8^dst=10.0.0.5^sev=5^srcPort=81^dstPort=21');
    const events = await bus$.until(4);

    expect(events).toHaveLength(4);
    for (const event of events) {
      expect(event.organization).toEqual(UNIT);
      expect(event.agent?.id).toBe('syslog:udp:127.0.0.1:0');
      expect(event.event.id).toMatch(/^[0-9a-f]{32}$/);
      expect(Date.parse(event.event.ingested)).not.toBeNaN();
    }
    expect(byMessage(events, 'smb out')).toMatchObject({
      '@timestamp': '2026-12-03T01:15:00.000Z',
      event: { action: 'deny', severity: 5, module: 'cef' },
      source: { ip: '10.20.1.15', port: 51544 },
      destination: { ip: '203.0.113.9', port: 445 },
      network: { transport: 'tcp' },
      observer: { vendor: 'Fortinet', product: 'FortiGate' },
      host: { name: 'fw-dc01' },
    });
    expect(byMessage(events, "'su root' failed for lonvick on /dev/pts/8")).toMatchObject({ host: { name: 'mymachine' }, log: { syslog: { appname: 'su' } } });
    expect(byMessage(events, 'GET /admin 403')).toMatchObject({ '@timestamp': '2026-12-03T01:00:00.003Z', host: { name: 'web01' } });
    expect(byMessage(events, '41')).toMatchObject({ event: { module: 'leef', severity: 5 }, source: { ip: '10.0.1.8', port: 81 } });

    const listener = { listener: 'udp:127.0.0.1:0' };
    expect(await counter('syslogReceived', listener)).toBe(5);
    expect(await counter('syslogDecoded', listener)).toBe(4);
    expect(await counter('syslogMalformed', { ...listener, reason: 'syslog' })).toBe(1);
  });

  it('TCP octet counting: frames packed and split, a malformed frame, a garbage connection closed; the listener goes on', async () => {
    const { tcp } = await start('tcp:127.0.0.1:0=so-tttt/cef');
    const bus$ = collect();
    const sender = await connect(tcp!.port);
    const cef = (n: number) => `<134>1 2026-12-03T08:00:0${n}Z ids-01 suricata - - - CEF:0|OISF|Suricata|7.0|2024217|ET SCAN attempt ${n}|7|src=10.9.9.${n} dst=10.0.0.1 dpt=22 proto=TCP`;
    await write(sender, octet(cef(1)) + octet('<13>Dec  3 08:00:00 ids-01 not CEF at all') + octet(cef(2)));
    const split = Buffer.from(octet(cef(3)));
    await write(sender, split.subarray(0, 40));
    await write(sender, split.subarray(40));
    await bus$.until(3);

    // A second connection that sends binary garbage is closed by Vigil.
    const garbage = await connect(tcp!.port);
    const closed = new Promise<void>((resolve) => garbage.once('close', () => resolve()));
    garbage.on('error', () => undefined);
    await write(garbage, Buffer.from([0x16, 0x03, 0x01, 0x00, 0xa5, 0x01, 0x00]));
    await closed;

    // The first connection still works.
    await write(sender, octet(cef(4)));
    const events = await bus$.until(4);
    expect(events.map((event) => event.rule?.name).sort()).toEqual(['ET SCAN attempt 1', 'ET SCAN attempt 2', 'ET SCAN attempt 3', 'ET SCAN attempt 4']);
    expect(events.find((event) => event.rule?.name === 'ET SCAN attempt 3')).toMatchObject({
      organization: UNIT,
      '@timestamp': '2026-12-03T08:00:03.000Z',
      event: { severity: 7 },
      log: { level: 'high' },
      source: { ip: '10.9.9.3' },
      destination: { ip: '10.0.0.1', port: 22 },
      rule: { id: '2024217' },
      observer: { product: 'Suricata', hostname: 'ids-01' },
    });
    const listener = { listener: 'tcp:127.0.0.1:0' };
    expect(await counter('syslogMalformed', { ...listener, reason: 'cef' })).toBe(1);
    expect(await counter('syslogMalformed', { ...listener, reason: 'framing' })).toBe(1);
    expect(await counter('syslogConnectionsClosed', listener)).toBe(1);
    expect(await counter('syslogDecoded', listener)).toBe(4);
  });

  it('TCP LF framing: several lines in one segment, one split across segments, a malformed line in between', async () => {
    const { tcp } = await start('tcp:127.0.0.1:0=so-tttt');
    const bus$ = collect();
    const sender = await connect(tcp!.port);
    await write(sender, '<38>Dec  3 09:00:00 pc-kt-07 sshd[4242]: Failed password for root\r\n\x7fgarbage line\n<38>Dec  3 09:00:01 pc-kt-07 sshd[4242]: Accep');
    await write(sender, 'ted password for root\n<13>Jan 18 11:07:53 192.168.1.1 LEEF:1.0|Microsoft|MSExchange|2016|15345|src=10.50.1.1\tdst=2.10.20.20\tusrName=joe.black\n');
    const events = await bus$.until(3);
    expect(byMessage(events, 'Failed password for root')).toMatchObject({ organization: UNIT, host: { name: 'pc-kt-07' }, log: { syslog: { appname: 'sshd', procid: '4242' } } });
    expect(byMessage(events, 'Accepted password for root')).toMatchObject({ '@timestamp': expect.stringMatching(/-12-03T02:00:01\.000Z$/) });
    expect(byMessage(events, '15345')).toMatchObject({ user: { name: 'joe.black' }, source: { ip: '10.50.1.1' }, observer: { vendor: 'Microsoft' } });
    expect(await counter('syslogMalformed', { listener: 'tcp:127.0.0.1:0', reason: 'syslog' })).toBe(1);
  });

  it('bus down: UDP events are dropped and counted, TCP events are kept and published when it is back', async () => {
    let down = true;
    const failures: Array<() => void> = [];
    let failed = 0;
    const flaky = new Proxy(bus, {
      get(target, property, receiver) {
        if (property === 'publish') {
          return async (topic: string, messages: readonly BusMessage[]) => {
            if (down) {
              failed += 1;
              // Told once the batcher has handled the rejection (after this microtask turn).
              for (const notify of failures.splice(0)) setImmediate(notify);
              throw new UnavailableError('test: the bus is down', 'bus');
            }
            return target.publish(topic, messages);
          };
        }
        const value = Reflect.get(target, property, receiver) as unknown;
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const nextFailure = () => new Promise<void>((resolve) => failures.push(resolve));
    const { udp, tcp } = await start('udp:127.0.0.1:0=so-tttt,tcp:127.0.0.1:0=so-tttt', flaky);
    const bus$ = collect();

    let failure = nextFailure();
    await sendUdp(udp!.port, '<13>Dec  3 09:00:00 fw lost: sent while the bus was down');
    await failure;
    expect(await counter('syslogDropped', { listener: 'udp:127.0.0.1:0', reason: 'bus_unavailable' })).toBe(1);

    failure = nextFailure();
    const sender = await connect(tcp!.port);
    await write(sender, '<13>Dec  3 09:00:01 fw kept: sent over TCP while the bus was down\n');
    await failure;
    expect(failed).toBe(2);
    down = false;

    const events = await bus$.until(1);
    await sendUdp(udp!.port, '<13>Dec  3 09:00:02 fw back: the bus is back');
    await bus$.until(2);
    expect(events.map((event) => event.message)).toEqual(['sent over TCP while the bus was down', 'the bus is back']);
    expect(await counter('syslogDropped', { listener: 'tcp:127.0.0.1:0' })).toBe(0);
  });

  it('refuses to start for a unit that does not exist, and names it', async () => {
    await expect(start('udp:127.0.0.1:0=no-such-unit')).rejects.toThrow(ConfigError);
    await expect(start('udp:127.0.0.1:0=no-such-unit')).rejects.toThrow(/bound to unit "no-such-unit", which does not exist/);
  });

  it('a port already in use is a clear error, and nothing is left listening', async () => {
    const { tcp } = await start('tcp:127.0.0.1:0=so-tttt');
    const first = syslog!;
    await expect(
      startSyslogIngest({ listeners: parseSyslogListeners(`udp:127.0.0.1:0=so-tttt,tcp:127.0.0.1:${tcp!.port}=so-tttt`), config, bus, accounts, metrics, log }),
    ).rejects.toThrow(/cannot listen for syslog on tcp:127\.0\.0\.1:\d+: EADDRINUSE/);
    syslog = first;
  });
});
