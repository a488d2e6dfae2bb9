// `vigil start` with VIGIL_SYSLOG_LISTENERS, as a SOC sets it up: a firewall sends CEF
// over UDP and an IDS over TCP to the real process; an analyst finds both events by
// search, in the listeners' unit; /metrics counts them per listener. A mistyped
// listener stops the start with a message that names the entry.
import dgram from 'node:dgram';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, signIn, startVigil, type VigilProcess } from '../../support/start-vigil.ts';

/** A port free right now (the OS picks it; released for Vigil to bind). */
async function freePort(protocol: 'udp' | 'tcp'): Promise<number> {
  if (protocol === 'udp') {
    const socket = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
    const { port } = socket.address();
    await new Promise<void>((resolve) => socket.close(() => resolve()));
    return port;
  }
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('vigil start with syslog listeners', () => {
  let vigil: VigilProcess;
  let cookie: string;
  let udpPort: number;
  let tcpPort: number;

  beforeAll(async () => {
    udpPort = await freePort('udp');
    tcpPort = await freePort('tcp');
    vigil = await startVigil({ unit: 'so-tttt', env: { VIGIL_SYSLOG_LISTENERS: `udp:127.0.0.1:${udpPort}=so-tttt,tcp:127.0.0.1:${tcpPort}=so-tttt/cef` } });
    cookie = await signIn(vigil.url, 'admin', vigil.adminPassword);
  });
  afterAll(async () => {
    await vigil?.stop();
  });

  it('a firewall over UDP and an IDS over TCP: both events searchable, in the listeners\' unit, counted per listener', async () => {
    const udp = dgram.createSocket('udp4');
    await new Promise<void>((resolve, reject) =>
      udp.send('<134>Dec  3 08:15:00 fw-dc01 CEF:0|Fortinet|FortiGate|7.2|13|traffic denied|5|src=10.20.1.15 dst=203.0.113.9 dpt=445 proto=TCP act=deny', udpPort, '127.0.0.1', (error) =>
        error ? reject(error) : resolve(),
      ),
    );
    udp.close();
    const tcp = net.connect(tcpPort, '127.0.0.1');
    await new Promise<void>((resolve, reject) => tcp.once('connect', resolve).once('error', reject));
    const ids = '<132>1 2026-12-03T08:20:00+07:00 ids-01 suricata - - - CEF:0|OISF|Suricata|7.0|2024217|ET SCAN Nmap Scripting Engine|7|src=10.9.9.9 dst=10.0.0.1 dpt=22 proto=TCP';
    await new Promise<void>((resolve) => tcp.end(`${Buffer.byteLength(ids)} ${ids}`, () => resolve()));

    const search = async (q: string) => {
      const response = await fetch(`${vigil.url}/api/v1/events?q=${encodeURIComponent(q)}`, { headers: { Cookie: cookie } });
      const body = (await response.json()) as { items: Array<Record<string, unknown>> };
      return body.items.length > 0 ? body.items : undefined;
    };
    const [firewall] = await eventually(() => search('host.name:fw-dc01'), 20_000);
    expect(firewall).toMatchObject({
      organization: { id: 'so-tttt' },
      event: { action: 'deny', severity: 5 },
      source: { ip: '10.20.1.15' },
      destination: { ip: '203.0.113.9', port: 445 },
      observer: { vendor: 'Fortinet', product: 'FortiGate' },
    });
    const [scan] = await eventually(() => search('host.name:ids-01'), 20_000);
    expect(scan).toMatchObject({ organization: { id: 'so-tttt' }, '@timestamp': '2026-12-03T01:20:00.000Z', rule: { name: 'ET SCAN Nmap Scripting Engine', id: '2024217' } });

    const metrics = await (await fetch(`${vigil.url}/metrics`)).text();
    expect(metrics).toContain(`vigil_syslog_decoded_total{listener="udp:127.0.0.1:${udpPort}"} 1`);
    expect(metrics).toContain(`vigil_syslog_decoded_total{listener="tcp:127.0.0.1:${tcpPort}"} 1`);
  });

  it('a mistyped listener stops the start and says which entry and what is wrong', async () => {
    await expect(startVigil({ env: { VIGIL_SYSLOG_LISTENERS: 'udp:0.0.0.0:5514=so-tttt,tcp:0.0.0.0:99999=so-tttt' } })).rejects.toThrow(
      /VIGIL_SYSLOG_LISTENERS entry 2 \("tcp:0\.0\.0\.0:99999=so-tttt"\): port: must be 0\.\.65535/,
    );
  });
});
