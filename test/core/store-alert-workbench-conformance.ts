// Store conformance, the alert workbench's part: sorting by every column in both
// directions with stable keyset pages, the workbench filters (unit, tactic, assignee,
// text) and group counts. Called from runStoreConformance, so every adapter runs it.
import { beforeEach, describe, expect, it } from 'vitest';
import { BadInputError } from '../../core/errors.ts';
import { ALL_UNITS, type Scope } from '../../core/ports/scope.ts';
import { alertSortFields, type AlertQuery, type AlertSort, type Page, type Store } from '../../core/ports/store.ts';
import { alertStatuses, severities, type Alert, type AlertStatus, type Severity } from '../../core/schemas/alert.ts';

const BASE_MS = Date.parse('2024-06-01T00:00:00.000Z');
const at = (minutes: number) => new Date(BASE_MS + minutes * 60_000).toISOString();

const rules = [
  { id: 'r-mimikatz', title: 'Mimikatz credential dumping', tactics: ['credential-access'] },
  { id: 'r-macro', title: 'Office macro downloader', tactics: ['execution', 'initial-access'] },
  { id: 'r-ransom', title: 'Ransomware signature', tactics: ['impact'] },
  { id: 'r-scan', title: 'Network scan', tactics: ['discovery'] },
];
const units = [
  { id: 'unit-a', name: 'Alpha department' },
  { id: 'unit-b', name: 'Bravo commune' },
  { id: 'unit-c', name: 'Charlie school' },
];
const hosts: Alert['host'][] = [{ id: 'h1', name: 'ws-01' }, { name: 'ws-02' }, { id: 'srv-db-id' }, {}, { id: 'h5', name: 'PC-KETOAN' }];
const assignees = [null, 'lan', 'minh', null, 'hoa'];
const signatures = ['Trojan.Agent', undefined, 'W97M.Downloader', undefined, undefined, 'Ransom.Lockbit'];

/** 30 varied alerts; some share last_seen, so ties fall to the id. */
function workbenchAlerts(): Alert[] {
  const alerts: Alert[] = [];
  for (let i = 0; i < 30; i++) {
    const rule = rules[i % rules.length]!;
    const unit = units[i % units.length]!;
    const host = hosts[i % hosts.length]!;
    const severity: Severity = severities[(i * 7) % severities.length]!;
    const status: AlertStatus = alertStatuses[(i * 3) % alertStatuses.length]!;
    const signature = signatures[i % signatures.length];
    const seen = at(Math.floor(i / 2) * 10);
    alerts.push({
      id: `w${String((i * 17) % 30).padStart(2, '0')}`,
      rule: { id: rule.id, title: rule.title, level: severity, tags: [], kind: 'match' },
      severity,
      status,
      assignee: assignees[i % assignees.length] ?? null,
      organization: unit,
      host,
      group: { 'organization.id': unit.id, ...(signature === undefined ? {} : { 'rule.name': signature }) },
      first_seen: at(-5),
      last_seen: seen,
      count: 1 + ((i * 13) % 11),
      event_ids: [],
      attack: { tactics: rule.tactics, techniques: [] },
      notes: [],
      history: [],
      created: at(-5),
      updated: seen,
    });
  }
  return alerts;
}

/** The documented order of each sort, as a reference the adapters must agree with. */
function sortKey(alert: Alert, field: AlertSort['field']): string | number {
  switch (field) {
    case 'time':
      return Date.parse(alert.last_seen);
    case 'severity':
      return severities.indexOf(alert.severity);
    case 'status':
      return alertStatuses.indexOf(alert.status);
    case 'rule':
      return alert.rule.title;
    case 'host':
      return alert.host.name ?? alert.host.id ?? '';
    case 'unit':
      return alert.organization.name;
    case 'assignee':
      return alert.assignee ?? '';
    case 'count':
      return alert.count;
  }
}

function compare(a: string | number, b: string | number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function expectedOrder(alerts: Alert[], sort: AlertSort): string[] {
  const sign = sort.direction === 'asc' ? 1 : -1;
  return [...alerts]
    .sort((x, y) => {
      const primary = sign * compare(sortKey(x, sort.field), sortKey(y, sort.field));
      if (primary !== 0) return primary;
      // Time sorts tie by id in the same direction; other sorts by newest, then id, descending.
      const tieSign = sort.field === 'time' ? sign : -1;
      return tieSign * compare(x.last_seen, y.last_seen) || tieSign * compare(x.id, y.id);
    })
    .map((a) => a.id);
}

async function allIds(store: Store, query: Omit<AlertQuery, 'cursor'>, scope: Scope = ALL_UNITS): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let cursor: string | undefined;
  for (let pages = 1; pages < 1000; pages++) {
    const page: Page<Alert> = await store.searchAlerts({ ...query, ...(cursor === undefined ? {} : { cursor }) }, scope);
    ids.push(...page.items.map((a) => a.id));
    if (page.next === null) return { ids, pages };
    cursor = page.next;
  }
  throw new Error('paging never ended');
}

