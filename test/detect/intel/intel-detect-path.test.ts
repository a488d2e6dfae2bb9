// Threat-intel lists through the real detect path: the folder's STIX bundle, MISP feed,
// CSV and plain list are loaded by the detect wiring (bin/wire-detect.ts), events go
// through the embedded bus, the detect stage and the correlate stage (bin/wire-correlate.ts),
// and the alerts land in the embedded store. An event carrying a listed address, domain,
// URL or hash raises an alert naming the indicator, its kind and its source; an
// unlisted one, or one whose indicator had expired at the event's time, raises none.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wireCorrelate, type WiredCorrelate } from '../../../bin/wire-correlate.ts';
import { wireDetect } from '../../../bin/wire-detect.ts';
import { openEmbeddedBus, type EmbeddedBus } from '../../../core/bus/embedded-bus.ts';
import { loadConfig } from '../../../core/config.ts';
import { createLogger } from '../../../core/log.ts';
import { createMetrics } from '../../../core/metrics.ts';
import { TOPICS } from '../../../core/ports/bus.ts';
import { ALL_UNITS } from '../../../core/ports/scope.ts';
import type { Alert } from '../../../core/schemas/alert.ts';
import type { SecurityEvent } from '../../../core/schemas/event.ts';
import { openEmbeddedStore } from '../../../core/store/embedded-store.ts';
import { DETECT_GROUP, type DetectStage } from '../../../detect/detect-stage.ts';
import { startRulesReloader, type RulesReloader } from '../../../detect/rules-reloader.ts';
import { makeTempDir } from '../../support/start-vigil.ts';
import { securityEvent } from '../security-event-fixture.ts';

const FIXTURES = path.join(import.meta.dirname, 'fixtures', 'intel');
const AT = '2026-11-22T08:00:00.000Z';

const RULE = `title: Remote desktop from outside
id: 6f1d2f4e-0000-4000-8000-00000000c0de
status: test
detection:
  selection: { destination.port: 3389 }
  condition: selection
level: medium
`;

function event(host: string, fields: Record<string, unknown>, at = AT): SecurityEvent {
  return securityEvent({ '@timestamp': at, event: { ingested: at }, host: { id: host, name: host.toUpperCase() }, ...fields });
}

