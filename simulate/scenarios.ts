// The attacks and faults a simulation injects into the province's background, each with
// its ground truth: an outbreak spreading across units, ransomware on one host, brute
// force then success, a port scan, beaconing, antivirus turned off before a detection,
// a unit going silent, an agent with a wrong clock. Each is shaped to trip the shipped
// rule named in its truth (rules/correlation/*.yml, rules/antivirus/*.yml, Vigil's own
// silence checks); test/simulate/scenario-rules.test.ts runs them through the rules.
import { antivirusCase, firewallFlow, type SimEvent } from './background.ts';
import type { Host, Province, Unit } from './province.ts';
import { pick, seededId, seededRandom } from './random.ts';
import { isWeekdayMorningToAfternoon, localTime } from './rhythm.ts';
import { RULES, type Scenario, type ScenarioKind } from './truth.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export interface InjectedScenario {
  truth: Scenario;
  events: SimEvent[];
  /** A unit whose every event is withheld in [from, to) (the silence scenario). */
  mute?: { unit: string; from: number; to: number };
}

export interface Injection {
  scenarios: InjectedScenario[];
  skipped: { kind: ScenarioKind; reason: string }[];
}

/** Hours the wrong clock runs ahead: far beyond any future tolerance Vigil allows. */
export const WRONG_CLOCK_AHEAD_HOURS = 6;
const SILENCE_MS = 150 * MINUTE;

/**
 * A start time for a scenario lasting `length`: the first weekday office slot at or after
 * `fraction` of the window (attacks land when PCs are on), or the fraction itself.
 */
function slot(start: number, end: number, fraction: number, length: number): number {
  const latest = end - length - 30 * MINUTE;
  const from = Math.max(start + 10 * MINUTE, Math.min(latest, start + fraction * (end - start)));
  for (let time = from - (from % (10 * MINUTE)); time <= latest; time += 10 * MINUTE) {
    if (time >= from && isWeekdayMorningToAfternoon(time) && isWeekdayMorningToAfternoon(time + length)) return time;
  }
  return Math.max(start, Math.min(latest, from));
}

function iso(time: number): string {
  return new Date(time).toISOString();
}

function pcs(unit: Unit): Host[] {
  const pcs = unit.hosts.filter((host) => !host.server);
  return pcs.length > 0 ? pcs : unit.hosts;
}

function base(kind: ScenarioKind, index: number): Pick<Scenario, 'id' | 'kind'> {
  return { id: `S${String(index + 1).padStart(2, '0')}-${kind}`, kind };
}

