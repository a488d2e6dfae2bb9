// The Store conformance suite: what a user of any Store adapter can count on, run
// unchanged against each adapter (embedded SQLite, OpenSearch, Elasticsearch). It
// asserts only what core/ports/store.ts and the query language promise: no exact
// totals beyond 10,000, no tie order the port leaves open. Reads after writes follow
// Store.refresh(), the port's visibility promise, never a sleep.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NotFoundError, BadInputError } from '../../core/errors.ts';
import { ALL_UNITS, type Scope } from '../../core/ports/scope.ts';
import type { AlertQuery, EventQuery, Page, Store } from '../../core/ports/store.ts';
import type { Alert, AlertStatus, Severity } from '../../core/schemas/alert.ts';
import type { SecurityEvent } from '../../core/schemas/event.ts';
import { runAlertWorkbenchConformance } from './store-alert-workbench-conformance.ts';
import { runReportFiguresConformance } from './store-report-conformance.ts';
import { runEventQueryConformance } from './store-event-query-conformance.ts';
import { runAlertTrendConformance } from './store-alert-trend-conformance.ts';
import { runRuleHitsConformance } from './store-rule-hits-conformance.ts';

export interface StoreConformanceOptions {
  /** A fresh, empty store; `cleanup` closes it and removes what it created. */
  create: () => Promise<{ store: Store; cleanup: () => Promise<void> }>;
  /** Why this adapter cannot run here; the suite is then skipped, loudly. */
  skip?: string;
}

const BASE_MS = Date.parse('2024-05-01T00:00:00.000Z');

/** The ISO time `minutes` after the suite's base time. */
function at(minutes: number): string {
  return new Date(BASE_MS + minutes * 60_000).toISOString();
}

function unitScope(...units: string[]): Scope {
  return { kind: 'units', units };
}

type EventOverrides = Omit<Partial<SecurityEvent>, 'event'> & { event?: Partial<SecurityEvent['event']> };

function makeEvent(id: string, minute: number, unit: string, hostName: string, overrides: EventOverrides = {}): SecurityEvent {
  const { event, ...rest } = overrides;
  return {
    '@timestamp': at(minute),
    event: { id, ingested: at(minute + 0.5), kind: 'event', category: ['malware'], action: 'detected', ...event },
    organization: { id: unit, name: `Unit ${unit}` },
    host: { id: `${hostName}-id`, name: hostName },
    agent: { id: `agent-${hostName}`, type: 'endpoint' },
    ...rest,
  };
}

interface AlertSpec {
  id: string;
  unit: string;
  rule: string;
  severity: Severity;
  status?: AlertStatus;
  host: { id?: string; name?: string };
  lastSeen: number;
  count?: number;
}

function makeAlert(spec: AlertSpec): Alert {
  return {
    id: spec.id,
    rule: { id: spec.rule, title: `Title of ${spec.rule}`, level: spec.severity, tags: ['attack.t1003'], kind: 'match' },
    severity: spec.severity,
    status: spec.status ?? 'new',
    assignee: null,
    organization: { id: spec.unit, name: `Unit ${spec.unit}` },
    host: spec.host,
    group: { 'host.name': spec.host.name ?? spec.host.id ?? '' },
    first_seen: at(spec.lastSeen - 5),
    last_seen: at(spec.lastSeen),
    count: spec.count ?? 1,
    event_ids: [`${spec.id}-event`],
    attack: { tactics: ['credential_access'], techniques: ['T1003'] },
    notes: [],
    history: [],
    created: at(spec.lastSeen - 5),
    updated: at(spec.lastSeen),
  };
}

