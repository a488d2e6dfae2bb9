// A month of known data for the report tests: November 2026 at UTC+07:00 for unit
// `so-y-te` ("Sở Y tế"), the October before it, and another unit whose data must never
// show in so-y-te's report. Every figure the tests expect is stated here, next to the
// data that makes it.
import type { Agent } from '../../core/accounts/accounts.ts';
import type { Scope } from '../../core/ports/scope.ts';
import type { Store } from '../../core/ports/store.ts';
import type { Alert, HistoryEntry, Severity } from '../../core/schemas/alert.ts';
import type { SecurityEvent } from '../../core/schemas/event.ts';
import { REINFECTION_RULES, SILENT_AGENT_RULES, type ReportSources } from '../../core/report/build-report.ts';

export const OFFSET = 420;
export const FROM = '2026-10-31T17:00:00.000Z'; // 1 Nov 2026 00:00 at +07:00
export const TO = '2026-11-30T17:00:00.000Z'; // 1 Dec 2026 00:00 at +07:00
export const UNIT = { id: 'so-y-te', name: 'Sở Y tế' };
export const OTHER = { id: 'so-tai-chinh', name: 'Sở Tài chính' };

const MIN = 60_000;
let serial = 0;

function event(unit: string, at: string, fields: Partial<SecurityEvent>): SecurityEvent {
  serial += 1;
  return {
    '@timestamp': at,
    ...fields,
    event: { id: `ev-${serial}`, ingested: at, ...fields.event },
    organization: unit === UNIT.id ? UNIT : OTHER,
  } as SecurityEvent;
}

/** The antivirus's own severity per threat, on the CEF 0-10 scale (none for the other unit's). */
const THREAT_SEVERITY: Record<string, number> = {
  'Trojan:Win32/Emotet': 8,
  'Worm:Win32/Ramnit': 9,
  'HEUR:Exploit.MSOffice.Generic': 5,
  'Virus:Win32/Sality': 3,
  'Backdoor.Agent': 0,
  'Ransom:Win32/WannaCry': 10,
};

function av(unit: string, at: string, host: string, threat: string, action: string, outcome?: 'success' | 'failure'): SecurityEvent {
  const severity = THREAT_SEVERITY[threat];
  return event(unit, at, {
    event: { id: '', ingested: at, module: 'antivirus', category: ['malware'], action, ...(outcome ? { outcome } : {}), ...(severity === undefined ? {} : { severity }) },
    host: { name: host },
    rule: { name: threat },
  });
}

function alert(
  unit: string,
  id: string,
  severity: Severity,
  firstSeen: string,
  options: { rule?: string; host?: string; group?: Record<string, string>; history?: [minutes: number, to: string][] } = {},
): Alert {
  const start = Date.parse(firstSeen);
  const history: HistoryEntry[] = (options.history ?? []).map(([minutes, to], i, all) => ({
    at: new Date(start + minutes * MIN).toISOString(),
    actor: 'analyst.lan',
    field: 'status',
    from: i === 0 ? 'new' : (all[i - 1]?.[1] ?? 'new'),
    to,
  }));
  const status = (history[history.length - 1]?.to ?? 'new') as Alert['status'];
  return {
    id,
    rule: { id: options.rule ?? `rule-${severity}`, title: `Rule ${severity}`, level: severity, tags: [], kind: 'match' },
    severity,
    status,
    assignee: null,
    organization: unit === UNIT.id ? UNIT : OTHER,
    host: options.host ? { name: options.host } : {},
    group: options.group ?? {},
    first_seen: firstSeen,
    last_seen: firstSeen,
    count: 1,
    event_ids: [],
    attack: { tactics: [], techniques: [] },
    notes: [],
    history,
    created: firstSeen,
    updated: firstSeen,
  };
}

/**
 * so-y-te, November: 20 events (14 antivirus: quarantined 5, blocked 3, cleaned 2,
 * deleted 1, failed 2 (quarantine_failed), other 1 (detected)), 10 alerts (critical 2,
 * high 3, medium 4, low 1; 1 reinfection, 1 agent went silent). Triage: critical
 * acknowledged after 10 and 20 min (MTTA 15 min), one resolved after 2 h (MTTR 2 h);
 * one high acknowledged after 60 min and set false positive after 5 h. All: MTTA 30 min,
 * MTTR 3 h 30 min. October: 4 events, 5 alerts. The other unit: 7 antivirus events and
 * 3 critical alerts in November, none of which may reach so-y-te's report.
 */
