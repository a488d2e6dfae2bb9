// A report for a seeded month (test/report/seeded-month.ts) over the real embedded
// store: every figure is checked against the seeded data, a unit's report holds only
// that unit's data, and the PDF's text (pdftotext, as a reader would copy it) carries
// the figures with Vietnamese diacritics intact, in Vietnamese and in English.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_UNITS } from '../../core/ports/scope.ts';
import type { Store } from '../../core/ports/store.ts';
import { buildReport, type Report } from '../../core/report/build-report.ts';
import { renderReportPdf } from '../../core/report/render-report-pdf.ts';
import { openEmbeddedStore } from '../../core/store/embedded-store.ts';
import { makeTempDir } from '../support/start-vigil.ts';
import { EXPECTED, FROM, OFFSET, OTHER, TO, UNIT, reportSources, seedMonth } from './seeded-month.ts';

describe('monthly unit report', () => {
  let dir: string;
  let store: Store;
  let report: Report;

  beforeAll(async () => {
    dir = makeTempDir('vigil-report-');
    store = openEmbeddedStore({ dataDir: dir });
    await seedMonth(store);
    report = await buildReport(reportSources(store), { unit: UNIT.id, from: FROM, to: TO, utcOffsetMinutes: OFFSET }, ALL_UNITS);
  });

  afterAll(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('counts the month’s events and alerts by severity and day, in local days', () => {
    expect(report.headline.events).toBe(EXPECTED.events);
    expect(report.headline.alerts).toBe(EXPECTED.alerts);
    expect(report.figures.alertsBySeverity).toEqual(EXPECTED.bySeverity);
    expect(report.figures.alertsPerDay).toEqual(EXPECTED.alertsOn);
    expect(report.headline.urgentAlerts).toBe(5);
  });

  it('reads events by the severity their source gave them, beside the period before', () => {
    expect(report.figures.eventSeverities).toEqual(EXPECTED.eventSeverities);
    expect(report.eventsBySeverity).toEqual(EXPECTED.eventsBySeverity);
    expect(report.previousEventsBySeverity).toEqual(EXPECTED.previousEventsBySeverity);
  });

  it('counts antivirus detections by action and names the top threat families', () => {
    expect(report.antivirus).toEqual(EXPECTED.antivirus);
    expect(report.headline.detections).toBe(14);
    expect(report.headline.failed).toBe(2);
    expect(report.figures.threats[0]).toEqual(EXPECTED.topThreat);
    expect(report.figures.threats.map((t) => t.name)).toEqual([
      'Trojan:Win32/Emotet',
      'HEUR:Exploit.MSOffice.Generic',
      'Ransom:Win32/WannaCry',
      'Virus:Win32/Sality',
      'Worm:Win32/Ramnit',
      'Backdoor.Agent',
    ]);
  });

  it('takes mean times to acknowledge and resolve from the alerts’ history, against the targets', () => {
    expect(report.headline.mttaMs).toBe(EXPECTED.mttaMs);
    expect(report.headline.mttrMs).toBe(EXPECTED.mttrMs);
    const critical = report.triage.find((t) => t.severity === 'critical');
    expect(critical).toMatchObject({ alerts: 2, acknowledged: 2, resolved: 1, mttaMs: EXPECTED.criticalMttaMs, mttrMs: EXPECTED.criticalMttrMs });
    // Default targets: critical 15 min / 4 h: both met.
    expect(critical?.acknowledgeMet).toBe(true);
    expect(critical?.resolveMet).toBe(true);
    const high = report.triage.find((t) => t.severity === 'high');
    // 60 min against 30 min; 5 h against 8 h.
    expect(high).toMatchObject({ mttaMs: 60 * 60_000, acknowledgeMet: false, mttrMs: 300 * 60_000, resolveMet: true });
    expect(report.triage.find((t) => t.severity === 'low')).toMatchObject({ alerts: 1, mttaMs: null, acknowledgeMet: null });
  });

  it('lists reinfections, silent agents and the most affected hosts', () => {
    expect(report.figures.reinfections).toEqual({
      count: 1,
      items: [{ host: 'pc-07', unit: UNIT.id, threat: 'Worm:Win32/Ramnit', lastSeen: '2026-11-30T01:00:00.000Z' }],
    });
    expect(report.figures.silentAgentAlerts.items).toEqual([{ agent: 'agent-kho-duoc', unit: UNIT.id, lastSeen: '2026-11-30T02:00:00.000Z' }]);
    expect(report.silentAgents.map((a) => a.id)).toEqual(['agent-phong-kham', 'agent-kho-duoc']);
    expect(report.figures.hosts.slice(0, 2)).toEqual([
      { host: 'pc-01', unit: UNIT.id, alerts: 3 },
      { host: 'pc-05', unit: UNIT.id, alerts: 2 },
    ]);
  });

  it('compares with the previous period of the same length', () => {
    expect(report.previous).toEqual({ from: '2026-10-01T17:00:00.000Z', to: FROM });
    expect(report.previousHeadline.events).toBe(EXPECTED.previousEvents);
    expect(report.previousHeadline.alerts).toBe(EXPECTED.previousAlerts);
  });

  it('holds nothing of another unit, and the SOC report holds both', async () => {
    const names = report.figures.threats.map((t) => t.name);
    expect(names).not.toContain('Trojan:Win32/OtherUnitOnly');
    expect(report.figures.hosts.map((h) => h.host)).not.toContain('kt-01');
    expect(report.silentAgents.map((a) => a.unit)).toEqual([UNIT.id, UNIT.id]);
    const soc = await buildReport(reportSources(store), { unit: null, from: FROM, to: TO, utcOffsetMinutes: OFFSET }, ALL_UNITS);
    expect(soc.headline.events).toBe(EXPECTED.events + 7);
    expect(soc.headline.alerts).toBe(EXPECTED.alerts + 3);
    expect(soc.antivirus.failed).toBe(2 + 7);
    // A caller who may see only the other unit cannot read so-y-te's report.
    await expect(
      buildReport(reportSources(store), { unit: UNIT.id, from: FROM, to: TO, utcOffsetMinutes: OFFSET }, { kind: 'units', units: [OTHER.id] }),
    ).rejects.toMatchObject({ status: 404 });
  });

  it('prints a PDF whose text carries the figures and Vietnamese diacritics intact', async () => {
    const file = path.join(dir, 'report-vi.pdf');
    fs.writeFileSync(file, await renderReportPdf(report, 'vi'));
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    for (const phrase of ['Báo cáo giám sát an toàn thông tin', 'Đơn vị: Sở Y tế', 'Mức độ', 'Nghiêm trọng', 'Đã cách ly', 'Xử lý thất bại', 'Tái nhiễm', 'Kỳ báo cáo: 01/11/2026 – 30/11/2026']) {
      expect(text).toContain(phrase);
    }
    expect(text).toMatch(/Sự kiện\s+20\s+4\s+\+400%/);
    expect(text).toMatch(/Cảnh báo\s+10\s+5\s+\+100%/);
    // Events by severity: a level neither period had says "—", not 0%.
    expect(text).toContain('Sự kiện theo mức độ');
    expect(text).toMatch(/Nghiêm trọng\s+4\s+0\s+mới/);
    expect(text).toMatch(/Cao\s+5\s+4\s+\+25%/);
    expect(text).toMatch(/Chưa phân mức\s+4\s+0/);
    expect(text).toMatch(/Thời gian tiếp nhận trung bình \(MTTA\)\s+30 phút/);
    expect(text).toMatch(/Thời gian xử lý trung bình \(MTTR\)\s+3 giờ 30 phút/);
    expect(text).toMatch(/Trojan:Win32\/Emotet\s+4\s+3/);
    expect(text).toContain('Kho dược (agent-kho-duoc)');
    expect(text).not.toContain('OtherUnitOnly');
  });

  it('prints the same report in English', async () => {
    const file = path.join(dir, 'report-en.pdf');
    fs.writeFileSync(file, await renderReportPdf(report, 'en'));
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    expect(text).toContain('Security monitoring report');
    expect(text).toContain('Unit: Sở Y tế');
    expect(text).toContain('Period: 2026-11-01 – 2026-11-30');
    expect(text).toMatch(/Mean time to resolve \(MTTR\)\s+3 h 30 min/);
    expect(text).toMatch(/Quarantined\s+5/);
    expect(text).toMatch(/Informational\s+1\s+0\s+new/);
    // Another unit whose events carry no severity: levels empty in both periods say "—", not 0%.
    const other = await buildReport(reportSources(store), { unit: OTHER.id, from: FROM, to: TO, utcOffsetMinutes: OFFSET }, ALL_UNITS);
    const otherFile = path.join(dir, 'report-other-en.pdf');
    fs.writeFileSync(otherFile, await renderReportPdf(other, 'en'));
    const otherText = execFileSync('pdftotext', ['-layout', otherFile, '-'], { encoding: 'utf8' });
    expect(otherText).toMatch(/Medium\s+0\s+0\s+—/);
    expect(otherText).toMatch(/Unrated\s+7\s+0\s+new/);
    expect(otherText).toMatch(/Reinfections\s+0\s+0\s+—/);
    expect(otherText).not.toContain('0%');
    expect(text).toMatch(/Medium\s+3\s+0\s+new/);
  });
});
