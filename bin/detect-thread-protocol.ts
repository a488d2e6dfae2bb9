// Messages between the all-in-one process's main thread and its detect thread.
import type { CorrelationConfig } from '../core/config.ts';
import type { DetectionHealth } from '../core/schemas/detection-health.ts';

export interface DetectThreadData {
  dataDir: string;
  rulesDir: string;
  logLevel: string;
  correlation: CorrelationConfig;
}

export type ToDetectThread = { type: 'metrics'; id: number } | { type: 'health'; id: number } | { type: 'stop' };

export type FromDetectThread =
  | { type: 'ready'; loaded: number; errors: string[] }
  /** The rule set was reloaded (or a reload was refused); `errors` are the current problems. */
  | { type: 'rules'; loaded: number; errors: string[] }
  | { type: 'metrics'; id: number; metrics: object[] }
  | { type: 'health'; id: number; health: DetectionHealth | null }
  | { type: 'stopped' };
