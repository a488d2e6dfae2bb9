// The monthly reports by email, against a real SMTP server started here: each unit's
// recipients get their own unit's report for the previous month as a PDF, the SOC's
// list gets the whole SOC's, nobody else gets anything; the schedule fires at 07:00 on
// the 1st in the SOC's local time; a bad recipients file is named.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../core/log.ts';
import { smtpMailer } from '../../core/mail/smtp-mailer.ts';
import type { Store } from '../../core/ports/store.ts';
import { DEFAULT_TRIAGE_TARGETS } from '../../core/report/triage-targets.ts';
import { openEmbeddedStore } from '../../core/store/embedded-store.ts';
import { loadRecipients } from '../../report/recipients.ts';
import { scheduleReports } from '../../report/report-schedule.ts';
import { sendMonthlyReports } from '../../report/send-monthly-reports.ts';
import { startSmtpReceiver, type SmtpReceiver } from '../notify/receivers.ts';
import { makeTempDir } from '../support/start-vigil.ts';
import { OFFSET, UNIT, reportSources, seedMonth } from './seeded-month.ts';

/** The attachment of a raw MIME message, decoded from base64. */
function attachment(raw: string): Buffer {
  const part = raw.split(/Content-Type: application\/pdf/i)[1] ?? '';
  const body = part.split(/\r?\n\r?\n/)[1] ?? '';
  return Buffer.from(body.split(/\r?\n--/)[0]!.replace(/\s+/g, ''), 'base64');
}

describe('monthly reports by email', () => {
  let dir: string;
  let store: Store;
  let smtp: SmtpReceiver;

  beforeAll(async () => {
    dir = makeTempDir('vigil-report-mail-');
    store = openEmbeddedStore({ dataDir: dir });
    await seedMonth(store);
    smtp = await startSmtpReceiver();
  });

  afterAll(async () => {
    await store.close();
    await smtp.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('mails each unit its own report and the SOC the whole SOC’s', async () => {
    const file = path.join(dir, 'report-recipients.yml');
    fs.writeFileSync(file, 'soc: { to: [soc@tinh.gov.vn], lang: en }\nunits:\n  so-y-te: { to: [it@soyte.gov.vn, gd@soyte.gov.vn] }\n');
    const mailer = smtpMailer({ url: smtp.url, from: 'vigil@tinh.gov.vn' }, 10_000);
    const result = await sendMonthlyReports({
      sources: reportSources(store),
      mailer,
      recipients: loadRecipients(file),
      utcOffsetMinutes: OFFSET,
      targets: DEFAULT_TRIAGE_TARGETS,
      log: createLogger('silent'),
      // 1 Dec 2026 07:00 at +07:00: the run that reports November.
      now: Date.parse('2026-12-01T00:00:00Z'),
    });
    mailer.close();
    expect(result).toEqual({ sent: ['so-y-te', 'soc'], failed: [] });
    expect(smtp.mails.map((m) => m.to)).toEqual([['it@soyte.gov.vn', 'gd@soyte.gov.vn'], ['soc@tinh.gov.vn']]);
    const [unitMail, socMail] = smtp.mails;
    expect(unitMail?.raw).toContain('vigil-report-so-y-te-2026-11.pdf');
    const pdf = path.join(dir, 'mailed.pdf');
    fs.writeFileSync(pdf, attachment(unitMail?.raw ?? ''));
    const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
    expect(text).toContain(`Đơn vị: ${UNIT.name}`);
    expect(text).toMatch(/Sự kiện\s+20\s+4/);
    expect(text).not.toContain('OtherUnitOnly');
    fs.writeFileSync(pdf, attachment(socMail?.raw ?? ''));
    expect(execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' })).toMatch(/Events\s+27/);
  });

  it('goes on with the other units when one cannot be reported', async () => {
    const mailer = smtpMailer({ url: smtp.url, from: 'vigil@tinh.gov.vn' }, 10_000);
    const before = smtp.mails.length;
    const result = await sendMonthlyReports({
      sources: reportSources(store),
      mailer,
      recipients: { units: { 'no-such-unit': { to: ['x@example.vn'], lang: 'vi' }, [UNIT.id]: { to: ['it@soyte.gov.vn'], lang: 'vi' } } },
      utcOffsetMinutes: OFFSET,
      targets: DEFAULT_TRIAGE_TARGETS,
      log: createLogger('silent'),
      now: Date.parse('2026-12-01T00:00:00Z'),
    });
    mailer.close();
    expect(result.sent).toEqual([UNIT.id]);
    expect(result.failed).toEqual([{ unit: 'no-such-unit', error: 'unknown unit "no-such-unit"' }]);
    expect(smtp.mails.length - before).toBe(1);
  });

  it('runs at 07:00 on the 1st in the SOC’s local time', () => {
    const schedule = scheduleReports('0 7 1 * *', OFFSET, async () => undefined);
    try {
      expect(schedule.nextRun(new Date('2026-12-03T00:00:00Z'))?.toISOString()).toBe('2027-01-01T00:00:00.000Z');
      expect(schedule.nextRun(new Date('2026-11-30T23:59:00Z'))?.toISOString()).toBe('2026-12-01T00:00:00.000Z');
    } finally {
      schedule.stop();
    }
  });

  it('names what is wrong in a recipients file, and mails nobody without one', () => {
    const file = path.join(dir, 'bad.yml');
    fs.writeFileSync(file, 'units:\n  so-y-te: { to: [not-an-address] }\n');
    expect(() => loadRecipients(file)).toThrow(/bad\.yml: .*to/);
    expect(loadRecipients(path.join(dir, 'missing.yml'))).toEqual({ units: {} });
  });
});
