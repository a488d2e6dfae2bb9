// The reports' settings as configuration gives them (VIGIL_REPORT_*), checked once at
// start so a mistyped cron expression or target is named then, not on the 1st.
import { Cron } from 'croner';
import { parseTriageTargets, type TriageTargets } from './triage-targets.ts';

export const DEFAULT_REPORT_SCHEDULE = '0 7 1 * *';

export interface ReportConfig {
  /** Cron expression, in the SOC's local time (VIGIL_UTC_OFFSET_MINUTES), of the monthly reports. */
  schedule: string;
  targets: TriageTargets;
  /** YAML naming each unit's report recipients (report/recipients.ts). */
  recipientsFile: string;
}

/** What is wrong with the settings, one line each (none: they are fine). */
export function reportConfigProblems(schedule: string, targets: string | undefined): string[] {
  const problems: string[] = [];
  try {
    new Cron(schedule, { paused: true }).stop();
  } catch (error) {
    problems.push(`VIGIL_REPORT_SCHEDULE: ${(error as Error).message}`);
  }
  try {
    parseTriageTargets(targets);
  } catch (error) {
    problems.push((error as Error).message);
  }
  return problems;
}