// A small, varied world: three units, malware, network and login events, a Vietnamese
// host and user name (the users' language), arrays, nested fields, mixed case.
const e1 = makeEvent('e1', 0, 'unit-a', 'ws-01', {
  event: { category: ['malware', 'file'] },
  file: { name: 'invoice.pdf.exe', hash: { sha256: 'AB12CD34EF56' } },
  rule: { name: 'Trojan.GenericKD.123' },
  process: { command_line: 'powershell.exe -enc SQBFAFgA' },
  message: 'Invoke-Mimikatz detected on WS-01',
});
const e2 = makeEvent('e2', 1, 'unit-a', 'ws-02', {
  event: { category: ['network'], action: 'blocked' },
  destination: { ip: '10.0.0.5', port: 4444 },
  network: { direction: '--', transport: 'tcp' },
  message: 'outbound connection blocked',
});
const e3 = makeEvent('e3', 2, 'unit-b', 'srv-db', {
  event: { action: 'quarantined' },
  file: { name: 'report.docx' },
  rule: { name: 'W97M.Downloader' },
  message: 'macro downloader quarantined',
});
const e4 = makeEvent('e4', 3, 'unit-b', 'PC-KẾTOÁN', {
  event: { category: ['authentication'], outcome: 'failure', action: 'logon-failed' },
  user: { name: 'NGUYỄN VĂN AN' },
  message: 'Đăng nhập thất bại',
});
const e5 = makeEvent('e5', 4, 'unit-c', 'ws-03', {
  event: { category: ['process'], action: 'started' },
  process: { name: 'mimikatz.exe', elevated: true },
  message: 'credential dumping tool started',
});
const allEvents = [e1, e2, e3, e4, e5];

const a1 = makeAlert({ id: 'a1', unit: 'unit-a', rule: 'r-mimikatz', severity: 'critical', host: { id: 'ws-01-id', name: 'ws-01' }, lastSeen: 10 });
const a2 = makeAlert({ id: 'a2', unit: 'unit-a', rule: 'r-macro', severity: 'high', status: 'acknowledged', host: { name: 'ws-02' }, lastSeen: 20 });
const a3 = makeAlert({ id: 'a3', unit: 'unit-b', rule: 'r-mimikatz', severity: 'critical', status: 'resolved', host: { id: 'srv-db-id', name: 'srv-db' }, lastSeen: 30 });
const a4 = makeAlert({ id: 'a4', unit: 'unit-b', rule: 'r-bruteforce', severity: 'medium', host: { id: 'h-004' }, lastSeen: 40 });
const a5 = makeAlert({ id: 'a5', unit: 'unit-c', rule: 'r-macro', severity: 'low', status: 'false_positive', host: { name: 'ws-01' }, lastSeen: 50 });
const a6 = makeAlert({ id: 'a6', unit: 'unit-a', rule: 'r-macro', severity: 'high', host: { id: 'ws-01-id', name: 'ws-01' }, lastSeen: 55 });
const allAlerts = [a1, a2, a3, a4, a5, a6];

function eventIds(page: Page<SecurityEvent> | SecurityEvent[]): string[] {
  return (Array.isArray(page) ? page : page.items).map((event) => event.event.id);
}

function alertIds(page: Page<Alert>): string[] {
  return page.items.map((alert) => alert.id);
}

/** Follows `next` to the end, returning every page. */
async function allPages<T>(search: (cursor: string | undefined) => Promise<Page<T>>): Promise<Page<T>[]> {
  const pages: Page<T>[] = [];
  let cursor: string | undefined;
  for (let guard = 0; guard < 1000; guard++) {
    const page = await search(cursor);
    pages.push(page);
    if (page.next === null) return pages;
    cursor = page.next;
  }
  throw new Error('paging never ended');
}

/** Zero counts may be present or absent; compare only the non-zero ones. */
function nonZero(counts: Partial<Record<string, number>>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).filter((entry): entry is [string, number] => (entry[1] ?? 0) > 0));
}

