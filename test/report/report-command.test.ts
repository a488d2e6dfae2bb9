// `vigil report` against an embedded store in a temp data dir: the PDF it writes is the
// seeded month's report for the unit asked, days read as local midnights, and a wrong
// call is answered with what is wrong, not a stack trace.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEmbeddedAccounts } from '../../core/accounts/embedded-accounts.ts';
import { openEmbeddedStore } from '../../core/store/embedded-store.ts';
import { runReportCommand } from '../../bin/report-command.ts';
import { makeTempDir } from '../support/start-vigil.ts';
import { OTHER, UNIT, seedMonth } from './seeded-month.ts';

describe('vigil report', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  const run = async (...args: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runReportCommand(args, { out: (t) => out.push(t), err: (t) => err.push(t) }, env);
    return { code, out: out.join(''), err: err.join('') };
  };

  beforeAll(async () => {
    dir = makeTempDir('vigil-report-cli-');
    env = { VIGIL_DATA_DIR: dir, VIGIL_UTC_OFFSET_MINUTES: '420', VIGIL_LOG_LEVEL: 'silent' };
    const accounts = openEmbeddedAccounts({ dataDir: dir });
    await accounts.createUnit(UNIT);
    await accounts.createUnit(OTHER);
    await accounts.close();
    const store = openEmbeddedStore({ dataDir: dir });
    await seedMonth(store);
    await store.close();
  });

  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes a unit’s report for local days as a PDF', async () => {
    const out = path.join(dir, 'syt.pdf');
    const result = await run('--unit', UNIT.id, '--from', '2026-11-01', '--to', '2026-12-01', '--out', out);
    expect(result).toMatchObject({ code: 0, err: '' });
    expect(result.out).toContain('20 events, 10 alerts, 14 antivirus detections');
    const text = execFileSync('pdftotext', ['-layout', out, '-'], { encoding: 'utf8' });
    expect(text).toContain('Đơn vị: Sở Y tế');
    expect(text).toMatch(/Sự kiện\s+20\s+4/);
  });

  it('writes the whole SOC’s report as JSON', async () => {
    const out = path.join(dir, 'soc.json');
    expect((await run('--soc', '--from', '2026-11-01', '--to', '2026-12-01', '--out', out)).code).toBe(0);
    const report = JSON.parse(fs.readFileSync(out, 'utf8')) as { unit: null; headline: { events: number } };
    expect(report.unit).toBeNull();
    expect(report.headline.events).toBe(27);
  });

  it('says what is wrong with a call', async () => {
    const neither = await run('--out', path.join(dir, 'x.pdf'));
    expect(neither.code).toBe(2);
    expect(neither.err).toContain('--unit <id> or --soc');
    const unknown = await run('--unit', 'no-such-unit', '--from', '2026-11-01', '--to', '2026-12-01', '--out', path.join(dir, 'x.pdf'));
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain('unknown unit "no-such-unit"');
    expect(fs.existsSync(path.join(dir, 'x.pdf'))).toBe(false);
  });
});
