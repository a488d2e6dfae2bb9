// The reports' settings: defaults a SOC can run with, and every mistake named at start.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../core/config.ts';
import { DEFAULT_TRIAGE_TARGETS } from '../../core/report/triage-targets.ts';

const base = { VIGIL_DATA_DIR: '/tmp/vigil-report-config' };

describe('report settings', () => {
  it('default to the 1st of each month at 07:00 and the default targets', () => {
    const config = loadConfig(base);
    expect(config.report.schedule).toBe('0 7 1 * *');
    expect(config.report.targets).toEqual(DEFAULT_TRIAGE_TARGETS);
    expect(config.report.recipientsFile).toBe('/tmp/vigil-report-config/report-recipients.yml');
  });

  it('take targets per severity, keeping the others’ defaults', () => {
    const config = loadConfig({ ...base, VIGIL_REPORT_TARGETS: 'critical=10m/2h, low=2d/14d' });
    expect(config.report.targets.critical).toEqual({ acknowledgeMs: 10 * 60_000, resolveMs: 2 * 3600_000 });
    expect(config.report.targets.low).toEqual({ acknowledgeMs: 2 * 86_400_000, resolveMs: 14 * 86_400_000 });
    expect(config.report.targets.high).toEqual(DEFAULT_TRIAGE_TARGETS.high);
  });

  it('name a bad cron expression and a bad target together', () => {
    let error: unknown;
    try {
      loadConfig({ ...base, VIGIL_REPORT_SCHEDULE: 'every month', VIGIL_REPORT_TARGETS: 'urgent=5m/1h' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toContain('VIGIL_REPORT_SCHEDULE');
    expect(problems).toContain('urgent=5m/1h');
  });
});
