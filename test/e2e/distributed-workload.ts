// The distributed test's workload, with the alerts it must raise known in advance:
// firewall records that match no rule (checked against the shipped library, so they
// feed no correlation either), and through the whole stream a planted set of
// ransomware detections on many PCs of many units. Those raise one grouped alert per
// PC, one "same threat on 5 PCs of a unit" (spread) per unit and threat, one "same
// threat in 10 units" (outbreak) per threat, and one reinfection per PC that sees a
// threat twice. Every correlation group gathers signals that detect produced from
// several events partitions (events are keyed by host), in different detect processes.
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { securityEventSchema } from '../../core/schemas/event.ts';
import { raisesOwnAlerts } from '../../detect/sigma/correlation-index.ts';
import { loadRuleSet, matchEvent } from '../../detect/sigma/rule-set.ts';
import { firewallEvent, seededRandom } from '../../scripts/simulate/realistic-events.ts';

export const SPREAD = '6b463895-f4ce-4f13-a96a-6225ba6da07c';
export const OUTBREAK = '22e9dd6f-1975-4270-a50a-664d35de77c2';
export const REINFECTION = 'dd2fd50a-0e56-4063-97e5-6bc1dfca96b4';

type Event = Record<string, unknown> & { '@timestamp': string; event: { id: string } & Record<string, unknown>; host?: { id: string } & Record<string, unknown> };

export interface Batch {
  unit: string;
  ids: string[];
  /** NDJSON, ready to post with the unit's agent key. */
  body: string;
}

/** Inclusive bounds of an alert's count. */
export interface CountRange {
  min: number;
  max: number;
}

export interface Workload {
  units: string[];
  batches: Batch[];
  events: number;
  /** `rule.id|unit|host.id` → count of the grouped single-event alert. */
  matchAlerts: Map<string, number>;
  /** `rule.id|group as sorted JSON` → the counts the correlation alert may have. */
  correlationAlerts: Map<string, CountRange>;
}

export interface WorkloadOptions {
  events: number;
  /** The first is the bootstrap unit; 12 or more. */
  units: string[];
  batchSize?: number;
  threats?: number;
}

/** The key a correlation alert is expected under: its rule and its group. */
export function correlationKey(ruleId: string, group: Record<string, string>): string {
  return `${ruleId}|${JSON.stringify(Object.fromEntries(Object.entries(group).sort(([a], [b]) => a.localeCompare(b))))}`;
}

function ransomware(host: string, threat: string): Event {
  return {
    '@timestamp': '',
    event: { id: randomUUID(), kind: 'alert', category: ['malware'], action: 'quarantined', outcome: 'success', module: 'antivirus' },
    observer: { vendor: 'Vigil Demo AV', product: 'Endpoint Security', type: 'antivirus' },
    host: { id: host.toLowerCase(), name: host, os: { family: 'windows' } },
    file: { path: 'C:\\Users\\ketoan\\Documents\\hoa-don.pdf.exe', name: 'hoa-don.pdf.exe' },
    rule: { name: threat },
  };
}

const library = loadRuleSet(fileURLToPath(new URL('../../rules/', import.meta.url)));

function stamped(unit: string, event: Event) {
  return securityEventSchema.parse({ ...event, organization: { id: unit, name: unit }, event: { ...event.event, ingested: event['@timestamp'] } });
}

