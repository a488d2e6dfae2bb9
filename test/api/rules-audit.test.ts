// Rule changes in the audit log, end to end: a running `vigil start` watches a temp rules
// folder; editing, adding and removing rule files there is recorded as one
// `rules.reload` entry by `system` (no request, so no source address) naming the rule
// ids that changed. A SOC-wide admin reads it through GET /api/v1/audit; the entry
// concerns no unit, so a unit-scoped admin never sees it. Distributed, `vigil detect`
// records it, and `vigil api` serves it.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../core/accounts/accounts.ts';
import { eventually, makeTempDir, signIn, startVigil, startVigilProcess, type VigilProcess } from '../support/start-vigil.ts';

const FIXTURES = path.join(import.meta.dirname, '..', 'bin', 'fixtures', 'rules');

interface AuditPage {
  items: AuditEntry[];
}

describe('rule changes in the audit log (vigil start)', () => {
  let vigil: VigilProcess;
  let rulesDir: string;
  let socAdmin: string;
  let unitAdmin: string;

  beforeAll(async () => {
    rulesDir = makeTempDir('vigil-rules-audit-');
    fs.cpSync(FIXTURES, rulesDir, { recursive: true });
    vigil = await startVigil({ env: { VIGIL_RULES_DIR: rulesDir } });
    socAdmin = await signIn(vigil.url, 'admin', vigil.adminPassword);
    const created = await fetch(`${vigil.url}/api/v1/users`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Cookie: socAdmin },
      body: JSON.stringify({ username: 'unit-admin', password: 'unit-admin-password-1', role: 'admin', units: [vigil.unit] }),
    });
    expect(created.status, await created.text()).toBe(201);
    unitAdmin = await signIn(vigil.url, 'unit-admin', 'unit-admin-password-1');
  }, 90_000);
  afterAll(async () => {
    await vigil?.stop();
  });

  const rulesEntries = async (cookie: string): Promise<AuditEntry[]> => {
    const res = await fetch(`${vigil.url}/api/v1/audit?action=rules.reload`, { headers: { Cookie: cookie } });
    expect(res.status).toBe(200);
    return ((await res.json()) as AuditPage).items;
  };

  it('records a rule edit, addition and removal as system entries that only SOC-wide admins read', async () => {
    expect(await rulesEntries(socAdmin)).toEqual([]);
    const before = (await (await fetch(`${vigil.url}/api/v1/rules`, { headers: { Cookie: socAdmin } })).json()) as { loaded: number };

    // Written into a staging folder and moved in, so the watcher sees whole files at once.
    const rdp = path.join(rulesDir, 'fw-rdp.yml');
    const staged = makeTempDir('vigil-rules-staged-');
    fs.writeFileSync(path.join(staged, 'fw-rdp.yml'), fs.readFileSync(rdp, 'utf8').replace('3389', '3390'));
    fs.writeFileSync(
      path.join(staged, 'ssh.yml'),
      'title: SSH allowed\nid: fixture-ssh\nlogsource:\n  category: firewall\ndetection:\n  s:\n    dst_port: 22\n  condition: s\n',
    );
    fs.renameSync(path.join(staged, 'fw-rdp.yml'), rdp);
    fs.renameSync(path.join(staged, 'ssh.yml'), path.join(rulesDir, 'ssh.yml'));
    fs.rmSync(path.join(rulesDir, 'zeek-smb.yml'));

    // The watcher debounces the three writes; a slow machine may still split them into
    // two reloads, so read the newest entry once it says the SSH rule came.
    const entries = await eventually(async () => {
      const items = await rulesEntries(socAdmin);
      const added = new Set(items.flatMap((e) => (e.after as { added: { ids: string[] } }).added.ids));
      return added.has('fixture-ssh') && items.some((e) => (e.after as { removed: { count: number } }).removed.count > 0) ? items : undefined;
    }, 20_000);
    const entry = entries[0]!;
    expect(entry).toMatchObject({ actor: 'system', source: null, action: 'rules.reload', target: rulesDir, units: [] });
    const merged = {
      added: entries.flatMap((e) => (e.after as { added: { ids: string[] } }).added.ids),
      removed: entries.flatMap((e) => (e.after as { removed: { ids: string[] } }).removed.ids),
      changed: entries.flatMap((e) => (e.after as { changed: { ids: string[] } }).changed.ids),
    };
    expect(merged.added).toContain('fixture-ssh');
    expect(merged.changed).toContain('fixture-fw-rdp');
    expect(merged.removed).toHaveLength(1);
    expect(entries.at(-1)!.before).toEqual({ loaded: before.loaded, errors: 0 });
    expect(entry.after).toMatchObject({ loaded: before.loaded, errors: 0 });

    expect(await rulesEntries(unitAdmin)).toEqual([]);
    const unfiltered = await fetch(`${vigil.url}/api/v1/audit`, { headers: { Cookie: unitAdmin } });
    expect(((await unfiltered.json()) as AuditPage).items.map((e) => e.action)).not.toContain('rules.reload');
  }, 60_000);
});

describe('rule changes in the audit log (vigil detect, read through vigil api)', () => {
  const running: VigilProcess[] = [];
  afterAll(async () => {
    await Promise.all(running.map((process) => process.stop()));
  });

  it('records the removal of a rule file in the shared accounts', async () => {
    const rulesDir = makeTempDir('vigil-rules-audit-detect-');
    fs.cpSync(FIXTURES, rulesDir, { recursive: true });
    const dataDir = makeTempDir('vigil-rules-audit-data-');
    const env = { VIGIL_RULES_DIR: rulesDir };
    // api first: it creates the admin the test signs in as.
    const api = await startVigilProcess('api', { dataDir, env });
    running.push(api);
    running.push(await startVigilProcess('detect', { dataDir, env }));
    const cookie = await signIn(api.url, 'admin', api.adminPassword);

    fs.rmSync(path.join(rulesDir, 'fw-rdp.yml'));
    const entry = await eventually(async () => {
      const res = await fetch(`${api.url}/api/v1/audit?action=rules.reload`, { headers: { Cookie: cookie } });
      return ((await res.json()) as AuditPage).items[0];
    }, 20_000);
    expect(entry).toMatchObject({
      actor: 'system',
      source: null,
      target: rulesDir,
      units: [],
      after: { removed: { count: 1, ids: ['fixture-fw-rdp'] }, added: { count: 0, ids: [] }, changed: { count: 0, ids: [] } },
    });
  }, 90_000);
});
