// The ground truth a simulation writes (`--truth file`) and `vigil simulate score` reads:
// what was injected, where, when, and what in Vigil should show it. Validated with zod
// on both sides, so a score never runs on a file it misreads.
import { z } from 'zod';

export const SCENARIO_KINDS = ['outbreak', 'ransomware', 'brute-force', 'port-scan', 'beaconing', 'av-disabled', 'unit-silent', 'wrong-clock'] as const;
export type ScenarioKind = (typeof SCENARIO_KINDS)[number];

export const ruleRefSchema = z.object({ id: z.string().min(1), title: z.string() });
export type RuleRef = z.infer<typeof ruleRefSchema>;

export const scenarioSchema = z.object({
  id: z.string().min(1),
  kind: z.enum(SCENARIO_KINDS),
  description: z.string(),
  /** Units involved (organization.id as ingest stamps it). */
  units: z.array(z.string()),
  /** Hosts involved (host.id). */
  hosts: z.array(z.string()),
  /** Other values an alert's group may carry for this scenario (addresses, signature names, user names). */
  values: z.array(z.string()),
  start: z.iso.datetime(),
  end: z.iso.datetime(),
  /** event.id of every event the scenario injected: an alert citing one belongs to it. */
  eventIds: z.array(z.string()).optional(),
  /** Any of these rules' alerts, on the scenario's units and hosts or values, detects it. */
  rules: z.array(ruleRefSchema),
  /** Where the scenario shows instead of an alert: the Health view's "Clocks ahead". */
  health: z.enum(['clocks-ahead']).optional(),
  /** Hours the wrong clock is ahead. */
  clockAheadHours: z.number().optional(),
});
export type Scenario = z.infer<typeof scenarioSchema>;

export const truthSchema = z.object({
  seed: z.number().int(),
  scale: z.number(),
  start: z.iso.datetime(),
  end: z.iso.datetime(),
  units: z.number().int(),
  hosts: z.number().int(),
  events: z.number().int(),
  scenarios: z.array(scenarioSchema),
  /** Scenarios that could not be placed (e.g. a unit's silence needs 3 earlier weekdays). */
  skipped: z.array(z.object({ kind: z.enum(SCENARIO_KINDS), reason: z.string() })),
});
export type Truth = z.infer<typeof truthSchema>;

/** The shipped rules (rules/) each scenario is meant to trip; ids as in the YAML files. */
export const RULES = {
  spread: { id: '6b463895-f4ce-4f13-a96a-6225ba6da07c', title: 'Same Threat on Five or More PCs of One Unit Within an Hour' },
  outbreak: { id: '22e9dd6f-1975-4270-a50a-664d35de77c2', title: 'Same Threat in Ten or More Units Within an Hour' },
  remediationFailed: { id: 'd9a8d92e-779b-43c6-a556-1a24b5613597', title: 'Remediation Failed Three Times on One PC Within an Hour' },
  ransomwareFamily: { id: 'de9790ad-81a1-40a0-bb76-05acef20b5f8', title: 'Ransomware Family Detected' },
  bruteForce: { id: 'fc847f3d-158e-44c2-b276-f750b1b2fc5a', title: 'Successful Logon After Many Failed Logons From One Address' },
  portScan: { id: '0604928c-26e3-402d-af9c-d70e56048662', title: 'Port Scan: One Address Tried 100 Ports of One Host Within 5 Minutes' },
  beaconing: { id: '078cc6b8-e962-4e7f-9a41-bbcd710eb22b', title: 'Beaconing: One Internal Host Connected to One Internet Address About Once a Minute for an Hour' },
  disabledThenMalware: { id: 'f398145a-740d-45ce-a7a8-5d8f6e68ec51', title: 'Threat Detected After Antivirus Protection Was Turned Off' },
  protectionDisabled: { id: 'dd64baed-7858-44e6-8461-f008273eb11b', title: 'Antivirus Protection Disabled or Tampered With' },
  silentUnit: { id: 'vigil-silent-unit', title: 'Unit went silent' },
  silentAgent: { id: 'vigil-silent-agent', title: 'Agent went silent' },
} as const satisfies Record<string, RuleRef>;
