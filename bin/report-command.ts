// `vigil report --unit <id>|--soc [--from <day|time>] [--to <day|time>] [--lang vi|en]
// --out <file.pdf|file.json>`: prints a report to a file from the configured store, as
// the SOC (every unit). Days (2026-11-01) are local midnights at VIGIL_UTC_OFFSET_MINUTES,
// `--to` exclusive; without them, the previous calendar month. Wiring only: the report
// itself is core/report/.
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { loadConfig } from '../core/config.ts';
import { VigilError } from '../core/errors.ts';
import { openAccounts } from '../core/adapters/open-accounts.ts';
import { openStore } from '../core/adapters/open-store.ts';
import { createLogger } from '../core/log.ts';
import { ALL_UNITS } from '../core/ports/scope.ts';
import { buildReport } from '../core/report/build-report.ts';
import { renderReportPdf } from '../core/report/render-report-pdf.ts';
import { previousMonth } from '../core/report/report-period.ts';
import { reportLanguages } from '../core/report/report-text.ts';
import { describeIssues } from '../core/schemas/describe-issues.ts';
import { startMonthlyReports } from '../report/start-monthly-reports.ts';
import type { CliOutput } from './cli-output.ts';

export const REPORT_USAGE =
  'vigil report --unit <id>|--soc [--from <day>] [--to <day>] [--lang vi|en] --out <file.pdf|.json>\n' +
  '       vigil report --schedule   (mail the monthly reports on VIGIL_REPORT_SCHEDULE until stopped)';

const day = /^\d{4}-\d{2}-\d{2}$/;
const moment = z.union([z.string().regex(day), z.iso.datetime({ offset: true })]);
const argsSchema = z
  .object({
    unit: z.string().min(1).optional(),
    soc: z.boolean().default(false),
    from: moment.optional(),
    to: moment.optional(),
    lang: z.enum(reportLanguages).default('vi'),
    out: z.string().min(1, 'name the file to write (--out report.pdf)'),
  })
  .refine((a) => (a.unit !== undefined) !== a.soc, { message: 'give --unit <id> or --soc (one of them)' })
  .refine((a) => (a.from === undefined) === (a.to === undefined), { message: 'give both --from and --to, or neither' });

export async function runReportCommand(
  args: readonly string[],
  output: CliOutput,
  env: NodeJS.ProcessEnv = process.env,
  stopSignal: Promise<unknown> = new Promise(() => {}),
): Promise<number> {
  if (args.length === 1 && args[0] === '--schedule') return runSchedule(output, env, stopSignal);
  let raw: Record<string, unknown>;
  try {
    raw = parseArgs({
      args: [...args],
      options: {
        unit: { type: 'string' },
        soc: { type: 'boolean' },
        from: { type: 'string' },
        to: { type: 'string' },
        lang: { type: 'string' },
        out: { type: 'string' },
      },
      strict: true,
    }).values;
  } catch (error) {
    output.err(`vigil report: ${(error as Error).message}\nusage: ${REPORT_USAGE}\n`);
    return 2;
  }
  const parsed = argsSchema.safeParse(raw);
  if (!parsed.success) {
    output.err(`vigil report: ${describeIssues(parsed.error)}\nusage: ${REPORT_USAGE}\n`);
    return 2;
  }
  const a = parsed.data;
  const config = loadConfig(env);
  const offset = config.correlation.utcOffsetMinutes;
  const at = (value: string) => (day.test(value) ? new Date(Date.parse(`${value}T00:00:00Z`) - offset * 60_000).toISOString() : value);
  const period = a.from !== undefined && a.to !== undefined ? { from: at(a.from), to: at(a.to) } : previousMonth(Date.now(), offset);
  const log = createLogger(config.logLevel).child({ process: 'report' });
  const store = await openStore(config, log);
  try {
    const accounts = await openAccounts(config, log);
    try {
      const report = await buildReport(
        { store, accounts },
        { unit: a.unit ?? null, ...period, utcOffsetMinutes: offset, targets: config.report.targets },
        ALL_UNITS,
      );
      const body = a.out.endsWith('.json') ? `${JSON.stringify(report, null, 2)}\n` : await renderReportPdf(report, a.lang);
      writeFileSync(a.out, body);
      output.out(
        `${a.out}: ${report.unit?.name ?? 'SOC'}, ${report.from} – ${report.to}: ${report.headline.events} events, ` +
          `${report.headline.alerts} alerts, ${report.headline.detections} antivirus detections\n`,
      );
      return 0;
    } catch (error) {
      // An unknown unit, a backwards period: say so, not a stack trace.
      if (!(error instanceof VigilError)) throw error;
      output.err(`vigil report: ${error.message}\n`);
      return 1;
    } finally {
      await accounts.close();
    }
  } finally {
    await store.close();
  }
}

/** `--schedule`: the report stage as a process, mailing on the configured schedule until stopped. */
async function runSchedule(output: CliOutput, env: NodeJS.ProcessEnv, stopSignal: Promise<unknown>): Promise<number> {
  const config = loadConfig(env);
  const log = createLogger(config.logLevel).child({ process: 'report' });
  const store = await openStore(config, log);
  const accounts = await openAccounts(config, log);
  const schedule = startMonthlyReports({
    sources: { store, accounts },
    report: config.report,
    smtp: config.notify.smtp,
    utcOffsetMinutes: config.correlation.utcOffsetMinutes,
    log,
  });
  output.err(
    schedule === null
      ? 'vigil report: set VIGIL_SMTP_URL and VIGIL_SMTP_FROM to mail the monthly reports\n'
      : `vigil report: monthly reports scheduled (${config.report.schedule}), next ${schedule.nextRun()?.toISOString() ?? 'never'}\n`,
  );
  if (schedule !== null) await stopSignal;
  schedule?.stop();
  await accounts.close();
  await store.close();
  return schedule === null ? 2 : 0;
}
