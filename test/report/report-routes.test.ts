// GET /api/v1/reports through the real API (embedded Accounts and Store): a unit IT
// officer gets their own unit's report and nothing of another unit's, only SOC-wide
// users get the whole SOC's, and the PDF download is a PDF of that report.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../core/report/build-report.ts';
import { makeTempDir } from '../support/start-vigil.ts';
import { startApiHarness, type ApiHarness } from '../api/api-harness.ts';
import { EXPECTED, FROM, OTHER, TO, UNIT, seedMonth } from './seeded-month.ts';

const PERIOD = `from=${encodeURIComponent(FROM)}&to=${encodeURIComponent(TO)}`;

describe('GET /api/v1/reports', () => {
  let api: ApiHarness;
  let officer: string;
  let socViewer: string;

  beforeAll(async () => {
    api = await startApiHarness();
    await api.accounts.createUnit(UNIT);
    await api.accounts.createUnit(OTHER);
    await seedMonth(api.store);
    officer = await api.userWithSession({ username: 'it.syt', role: 'viewer', units: [UNIT.id] });
    socViewer = await api.userWithSession({ username: 'soc.viewer', role: 'viewer', units: 'all' });
  });

  afterAll(async () => {
    await api.close();
  });

  it('gives a unit officer their own unit’s report, with none of another unit’s data', async () => {
    const res = await api.request('GET', `/api/v1/reports?unit=${UNIT.id}&${PERIOD}`, { cookie: officer });
    expect(res.statusCode).toBe(200);
    const report = res.json() as Report;
    expect(report.unit).toEqual(UNIT);
    expect(report.headline.events).toBe(EXPECTED.events);
    expect(report.headline.alerts).toBe(EXPECTED.alerts);
    expect(report.antivirus).toEqual(EXPECTED.antivirus);
    expect(res.body).not.toContain('OtherUnitOnly');
    expect(res.body).not.toContain('kt-01');
  });

  it('refuses a unit officer another unit’s report and the whole SOC’s', async () => {
    const other = await api.request('GET', `/api/v1/reports?unit=${OTHER.id}&${PERIOD}`, { cookie: officer });
    expect(other.statusCode).toBe(404);
    expect(other.body).not.toContain('OtherUnitOnly');
    const soc = await api.request('GET', `/api/v1/reports?${PERIOD}`, { cookie: officer });
    expect(soc.statusCode).toBe(403);
    const anonymous = await api.request('GET', `/api/v1/reports?unit=${UNIT.id}&${PERIOD}`);
    expect(anonymous.statusCode).toBe(401);
  });

  it('gives a SOC-wide user the whole SOC’s report and any unit’s', async () => {
    const soc = await api.request('GET', `/api/v1/reports?${PERIOD}`, { cookie: socViewer });
    expect(soc.statusCode).toBe(200);
    expect((soc.json() as Report).headline.events).toBe(EXPECTED.events + 7);
    const other = await api.request('GET', `/api/v1/reports?unit=${OTHER.id}&${PERIOD}`, { cookie: socViewer });
    expect((other.json() as Report).figures.threats.map((t) => t.name)).toEqual(['Trojan:Win32/OtherUnitOnly']);
    const unknown = await api.request('GET', `/api/v1/reports?unit=no-such-unit&${PERIOD}`, { cookie: socViewer });
    expect(unknown.statusCode).toBe(404);
  });

  it('downloads the report as a PDF in the language asked', async () => {
    const res = await api.request('GET', `/api/v1/reports?unit=${UNIT.id}&${PERIOD}&format=pdf&lang=en`, { cookie: officer });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe('attachment; filename="vigil-report-so-y-te-2026-11.pdf"');
    const dir = makeTempDir('vigil-report-api-');
    const file = path.join(dir, 'report.pdf');
    fs.writeFileSync(file, res.rawPayload);
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    fs.rmSync(dir, { recursive: true, force: true });
    expect(text).toContain('Unit: Sở Y tế');
    expect(text).toMatch(/Events\s+20\s+4\s+\+400%/);
  });

  it('names what is wrong with a bad request', async () => {
    const lang = await api.request('GET', `/api/v1/reports?unit=${UNIT.id}&${PERIOD}&lang=fr`, { cookie: officer });
    expect(lang.statusCode).toBe(400);
    expect(lang.body).toContain('lang');
    const half = await api.request('GET', `/api/v1/reports?unit=${UNIT.id}&from=${encodeURIComponent(FROM)}`, { cookie: officer });
    expect(half.statusCode).toBe(400);
    const backwards = await api.request('GET', `/api/v1/reports?unit=${UNIT.id}&from=${encodeURIComponent(TO)}&to=${encodeURIComponent(FROM)}`, { cookie: officer });
    expect(backwards.statusCode).toBe(400);
  });
});
