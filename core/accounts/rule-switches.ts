// Which detection rules people switched off, and by whom. The switches are entries of the
// audit log (`rule.switch`, target the rule id, after `{ enabled }`): the newest entry
// of a rule says whether it runs. Why the audit log rather than a file in the rules
// folder or a table of its own:
// - it reaches every detect process in both deployments without anything new: in
//   `vigil start` the detection thread opens the same embedded accounts.db, and in a
//   cluster every `vigil detect` replica already opens Accounts (on the search store) to
//   record rule reloads; a rules folder, by contrast, is baked read-only into each
//   container's image, so a file the api writes there would reach no detect replica;
// - it is persisted, append-only and shared, and the record of who switched a rule off
//   can never disagree with what detection does, because it is the same entry;
// - the Accounts port needs no new method: `listAudit` filters by action on an index.
// The api (writes, shows) and detect (applies) both read it through this file.
import { z } from 'zod';
import type { Accounts, AuditEntry } from './accounts.ts';

export const RULE_SWITCH_ACTION = 'rule.switch';

const switchSchema = z.object({ enabled: z.boolean() });

export interface RuleSwitch {
  enabled: boolean;
  /** Who switched it, and when (ISO). */
  actor: string;
  time: string;
}

/** Most audit entries one read goes through; far beyond what people switch. */
const MAX_ENTRIES = 100_000;
const PAGE = 1000;

/** The newest switch of every rule ever switched (enabled ones included). */
export async function readRuleSwitches(accounts: Pick<Accounts, 'listAudit'>): Promise<Map<string, RuleSwitch>> {
  const switches = new Map<string, RuleSwitch>();
  let cursor: string | undefined;
  for (let read = 0; read < MAX_ENTRIES; read += PAGE) {
    const page = await accounts.listAudit({ action: RULE_SWITCH_ACTION, limit: PAGE, ...(cursor === undefined ? {} : { cursor }) });
    // Newest first: the first entry seen for a rule is the one in force.
    for (const entry of page.items) {
      if (switches.has(entry.target)) continue;
      const state = switchOf(entry);
      if (state !== undefined) switches.set(entry.target, state);
    }
    if (page.next === null) break;
    cursor = page.next;
  }
  return switches;
}

/** Ids of the rules switched off now. */
export function disabledRuleIds(switches: ReadonlyMap<string, RuleSwitch>): Set<string> {
  return new Set([...switches].filter(([, state]) => !state.enabled).map(([id]) => id));
}

/**
 * The id of the newest switch entry, or null when there is none: a cheap question
 * (one indexed row) a poller asks before reading every switch again.
 */
export async function newestRuleSwitchId(accounts: Pick<Accounts, 'listAudit'>): Promise<string | null> {
  const page = await accounts.listAudit({ action: RULE_SWITCH_ACTION, limit: 1 });
  return page.items[0]?.id ?? null;
}

function switchOf(entry: AuditEntry): RuleSwitch | undefined {
  const after = switchSchema.safeParse(entry.after);
  return after.success ? { enabled: after.data.enabled, actor: entry.actor, time: entry.time } : undefined;
}
