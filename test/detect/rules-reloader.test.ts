// The rules reload policy behind hot reload, the same in every process that detects: a
// change is picked up, a broken file is reported and skipped, and a folder where
// nothing loads never replaces a working rule set. Every change to the set in force is
// told (for the audit log) with the ids added, removed and changed; nothing else is.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../core/log.ts';
import { createMetrics } from '../../core/metrics.ts';
import { MAX_LISTED_IDS, rulesAuditEntry, type RuleSetChange } from '../../detect/rule-set-diff.ts';
import { startRulesReloader, type RulesReloader, type RulesStatus } from '../../detect/rules-reloader.ts';
import { makeTempDir } from '../support/start-vigil.ts';

const FIXTURES = path.join(import.meta.dirname, '..', 'bin', 'fixtures');
const log = createLogger('silent');
let reloader: RulesReloader | undefined;
afterEach(() => reloader?.close());

function copyRules(): string {
  const dir = makeTempDir('vigil-reloader-');
  fs.cpSync(path.join(FIXTURES, 'rules'), dir, { recursive: true });
  return dir;
}

describe('startRulesReloader', () => {
  it('keeps the previous set when nothing in the folder loads, and takes a good set again', () => {
    const dir = copyRules();
    const metrics = createMetrics({ defaultMetrics: false });
    reloader = startRulesReloader({ rulesDir: dir, metrics, log, watch: false });
    const first = reloader.current();
    const count = first.loaded;
    expect(count).toBeGreaterThan(1);
    expect(reloader.status()).toEqual({ loaded: count, errors: [] });

    for (const file of fs.readdirSync(dir)) fs.writeFileSync(path.join(dir, file), 'title: [unclosed\n');
    const refused = reloader.reload();
    expect(reloader.current()).toBe(first);
    expect(refused.loaded).toBe(count);
    expect(refused.errors.length).toBeGreaterThan(0);

    fs.rmSync(dir, { recursive: true });
    fs.cpSync(path.join(FIXTURES, 'broken'), dir, { recursive: true });
    const partial = reloader.reload();
    expect(reloader.current()).not.toBe(first);
    expect(partial.loaded).toBe(1);
    expect(partial.errors.length).toBeGreaterThan(0);
    expect(partial.errors.every((error) => error.includes('bad.yml'))).toBe(true);
  });

  it('reloads on a change in the watched folder and says so', async () => {
    const dir = copyRules();
    let told!: (status: RulesStatus) => void;
    const reloaded = new Promise<RulesStatus>((resolve) => (told = resolve));
    reloader = startRulesReloader({ rulesDir: dir, metrics: createMetrics({ defaultMetrics: false }), log, onReload: told, debounceMs: 50 });
    const count = reloader.current().loaded;
    fs.rmSync(path.join(dir, 'fw-rdp.yml'));
    expect((await reloaded).loaded).toBe(count - 1);
    expect(reloader.current().loaded).toBe(count - 1);
  });

  it('tells each change of the rule set in force: ids added, removed and changed, counts before and after', () => {
    const dir = copyRules();
    const changes: RuleSetChange[] = [];
    reloader = startRulesReloader({ rulesDir: dir, metrics: createMetrics({ defaultMetrics: false }), log, watch: false, onRulesChanged: (c) => changes.push(c) });
    const count = reloader.current().loaded;
    expect(changes).toEqual([]); // the first load is not a change

    const rdp = path.join(dir, 'fw-rdp.yml');
    fs.writeFileSync(rdp, fs.readFileSync(rdp, 'utf8').replace('3389', '3390'));
    fs.writeFileSync(path.join(dir, 'new.yml'), 'title: New\nid: fixture-new\nlogsource:\n  category: firewall\ndetection:\n  s:\n    dst_port: 22\n  condition: s\n');
    fs.rmSync(path.join(dir, 'zeek-smb.yml'));
    reloader.reload();
    expect(changes).toHaveLength(1);
    const change = changes[0]!;
    expect(change.before).toEqual({ loaded: count, errors: 0 });
    expect(change.after).toEqual({ loaded: count, errors: 0 });
    expect(change.added).toEqual({ count: 1, ids: ['fixture-new'] });
    expect(change.changed).toEqual({ count: 1, ids: ['fixture-fw-rdp'] });
    expect(change.removed.count).toBe(1);
    expect(change.rulesDir).toBe(dir);
    expect(rulesAuditEntry(change)).toMatchObject({ actor: 'system', source: null, action: 'rules.reload', target: dir, units: [] });

    // Reformatting (a comment, blank lines) detects the same: no change, no entry.
    fs.writeFileSync(rdp, `# moved down\n\n${fs.readFileSync(rdp, 'utf8')}`);
    reloader.reload();
    expect(changes).toHaveLength(1);

    // A broken file beside working ones is a change (a problem more), with nothing else listed.
    fs.writeFileSync(path.join(dir, 'bad.yml'), 'title: [unclosed\n');
    reloader.reload();
    expect(changes).toHaveLength(2);
    expect(changes[1]).toMatchObject({ before: { loaded: count, errors: 0 }, after: { loaded: count, errors: 1 }, added: { count: 0 }, removed: { count: 0 }, changed: { count: 0 } });

    // A folder where nothing loads is refused: the set in force did not change, nothing is told.
    for (const file of fs.readdirSync(dir)) fs.writeFileSync(path.join(dir, file), 'title: [unclosed\n');
    reloader.reload();
    expect(changes).toHaveLength(2);
  });

  it('lists at most MAX_LISTED_IDS ids of a kind, with the exact count', () => {
    const dir = makeTempDir('vigil-reloader-many-');
    const changes: RuleSetChange[] = [];
    reloader = startRulesReloader({ rulesDir: dir, metrics: createMetrics({ defaultMetrics: false }), log, watch: false, onRulesChanged: (c) => changes.push(c) });
    const total = MAX_LISTED_IDS + 5;
    const docs = Array.from({ length: total }, (_, i) => `title: R${i}\nid: many-${String(i).padStart(4, '0')}\nlogsource:\n  category: firewall\ndetection:\n  s:\n    dst_port: ${i}\n  condition: s\n`);
    fs.writeFileSync(path.join(dir, 'many.yml'), docs.join('---\n'));
    reloader.reload();
    expect(changes[0]!.added.count).toBe(total);
    expect(changes[0]!.added.ids).toHaveLength(MAX_LISTED_IDS);
    expect(changes[0]!.added.ids[0]).toBe('many-0000');
    expect(changes[0]!.after.loaded).toBe(total);
  });
});
