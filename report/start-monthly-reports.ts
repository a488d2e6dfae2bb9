// The report stage running: on VIGIL_REPORT_SCHEDULE, mail the previous month's reports
// to the recipients file's lists (read afresh at each run). Without SMTP settings there
// is nobody to mail: it says so once and schedules nothing.
import type { Logger } from '../core/log.ts';
import { smtpMailer, type SmtpSettings } from '../core/mail/smtp-mailer.ts';
import type { ReportSources } from '../core/report/build-report.ts';
import type { ReportConfig } from '../core/report/report-settings.ts';
import { loadRecipients } from './recipients.ts';
import { scheduleReports, type ReportSchedule } from './report-schedule.ts';
import { sendMonthlyReports } from './send-monthly-reports.ts';

const SMTP_TIMEOUT_MS = 30_000;

export interface MonthlyReportsOptions {
  sources: ReportSources;
  report: ReportConfig;
  smtp: SmtpSettings | undefined;
  utcOffsetMinutes: number;
  log: Logger;
}

export function startMonthlyReports(options: MonthlyReportsOptions): ReportSchedule | null {
  const log = options.log.child({ stage: 'report' });
  const smtp = options.smtp;
  if (smtp === undefined) {
    log.warn('monthly reports are not mailed: set VIGIL_SMTP_URL and VIGIL_SMTP_FROM');
    return null;
  }
  const schedule = scheduleReports(options.report.schedule, options.utcOffsetMinutes, async (now) => {
    const mailer = smtpMailer(smtp, SMTP_TIMEOUT_MS);
    try {
      const recipients = loadRecipients(options.report.recipientsFile);
      const result = await sendMonthlyReports({
        sources: options.sources,
        mailer,
        recipients,
        utcOffsetMinutes: options.utcOffsetMinutes,
        targets: options.report.targets,
        log,
        now,
      });
      log.info({ sent: result.sent.length, failed: result.failed.length }, 'monthly reports done');
    } catch (error) {
      log.error({ err: error }, 'monthly reports failed');
    } finally {
      mailer.close();
    }
  });
  log.info({ schedule: options.report.schedule, next: schedule.nextRun()?.toISOString() }, 'monthly reports scheduled');
  return schedule;
}
