// Starts the all-in-one process's detection thread (detection-thread.ts) on the generic
// stage-thread plumbing: restarted after a crash, stopped cleanly in every state.
import type { VigilConfig } from '../core/config.ts';
import type { Logger } from '../core/log.ts';
import type { DetectionHealth } from '../core/schemas/detection-health.ts';
import { startStageThread, type StageThread } from '../core/threads/stage-thread.ts';
import type { RulesStatus } from '../detect/rules-reloader.ts';
import { ruleSetChangeSchema, type RuleSetChange } from '../detect/rule-set-diff.ts';

export type DetectionThread = StageThread<RulesStatus, DetectionHealth>;

export function startDetectionThread(
  config: VigilConfig,
  log: Logger,
  onRulesChanged: (change: RuleSetChange) => void = () => undefined,
): Promise<DetectionThread> {
  return startStageThread<RulesStatus, DetectionHealth>({
    name: 'detect',
    entry: new URL('./detection-thread.ts', import.meta.url),
    data: config,
    log,
    // A larger young generation: detection allocates many short-lived objects per event
    // (decoded events, signals), and fewer scavenges measured about 10% more events/s.
    resourceLimits: { maxYoungGenerationSizeMb: 96 },
    onEvent: (event) => {
      const change = ruleSetChangeSchema.safeParse(event);
      if (change.success) onRulesChanged(change.data);
      else log.error({ issues: change.error.issues }, 'the detect thread sent an event that is not a rules change; ignored');
    },
  });
}
