// Loads each `vigil` command's modules only when that command runs. Importing them all
// up front cost every invocation about 2 s (`vigil rules match` on one event took
// 2.4 s, `vigil help` 3 s): the whole run of an analyst's one-off match. Kept apart
// from bin/vigil.ts because tsx cannot rewrite dynamic imports in a file that starts
// with a shebang line.
import type { VigilConfig } from '../core/config.ts';
import type { Logger } from '../core/log.ts';
import type { VigilProcessName } from './commands.ts';
import type { RunningProcess } from './serve-process.ts';

export type StartProcess = (config: VigilConfig, log: Logger) => Promise<RunningProcess>;

export const processStarters: Record<VigilProcessName, () => Promise<StartProcess>> = {
  ingest: async () => (await import('./ingest-process.ts')).startIngestProcess,
  detect: async () => (await import('./detect-process.ts')).startDetectProcess,
  correlate: async () => (await import('./correlate-process.ts')).startCorrelateProcess,
  api: async () => (await import('./api-process.ts')).startApiProcess,
  notify: async () => (await import('./notify-process.ts')).startNotifyProcess,
};

export const loadCliOutput = () => import('./cli-output.ts');
export const loadAgentCommand = () => import('./agent-command.ts');
export const loadSimulateCommand = () => import('./simulate-command.ts');
export const loadReportCommand = () => import('./report-command.ts');
export const loadRulesLint = () => import('./rules-lint.ts');
export const loadRulesMatch = () => import('./rules-match.ts');
export const loadAllInOne = () => import('./all-in-one.ts');
export const loadBanner = () => import('./banner.ts');
export const loadServeProcess = () => import('./serve-process.ts');