describe('threat-intel lists in the detect path', () => {
  let bus: EmbeddedBus;
  let store: ReturnType<typeof openEmbeddedStore>;
  let rules: RulesReloader;
  let detect: DetectStage;
  let correlate: WiredCorrelate;
  let raised: Alert[];

  const byHost = (host: string) => raised.filter((alert) => alert.host.id === host);

  beforeAll(async () => {
    const dataDir = makeTempDir('vigil-intel-');
    const rulesDir = path.join(dataDir, 'rules');
    fs.mkdirSync(rulesDir);
    fs.writeFileSync(path.join(rulesDir, 'rdp.yml'), RULE);
    fs.cpSync(FIXTURES, path.join(rulesDir, 'intel'), { recursive: true });
    const config = loadConfig({ VIGIL_DATA_DIR: dataDir, VIGIL_RULES_DIR: rulesDir, VIGIL_IDLE_ADVANCE: 'false' });
    const log = createLogger('silent');
    const metrics = createMetrics({ defaultMetrics: false });
    bus = openEmbeddedBus({ dataDir, pollIntervalMs: 20 });
    store = openEmbeddedStore({ dataDir });
    rules = startRulesReloader({ rulesDir, metrics, log, watch: false });
    detect = wireDetect(config, { bus, store, rules, metrics, log });
    correlate = await wireCorrelate(config, { bus, store, rules, metrics, log });

    const events = [
      // STIX bundle (ACME Threat Research): a C2 address, a domain (by a subdomain), a hash.
      event('pc-stix-ip', { destination: { ip: '203.0.113.7', port: 443 }, source: { ip: '10.20.1.15' } }),
      event('pc-stix-ip', { destination: { ip: '203.0.113.7', port: 8443 }, source: { ip: '10.20.1.15' } }, '2026-11-22T08:05:00.000Z'),
      event('pc-stix-dns', { dns: { question: { name: 'cdn.Update-Check.xyz.', type: 'A' } } }),
      event('pc-stix-hash', { event: { category: ['malware'], action: 'quarantined', ingested: AT }, file: { hash: { sha256: 'AEC070645FE53EE3B3763059376134F058CC337247C978ADD178B6CCDFB0019F' } } }),
      // MISP feed (CIRCL): a parent-domain hit, an MD5, an address from an object, a URL.
      event('pc-misp-dns', { dns: { question: { name: 'www.vcb-digibank-verify.com' } } }),
      event('pc-misp-md5', { process: { name: 'x.exe', hash: { md5: '0cc175b9c0f1b6a831c399e269772661' } } }),
      event('pc-misp-ip', { source: { ip: '10.0.0.9' }, destination: { ip: '91.215.85.12', port: 80 } }),
      event('pc-misp-url', { url: { domain: 'vcb-digibank-verify.com', original: '/login.php' } }),
      // CSV (VNCERT, Partner SOC): an address inside a listed /24, a URL written differently.
      event('pc-csv-cidr', { destination: { ip: '198.51.100.77', port: 22 } }),
      event('pc-csv-url', { url: { full: 'HTTP://CDN-UPDATE.example.net:80/payload/invoice.exe#x' } }),
      // Plain list: an IPv6 address inside a listed /48, alongside a rule match (RDP).
      event('pc-plain-v6', { source: { ip: '2001:db8:dead:beef::1' }, destination: { ip: '2001:db8:1::5', port: 3389 } }),
      // Before its valid_until, an indicator matches an event of that time.
      event('pc-before-expiry', { destination: { ip: '203.0.113.99' } }, '2025-05-01T00:00:00.000Z'),
      // Not listed: a neighbour address, a look-alike domain that is no subdomain, an unlisted hash.
      event('pc-clean', { destination: { ip: '203.0.113.9' }, dns: { question: { name: 'vcb-digibank-verify.com.vn' } } }),
      event('pc-clean-hash', { file: { hash: { sha256: 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019e' } } }),
      // Listed but expired at the event's time (STIX valid_until 2025-06-01; CSV expires 2020-01-01).
      event('pc-expired', { destination: { ip: '203.0.113.99' }, file: { hash: { md5: 'd41d8cd98f00b204e9800998ecf8427e' } } }),
      // A MISP attribute not meant for detection (to_ids false).
      event('pc-not-for-ids', { destination: { ip: '8.8.8.8' } }),
    ];
    await bus.publish(TOPICS.events, events.map((item) => ({ key: item.event.id, value: Buffer.from(JSON.stringify(item)) })));
    await settled(bus);
    raised = (await store.searchAlerts({ limit: 100 }, ALL_UNITS)).items;
  });

  afterAll(async () => {
    rules.close();
    await detect.stop();
    await correlate.stop();
    await bus.close();
    await store.close();
  });

  it('raises an alert naming the indicator, its kind and its source, for each format', () => {
    const titles = (host: string) => byHost(host).map((alert) => alert.rule.title).sort();
    expect(titles('pc-stix-ip')).toEqual(['Threat intel: IP 203.0.113.7 (listed by ACME Threat Research)']);
    expect(titles('pc-stix-dns')).toEqual(['Threat intel: domain update-check.xyz (listed by ACME Threat Research)']);
    expect(titles('pc-stix-hash')).toEqual([
      'Threat intel: SHA-256 aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f (listed by ACME Threat Research)',
    ]);
    expect(titles('pc-misp-dns')).toEqual(['Threat intel: domain vcb-digibank-verify.com (listed by CIRCL)']);
    expect(titles('pc-misp-md5')).toEqual(['Threat intel: MD5 0cc175b9c0f1b6a831c399e269772661 (listed by CIRCL)']);
    expect(titles('pc-misp-ip')).toEqual(['Threat intel: IP 91.215.85.12 (listed by CIRCL)']);
    expect(titles('pc-misp-url')).toEqual([
      'Threat intel: URL vcb-digibank-verify.com/login.php (listed by CIRCL)',
      'Threat intel: domain vcb-digibank-verify.com (listed by CIRCL)',
    ]);
  });

  it('matches CSV and plain lists, prefixes included, beside ordinary rule alerts', () => {
    expect(byHost('pc-csv-cidr').map((alert) => alert.rule.title)).toEqual(['Threat intel: IP 198.51.100.0/24 (listed by VNCERT)']);
    expect(byHost('pc-csv-url').map((alert) => alert.rule.title)).toEqual([
      'Threat intel: URL cdn-update.example.net/payload/invoice.exe (listed by Partner SOC)',
    ]);
    expect(byHost('pc-plain-v6').map((alert) => alert.rule.title).sort()).toEqual([
      'Remote desktop from outside',
      'Threat intel: IP 2001:db8:dead::/48 (listed by blocklist)',
    ]);
  });

  it('gives intel alerts a rule id per source and indicator, level high, grouped per machine like any alert', () => {
    const [alert, ...others] = byHost('pc-stix-ip');
    expect(others).toEqual([]);
    expect(alert).toMatchObject({
      rule: { id: 'intel:ACME Threat Research:ip:203.0.113.7', level: 'high', kind: 'match', tags: ['intel', 'intel.kind.ip'] },
      severity: 'high',
      count: 2,
      first_seen: AT,
      last_seen: '2026-11-22T08:05:00.000Z',
      organization: { id: 'unit-042' },
    });
    expect(alert!.event_ids).toHaveLength(2);
  });

  it('checks expiry against the event time: before valid_until it matches, after it does not', () => {
    expect(byHost('pc-before-expiry').map((alert) => alert.rule.id)).toEqual(['intel:apt-report:ip:203.0.113.99']);
    expect(byHost('pc-expired')).toEqual([]);
  });

  it('raises nothing for unlisted values, look-alike domains and attributes not meant for detection', () => {
    expect(byHost('pc-clean')).toEqual([]);
    expect(byHost('pc-clean-hash')).toEqual([]);
    expect(byHost('pc-not-for-ids')).toEqual([]);
  });
});

describe('a list changed while Vigil runs', () => {
  it('is matched without a restart, by the stream matcher and by a Sigma rule using it as %intel_<list>%', async () => {
    const dataDir = makeTempDir('vigil-intel-live-');
    const rulesDir = path.join(dataDir, 'rules');
    const intelDir = path.join(rulesDir, 'intel');
    fs.mkdirSync(intelDir, { recursive: true });
    fs.writeFileSync(path.join(intelDir, 'watchlist.txt'), '192.0.2.1\n');
    fs.writeFileSync(
      path.join(rulesDir, 'watchlist.yml'),
      `title: Connection to a watch-listed address\nid: 9a1b2c3d-0000-4000-8000-0000000000b2\nstatus: test\ndetection:\n  selection:\n    destination.ip|expand: '%intel_watchlist%'\n  condition: selection\nlevel: low\n`,
    );
    const config = loadConfig({ VIGIL_DATA_DIR: dataDir, VIGIL_RULES_DIR: rulesDir, VIGIL_IDLE_ADVANCE: 'false' });
    const log = createLogger('silent');
    const metrics = createMetrics({ defaultMetrics: false });
    const bus = openEmbeddedBus({ dataDir, pollIntervalMs: 20 });
    const store = openEmbeddedStore({ dataDir });
    let rulesReloaded!: () => void;
    const reloaded = new Promise<void>((resolve) => (rulesReloaded = resolve));
    // The rules folder itself is not watched here: only the intel change may reload the rules.
    const rules = startRulesReloader({ rulesDir, metrics, log, watch: false, onReload: () => rulesReloaded() });
    const detect = wireDetect(config, { bus, store, rules, metrics, log });
    const correlate = await wireCorrelate(config, { bus, store, rules, metrics, log });
    const publish = async (item: SecurityEvent) => {
      await bus.publish(TOPICS.events, [{ key: item.event.id, value: Buffer.from(JSON.stringify(item)) }]);
      await settled(bus);
    };
    const titles = async () => (await store.searchAlerts({ limit: 100 }, ALL_UNITS)).items.map((alert) => alert.rule.title).sort();
    try {
      await publish(event('pc-live-1', { destination: { ip: '192.0.2.50' } }));
      expect(await titles()).toEqual([]);

      fs.writeFileSync(path.join(intelDir, 'watchlist.txt'), '192.0.2.1\n192.0.2.50\n');
      await reloaded;
      await publish(event('pc-live-2', { destination: { ip: '192.0.2.50' } }));
      expect(await titles()).toEqual(['Connection to a watch-listed address', 'Threat intel: IP 192.0.2.50 (listed by watchlist)']);
    } finally {
      rules.close();
      await detect.stop();
      await correlate.stop();
      await bus.close();
      await store.close();
    }
  });
});

/** Waits until detect and correlate have committed everything published so far. */
async function settled(bus: EmbeddedBus) {
  for (let i = 0; i < 400; i++) {
    const lags = await Promise.all([bus.lag(TOPICS.events, DETECT_GROUP), bus.lag(TOPICS.signals, 'vigil-correlate')]);
    if (lags.every((lag) => lag === 0)) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('the stages did not catch up');
}