export function runStoreConformance(name: string, options: StoreConformanceOptions): void {
  const suite = options.skip === undefined ? describe : describe.skip;
  if (options.skip !== undefined) {
    console.warn(`\n!!! Store conformance for ${name} is SKIPPED: ${options.skip} !!!\n`);
  }

  suite(`Store conformance: ${name}`, () => {
    let store: Store;
    let cleanup: () => Promise<void>;

    beforeEach(async () => {
      ({ store, cleanup } = await options.create());
    });
    afterEach(async () => {
      await cleanup();
    });

    const search = (q: string, scope: Scope = ALL_UNITS, extra: Partial<EventQuery> = {}) =>
      store.searchEvents({ q, limit: 100, ...extra }, scope);
    const searchAlerts = (query: Partial<AlertQuery>, scope: Scope = ALL_UNITS) =>
      store.searchAlerts({ limit: 100, ...query }, scope);

    describe('events', () => {
      it('stores an event written twice, or replayed in a later batch, once', async () => {
        await store.writeEvents([e1, e2, e1]);
        await store.refresh();
        await store.writeEvents([e1, e2, e3]);
        await store.refresh();
        await store.writeEvents([e3]);
        await store.refresh();
        const page = await search('');
        expect(eventIds(page)).toEqual(['e3', 'e2', 'e1']);
        expect(page.total).toBe(3);
        expect(page.totalIsExact).toBe(true);
        expect(eventIds(await search('mimikatz'))).toEqual(['e1']);
      });

      it('gives events back as they were written', async () => {
        await store.writeEvents(allEvents);
        await store.refresh();
        expect(await store.getEvents(['e4', 'e1'], ALL_UNITS)).toEqual([e4, e1]);
      });

      it('getEvents returns the known ids newest first and ignores unknown ones', async () => {
        await store.writeEvents(allEvents);
        await store.refresh();
        expect(eventIds(await store.getEvents(['e1', 'missing', 'e5', 'e3'], ALL_UNITS))).toEqual(['e5', 'e3', 'e1']);
        expect(await store.getEvents([], ALL_UNITS)).toEqual([]);
      });

      it('keeps two units\u2019 events that share an event.id and @timestamp apart: neither hides the other', async () => {
        // unit-b sends unit-a's next event id and time first; unit-a's event must still be kept and shown as unit-a sent it.
        const forged = makeEvent('shared-id', 7, 'unit-b', 'ws-forged', { message: 'forged by unit b' });
        const real = makeEvent('shared-id', 7, 'unit-a', 'ws-real', { message: 'detection in unit a' });
        await store.writeEvents([forged]);
        await store.refresh();
        await store.writeEvents([real, forged]);
        await store.refresh();
        const both = await search('event.id:shared-id');
        expect(both.items.map((e) => `${e.organization.id}: ${e.message}`).sort()).toEqual(['unit-a: detection in unit a', 'unit-b: forged by unit b']);
        expect(await store.getEvents(['shared-id'], unitScope('unit-a'))).toEqual([real]);
        const oneByOne = await allPages((cursor) => store.searchEvents({ q: 'event.id:shared-id', limit: 1, ...(cursor ? { cursor } : {}) }, ALL_UNITS));
        expect(oneByOne.flatMap((page) => page.items.map((e) => e.organization.id)).sort()).toEqual(['unit-a', 'unit-b']);
      });

      it('answers searches, lookups and stats on a store nothing was written to yet', async () => {
        expect(await search('host.name:ws-01 mimikatz')).toEqual({ items: [], total: 0, totalIsExact: true, next: null });
        expect(await store.getEvents(['e1'], ALL_UNITS)).toEqual([]);
        expect((await searchAlerts({})).items).toEqual([]);
        expect(await store.stats({}, ALL_UNITS)).toMatchObject({ events: 0, alerts: 0, topRules: [], topHosts: [] });
      });

      it('lists everything newest first when q is empty', async () => {
        await store.writeEvents([e3, e1, e5, e2, e4]);
        await store.refresh();
        const page = await search('');
        expect(eventIds(page)).toEqual(['e5', 'e4', 'e3', 'e2', 'e1']);
        expect(page.next).toBeNull();
        expect(eventIds(await store.searchEvents({ limit: 10 }, ALL_UNITS))).toHaveLength(5);
      });

      it('matches field:value exactly and case-insensitively', async () => {
        await store.writeEvents(allEvents);
        await store.refresh();
        expect(eventIds(await search('host.name:ws-01'))).toEqual(['e1']);
        expect(eventIds(await search('host.name:WS-01'))).toEqual(['e1']);
        expect(eventIds(await search('host.name:ws'))).toEqual([]);
        expect(eventIds(await search('file.hash.sha256:ab12cd34ef56'))).toEqual(['e1']);
        expect(eventIds(await search('event.action:QUARANTINED'))).toEqual(['e3']);
        expect(eventIds(await search('organization.id:unit-b'))).toEqual(['e4', 'e3']);
        expect(eventIds(await search('no.such.field:x'))).toEqual([]);
      });

      it('matches case-insensitively beyond ASCII (Vietnamese names)', async () => {
        await store.writeEvents(allEvents);
        await store.refresh();
        expect(eventIds(await search('user.name:"nguyễn văn an"'))).toEqual(['e4']);
        expect(eventIds(await search('host.name:pc-kếtoán'))).toEqual(['e4']);
      });

      it('matches * wildcards anywhere in a value, quoted or not', async () => {
        await store.writeEvents(allEvents);
        await store.refresh();
        expect(eventIds(await search('file.name:*.exe'))).toEqual(['e1']);
        expect(eventIds(await search('host.name:WS-*'))).toEqual(['e5', 'e2', 'e1']);
        expect(eventIds(await search('rule.name:*downloader'))).toEqual(['e3']);
        expect(eventIds(await search('process.command_line:"powershell.exe -enc *"'))).toEqual(['e1']);
        expect(eventIds(await search('host.name:*'))).toEqual(['e5', 'e4', 'e3', 'e2', 'e1']);
        // Other pattern syntaxes are plain characters.
        expect(eventIds(await search('file.name:invoice?pdf*'))).toEqual([]);
      });

      it('matches wildcards that cut through words', async () => {
        await store.writeEvents(allEvents);
        await store.refresh();
        expect(eventIds(await search('rule.name:*nloader'))).toEqual(['e3']);
        expect(eventIds(await search('file.name:*voice.pdf*'))).toEqual(['e1']);
        expect(eventIds(await search('host.name:*s-0*'))).toEqual(['e5', 'e2', 'e1']);
        expect(eventIds(await search('file.hash.sha256:ab12*'))).toEqual(['e1']);
        expect(eventIds(await search('file.hash.sha256:ab12'))).toEqual([]);
        expect(eventIds(await search('process.command_line:*-enc*'))).toEqual(['e1']);
        expect(eventIds(await search('user.name:*văn*'))).toEqual(['e4']);
      });

      it('matches numbers, booleans and values without letters by their text', async () => {
        await store.writeEvents(allEvents);
        await store.refresh();
        expect(eventIds(await search('destination.port:4444'))).toEqual(['e2']);
        expect(eventIds(await search('process.elevated:true'))).toEqual(['e5']);
        expect(eventIds(await search('network.direction:--'))).toEqual(['e2']);
        expect(eventIds(await search('destination.ip:10.0.0.5'))).toEqual(['e2']);
      });

      it('matches an array field when any element matches', async () => {
        await store.writeEvents(allEvents);
        await store.refresh();
        expect(eventIds(await search('event.category:malware'))).toEqual(['e3', 'e1']);
        expect(eventIds(await search('event.category:FILE'))).toEqual(['e1']);
        expect(eventIds(await search('event.category:net*'))).toEqual(['e2']);
      });

      it('ANDs terms', async () => {
        await store.writeEvents(allEvents);
        await store.refresh();
        expect(eventIds(await search('event.category:malware host.name:ws-01'))).toEqual(['e1']);
        expect(eventIds(await search('event.category:malware host.name:ws-02'))).toEqual([]);
        expect(eventIds(await search('host.name:ws-* mimikatz'))).toEqual(['e5', 'e1']);
      });

      it('finds free text words and quoted phrases in any field', async () => {
        await store.writeEvents(allEvents);
        await store.refresh();
        expect(eventIds(await search('mimikatz'))).toEqual(['e5', 'e1']);
        expect(eventIds(await search('MIMIKATZ dumping'))).toEqual(['e5']);
        expect(eventIds(await search('"downloader quarantined"'))).toEqual(['e3']);
        expect(eventIds(await search('"quarantined downloader"'))).toEqual([]);
        expect(eventIds(await search('10.0.0.5'))).toEqual(['e2']);
        expect(eventIds(await search('nhập'))).toEqual(['e4']);
        expect(eventIds(await search('nosuchword'))).toEqual([]);
      });

      it('treats search syntax characters in free text as text, not operators', async () => {
        await store.writeEvents(allEvents);
        await store.refresh();
        expect(eventIds(await search('invoke-mimikatz'))).toEqual(['e1']);
        // The language's own operators (AND, OR, NOT, parentheses) are tested in store-event-query-conformance.ts.
        for (const q of ['NEAR(mimikatz', 'mimikatz^', '"NOT"', 'a or', '"AND"', '"("', '{x}', '"mimikatz \\"x"', 'mimi*']) {
          await expect(search(q), q).resolves.toMatchObject({ items: expect.any(Array) });
        }
      });

      it('rejects a malformed q or cursor as bad input', async () => {
        await store.writeEvents(allEvents);
        await store.refresh();
        await expect(search('host.name:"ws-01')).rejects.toBeInstanceOf(BadInputError);
        await expect(search(':ws-01')).rejects.toBeInstanceOf(BadInputError);
        await expect(search('', ALL_UNITS, { cursor: 'not-a-token' })).rejects.toBeInstanceOf(BadInputError);
      });

      it('filters by time range, from inclusive and to exclusive, in any offset', async () => {
        await store.writeEvents(allEvents);
        await store.refresh();
        expect(eventIds(await search('', ALL_UNITS, { from: at(1), to: at(3) }))).toEqual(['e3', 'e2']);
        expect(eventIds(await search('', ALL_UNITS, { from: at(3) }))).toEqual(['e5', 'e4']);
        expect(eventIds(await search('', ALL_UNITS, { to: at(1) }))).toEqual(['e1']);
        // 07:01 at +07:00 is 00:01Z, the time of e2.
        expect(eventIds(await search('', ALL_UNITS, { from: '2024-05-01T07:01:00+07:00', to: '2024-05-01T07:02:00+07:00' }))).toEqual(['e2']);
        expect(eventIds(await search('mimikatz', ALL_UNITS, { from: at(2) }))).toEqual(['e5']);
      });

      it('pages through every matching event exactly once, newest first', async () => {
        // 5 events share each timestamp, so paging must break ties consistently.
        const many = Array.from({ length: 25 }, (_, i) =>
          makeEvent(`p${String(i).padStart(2, '0')}`, Math.floor(i / 5), i % 2 === 0 ? 'unit-a' : 'unit-b', `ws-${i % 3}`),
        );
        await store.writeEvents(many);
        await store.refresh();
        const pages = await allPages((cursor) => search('', ALL_UNITS, { limit: 7, cursor }));
        expect(pages.map((p) => p.items.length)).toEqual([7, 7, 7, 4]);
        for (const page of pages) {
          expect(page.total).toBe(25);
          expect(page.totalIsExact).toBe(true);
        }
        const seen = pages.flatMap((p) => p.items);
        expect(new Set(eventIds(seen)).size).toBe(25);
        expect(eventIds(seen).sort()).toEqual(eventIds(many).sort());
        const times = seen.map((event) => Date.parse(event['@timestamp']));
        expect(times).toEqual([...times].sort((x, y) => y - x));

        const filtered = await allPages((cursor) => search('organization.id:unit-a', ALL_UNITS, { limit: 4, cursor }));
        const filteredIds = filtered.flatMap((p) => eventIds(p));
        expect(filteredIds.sort()).toEqual(eventIds(many.filter((e) => e.organization.id === 'unit-a')).sort());
        expect(filtered[0]?.total).toBe(13);
      });

      it('ends with next: null when the results fit one page', async () => {
        await store.writeEvents(allEvents);
        await store.refresh();
        const page = await search('', ALL_UNITS, { limit: 5 });
        expect(page.items).toHaveLength(5);
        expect(page.next).toBeNull();
        expect(await search('nosuchword')).toEqual({ items: [], total: 0, totalIsExact: true, next: null });
      });
    });

    describe('unit scope', () => {
      beforeEach(async () => {
        await store.writeEvents(allEvents);
        await store.refresh();
        await store.writeAlerts(allAlerts);
        await store.refresh();
      });

      it('shows a unit-scoped caller only its units\u2019 events', async () => {
        const b = unitScope('unit-b');
        const page = await search('', b);
        expect(eventIds(page)).toEqual(['e4', 'e3']);
        expect(page.total).toBe(2);
        expect(eventIds(await search('mimikatz', b))).toEqual([]);
        expect(eventIds(await search('host.name:ws-01', b))).toEqual([]);
        expect(eventIds(await store.getEvents(['e1', 'e2', 'e3', 'e4', 'e5'], b))).toEqual(['e4', 'e3']);
        expect(eventIds(await search('', unitScope('unit-a', 'unit-c')))).toEqual(['e5', 'e2', 'e1']);
      });

      it('shows a unit-scoped caller only its units\u2019 alerts', async () => {
        const b = unitScope('unit-b');
        expect(alertIds(await searchAlerts({}, b))).toEqual(['a4', 'a3']);
        expect(alertIds(await searchAlerts({ rule: 'r-macro' }, b))).toEqual([]);
        expect(await store.getAlert('a1', b)).toBeNull();
        expect((await store.getAlert('a3', b))?.id).toBe('a3');
      });

      it('refuses to update another unit\u2019s alert as if it did not exist, and leaves it unchanged', async () => {
        const b = unitScope('unit-b');
        const attempt = store.updateAlert('a1', { status: 'resolved', note: 'not mine' }, { username: 'mallory' }, b);
        await expect(attempt).rejects.toBeInstanceOf(NotFoundError);
        const missing = store.updateAlert('no-such-alert', { status: 'resolved' }, { username: 'mallory' }, b);
        await expect(missing).rejects.toBeInstanceOf(NotFoundError);
        expect(await store.getAlert('a1', ALL_UNITS)).toEqual(a1);
      });

      it('counts only the caller\u2019s units in stats', async () => {
        const stats = await store.stats({}, unitScope('unit-b'));
        expect(stats.events).toBe(2);
        expect(stats.alerts).toBe(2);
        expect(nonZero(stats.alertsByStatus)).toEqual({ resolved: 1, new: 1 });
        expect(nonZero(stats.alertsBySeverity)).toEqual({ critical: 1, medium: 1 });
        expect(stats.topRules.map((r) => r.rule).sort()).toEqual(['r-bruteforce', 'r-mimikatz']);
        expect(stats.topHosts.map((h) => h.unit)).toEqual(['unit-b', 'unit-b']);
      });

      it('shows nothing to a caller with an empty unit list', async () => {
        const none = unitScope();
        expect(await search('', none)).toMatchObject({ items: [], total: 0, next: null });
        expect((await searchAlerts({}, none)).items).toEqual([]);
        expect(await store.getEvents(['e1', 'e3'], none)).toEqual([]);
        expect(await store.getAlert('a1', none)).toBeNull();
        await expect(store.updateAlert('a1', { status: 'resolved' }, { username: 'x' }, none)).rejects.toBeInstanceOf(NotFoundError);
        const stats = await store.stats({}, none);
        expect(stats.events).toBe(0);
        expect(stats.alerts).toBe(0);
        expect(stats.topRules).toEqual([]);
        expect(stats.topHosts).toEqual([]);
      });
    });

    runAlertWorkbenchConformance(() => store);
    runReportFiguresConformance(() => store);
    runEventQueryConformance(() => store);
    runAlertTrendConformance(() => store);
    runRuleHitsConformance(() => store);

    describe('alerts', () => {
      it('gives an alert back as it was written, and stores one written twice once', async () => {
        expect(await store.writeAlerts([a1, a2])).toEqual([a1, a2]);
        expect(await store.writeAlerts([a1, a2])).toEqual([a1, a2]);
        expect(await store.writeAlerts([])).toEqual([]);
        await store.refresh();
        expect(await store.getAlert('a1', ALL_UNITS)).toEqual(a1);
        const page = await searchAlerts({});
        expect(alertIds(page)).toEqual(['a2', 'a1']);
        expect(page.total).toBe(2);
        expect(await store.getAlert('missing', ALL_UNITS)).toBeNull();
      });

      it('keeps an analyst\u2019s status, assignee, notes and history when detect updates the alert', async () => {
        await store.writeAlerts([a1]);
        await store.refresh();
        const triaged = await store.updateAlert(
          'a1',
          { status: 'in_progress', assignee: 'lan', note: 'isolating the host' },
          { username: 'lan' },
          ALL_UNITS,
        );
        const repeat: Alert = { ...a1, count: 7, last_seen: at(90), updated: at(90), severity: 'high', event_ids: ['x', 'y'], created: at(89) };
        const answered = await store.writeAlerts([repeat]);
        await store.refresh();

        const stored = await store.getAlert('a1', ALL_UNITS);
        // What detect publishes (the answer) is what a console reads back.
        expect(answered).toEqual([stored]);
        expect(stored).toMatchObject({
          count: 7,
          last_seen: at(90),
          severity: 'high',
          event_ids: ['x', 'y'],
          status: 'in_progress',
          assignee: 'lan',
          created: a1.created,
        });
        expect(stored?.notes).toEqual(triaged.notes);
        expect(stored?.history).toEqual(triaged.history);
        // The new last_seen is what the console sorts and filters by.
        expect(alertIds(await searchAlerts({ from: at(60) }))).toEqual(['a1']);
        expect(alertIds(await searchAlerts({ status: ['in_progress'] }))).toEqual(['a1']);
      });

      it('records who changed what, when, from what to what', async () => {
        await store.writeAlerts([a1]);
        await store.refresh();
        const before = Date.now();
        const acked = await store.updateAlert('a1', { status: 'acknowledged' }, { username: 'minh' }, ALL_UNITS);
        const assigned = await store.updateAlert('a1', { assignee: 'minh' }, { username: 'minh' }, ALL_UNITS);
        const noted = await store.updateAlert('a1', { note: 'false alarm? checking' }, { username: 'hoa' }, unitScope('unit-a'));
        const resolved = await store.updateAlert('a1', { status: 'resolved', assignee: null }, { username: 'hoa' }, ALL_UNITS);
        const after = Date.now();

        expect(acked.status).toBe('acknowledged');
        expect(assigned.assignee).toBe('minh');
        expect(resolved.history).toMatchObject([
          { actor: 'minh', field: 'status', from: 'new', to: 'acknowledged' },
          { actor: 'minh', field: 'assignee', from: null, to: 'minh' },
          { actor: 'hoa', field: 'note', from: null, to: 'false alarm? checking' },
          { actor: 'hoa', field: 'status', from: 'acknowledged', to: 'resolved' },
          { actor: 'hoa', field: 'assignee', from: 'minh', to: null },
        ]);
        expect(noted.notes).toMatchObject([{ author: 'hoa', text: 'false alarm? checking' }]);
        for (const entry of [...resolved.history, ...resolved.notes]) {
          const ms = Date.parse(entry.at);
          expect(ms).toBeGreaterThanOrEqual(before);
          expect(ms).toBeLessThanOrEqual(after);
        }
        expect(Date.parse(resolved.updated)).toBeGreaterThanOrEqual(before);
        expect(resolved).toMatchObject({ status: 'resolved', assignee: null });
        expect(await store.getAlert('a1', ALL_UNITS)).toEqual(resolved);
      });

      it('filters alerts by status, severity, rule, host and last-seen range, most recent first', async () => {
        await store.writeAlerts(allAlerts);
        await store.refresh();
        expect(alertIds(await searchAlerts({}))).toEqual(['a6', 'a5', 'a4', 'a3', 'a2', 'a1']);
        expect(alertIds(await searchAlerts({ status: ['new'] }))).toEqual(['a6', 'a4', 'a1']);
        expect(alertIds(await searchAlerts({ status: ['new', 'resolved'] }))).toEqual(['a6', 'a4', 'a3', 'a1']);
        expect(alertIds(await searchAlerts({ severity: ['critical'] }))).toEqual(['a3', 'a1']);
        expect(alertIds(await searchAlerts({ severity: ['high', 'low'] }))).toEqual(['a6', 'a5', 'a2']);
        expect(alertIds(await searchAlerts({ rule: 'r-macro' }))).toEqual(['a6', 'a5', 'a2']);
        expect(alertIds(await searchAlerts({ host: 'ws-01' }))).toEqual(['a6', 'a5', 'a1']);
        expect(alertIds(await searchAlerts({ host: 'ws-01-id' }))).toEqual(['a6', 'a1']);
        expect(alertIds(await searchAlerts({ host: 'h-004' }))).toEqual(['a4']);
        expect(alertIds(await searchAlerts({ from: at(20), to: at(50) }))).toEqual(['a4', 'a3', 'a2']);
        expect(alertIds(await searchAlerts({ rule: 'r-mimikatz', status: ['new'] }))).toEqual(['a1']);
        const filtered = await searchAlerts({ severity: ['critical'] });
        expect(filtered.total).toBe(2);
        expect(filtered.totalIsExact).toBe(true);
      });

      it('pages through every matching alert exactly once', async () => {
        await store.writeAlerts(allAlerts);
        await store.refresh();
        const pages = await allPages((cursor) => searchAlerts({ limit: 4, cursor }));
        expect(pages.map((p) => alertIds(p))).toEqual([['a6', 'a5', 'a4', 'a3'], ['a2', 'a1']]);
        expect(pages[0]?.total).toBe(6);
        await expect(searchAlerts({ cursor: '%%%' })).rejects.toBeInstanceOf(BadInputError);
      });
    });

    describe('stats', () => {
      beforeEach(async () => {
        await store.writeEvents(allEvents);
        await store.refresh();
        await store.writeAlerts(allAlerts);
        await store.refresh();
      });

      it('counts what was written', async () => {
        const stats = await store.stats({}, ALL_UNITS);
        expect(stats.events).toBe(5);
        expect(stats.alerts).toBe(6);
        expect(nonZero(stats.alertsByStatus)).toEqual({ new: 3, acknowledged: 1, resolved: 1, false_positive: 1 });
        expect(nonZero(stats.alertsBySeverity)).toEqual({ critical: 2, high: 2, medium: 1, low: 1 });
        expect(stats.topRules).toEqual([
          { rule: 'r-macro', title: 'Title of r-macro', count: 3 },
          { rule: 'r-mimikatz', title: 'Title of r-mimikatz', count: 2 },
          { rule: 'r-bruteforce', title: 'Title of r-bruteforce', count: 1 },
        ]);
        expect(stats.topHosts[0]).toEqual({ host: 'ws-01', unit: 'unit-a', count: 2 });
        expect(stats.topHosts.slice(1)).toHaveLength(4);
        expect(stats.topHosts.slice(1)).toEqual(
          expect.arrayContaining([
            { host: 'ws-02', unit: 'unit-a', count: 1 },
            { host: 'srv-db', unit: 'unit-b', count: 1 },
            { host: 'h-004', unit: 'unit-b', count: 1 },
            { host: 'ws-01', unit: 'unit-c', count: 1 },
          ]),
        );
      });

      it('counts only the time range, from inclusive and to exclusive', async () => {
        const stats = await store.stats({ from: at(3), to: at(40) }, ALL_UNITS);
        expect(stats.events).toBe(2);
        expect(stats.alerts).toBe(3);
        expect(nonZero(stats.alertsByStatus)).toEqual({ new: 1, acknowledged: 1, resolved: 1 });
        expect(stats.topRules.map((r) => [r.rule, r.count])).toEqual([
          ['r-mimikatz', 2],
          ['r-macro', 1],
        ]);
      });

      it('keeps at most 10 top rules and hosts, largest first', async () => {
        const extra = Array.from({ length: 12 }, (_, i) =>
          makeAlert({ id: `x${i}`, unit: 'unit-a', rule: `r-x${i}`, severity: 'low', host: { name: `h-x${i}` }, lastSeen: 60 + i }),
        );
        await store.writeAlerts(extra);
        await store.refresh();
        const stats = await store.stats({}, ALL_UNITS);
        expect(stats.topRules).toHaveLength(10);
        expect(stats.topRules.slice(0, 2).map((r) => r.rule)).toEqual(['r-macro', 'r-mimikatz']);
        expect(stats.topHosts).toHaveLength(10);
        expect(stats.topHosts[0]).toMatchObject({ host: 'ws-01', unit: 'unit-a', count: 2 });
      });
    });
  });
}
