// When the monthly reports go out: a cron expression (VIGIL_REPORT_SCHEDULE, default
// "0 7 1 * *") read in the SOC's local time (VIGIL_UTC_OFFSET_MINUTES), so "07:00 on
// the 1st" is 07:00 in the province, whatever zone the server runs in. A run still
// going when the next is due is not started twice.
import { Cron } from 'croner';

export interface ReportSchedule {
  /** The next run after `after` (default now), or null when the expression has none. */
  nextRun(after?: Date): Date | null;
  stop(): void;
}

export function scheduleReports(expression: string, utcOffsetMinutes: number, run: (now: number) => Promise<unknown>): ReportSchedule {
  const cron = new Cron(expression, { utcOffset: utcOffsetMinutes, protect: true, catch: true }, async () => {
    await run(Date.now());
  });
  return {
    nextRun: (after) => cron.nextRun(after),
    stop: () => cron.stop(),
  };
}