export function buildWorkload(options: WorkloadOptions): Workload {
  const { units } = options;
  const batchSize = options.batchSize ?? 500;
  const threats = options.threats ?? 8;
  if (units.length < 12) throw new Error('the workload needs 12 units (outbreaks span 10 to 12)');
  if (options.events % batchSize !== 0) throw new Error('events must be a multiple of the batch size');
  const random = seededRandom(20261203);

  // The planted detections, per unit. Threat k hits 10, 11 or 12 units, on 5 or 6 PCs
  // each, once per PC: a spread alert counts the detections in its window when the 5th
  // PC shows up, so with one per PC it counts 5 (a 6th PC after it fired starts no
  // second alert). An outbreak fires when the 10th unit shows up, counting every
  // detection of the threat so far: at least 10, at most all of them, depending on the
  // order the detections reach correlate. Apart from those, one PC per threat sees a
  // threat of its own five times (reinfection, counting 5).
  const planted = new Map<string, Event[]>(units.map((unit) => [unit, []]));
  const correlationAlerts = new Map<string, CountRange>();
  for (let k = 0; k < threats; k++) {
    const letter = String.fromCharCode(65 + k);
    const threat = `Ransom.Win32.Vigiltest.${letter}`;
    const unitCount = 10 + (k % 3);
    const pcs = 5 + (k % 2);
    for (let j = 0; j < unitCount; j++) {
      const unit = units[(k + j) % units.length]!;
      for (let p = 1; p <= pcs; p++) planted.get(unit)!.push(ransomware(`U${(k + j) % units.length}-R${k}-PC${p}`, threat));
      correlationAlerts.set(correlationKey(SPREAD, { 'organization.id': unit, 'rule.name': threat }), { min: 5, max: 5 });
    }
    correlationAlerts.set(correlationKey(OUTBREAK, { 'rule.name': threat }), { min: 10, max: unitCount * pcs });
    const back = `Ransom.Win32.Vigilback.${letter}`;
    const host = `U${k % units.length}-B${k}-PC1`;
    for (let n = 0; n < 5; n++) planted.get(units[k % units.length]!)!.push(ransomware(host, back));
    correlationAlerts.set(correlationKey(REINFECTION, { 'host.id': host.toLowerCase(), 'rule.name': back }), { min: 5, max: 5 });
  }

  // Batches rotate over the units; each unit's planted detections are scattered over
  // its batches, so correlation windows are open all through the run.
  const batchCount = options.events / batchSize;
  const layout: { unit: string; events: Event[] }[] = Array.from({ length: batchCount }, (_, b) => ({
    unit: units[b % units.length]!,
    events: Array.from({ length: batchSize }, (_, i) => firewallEvent(`FW-${(b * batchSize + i) % 48}`, random) as Event),
  }));
  const taken = new Set<Event>();
  for (const [unit, events] of planted) {
    const own = layout.filter((batch) => batch.unit === unit);
    for (const event of events) {
      // Each takes the place of a noise record, never of another planted detection.
      for (;;) {
        const batch = own[Math.floor(random() * own.length)]!;
        const slot = Math.floor(random() * batchSize);
        if (taken.has(batch.events[slot]!)) continue;
        batch.events[slot] = event;
        taken.add(event);
        break;
      }
    }
  }
  if (taken.size !== [...planted.values()].reduce((sum, events) => sum + events.length, 0)) throw new Error('planted detections overlap');
  // Event time follows the stream over the last minute and a half: recent enough that
  // nothing is later than the allowed lateness while the test runs.
  const start = Date.now() - 90_000;
  const step = 60_000 / options.events;
  const matchAlerts = new Map<string, number>();
  let n = 0;
  const batches = layout.map(({ unit, events }) => {
    for (const event of events) {
      event['@timestamp'] = new Date(start + n++ * step).toISOString();
      // Expected single-event alerts, from the same library detect loads. The firewall
      // records must match nothing at all: then they feed no correlation either.
      const matched = matchEvent(library, stamped(unit, event));
      const planted = (event.rule as { name?: string } | undefined)?.name?.startsWith('Ransom.') === true;
      if (!planted && matched.length > 0) throw new Error(`a noise event matched ${matched.map((r) => r.title).join(', ')}`);
      for (const rule of matched) {
        if (!raisesOwnAlerts(library, rule.id)) continue;
        const key = `${rule.id}|${unit}|${event.host!.id}`;
        matchAlerts.set(key, (matchAlerts.get(key) ?? 0) + 1);
      }
    }
    return { unit, ids: events.map((event) => event.event.id), body: events.map((event) => JSON.stringify(event)).join('\n') };
  });
  return { units, batches, events: options.events, matchAlerts, correlationAlerts };
}
