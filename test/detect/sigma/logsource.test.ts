// Which events each Sigma log source sees, as the shipped processing pipelines
// (rules/pipelines/) define it: the contract agent authors follow.
import { describe, expect, it } from 'vitest';
import type { MatchableEvent } from '../../../detect/sigma/field-access.ts';
import { routeLogsource } from '../../../detect/sigma/logsource.ts';
import type { Logsource } from '../../../detect/sigma/rule-model.ts';

function accepts(logsource: Logsource, event: MatchableEvent): boolean {
  const routed = routeLogsource(logsource);
  if (!routed.ok) throw new Error(routed.reason);
  return routed.route.accepts(event);
}

const avDetection = { event: { category: ['malware'], action: 'quarantined' } };
const avTamper = { event: { module: 'antivirus', action: 'protection_disabled' } };
const avByObserver = { event: { action: 'scan_finished' }, observer: { type: 'AntiVirus' } };
const firewall = { event: { category: ['network'] }, observer: { type: 'firewall' } };
const suricataAlert = { event: { category: ['network'], kind: 'alert', module: 'suricata' } };
const idsAlert = { event: { kind: 'alert' }, observer: { type: 'ids' } };
const dnsQuery = { event: { category: 'network' }, dns: { question: { name: 'a.example' } } };
const flatDnsQuery = { event: { category: ['network'] }, 'dns.question.name': 'a.example' };
const connection = { event: { category: ['network'], type: ['connection'] } };
const processStart = { event: { category: ['process'], type: ['start'] } };
const processEnd = { event: { category: ['process'], type: ['end'] } };
const webAccess = { event: { category: ['web'], module: 'nginx' } };
const proxyAccess = { event: { category: ['web', 'network'] }, observer: { type: 'proxy' } };
const zeekConn = { event: { module: 'zeek', dataset: 'zeek.conn' } };
const rawZeekDns = { observer: { product: 'zeek' }, _path: 'dns', 'id.orig_h': '10.0.0.5', query: 'a.example' };
const windowsStart = { ...processStart, host: { os: { type: 'windows' } } };

describe('routeLogsource', () => {
  it.each([
    [{ category: 'antivirus' }, [avDetection, avTamper, avByObserver], [firewall, connection]],
    [{ product: 'antivirus' }, [avDetection, avTamper], [suricataAlert]],
    [
      { category: 'firewall' },
      [firewall, { event: { category: ['network'], module: 'firewall' } }],
      [connection, suricataAlert, { observer: { type: 'firewall' } }],
    ],
    [{ category: 'ids' }, [suricataAlert, idsAlert], [firewall, avDetection]],
    [{ product: 'suricata' }, [suricataAlert, idsAlert], [connection]],
    [{ category: 'dns' }, [dnsQuery, flatDnsQuery], [connection, { dns: { question: { name: 'x' } } }]],
    [{ category: 'network_connection' }, [connection, firewall, dnsQuery, suricataAlert], [avDetection, processStart]],
    [{ category: 'process_creation' }, [processStart], [processEnd, connection]],
    [{ category: 'webserver' }, [webAccess], [proxyAccess, connection]],
    [{ category: 'proxy' }, [proxyAccess], [webAccess, connection]],
    [{ product: 'zeek' }, [zeekConn, rawZeekDns], [connection, suricataAlert]],
    [{ product: 'zeek', service: 'conn' }, [zeekConn], [rawZeekDns]],
    [{ product: 'zeek', service: 'dns' }, [rawZeekDns], [zeekConn]],
    [{ product: 'windows', category: 'process_creation' }, [windowsStart], [processStart, processEnd]],
    [{}, [avDetection, connection, {}], []],
  ])('%j', (logsource: Logsource, seen: MatchableEvent[], unseen: MatchableEvent[]) => {
    for (const event of seen) expect(accepts(logsource, event), JSON.stringify(event)).toBe(true);
    for (const event of unseen) expect(accepts(logsource, event), JSON.stringify(event)).toBe(false);
  });

  it('requires every key of a logsource to hold', () => {
    expect(accepts({ category: 'ids', product: 'suricata' }, suricataAlert)).toBe(true);
    expect(accepts({ category: 'firewall', product: 'suricata' }, suricataAlert)).toBe(false);
  });

  it('compares logsource values case-insensitively and gives equal logsources one key', () => {
    const a = routeLogsource({ category: 'Antivirus' });
    const b = routeLogsource({ category: 'antivirus' });
    expect(a.ok && b.ok && a.route.key === b.route.key).toBe(true);
  });

  it('refuses log sources it does not route, naming the ones it does', () => {
    const refused = routeLogsource({ category: 'mainframe' });
    expect(refused).toMatchObject({ ok: false, field: 'category' });
    const reason = refused.ok ? '' : refused.reason;
    for (const known of ['antivirus', 'firewall', 'ids', 'dns', 'network_connection', 'process_creation', 'webserver', 'proxy']) {
      expect(reason).toContain(known);
    }
    expect(reason).toContain('rules/pipelines/');
    expect(routeLogsource({ service: 'sshd' })).toMatchObject({ ok: false, field: 'service' });
  });
});
