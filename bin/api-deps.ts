// What the api routes take from the config, the same in `vigil start` and `vigil api`:
// the console's files and session settings, login throttling, the report settings and
// the rules folder the alert detail reads Sigma descriptions from. The caller adds what
// differs between the two: where detection's status and health come from.
import type { Accounts } from '../core/accounts/accounts.ts';
import type { VigilConfig } from '../core/config.ts';
import type { NotificationOutbox } from '../core/ports/notifications.ts';
import type { Bus } from '../core/ports/bus.ts';
import type { Store } from '../core/ports/store.ts';
import type { ApiDeps } from '../api/api-routes.ts';
import { ruleTester } from '../detect/rule-tester.ts';

export function apiDeps(
  config: VigilConfig,
  parts: Pick<ApiDeps, 'rules' | 'health'> & { accounts: Accounts; store: Store; bus: Bus; notifications?: NotificationOutbox },
): ApiDeps {
  return {
    ...parts,
    uiDir: config.uiDir,
    rulesDir: config.rulesDir,
    testRule: ruleTester(config.rulesDir),
    sessionHours: config.sessionHours,
    secureCookies: config.secureCookies,
    security: config.security,
    report: { utcOffsetMinutes: config.correlation.utcOffsetMinutes, targets: config.report.targets },
    silentAgentMs: config.correlation.silentAgentMs,
    notifyRulesFile: config.notify.rulesFile,
  };
}
