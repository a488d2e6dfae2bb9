// Messages between the all-in-one process's main thread and its detect thread.
export interface DetectThreadData {
  dataDir: string;
  rulesDir: string;
  logLevel: string;
}

export type ToDetectThread = { type: 'metrics'; id: number } | { type: 'stop' };

export type FromDetectThread =
  | { type: 'ready'; loaded: number; errors: string[] }
  /** The rule set was reloaded (or a reload was refused); `errors` are the current problems. */
  | { type: 'rules'; loaded: number; errors: string[] }
  | { type: 'metrics'; id: number; metrics: object[] }
  | { type: 'stopped' };