export const EXPECTED = {
  events: 20,
  alerts: 10,
  bySeverity: { critical: 2, high: 3, medium: 4, low: 1 },
  antivirus: { blocked: 3, quarantined: 5, cleaned: 2, deleted: 1, failed: 2, other: 1 },
  topThreat: { name: 'Trojan:Win32/Emotet', count: 4, hosts: 3 },
  mttaMs: 30 * MIN,
  mttrMs: 210 * MIN,
  criticalMttaMs: 15 * MIN,
  criticalMttrMs: 120 * MIN,
  /**
   * Events by their source's severity: antivirus on the CEF scale by threat (Emotet 8 ×4
   * high, Ramnit 9 ×2 and WannaCry 10 ×2 critical, Exploit 5 ×3 medium, Sality 3 ×2 low,
   * Backdoor 0 informational), Suricata 1 high and 3 low, 4 logons unrated. October: 4 Emotet.
   */
  eventSeverities: [
    { module: null, severity: null, count: 4 },
    { module: 'antivirus', severity: 8, count: 4 },
    { module: 'antivirus', severity: 5, count: 3 },
    { module: 'antivirus', severity: 3, count: 2 },
    { module: 'antivirus', severity: 9, count: 2 },
    { module: 'antivirus', severity: 10, count: 2 },
    { module: 'antivirus', severity: 0, count: 1 },
    { module: 'suricata', severity: 1, count: 1 },
    { module: 'suricata', severity: 3, count: 1 },
  ],
  eventsBySeverity: { critical: 4, high: 5, medium: 3, low: 3, informational: 1, unrated: 4 },
  previousEventsBySeverity: { critical: 0, high: 4, medium: 0, low: 0, informational: 0, unrated: 0 },
  previousEvents: 4,
  previousAlerts: 5,
  reinfections: 1,
  silentAgentAlerts: 1,
  alertsOn: { '2026-11-01': 2, '2026-11-15': 5, '2026-11-30': 3 },
};

export function seededEvents(): SecurityEvent[] {
  const u = UNIT.id;
  const events: SecurityEvent[] = [
    // 1 Nov 00:30 local is 31 Oct 17:30 UTC: November at +07:00.
    av(u, '2026-10-31T17:30:00.000Z', 'pc-01', 'Trojan:Win32/Emotet', 'quarantined'),
    av(u, '2026-11-02T03:00:00.000Z', 'pc-01', 'Trojan:Win32/Emotet', 'quarantined'),
    av(u, '2026-11-03T03:00:00.000Z', 'pc-02', 'Trojan:Win32/Emotet', 'quarantined'),
    av(u, '2026-11-04T03:00:00.000Z', 'pc-06', 'Trojan:Win32/Emotet', 'detected'),
    av(u, '2026-11-05T03:00:00.000Z', 'pc-07', 'Worm:Win32/Ramnit', 'quarantined'),
    av(u, '2026-11-06T03:00:00.000Z', 'pc-07', 'Worm:Win32/Ramnit', 'quarantined'),
    av(u, '2026-11-07T03:00:00.000Z', 'pc-03', 'HEUR:Exploit.MSOffice.Generic', 'blocked'),
    av(u, '2026-11-08T03:00:00.000Z', 'pc-03', 'HEUR:Exploit.MSOffice.Generic', 'blocked'),
    av(u, '2026-11-09T03:00:00.000Z', 'pc-08', 'HEUR:Exploit.MSOffice.Generic', 'blocked'),
    av(u, '2026-11-10T03:00:00.000Z', 'pc-01', 'Virus:Win32/Sality', 'cleaned'),
    av(u, '2026-11-11T03:00:00.000Z', 'pc-01', 'Virus:Win32/Sality', 'cleaned'),
    av(u, '2026-11-12T03:00:00.000Z', 'pc-04', 'Backdoor.Agent', 'deleted'),
    av(u, '2026-11-13T03:00:00.000Z', 'pc-05', 'Ransom:Win32/WannaCry', 'quarantine_failed', 'failure'),
    av(u, '2026-11-30T16:59:59.000Z', 'pc-05', 'Ransom:Win32/WannaCry', 'quarantine_failed'),
  ];
  for (let i = 0; i < 4; i++) {
    events.push(event(u, `2026-11-${String(14 + i).padStart(2, '0')}T02:00:00.000Z`, { event: { id: '', ingested: '', category: ['authentication'], action: 'logon' }, host: { name: 'dc-01' } }));
  }
  // Two IDS alerts, on Suricata's scale (1 most severe, 3 least).
  for (const [day, severity] of [[18, 1], [19, 3]] as const) {
    events.push(event(u, `2026-11-${day}T02:00:00.000Z`, { event: { id: '', ingested: '', module: 'suricata', kind: 'alert', category: ['network'], severity }, host: { name: 'dc-01' } }));
  }
  // Not November at +07:00: 1 Dec 00:00 local (the exclusive end) and 31 Oct 23:59 local.
  events.push(av(u, TO, 'pc-01', 'Trojan:Win32/Emotet', 'quarantined'));
  events.push(av(u, '2026-10-31T16:59:59.000Z', 'pc-01', 'Trojan:Win32/Emotet', 'quarantined'));
  for (let i = 0; i < 3; i++) events.push(av(u, `2026-10-1${i}T03:00:00.000Z`, 'pc-09', 'Trojan:Win32/Emotet', 'blocked'));
  for (let i = 0; i < 7; i++) events.push(av(OTHER.id, `2026-11-1${i}T03:00:00.000Z`, 'kt-01', 'Trojan:Win32/OtherUnitOnly', 'failed', 'failure'));
  return events;
}