export function runAlertWorkbenchConformance(getStore: () => Store): void {
  describe('alert workbench', () => {
    const alerts = workbenchAlerts();

    beforeEach(async () => {
      const store = getStore();
      await store.writeAlerts(alerts);
      await store.refresh();
    });

    for (const field of alertSortFields) {
      for (const direction of ['asc', 'desc'] as const) {
        it(`sorts by ${field} ${direction}, every alert exactly once across pages`, async () => {
          const sort = { field, direction };
          const { ids, pages } = await allIds(getStore(), { sort, limit: 7 });
          expect(ids).toEqual(expectedOrder(alerts, sort));
          expect(pages).toBe(5);
        });
      }
    }

    it('sorts a filtered list and pages it the same way', async () => {
      const sort: AlertSort = { field: 'severity', direction: 'desc' };
      const { ids } = await allIds(getStore(), { sort, status: ['new', 'acknowledged'], limit: 2 });
      const open = alerts.filter((a) => a.status === 'new' || a.status === 'acknowledged');
      expect(ids).toEqual(expectedOrder(open, sort));
    });

    it('refuses a paging token of another sort order, or of nothing', async () => {
      const store = getStore();
      const first = await store.searchAlerts({ sort: { field: 'count', direction: 'desc' }, limit: 5 }, ALL_UNITS);
      expect(first.next).not.toBeNull();
      await expect(store.searchAlerts({ sort: { field: 'count', direction: 'asc' }, limit: 5, cursor: first.next! }, ALL_UNITS)).rejects.toBeInstanceOf(BadInputError);
      await expect(store.searchAlerts({ limit: 5, cursor: first.next! }, ALL_UNITS)).rejects.toBeInstanceOf(BadInputError);
      await expect(store.searchAlerts({ limit: 5, cursor: 'bm90IGEgdG9rZW4' }, ALL_UNITS)).rejects.toBeInstanceOf(BadInputError);
    });

    it('filters by unit, tactic, assignee (or unassigned) and text in the title, rule or host', async () => {
      const store = getStore();
      const ids = async (query: Partial<AlertQuery>) => (await allIds(store, { limit: 100, ...query })).ids.sort();
      const expectIds = (pick: (a: Alert) => boolean) => alerts.filter(pick).map((a) => a.id).sort();
      expect(await ids({ unit: 'unit-b' })).toEqual(expectIds((a) => a.organization.id === 'unit-b'));
      expect(await ids({ tactic: 'initial-access' })).toEqual(expectIds((a) => a.rule.id === 'r-macro'));
      expect(await ids({ assignee: 'lan' })).toEqual(expectIds((a) => a.assignee === 'lan'));
      expect(await ids({ assignee: null })).toEqual(expectIds((a) => a.assignee === null));
      // Case-insensitive substrings of the title, the rule id, the host name or id.
      expect(await ids({ text: 'MIMIKATZ' })).toEqual(expectIds((a) => a.rule.id === 'r-mimikatz'));
      expect(await ids({ text: 'macro down' })).toEqual(expectIds((a) => a.rule.id === 'r-macro'));
      expect(await ids({ text: 'r-scan' })).toEqual(expectIds((a) => a.rule.id === 'r-scan'));
      expect(await ids({ text: 'ketoan' })).toEqual(expectIds((a) => a.host.name === 'PC-KETOAN'));
      expect(await ids({ text: 'srv-db' })).toEqual(expectIds((a) => a.host.id === 'srv-db-id'));
      expect(await ids({ text: 'no such thing *' })).toEqual([]);
      expect(await ids({ unit: 'unit-a', assignee: 'minh', tactic: 'credential-access' })).toEqual(
        expectIds((a) => a.organization.id === 'unit-a' && a.assignee === 'minh' && a.rule.id === 'r-mimikatz'),
      );
      // A unit-scoped caller asking for another unit's alerts gets none.
      expect((await allIds(store, { limit: 100, unit: 'unit-a' }, { kind: 'units', units: ['unit-b'] })).ids).toEqual([]);
    });

    it('counts alerts by rule, host, unit, threat, severity and status, largest first, with readable labels', async () => {
      const store = getStore();
      const counted = (key: (a: Alert) => string | null, among = alerts) => {
        const counts = new Map<string | null, number>();
        for (const a of among) counts.set(key(a), (counts.get(key(a)) ?? 0) + 1);
        return counts;
      };
      const check = async (by: Parameters<Store['groupAlerts']>[1], key: (a: Alert) => string | null) => {
        const answer = await store.groupAlerts({}, by, ALL_UNITS);
        expect(answer.total).toBe(alerts.length);
        expect(new Map(answer.groups.map((g) => [g.key, g.count]))).toEqual(counted(key));
        const sizes = answer.groups.map((g) => g.count);
        expect(sizes).toEqual([...sizes].sort((x, y) => y - x));
        return answer;
      };
      const byRule = await check('rule', (a) => a.rule.id);
      expect(byRule.groups.find((g) => g.key === 'r-macro')?.label).toBe('Office macro downloader');
      await check('host', (a) => a.host.name ?? a.host.id ?? null);
      const byUnit = await check('unit', (a) => a.organization.id);
      expect(byUnit.groups.find((g) => g.key === 'unit-c')?.label).toBe('Charlie school');
      const byThreat = await check('threat', (a) => a.group['rule.name'] ?? null);
      expect(byThreat.groups.find((g) => g.key === 'Ransom.Lockbit')?.label).toBe('Ransom.Lockbit');
      await check('severity', (a) => a.severity);
      await check('status', (a) => a.status);

      // Filtered and scoped: the counters of open alerts of one unit.
      const open: AlertStatus[] = ['new', 'acknowledged', 'in_progress'];
      const scoped = await store.groupAlerts({ status: open }, 'severity', { kind: 'units', units: ['unit-a'] });
      const expected = counted((a) => a.severity, alerts.filter((a) => a.organization.id === 'unit-a' && open.includes(a.status)));
      expect(new Map(scoped.groups.map((g) => [g.key, g.count]))).toEqual(expected);
      expect(await store.groupAlerts({}, 'rule', { kind: 'units', units: [] })).toEqual({ groups: [], total: 0 });
    });

    it('groups single-event alerts by their own signature (alert.threat) and correlations by the grouped one', async () => {
      const store = getStore();
      const base = alerts[0]!;
      const worm = (id: string, change: Partial<Alert>): Alert => ({
        ...base,
        id,
        rule: { ...base.rule, id: 'r-worm', title: 'Worm on a PC' },
        group: { 'organization.id': base.organization.id },
        ...change,
      });
      await store.writeAlerts([
        worm('worm-1', { threat: 'Worm:Win32/Conficker.B' }),
        worm('worm-2', { threat: 'Worm:Win32/Conficker.B', host: { id: 'h9', name: 'PC-9' } }),
        worm('worm-3', { rule: { ...base.rule, id: 'r-worm', title: 'Worm spreading', kind: 'correlation' }, group: { 'rule.name': 'Worm:Win32/Conficker.B' } }),
        worm('worm-4', {}),
      ]);
      await store.refresh();
      const answer = await store.groupAlerts({ rule: 'r-worm' }, 'threat', ALL_UNITS);
      expect(answer.total).toBe(4);
      expect(answer.groups).toEqual([
        { key: 'Worm:Win32/Conficker.B', label: 'Worm:Win32/Conficker.B', count: 3 },
        { key: null, label: expect.any(String), count: 1 },
      ]);
      // The signature is part of the alert as stored and read back.
      expect((await store.getAlert('worm-1', ALL_UNITS))?.threat).toBe('Worm:Win32/Conficker.B');
    });
  });

  describe('alert histogram', () => {
    const alerts = workbenchAlerts();

    beforeEach(async () => {
      const store = getStore();
      await store.writeAlerts(alerts);
      await store.refresh();
    });

    /** The reference: alerts counted per bucket of `bucketMs` from `from`, by severity. */
    const expectedBuckets = (among: Alert[], from: string, bucketMs: number) => {
      const buckets = new Map<string, Partial<Record<Severity, number>>>();
      for (const a of among) {
        const start = new Date(Date.parse(from) + Math.floor((Date.parse(a.last_seen) - Date.parse(from)) / bucketMs) * bucketMs).toISOString();
        const counts = buckets.get(start) ?? {};
        counts[a.severity] = (counts[a.severity] ?? 0) + 1;
        buckets.set(start, counts);
      }
      return [...buckets.entries()].sort(([x], [y]) => compare(x, y)).map(([start, bySeverity]) => ({ start, bySeverity }));
    };

    it('counts the filtered alerts per time bucket and severity, on a nice interval, in the caller\u2019s scope', async () => {
      const store = getStore();
      // 150 minutes in about 15 bars: 10-minute buckets from `from`.
      const all = await store.alertHistogram({ from: at(0), to: at(150), buckets: 15 }, ALL_UNITS);
      expect(all).toMatchObject({ from: at(0), to: at(150), bucketMs: 600_000, total: alerts.length });
      expect(all.buckets).toEqual(expectedBuckets(alerts, at(0), 600_000));

      // The list's filters apply (severity, unit, text…), and the scope.
      const critical = await store.alertHistogram({ from: at(0), to: at(150), buckets: 15, severity: ['critical', 'high'], text: 'macro' }, ALL_UNITS);
      const wanted = alerts.filter((a) => (a.severity === 'critical' || a.severity === 'high') && a.rule.id === 'r-macro');
      expect(wanted.length).toBeGreaterThan(0);
      expect(critical.buckets).toEqual(expectedBuckets(wanted, at(0), 600_000));
      const unitB = await store.alertHistogram({ from: at(0), to: at(150), buckets: 15 }, { kind: 'units', units: ['unit-b'] });
      expect(unitB.buckets).toEqual(expectedBuckets(alerts.filter((a) => a.organization.id === 'unit-b'), at(0), 600_000));
      const none = await store.alertHistogram({ from: at(0), to: at(150), buckets: 15 }, { kind: 'units', units: [] });
      expect(none).toMatchObject({ buckets: [], total: 0 });

      // A narrower range: 30 minutes in about 10 bars is 5-minute buckets, alerts outside left out.
      const narrow = await store.alertHistogram({ from: at(20), to: at(50), buckets: 10 }, ALL_UNITS);
      const inside = alerts.filter((a) => a.last_seen >= at(20) && a.last_seen < at(50));
      expect(narrow).toMatchObject({ bucketMs: 300_000, total: inside.length });
      expect(narrow.buckets).toEqual(expectedBuckets(inside, at(20), 300_000));

      // An alert between bucket edges counts in the bucket it falls in, which starts on an edge.
      const odd: Alert = { ...alerts[0]!, id: 'odd-time', last_seen: new Date(Date.parse(at(31)) + 7_500).toISOString() };
      await store.writeAlerts([odd]);
      await store.refresh();
      const minutes = await store.alertHistogram({ from: at(30), to: at(40), buckets: 10, text: 'mimikatz' }, ALL_UNITS);
      const mimikatz = [...alerts, odd].filter((a) => a.rule.id === 'r-mimikatz' && a.last_seen >= at(30) && a.last_seen < at(40));
      expect(minutes.bucketMs).toBe(60_000);
      expect(minutes.buckets).toEqual(expectedBuckets(mimikatz, at(30), 60_000));
      expect(minutes.buckets.map((b) => b.start)).toContain(at(31));
    });

    it('takes an open lower bound from the earliest matching alert, rounded down to a whole bucket', async () => {
      const store = getStore();
      const answer = await store.alertHistogram({ to: at(145), buckets: 15, unit: 'unit-c' }, ALL_UNITS);
      const unitC = alerts.filter((a) => a.organization.id === 'unit-c');
      const earliest = unitC.map((a) => a.last_seen).sort()[0]!;
      expect(answer.bucketMs).toBe(600_000);
      expect(answer.from).toBe(new Date(Math.floor(Date.parse(earliest) / 600_000) * 600_000).toISOString());
      expect(answer.total).toBe(unitC.length);
      expect(answer.buckets).toEqual(expectedBuckets(unitC, answer.from, 600_000));
    });
  });

  describe('alert paging with no cap', () => {
    it('reaches the last of 2,300 alerts through pages of 1,000', async () => {
      const store = getStore();
      const many: Alert[] = Array.from({ length: 2300 }, (_, i) => ({
        ...workbenchAlerts()[i % 30]!,
        id: `bulk-${String(i).padStart(5, '0')}`,
        last_seen: at(i),
        updated: at(i),
      }));
      for (let i = 0; i < many.length; i += 500) await store.writeAlerts(many.slice(i, i + 500));
      await store.refresh();
      const { ids, pages } = await allIds(store, { limit: 1000 });
      expect(pages).toBe(3);
      expect(ids).toHaveLength(2300);
      expect(ids.at(-1)).toBe('bulk-00000');
      expect(new Set(ids).size).toBe(2300);
      const bySeverity = await allIds(store, { limit: 1000, sort: { field: 'severity', direction: 'asc' } });
      expect(bySeverity.ids).toEqual(expectedOrder(many, { field: 'severity', direction: 'asc' }));
    });
  });
}
