// The monthly run: the previous calendar month's report for every unit that has
// recipients (each gets its own unit's report only) and the whole SOC's for the SOC's
// list, as PDFs attached to one email each. A unit that fails (unknown, store down)
// is reported and the others still go out.
import type { Logger } from '../core/log.ts';
import type { Mailer } from '../core/mail/smtp-mailer.ts';
import { ALL_UNITS } from '../core/ports/scope.ts';
import { buildReport, type ReportSources } from '../core/report/build-report.ts';
import { renderReportPdf } from '../core/report/render-report-pdf.ts';
import { periodLabel, previousMonth } from '../core/report/report-period.ts';
import { formatCount, reportText } from '../core/report/report-text.ts';
import type { TriageTargets } from '../core/report/triage-targets.ts';
import type { RecipientList, ReportRecipients } from './recipients.ts';

export interface MonthlyRun {
  sources: ReportSources;
  mailer: Mailer;
  recipients: ReportRecipients;
  utcOffsetMinutes: number;
  targets: TriageTargets;
  log: Logger;
  /** The run's moment; the report covers the calendar month before it. */
  now: number;
}

export interface MonthlyResult {
  sent: string[];
  failed: { unit: string; error: string }[];
}

export async function sendMonthlyReports(run: MonthlyRun): Promise<MonthlyResult> {
  const period = previousMonth(run.now, run.utcOffsetMinutes);
  const result: MonthlyResult = { sent: [], failed: [] };
  const jobs: [unit: string | null, list: RecipientList][] = Object.entries(run.recipients.units);
  if (run.recipients.soc) jobs.push([null, run.recipients.soc]);
  for (const [unit, list] of jobs) {
    const name = unit ?? 'soc';
    try {
      const report = await buildReport(
        run.sources,
        { unit, ...period, utcOffsetMinutes: run.utcOffsetMinutes, targets: run.targets },
        ALL_UNITS,
      );
      const pdf = await renderReportPdf(report, list.lang);
      const t = reportText(list.lang);
      const month = periodLabel(period, run.utcOffsetMinutes);
      const who = report.unit?.name ?? t.soc;
      await run.mailer.send({
        to: list.to,
        subject: `${t.title} — ${who} — ${month}`,
        text:
          `${t.title}: ${who}, ${month}.\n` +
          `${t.events}: ${formatCount(report.headline.events, list.lang)}; ${t.alerts}: ${formatCount(report.headline.alerts, list.lang)}; ` +
          `${t.detections}: ${formatCount(report.headline.detections, list.lang)}.\n`,
        attachments: [{ filename: `vigil-report-${name}-${month}.pdf`, content: pdf, contentType: 'application/pdf' }],
      });
      result.sent.push(name);
      run.log.info({ unit: name, month, to: list.to.length }, 'monthly report sent');
    } catch (error) {
      result.failed.push({ unit: name, error: (error as Error).message });
      run.log.error({ unit: name, err: error }, 'monthly report not sent');
    }
  }
  return result;
}