export function seededAlerts(): Alert[] {
  const u = UNIT.id;
  return [
    alert(u, 'a-crit-1', 'critical', '2026-11-01T01:00:00.000Z', { host: 'pc-05', history: [[10, 'acknowledged'], [120, 'resolved']] }),
    alert(u, 'a-crit-2', 'critical', '2026-11-01T02:00:00.000Z', { host: 'pc-05', history: [[20, 'in_progress']] }),
    alert(u, 'a-high-1', 'high', '2026-11-15T01:00:00.000Z', { host: 'pc-01', history: [[60, 'acknowledged'], [300, 'false_positive']] }),
    alert(u, 'a-high-2', 'high', '2026-11-15T02:00:00.000Z', { host: 'pc-01' }),
    alert(u, 'a-high-3', 'high', '2026-11-15T03:00:00.000Z', { host: 'pc-01' }),
    alert(u, 'a-med-1', 'medium', '2026-11-15T04:00:00.000Z', { host: 'pc-02' }),
    alert(u, 'a-med-2', 'medium', '2026-11-15T05:00:00.000Z', { host: 'pc-03' }),
    alert(u, 'a-reinfection', 'medium', '2026-11-30T01:00:00.000Z', {
      rule: REINFECTION_RULES[0],
      host: 'pc-07',
      group: { 'host.id': 'pc-07', 'rule.name': 'Worm:Win32/Ramnit' },
    }),
    alert(u, 'a-silent', 'medium', '2026-11-30T02:00:00.000Z', {
      rule: SILENT_AGENT_RULES[0],
      group: { 'organization.id': u, 'agent.id': 'agent-kho-duoc' },
    }),
    alert(u, 'a-low-1', 'low', '2026-11-30T03:00:00.000Z', { host: 'pc-08' }),
    // October (the previous period): 5 alerts.
    ...[1, 2, 3, 4, 5].map((d) => alert(u, `a-oct-${d}`, 'low', `2026-10-1${d}T03:00:00.000Z`, { host: 'pc-09' })),
    // The other unit.
    ...[1, 2, 3].map((d) => alert(OTHER.id, `b-crit-${d}`, 'critical', `2026-11-0${d}T03:00:00.000Z`, { host: 'kt-01', history: [[1, 'acknowledged']] })),
  ];
}

export async function seedMonth(store: Store): Promise<void> {
  await store.writeEvents(seededEvents());
  await store.writeAlerts(seededAlerts());
  await store.refresh();
}

/** Agents as Accounts would list them: one silent since October, one never seen, one seen lately, one in the other unit. */
export const AGENTS: Agent[] = [
  { id: 'agent-kho-duoc', name: 'Kho dược', unit: UNIT, created: '2026-01-01T00:00:00.000Z', rotated: null, revoked: null, lastSeen: '2026-10-20T00:00:00.000Z' },
  { id: 'agent-phong-kham', name: 'Phòng khám', unit: UNIT, created: '2026-01-01T00:00:00.000Z', rotated: null, revoked: null, lastSeen: null },
  { id: 'agent-ke-toan', name: 'Kế toán', unit: UNIT, created: '2026-01-01T00:00:00.000Z', rotated: null, revoked: null, lastSeen: '2026-12-02T00:00:00.000Z' },
  { id: 'agent-new', name: 'Mới', unit: UNIT, created: '2026-12-02T00:00:00.000Z', rotated: null, revoked: null, lastSeen: null },
  { id: 'agent-tc', name: 'Tài chính', unit: OTHER, created: '2026-01-01T00:00:00.000Z', rotated: null, revoked: null, lastSeen: null },
];

export function reportSources(store: Store): ReportSources {
  return {
    store,
    accounts: {
      getUnit: async (id) => [UNIT, OTHER].find((u) => u.id === id) ?? null,
      listAgents: async (scope?: Scope) => AGENTS.filter((a) => !scope || scope.kind === 'all' || scope.units.includes(a.unit.id)),
    },
  };
}
