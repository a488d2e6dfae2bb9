// `npm run bench:detect`: single-event rule matching, events/s on one core, for the
// shipped rule library and for synthetic sets of 1,000 and 3,000 rules, over a realistic
// event mix (antivirus, firewall, IDS, DNS). Targets on our 2-core machines: ≥ 200,000
// events/s with the shipped library; ≥ 50,000 with 1,000 rules.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { securityEventSchema, type SecurityEvent } from '../../core/schemas/event.ts';
import { compileRule } from '../../detect/sigma/compile-rule.ts';
import { buildRuleSet, loadRuleSet, matchEvent, type RuleSet } from '../../detect/sigma/rule-set.ts';
import { mixedEvent, seededRandom } from '../simulate/realistic-events.ts';
import { syntheticRules } from './synthetic-rules.ts';

const EVENTS = 50_000;
const ROUNDS = 5;
const rulesDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'rules');

function realisticEvents(): SecurityEvent[] {
  const random = seededRandom(2026);
  const now = new Date().toISOString();
  return Array.from({ length: EVENTS }, (_, i) => {
    const event = mixedEvent(`PC-${i % 5700}`, `FW-${i % 48}`, random, 0.02);
    return securityEventSchema.parse({
      ...event,
      organization: { id: `unit-${i % 230}`, name: `Unit ${i % 230}` },
      event: { ...(event.event as object), ingested: now },
    });
  });
}

function measure(label: string, ruleSet: RuleSet, events: SecurityEvent[]): void {
  let matches = 0;
  for (const event of events.slice(0, 5_000)) matches += matchEvent(ruleSet, event).length; // warm-up
  const rates: number[] = [];
  matches = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const started = performance.now();
    for (const event of events) matches += matchEvent(ruleSet, event).length;
    rates.push(events.length / ((performance.now() - started) / 1000));
  }
  rates.sort((a, b) => a - b);
  const median = rates[Math.floor(rates.length / 2)]!;
  process.stdout.write(
    `${label.padEnd(28)} ${String(ruleSet.rules.length).padStart(5)} rules  ${Math.round(median).toLocaleString('en').padStart(9)} events/s/core` +
      `  (${(matches / ROUNDS / events.length).toFixed(3)} matches/event; min ${Math.round(rates[0]!).toLocaleString('en')}, max ${Math.round(rates.at(-1)!).toLocaleString('en')})\n`,
  );
}

function synthetic(count: number): RuleSet {
  const compiled = syntheticRules(count).map((text, i) => {
    const result = compileRule(text, `synthetic-${i}.yml`);
    if (!result.rule) throw new Error(result.errors.map((e) => e.message).join('\n'));
    return result.rule;
  });
  return buildRuleSet(compiled);
}

const events = realisticEvents();
process.stdout.write(`single-event matching over ${EVENTS.toLocaleString('en')} realistic events, median of ${ROUNDS} rounds\n`);
const shipped = loadRuleSet(rulesDir);
if (shipped.errors.length > 0) throw new Error(shipped.errors.map((e) => e.message).join('\n'));
measure('shipped library (target 200k)', shipped, events);
measure('synthetic (target 50k)', synthetic(1_000), events);
measure('synthetic', synthetic(3_000), events);
