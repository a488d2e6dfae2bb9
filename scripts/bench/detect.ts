// `npm run bench:detect`: detection cost on one core, over realistic event streams.
//
// Single-event matching: events/s for the shipped detection rules (the rules that raise
// alerts of their own), for the whole library (with the building-block rules that only
// feed correlations), and for synthetic sets of 1,000 and 3,000 rules. Targets on our
// 2-core machines: ≥ 200,000 events/s with the detection rules; ≥ 50,000 with 1,000.
//
// Correlation (correlation.ts): the engine's cost per event — extracting group values
// and updating the windows — with 100,000 groups active, against single-event matching
// of the whole library on the same events; target below half. And the memory each
// active group takes.
//
// Threat intel (intel.ts): with 1,000,000 indicators loaded, the cost per event of
// looking an event's addresses, domains, URLs and hashes up, against single-event
// matching of the detection rules; target below 10%. And the memory the indicators take.
// `npm run bench:detect -- --intel` measures only that.
//
// Two streams: the province mix (network sensors' records, 2% antivirus detections, as
// the province sees them) and a stress mix where half the events are antivirus
// detections, each feeding the spread, outbreak and reinfection correlations.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import type { SecurityEvent } from '../../core/schemas/event.ts';
import { compileRule } from '../../detect/sigma/compile-rule.ts';
import { raisesOwnAlerts } from '../../detect/sigma/correlation-index.ts';
import { buildRuleSet, loadRuleSet, matchEvent, type RuleSet } from '../../detect/sigma/rule-set.ts';
import { benchCorrelation } from './correlation.ts';
import { EVENTS, realisticEvents } from './detect-events.ts';
import { benchIntel } from './intel.ts';
import { syntheticRules } from './synthetic-rules.ts';

const ROUNDS = 5;
const rulesDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'rules');

/** Median events/s of one rule set over the events. */
function measure(label: string, ruleSet: RuleSet, events: SecurityEvent[]): number {
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
    `${label.padEnd(40)} ${String(ruleSet.rules.length).padStart(5)} rules  ${Math.round(median).toLocaleString('en').padStart(9)} events/s/core` +
      `  (${(matches / ROUNDS / events.length).toFixed(3)} matches/event; min ${Math.round(rates[0]!).toLocaleString('en')}, max ${Math.round(rates.at(-1)!).toLocaleString('en')})\n`,
  );
  return median;
}

function synthetic(count: number): RuleSet {
  const compiled = syntheticRules(count).map((text, i) => {
    const result = compileRule(text, `synthetic-${i}.yml`);
    if (!result.rule) throw new Error(result.errors.map((e) => e.message).join('\n'));
    return result.rule;
  });
  return buildRuleSet(compiled);
}

const shipped = loadRuleSet(rulesDir);
if (shipped.errors.length > 0) throw new Error(shipped.errors.map((e) => e.message).join('\n'));
// The rules that raise alerts of their own; the others are correlation building blocks.
const detection = buildRuleSet(shipped.rules.filter((rule) => raisesOwnAlerts(shipped, rule.id)));
const province = realisticEvents(0.02);
const stress = realisticEvents(0.53);

if (!process.argv.includes('--intel')) {
  process.stdout.write(`single-event matching over ${EVENTS.toLocaleString('en')} realistic events, median of ${ROUNDS} rounds\n`);
  measure('detection rules, province mix (target 200k)', detection, province);
  measure('detection rules, stress mix (target 200k)', detection, stress);
  measure('whole library, province mix', shipped, province);
  measure('whole library, stress mix', shipped, stress);
  measure('synthetic, stress mix (target 50k)', synthetic(1_000), stress);
  measure('synthetic, stress mix', synthetic(3_000), stress);
  benchCorrelation(shipped, detection, { 'province mix': province, 'stress mix': stress });
}
benchIntel(detection, { 'province mix': province, 'stress mix': stress });