/** Builds every scenario for the window [start, end). Deterministic for the seed. */
export function injectScenarios(province: Province, start: number, end: number, seed: number): Injection {
  const random = seededRandom(seed ^ 0x5ce7a710);
  const units = province.units;
  const offices = units.filter((unit) => !unit.dataCenter);
  const officeUnits = offices.length > 0 ? offices : units;
  const dataCenter = units[0]!;
  const scenarios: InjectedScenario[] = [];
  const skipped: Injection['skipped'] = [];
  const at = (unit: Unit, time: number, event: Record<string, unknown>, agent: SimEvent['agent'] = 'main'): SimEvent => ({ time, unit: unit.id, agent, event });
  const unitAt = (i: number) => officeUnits[i % officeUnits.length]!;

  // 1. Outbreak: one worm on 6 PCs in each of up to 12 units within the hour.
  {
    const t0 = slot(start, end, 0.55, HOUR);
    const signature = `Worm.Win32.Vobfus.${String.fromCharCode(65 + Math.floor(random() * 26))}${Math.floor(random() * 90) + 10}`;
    const hit = officeUnits.slice(0, 12);
    let unitSpread = false;
    const events: SimEvent[] = [];
    const hosts: string[] = [];
    hit.forEach((unit, u) => {
      const victims = [...pcs(unit), ...unit.hosts.filter((host) => host.server)].slice(0, 6);
      if (victims.length >= 5) unitSpread = true;
      victims.forEach((host, h) => {
        const time = t0 + u * 3 * MINUTE + h * 40_000 + Math.floor(random() * 20_000);
        hosts.push(host.id);
        events.push(at(unit, time, antivirusCase(unit, host, time, random, { name: signature, path: `E:\\${['Tai lieu', 'Bao cao'][h % 2]}.exe` }, { action: 'quarantined', outcome: 'success' })));
      });
    });
    // The unit rule needs 5 PCs of one unit, the province rule 10 units.
    const rules = [...(unitSpread ? [RULES.spread] : []), ...(hit.length >= 10 ? [RULES.outbreak] : [])];
    const last = Math.max(...events.map((event) => event.time));
    scenarios.push({
      truth: { ...base('outbreak', 0), description: `${signature} on up to 6 PCs in each of ${hit.length} units within the hour`, units: hit.map((unit) => unit.id), hosts, values: [signature], start: iso(t0), end: iso(last), rules },
      events,
    });
  }

  // 2. Ransomware on one PC: the antivirus fails to remediate it again and again.
  {
    const unit = unitAt(1);
    const host = pcs(unit).at(-1)!;
    const t0 = slot(start, end, 0.35, HOUR);
    const signature = `Trojan-Ransom.Win32.LockBit.${['a', 'b', 'c', 'd'][Math.floor(random() * 4)]}`;
    const files = ['Bao cao quy 3.docx', 'Du toan 2026.xlsx', 'Cong van den.pdf', 'Hop dong.docx', 'Bang luong.xlsx'];
    const events = files.map((file, i) => {
      const time = t0 + i * 3 * MINUTE + Math.floor(random() * 60_000);
      return at(unit, time, antivirusCase(unit, host, time, random, { name: signature, path: `C:\\Users\\${host.user}\\Documents\\${file}.lockbit` }, { action: 'quarantine_failed', outcome: 'failure' }));
    });
    scenarios.push({
      truth: { ...base('ransomware', 1), description: `${signature} on ${host.name}: remediation failed ${files.length} times in 15 minutes`, units: [unit.id], hosts: [host.id], values: [signature], start: iso(t0), end: iso(events.at(-1)!.time), rules: [RULES.remediationFailed, RULES.ransomwareFamily] },
      events,
    });
  }

  // 3. Brute force on a data-center server's RDP from the internet, then a success.
  {
    const server = dataCenter.hosts[0]!;
    const attacker = `185.220.${100 + Math.floor(random() * 50)}.${1 + Math.floor(random() * 250)}`;
    const t0 = slot(start, end, 0.2, HOUR);
    const logon = (time: number, outcome: 'success' | 'failure'): Record<string, unknown> => ({
      '@timestamp': iso(time),
      event: { id: seededId(random), kind: 'event', category: ['authentication'], type: ['start'], action: outcome === 'success' ? 'logged-in' : 'logon-failed', outcome, code: outcome === 'success' ? '4624' : '4625', module: 'security' },
      host: { id: server.id, name: server.name, ip: [server.ip], os: { family: 'windows', name: 'Windows Server 2019' } },
      user: { name: 'administrator', domain: 'TTDL' },
      source: { ip: attacker, port: 50000 + Math.floor(random() * 10000) },
    });
    const events: SimEvent[] = [];
    for (let i = 0; i < 25; i += 1) events.push(at(dataCenter, t0 + i * 12_000, logon(t0 + i * 12_000, 'failure')));
    const success = t0 + 25 * 12_000 + 2 * MINUTE;
    events.push(at(dataCenter, success, logon(success, 'success')));
    scenarios.push({
      truth: { ...base('brute-force', 2), description: `25 failed RDP logons for administrator on ${server.name} from ${attacker} in 5 minutes, then a success`, units: [dataCenter.id], hosts: [server.id], values: [attacker], start: iso(t0), end: iso(success), rules: [RULES.bruteForce] },
      events,
    });
  }

  // 4. A port scan from a unit's PC against a data-center server: 150 ports in 2 minutes.
  {
    const unit = unitAt(2);
    const scanner = pcs(unit)[Math.floor(random() * pcs(unit).length)]!;
    const target = dataCenter.hosts[Math.min(1, dataCenter.hosts.length - 1)]!;
    const t0 = slot(start, end, 0.45, 10 * MINUTE);
    const events: SimEvent[] = [];
    for (let i = 0; i < 150; i += 1) {
      const time = t0 + i * 800;
      events.push(at(unit, time, firewallFlow(unit, scanner, time, random, { destIp: target.ip, destPort: 1 + ((i * 37) % 1024), action: 'deny' })));
    }
    scenarios.push({
      truth: { ...base('port-scan', 3), description: `${scanner.name} (${scanner.ip}) tried 150 ports of ${target.name} (${target.ip}) in 2 minutes`, units: [unit.id], hosts: [scanner.id], values: [scanner.ip], start: iso(t0), end: iso(events.at(-1)!.time), rules: [RULES.portScan] },
      events,
    });
  }

  // 5. Beaconing: a PC checks in with an internet address once a minute for an hour.
  {
    const unit = unitAt(3);
    const host = pcs(unit)[0]!;
    const c2 = `91.215.${152 + Math.floor(random() * 4)}.${1 + Math.floor(random() * 250)}`;
    const t0 = slot(start, end, 0.65, HOUR + 10 * MINUTE);
    const events: SimEvent[] = [];
    for (let i = 0; i < 60; i += 1) {
      const time = t0 + i * MINUTE + Math.floor(random() * 4000) - 2000;
      events.push(at(unit, time, firewallFlow(unit, host, time, random, { destIp: c2, destPort: 8081 })));
    }
    scenarios.push({
      truth: { ...base('beaconing', 4), description: `${host.name} (${host.ip}) connected to ${c2}:8081 every minute for an hour`, units: [unit.id], hosts: [host.id], values: [host.ip, c2], start: iso(t0), end: iso(events.at(-1)!.time), rules: [RULES.beaconing] },
      events,
    });
  }

  // 6. Antivirus turned off on a PC, then a backdoor detected there 25 minutes later.
  {
    const unit = unitAt(4);
    const host = pcs(unit)[1] ?? pcs(unit)[0]!;
    const t0 = slot(start, end, 0.75, HOUR);
    const off = antivirusCase(unit, host, t0, random, { name: 'Real-time protection', path: '' }, { action: 'realtime_protection_disabled', outcome: 'success' });
    const offEvent = { ...off, event: { ...(off.event as object), kind: 'event', category: ['configuration'], type: ['change'] }, rule: undefined, file: undefined };
    const detected = t0 + 25 * MINUTE;
    const signature = `Backdoor.Win32.PlugX.${Math.floor(random() * 900) + 100}`;
    const events = [
      at(unit, t0, JSON.parse(JSON.stringify(offEvent)) as Record<string, unknown>),
      at(unit, detected, antivirusCase(unit, host, detected, random, { name: signature, path: `C:\\ProgramData\\Microsoft\\DeviceSync\\${host.user}.dll` }, { action: 'quarantined', outcome: 'success' })),
    ];
    scenarios.push({
      truth: { ...base('av-disabled', 5), description: `real-time protection turned off on ${host.name}, then ${signature} detected 25 minutes later`, units: [unit.id], hosts: [host.id], values: [signature], start: iso(t0), end: iso(detected), rules: [RULES.disabledThenMalware, RULES.protectionDisabled] },
      events,
    });
  }

  // 7. A unit goes silent for 2.5 hours of a weekday morning (its link or collector down).
  //    Vigil judges silence against the hours a unit is normally heard on 3 of the last
  //    7 days, so the silence needs three earlier weekdays in the window.
  {
    const unit = officeUnits.at(-1)!;
    let silentFrom: number | undefined;
    for (let time = end - SILENCE_MS - HOUR - ((end - SILENCE_MS - HOUR) % (10 * MINUTE)); time >= start; time -= 10 * MINUTE) {
      const { hour, weekend } = localTime(time);
      if (weekend || hour < 8.5 || hour >= 9) continue;
      // Vigil wants the same weekday a week before among them (from the hour before).
      if (time - 7 * DAY - HOUR < start) continue;
      const earlierWeekdays = [1, 2, 3, 4, 5, 6, 7].filter((d) => !localTime(time - d * DAY).weekend).length;
      if (earlierWeekdays >= 3) {
        silentFrom = time;
        break;
      }
    }
    if (silentFrom === undefined) skipped.push({ kind: 'unit-silent', reason: 'needs a weekday morning with the same weekday a week before in the simulated window (simulate 8 days or more)' });
    else {
      scenarios.push({
        truth: { ...base('unit-silent', 6), description: `${unit.name} sends nothing for 2.5 hours of a weekday morning`, units: [unit.id], hosts: [], values: [unit.id], start: iso(silentFrom), end: iso(silentFrom + SILENCE_MS), rules: [RULES.silentUnit, RULES.silentAgent] },
        events: [],
        mute: { unit: unit.id, from: silentFrom, to: silentFrom + SILENCE_MS },
      });
    }
  }

  // 8. An agent whose clock is 6 hours ahead: its events are stamped in the future. Vigil
  //    tags them vigil.future_timestamp and lists the agent under Health "Clocks ahead";
  //    it is not an alert. Sent last (see timeline.ts), in the window's final half hour.
  {
    const unit = unitAt(5);
    const host = pcs(unit)[0]!;
    const t0 = end - 30 * MINUTE;
    const events: SimEvent[] = [];
    for (let i = 0; i < 10; i += 1) {
      const time = t0 + i * 2 * MINUTE;
      const stamped = time + WRONG_CLOCK_AHEAD_HOURS * HOUR;
      events.push(at(unit, time, antivirusCase(unit, host, stamped, random, { name: pick(['Adware.Agent.Win32', 'PUA.Win32.Toolbar.Ask'], random), path: `C:\\Users\\${host.user}\\Downloads\\setup.exe` }, { action: 'quarantined', outcome: 'success' }), 'wrong-clock'));
    }
    scenarios.push({
      truth: { ...base('wrong-clock', 7), description: `the antivirus agent of ${unit.name} stamps its events ${WRONG_CLOCK_AHEAD_HOURS} hours ahead`, units: [unit.id], hosts: [host.id], values: [], start: iso(t0), end: iso(events.at(-1)!.time), rules: [], health: 'clocks-ahead', clockAheadHours: WRONG_CLOCK_AHEAD_HOURS },
      events,
    });
  }

  return { scenarios, skipped };
}
